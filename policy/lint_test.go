package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type want struct {
	code      string
	severity  Severity
	statement int
	message   string // a substring
}

func checkFindings(t *testing.T, got []Finding, wants []want) {
	t.Helper()
	require.Len(t, got, len(wants), "findings: %v", got)
	for i, w := range wants {
		require.Equal(t, w.code, got[i].Code, "finding %d: %v", i, got[i])
		require.Equal(t, w.severity, got[i].Severity, "finding %d: %v", i, got[i])
		require.Equal(t, w.statement, got[i].Statement, "finding %d: %v", i, got[i])
		require.Contains(t, got[i].Message, w.message, "finding %d", i)
	}
}

// TestLintTrust follows "How to use an external ID when granting access to
// your AWS resources to a third party", "The confused deputy problem" and
// "AWS JSON policy elements: Principal" (IAM User Guide).
func TestLintTrust(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		wants []want
	}{
		{"generated trust policy is clean", "", nil},
		{"no external ID",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`,
			[]want{{CodeMissingExternalID, SeveritySecurityWarning, 0, `add "Condition": {"StringEquals": {"sts:ExternalId": "YOUR_EXTERNAL_ID"}}`}}},
		{"external ID only if present",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Condition":{"StringEqualsIfExists":{"sts:ExternalId":"x1"}}}]}`,
			[]want{{CodeOptionalExternalID, SeveritySecurityWarning, 0, "StringEqualsIfExists condition on sts:ExternalId also admits callers that send no external ID"}}},
		{"external ID with a wildcard",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"sts:ExternalId":"acme_*"}}}]}`,
			[]want{{CodeWildcardExternalID, SeveritySecurityWarning, 0, "use StringEquals with the exact ID"}}},
		{"external ID STS would refuse",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":["ok_id","x","has space"]}}}]}`,
			[]want{
				{CodeInvalidExternalID, SeverityError, 0, `external ID "x" can never be sent, because STS refuses it`},
				{CodeInvalidExternalID, SeverityError, 0, `external ID "has space"`},
			}},
		{"everyone, no condition",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`,
			[]want{
				{CodeWildcardPrincipal, SeverityError, 0, `Principal "*" admits every AWS account`},
				{CodeMissingExternalID, SeveritySecurityWarning, 0, "without an external ID"},
			}},
		{"wildcard account with external ID",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}`,
			[]want{{CodeWildcardPrincipal, SeveritySecurityWarning, 0, `Principal "arn:aws:iam::*:root"`}}},
		{"service principal needs no external ID",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			nil},
		{"NotPrincipal, missing principal, resource",
			`{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}},
				{"Effect":"Allow","Action":"sts:TagSession","Resource":"*"}]}`,
			[]want{
				{CodeAllowNotPrincipal, SeveritySecurityWarning, 0, "name the principals to admit in Principal instead"},
				{CodeMissingPrincipal, SeverityError, 1, "needs a Principal"},
				{CodeResourceInTrustPolicy, SeverityError, 1, "remove Resource"},
			}},
		{"malformed principal",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"platform-role"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}`,
			[]want{{CodeMalformedARN, SeverityError, 0, `principal "platform-role" is neither an account ID nor an IAM ARN`}}},
		// The principals TrustPolicy refuses are findings here too.
		{"principal with a short account",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1111:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}`,
			[]want{{CodeMalformedARN, SeverityError, 0, `principal "arn:aws:iam::1111:root" names account "1111"`}}},
		{"principal in no partition",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:amazon:iam::111122223333:role/platform"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}`,
			[]want{{CodeMalformedARN, SeverityError, 0, `partition "amazon"`}}},
		{"China role principal",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::111122223333:role/platform"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}`,
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d *Document
			if tt.doc == "" {
				var err error
				d, err = TrustPolicy("111122223333", "acme_1", "acme_2")
				require.NoError(t, err)
			} else {
				d = mustParse(t, tt.doc)
			}
			checkFindings(t, Lint(d, TrustPolicyKind), tt.wants)
		})
	}
}

// TestLintIdentity follows "Security best practices in IAM", "IAM JSON
// policy elements: NotAction / NotResource", "IAM JSON policy elements:
// Version" and "IAM JSON policy elements: Sid", and the Service
// Authorization Reference for resource types.
func TestLintIdentity(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		wants []want
	}{
		{"least-privilege S3 policy is clean",
			`{"Version":"2012-10-17","Statement":[
				{"Sid":"List","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports"},
				{"Sid":"Objects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/*"}]}`,
			nil},
		{"missing version",
			`{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports"}]}`,
			[]want{{CodeMissingVersion, SeverityWarning, -1, `add "Version": "2012-10-17"`}}},
		{"old version",
			`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports"}]}`,
			[]want{{CodeOldVersion, SeverityWarning, -1, `change it to "2012-10-17"`}}},
		{"GetObject on a bucket ARN",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports"}]}`,
			[]want{
				{CodeResourceTypeMismatch, SeverityError, 0, "s3:GetObject acts on accesspointobject ARNs (arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}) or object ARNs (arn:${Partition}:s3:::${BucketName}/${ObjectName}), and none of this statement's resources is one, so the grant has no effect; instead of arn:aws:s3:::reports use arn:aws:s3:::reports/*"},
				{CodeUnusedResource, SeverityWarning, 0, "resource arn:aws:s3:::reports is of no type"},
			}},
		{"star resource on resource-level actions",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListAllMyBuckets","lambda:Invoke*"],"Resource":"*"}]}`,
			[]want{{CodeStarResource, SeveritySecurityWarning, 0, `"Resource": "*" grants s3:GetObject, lambda:InvokeAsync, lambda:InvokeFunction, lambda:InvokeFunctionUrl on every resource, though they support resource-level permissions; list the ARNs instead`}}},
		{"administrator access",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":["*"],"Resource":"arn:aws:s3:::b"}]}`,
			[]want{
				{CodeAllActions, SeveritySecurityWarning, 0, `"Action": "*" grants every action of every AWS service on every resource, which is administrator access`},
				{CodeAllActions, SeveritySecurityWarning, 1, `"Action": "*" grants every action of every AWS service; list the actions`},
			}},
		{"PutMetricData without namespace",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*"}]}`,
			[]want{{CodeMissingScopeCondition, SeveritySuggestion, 0, `add a condition such as {"StringEquals": {"cloudwatch:namespace": "VALUE"}}`}}},
		{"PutMetricData with namespace",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"App"}}}]}`,
			nil},
		{"PutMetricData on an ARN",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"}]}`,
			[]want{
				{CodeResourceTypeMismatch, SeverityError, 0, `acts on "*" (it supports no resource-level permission) or, for the one feature that has them, dataset ARNs`},
				{CodeUnusedResource, SeverityWarning, 0, "grants nothing"},
			}},
		{"NotAction and NotResource with Allow",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}]}`,
			[]want{
				{CodeAllowNotAction, SeveritySecurityWarning, 0, "list the actions to allow in Action instead"},
				{CodeAllowNotResource, SeveritySecurityWarning, 0, "list the resources in Resource instead"},
			}},
		{"Deny with NotAction is fine",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}`,
			nil},
		{"unknown action with suggestion",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjects","Resource":"arn:aws:s3:::b/*"}]}`,
			[]want{{CodeUnknownAction, SeverityWarning, 0, "s3:GetObjects is not an action the catalog knows for Amazon S3 (did you mean s3:GetObject?)"}}},
		{"ListBucket on an object ARN",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports/2026/*"}]}`,
			[]want{
				{CodeResourceTypeMismatch, SeverityError, 0, "instead of arn:aws:s3:::reports/2026/* use arn:aws:s3:::reports"},
				{CodeUnusedResource, SeverityWarning, 0, "grants nothing"},
			}},
		{"malformed ARN",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"key/1234"}]}`,
			[]want{{CodeMalformedARN, SeverityError, 0, `resource "key/1234" is not an ARN`}}},
		{"principal in identity policy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}]}`,
			[]want{{CodePrincipalInIdentity, SeverityError, 0, "remove Principal"}}},
		{"missing resource",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets"}]}`,
			[]want{{CodeMissingResource, SeverityError, 0, "needs a Resource"}}},
		{"duplicate and invalid Sids",
			`{"Version":"2012-10-17","Statement":[
				{"Sid":"S3","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},
				{"Sid":"S3","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"},
				{"Sid":"read-objects","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`,
			[]want{
				{CodeDuplicateSid, SeverityError, 1, `Sid "S3" is already used by Statement[0]`},
				{CodeInvalidSid, SeverityError, 2, `use only ASCII letters and digits, such as "ReadObjects"`},
			}},
		{"log group forms",
			`{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:123456789012:log-group:app:*"},
				{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:us-east-1:123456789012:log-group:app"}]}`,
			[]want{
				{CodeResourceTypeMismatch, SeverityError, 1, "instead of arn:aws:logs:us-east-1:123456789012:log-group:app use arn:aws:logs:us-east-1:123456789012:log-group:app:*"},
				{CodeUnusedResource, SeverityWarning, 1, "log-group:app is of no type"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFindings(t, Lint(mustParse(t, tt.doc), IdentityPolicyKind), tt.wants)
		})
	}
}

// TestLintQuotas follows "IAM and AWS STS quotas": 2,048 characters for a
// trust policy, 6,144 for a managed policy, white space not counted.
func TestLintQuotas(t *testing.T) {
	var ids []string
	for i := range 60 {
		ids = append(ids, "acme_iam_external_id_"+strings.Repeat("9", 20)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	big := &Document{Version: Version2012, Statement: []Statement{{
		Effect: EffectAllow, Principal: AWSPrincipal("arn:aws:iam::111122223333:root"), Action: Strings{"sts:AssumeRole"},
		Condition: Conditions{"StringEquals": {ExternalIDCondition: ids}},
	}}}
	checkFindings(t, Lint(big, TrustPolicyKind), []want{{CodePolicyTooLarge, SeverityError, -1, "over IAM's 2048-character trust policy quota"}})

	var resources Strings
	for i := range 150 {
		resources = append(resources, "arn:aws:s3:::bucket-"+strings.Repeat("x", 20)+string(rune('a'+i%26))+string(rune('a'+i/26))+"/*")
	}
	large := &Document{Version: Version2012, Statement: []Statement{{Effect: EffectAllow, Action: Strings{"s3:GetObject"}, Resource: resources}}}
	checkFindings(t, Lint(large, IdentityPolicyKind), []want{{CodePolicyTooLarge, SeverityError, -1, "over IAM's 6144-character managed policy quota"}})
}

func TestLintDocumentsBuiltInGo(t *testing.T) {
	checkFindings(t, Lint(nil, IdentityPolicyKind), []want{{CodeMissingEffectOrActions, SeverityError, -1, "no policy document"}})
	d := &Document{Version: Version2012, Statement: []Statement{{Effect: "allow", Resource: Strings{"*"}, Condition: Conditions{"StringEqual": {"k:k": {"v"}}, "StringEquals": {"k:k": {}}}}}}
	checkFindings(t, Lint(d, IdentityPolicyKind), []want{
		{CodeMissingEffectOrActions, SeverityError, 0, "needs Effect"},
		{CodeInvalidCondition, SeverityError, 0, `condition operator "StringEqual" does not exist`},
		{CodeInvalidCondition, SeverityError, 0, "condition StringEquals k:k has no value"},
	})
	checkFindings(t, Lint(&Document{Version: Version2012}, IdentityPolicyKind), []want{{CodeMissingEffectOrActions, SeverityError, -1, "no statement"}})
}

func TestFindingAndEnumStrings(t *testing.T) {
	f := Finding{Code: CodeMissingVersion, Severity: SeverityWarning, Statement: -1, Message: "m"}
	require.Equal(t, "WARNING MISSING_VERSION document: m", f.String())
	f = Finding{Code: CodeInvalidSid, Severity: SeverityError, Statement: 2, Message: "m"}
	require.Equal(t, "ERROR INVALID_SID Statement[2]: m", f.String())
	require.Equal(t, "SECURITY_WARNING", SeveritySecurityWarning.String())
	require.Equal(t, "SUGGESTION", SeveritySuggestion.String())
	require.Equal(t, "trust policy", TrustPolicyKind.String())
	require.Equal(t, "identity policy", IdentityPolicyKind.String())
}

// FuzzLint checks that Lint never panics on a document Parse accepts, of
// either kind, and that every finding names an existing statement or -1.
func FuzzLint(f *testing.F) {
	f.Add(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringLike":{"sts:ExternalId":"*"}}}}`)
	f.Add(`{"Version":"2008-10-17","Statement":[{"Sid":"a-b","Effect":"Allow","NotAction":"s3:Get*","Resource":["*","arn:aws:s3:::b"]},{"Sid":"a-b","Effect":"Deny","Action":"logs:PutLogEvents","NotResource":"x"}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		d, err := Parse([]byte(doc))
		if err != nil {
			return
		}
		for _, kind := range []Kind{IdentityPolicyKind, TrustPolicyKind} {
			for _, finding := range Lint(d, kind) {
				if finding.Statement < -1 || finding.Statement >= len(d.Statement) || finding.Message == "" || finding.Code == "" {
					t.Fatalf("bad finding %+v", finding)
				}
			}
		}
	})
}

// TestLintResourcePolicy follows "Amazon S3 bucket policy examples" and
// "Using resource-based policies for Lambda".
func TestLintResourcePolicy(t *testing.T) {
	for _, name := range []string{"require_secure_transport", "lambda_resource_policy"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "parse", name+".json"))
			require.NoError(t, err)
			require.Empty(t, Lint(mustParse(t, string(data)), ResourcePolicyKind))
		})
	}
	d := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`)
	checkFindings(t, Lint(d, ResourcePolicyKind), []want{
		{CodeMissingPrincipal, SeverityError, 0, "a resource-based policy statement needs a Principal"},
		{CodeWildcardPrincipal, SeveritySecurityWarning, 1, `Principal "*" admits every AWS account`},
		{CodeStarResource, SeveritySecurityWarning, 1, `"Resource": "*" grants s3:GetObject on every resource`},
	})
	require.Equal(t, "resource policy", ResourcePolicyKind.String())
}
