package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseGolden parses policies written the many ways the IAM User Guide's
// example policies are ("Example IAM identity-based policies", "Amazon S3
// bucket policy examples", "Using resource-based policies for Lambda") and
// checks that each marshals to its golden file, which parses back to the
// same document.
func TestParseGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "parse", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			require.NoError(t, err)
			d, err := Parse(data)
			require.NoError(t, err)
			out, err := d.Indented()
			require.NoError(t, err)
			golden(t, filepath.Join("parse", name+".golden"), append(out, '\n'))
			again, err := Parse(out)
			require.NoError(t, err)
			require.Equal(t, d, again)
		})
	}
}

// TestDocumentedPoliciesEvaluate runs requests against the example policies
// the way the pages they come from describe them.
func TestDocumentedPoliciesEvaluate(t *testing.T) {
	load := func(name string) *Document {
		data, err := os.ReadFile(filepath.Join("testdata", "parse", name+".json"))
		require.NoError(t, err)
		return mustParse(t, string(data))
	}
	type ctx = map[string][]string
	tests := []struct {
		doc  string
		r    Request
		want Decision
	}{
		// "AWS: Denies access to AWS based on the requested Region".
		{"deny_outside_regions", Request{Action: "ec2:RunInstances", Resource: "*", Context: ctx{"aws:RequestedRegion": {"us-east-1"}}}, ExplicitDeny},
		{"deny_outside_regions", Request{Action: "ec2:RunInstances", Resource: "*", Context: ctx{"aws:RequestedRegion": {"eu-west-1"}}}, ImplicitDeny},
		{"deny_outside_regions", Request{Action: "iam:CreateRole", Resource: "*", Context: ctx{"aws:RequestedRegion": {"us-east-1"}}}, ImplicitDeny},
		// "Amazon S3 bucket policy examples": enforce encryption in transit.
		{"require_secure_transport", Request{Principal: "arn:aws:iam::111122223333:user/u", Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/k", Context: ctx{"aws:SecureTransport": {"false"}}}, ExplicitDeny},
		{"require_secure_transport", Request{Principal: "arn:aws:iam::111122223333:user/u", Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/k", Context: ctx{"aws:SecureTransport": {"true"}}}, ImplicitDeny},
		// "Amazon S3: Allows IAM users access to their S3 home directory".
		{"s3_home_folder", Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::amzn-s3-demo-bucket", Context: ctx{"aws:username": {"bob"}, "s3:prefix": {"home/bob/"}}}, Allow},
		{"s3_home_folder", Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::amzn-s3-demo-bucket", Context: ctx{"aws:username": {"bob"}, "s3:prefix": {"home/alice/"}}}, ImplicitDeny},
		{"s3_home_folder", Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/x", Context: ctx{"aws:username": {"bob"}}}, Allow},
		// "Using resource-based policies for Lambda": S3 invokes the function.
		{"lambda_resource_policy", Request{Principal: "s3.amazonaws.com", Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:us-east-2:123456789012:function:my-function", Context: ctx{"aws:SourceAccount": {"123456789012"}, "aws:SourceArn": {"arn:aws:s3:::amzn-s3-demo-bucket"}}}, Allow},
		{"lambda_resource_policy", Request{Principal: "s3.amazonaws.com", Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:us-east-2:123456789012:function:my-function", Context: ctx{"aws:SourceAccount": {"999999999999"}, "aws:SourceArn": {"arn:aws:s3:::amzn-s3-demo-bucket"}}}, ImplicitDeny},
		// A trust policy during a scope switch, with MFA and session tags.
		{"trust_scope_switch_mfa", Request{Principal: "arn:aws:iam::111122223333:role/platform", Action: "sts:AssumeRole", Context: ctx{"sts:ExternalId": {"acme_iam_external_id_1_2"}, "aws:MultiFactorAuthAge": {"10"}, "aws:CurrentTime": {"2026-11-28T13:00:00Z"}, "sts:SourceIdentity": {"u"}}}, Allow},
		{"trust_scope_switch_mfa", Request{Principal: "arn:aws:iam::111122223333:role/platform", Action: "sts:AssumeRole", Context: ctx{"sts:ExternalId": {"acme_iam_external_id_1_2"}, "aws:MultiFactorAuthAge": {"10"}, "aws:CurrentTime": {"2026-11-28T13:00:00Z"}}}, ImplicitDeny},
		{"trust_scope_switch_mfa", Request{Principal: "arn:aws:iam::111122223333:role/platform", Action: "sts:TagSession", Context: ctx{"sts:ExternalId": {"acme_iam_external_id_1"}, "aws:MultiFactorAuthAge": {"10"}, "aws:CurrentTime": {"2026-11-28T13:00:00Z"}, "sts:SourceIdentity": {"u"}, "sts:TransitiveTagKeys": {"workspace", "secret"}}}, ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.doc+" "+tt.r.Action, func(t *testing.T) {
			require.Equal(t, tt.want, load(tt.doc).Evaluate(tt.r))
		})
	}
}
