package policy

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func s3ConnectorRequirements() []Requirement {
	return []Requirement{
		{Action: "s3:ListAllMyBuckets"},
		{Action: "s3:ListBucket", Resource: "arn:aws:s3:::reports"},
		{Action: "s3:GetBucketLocation", Resource: "arn:aws:s3:::reports"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*"},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::reports/*"},
		{Action: "s3:AbortMultipartUpload", Resource: "arn:aws:s3:::reports/*"},
		{Action: "s3:ListMultipartUploadParts", Resource: "arn:aws:s3:::reports/*"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::archive/*"},
		{Action: "cloudwatch:PutMetricData", Condition: Conditions{"StringEquals": {"cloudwatch:namespace": {"AwsConnect/Reports"}}}},
		{Action: "logs:CreateLogStream", Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/awsconnect/reports:*"},
		{Action: "logs:PutLogEvents", Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/awsconnect/reports:*"},
	}
}

// TestLeastPrivilegeGolden follows "Security best practices in IAM: Apply
// least-privilege permissions" and the S3 example "Allows read and write
// access to objects in an S3 bucket" (IAM User Guide, example policies).
func TestLeastPrivilegeGolden(t *testing.T) {
	d, err := LeastPrivilege(s3ConnectorRequirements()...)
	require.NoError(t, err)
	b, err := d.Indented()
	require.NoError(t, err)
	golden(t, "least_privilege_connector.json", append(b, '\n'))
	require.Empty(t, Lint(d, IdentityPolicyKind))

	// Every requirement is allowed, nothing else is.
	for _, r := range s3ConnectorRequirements() {
		res := r.Resource
		if res == "" {
			res = "*"
		}
		ctx := map[string][]string{}
		for _, keys := range r.Condition {
			for k, v := range keys {
				ctx[k] = v
			}
		}
		require.Equal(t, Allow, d.Evaluate(Request{Action: r.Action, Resource: strings.ReplaceAll(res, "*", "x"), Context: ctx}), "%+v", r)
	}
	denied := []Request{
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::archive/x"},
		{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/x"},
		{Action: "s3:ListBucket", Resource: "arn:aws:s3:::archive"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports"},
		{Action: "cloudwatch:PutMetricData", Resource: "*", Context: map[string][]string{"cloudwatch:namespace": {"Other"}}},
		{Action: "cloudwatch:PutMetricData", Resource: "*"},
	}
	for _, r := range denied {
		require.Equal(t, ImplicitDeny, d.Evaluate(r), "%+v", r)
	}
}

// TestLeastPrivilegeStable: the same requirements in any order, with
// repeats, give the same document.
func TestLeastPrivilegeStable(t *testing.T) {
	want, err := LeastPrivilege(s3ConnectorRequirements()...)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		reqs := s3ConnectorRequirements()
		reqs = append(reqs, reqs[i%len(reqs)])
		rng.Shuffle(len(reqs), func(a, b int) { reqs[a], reqs[b] = reqs[b], reqs[a] })
		got, err := LeastPrivilege(reqs...)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
}

func TestLeastPrivilegeMerging(t *testing.T) {
	tests := []struct {
		name string
		reqs []Requirement
		want []Statement
	}{
		{
			name: "actions on the same resources share a statement",
			reqs: []Requirement{
				{Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f"},
				{Action: "lambda:getfunction", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f"},
			},
			want: []Statement{{Sid: "LambdaFunction", Effect: EffectAllow, Action: Strings{"lambda:GetFunction", "lambda:InvokeFunction"}, Resource: Strings{"arn:aws:lambda:us-east-1:123456789012:function:f"}}},
		},
		{
			name: "a partial product is never completed",
			reqs: []Requirement{
				{Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*"},
				{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"},
				{Action: "s3:PutObject", Resource: "arn:aws:s3:::a/*"},
			},
			want: []Statement{
				// Two statements either way; the tie goes to grouping
				// resources by their action sets.
				{Sid: "S3Object", Effect: EffectAllow, Action: Strings{"s3:GetObject"}, Resource: Strings{"arn:aws:s3:::b/*"}},
				{Sid: "S3Object2", Effect: EffectAllow, Action: Strings{"s3:GetObject", "s3:PutObject"}, Resource: Strings{"arn:aws:s3:::a/*"}},
			},
		},
		{
			name: "actions without resource-level permissions across services",
			reqs: []Requirement{
				{Action: "lambda:ListFunctions"},
				{Action: "s3:ListAllMyBuckets", Resource: "*"},
				{Action: "logs:DescribeLogGroups"},
			},
			want: []Statement{{Sid: "LambdaLogsS3AllResources", Effect: EffectAllow, Action: Strings{"lambda:ListFunctions", "logs:DescribeLogGroups", "s3:ListAllMyBuckets"}, Resource: Strings{"*"}}},
		},
		{
			name: "conditions keep statements apart",
			reqs: []Requirement{
				{Action: "cloudwatch:PutMetricData", Condition: Conditions{"StringEquals": {"cloudwatch:namespace": {"A"}}}},
				{Action: "cloudwatch:ListMetrics"},
			},
			want: []Statement{
				{Sid: "CloudWatchAllResources", Effect: EffectAllow, Action: Strings{"cloudwatch:ListMetrics"}, Resource: Strings{"*"}},
				{Sid: "CloudWatchAllResourcesWithCondition", Effect: EffectAllow, Action: Strings{"cloudwatch:PutMetricData"}, Resource: Strings{"*"}, Condition: Conditions{"StringEquals": {"cloudwatch:namespace": {"A"}}}},
			},
		},
		{
			name: "any service's actions are catalogued",
			reqs: []Requirement{{Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:123456789012:key/k"}},
			want: []Statement{{Sid: "KmsKey", Effect: EffectAllow, Action: Strings{"kms:Decrypt"}, Resource: Strings{"arn:aws:kms:us-east-1:123456789012:key/k"}}},
		},
		{
			name: "uncatalogued actions are taken as given",
			reqs: []Requirement{{Action: "example-new-service:Decrypt", Resource: "arn:aws:example-new-service:us-east-1:123456789012:key/k"}},
			want: []Statement{{Sid: "ExampleNewServiceResources", Effect: EffectAllow, Action: Strings{"example-new-service:Decrypt"}, Resource: Strings{"arn:aws:example-new-service:us-east-1:123456789012:key/k"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := LeastPrivilege(tt.reqs...)
			require.NoError(t, err)
			require.Equal(t, Version2012, d.Version)
			require.Equal(t, tt.want, d.Statement)
		})
	}
}

func TestLeastPrivilegeRefuses(t *testing.T) {
	tests := []struct {
		name    string
		reqs    []Requirement
		want    error
		message string
	}{
		{"nothing", nil, ErrInvalidRequirement, "no requirements given"},
		{"wildcard action", []Requirement{{Action: "s3:Get*", Resource: "arn:aws:s3:::b/*"}}, ErrInvalidRequirement, `policy: invalid requirement: requirement 0 (s3:Get*): action "s3:Get*" must name one action exactly`},
		{"star action", []Requirement{{Action: "*", Resource: "*"}}, ErrInvalidRequirement, "must name one action exactly"},
		{"missing resource", []Requirement{{Action: "s3:GetObject"}}, ErrInvalidRequirement, "s3:GetObject needs a Resource: use an ARN of type accesspointobject (arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}) or object (arn:${Partition}:s3:::${BucketName}/${ObjectName})"},
		{"star for resource-level action", []Requirement{{Action: "s3:GetObject", Resource: "*"}}, ErrInvalidRequirement, `"*" would grant it on every resource`},
		{"wrong resource type", []Requirement{{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket"}}, ErrInvalidRequirement, "arn:aws:s3:::bucket is not a resource s3:GetObject acts on: use an ARN of type accesspointobject"},
		{"resource on condition-only action", []Requirement{{Action: "cloudwatch:PutMetricData", Resource: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"}}, ErrInvalidRequirement, "supports no resource-level permission, so a grant on arn:aws:cloudwatch:us-east-1:123456789012:alarm:a would never match; leave Resource empty and narrow it with a condition such as cloudwatch:namespace"},
		{"malformed ARN", []Requirement{{Action: "kms:Decrypt", Resource: "key/k"}}, ErrInvalidRequirement, `resource "key/k" is not an ARN`},
		{"uncatalogued without resource", []Requirement{{Action: "kms:Decrypt"}}, ErrInvalidRequirement, "kms:Decrypt needs a Resource"},
		{"bad condition operator", []Requirement{{Action: "cloudwatch:PutMetricData", Condition: Conditions{"StringEqual": {"cloudwatch:namespace": {"A"}}}}}, ErrInvalidRequirement, `unknown condition operator "StringEqual"`},
		{"empty condition values", []Requirement{{Action: "cloudwatch:PutMetricData", Condition: Conditions{"StringEquals": {"cloudwatch:namespace": {}}}}}, ErrInvalidRequirement, "needs a key and at least one value"},
		{"bad condition value", []Requirement{{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Condition: Conditions{"NumericLessThan": {"s3:max-keys": {"ten"}}}}}, ErrInvalidRequirement, `"ten" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := LeastPrivilege(tt.reqs...)
			require.Nil(t, d)
			require.ErrorIs(t, err, tt.want)
			require.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestLeastPrivilegeTooLarge(t *testing.T) {
	var reqs []Requirement
	for i := range 200 {
		reqs = append(reqs, Requirement{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-with-a-long-name/" + strings.Repeat("k", 10) + string(rune('a'+i%26)) + strings.Repeat("x", i)})
	}
	_, err := LeastPrivilege(reqs...)
	require.ErrorIs(t, err, ErrTooLarge)
	require.Contains(t, err.Error(), "over IAM's 6144-character managed policy quota")
}

// TestLeastPrivilegeFewerByActions: when grouping actions by their resource
// sets gives fewer statements, that grouping wins.
func TestLeastPrivilegeFewerByActions(t *testing.T) {
	reqs := []Requirement{
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::a/*"},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*"},
		{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::a/*"},
		{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/*"},
	}
	d, err := LeastPrivilege(reqs...)
	require.NoError(t, err)
	require.Equal(t, []Statement{{Sid: "S3Object", Effect: EffectAllow, Action: Strings{"s3:DeleteObject", "s3:GetObject", "s3:PutObject"}, Resource: Strings{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"}}}, d.Statement)

	// Resources a and b share {Get}; c has {Get, Put}; d has {Put}:
	// by actions 3 statements ({Get}:{a,b}, {Get,Put}:{c}, {Put}:{d}),
	// by resources 2 ({a,b,c}:Get, {c,d}:Put).
	reqs = []Requirement{
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::c/*"},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::c/*"},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::d/*"},
	}
	d, err = LeastPrivilege(reqs...)
	require.NoError(t, err)
	require.Equal(t, []Statement{
		{Sid: "S3Object", Effect: EffectAllow, Action: Strings{"s3:GetObject"}, Resource: Strings{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*", "arn:aws:s3:::c/*"}},
		{Sid: "S3Object2", Effect: EffectAllow, Action: Strings{"s3:PutObject"}, Resource: Strings{"arn:aws:s3:::c/*", "arn:aws:s3:::d/*"}},
	}, d.Statement)
}
