package onboarding_test

import (
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

// hostileKit builds a kit whose description, role path, S3 prefix and
// condition value are the fuzzer's, or nil when New refuses them (TestNewRefusesBadInput
// covers refusals).
func hostileKit(desc, path, prefix, value string) *onboarding.Kit {
	k, err := onboarding.NewFromRequirements(platformAccount, externalID, roleName,
		[]policy.Requirement{
			{Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-reports", Condition: policy.Conditions{"StringLike": {"s3:prefix": {value}}}},
			{Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-reports/" + prefix + "*"},
		},
		func(o *onboarding.Options) { o.Description, o.Path = desc, path })
	if err != nil {
		return nil
	}
	return k
}

var hostileSeeds = [][4]string{
	{"plain", "/", "exports/", "exports/*"},
	{`${var.x} %{ if true }x%{ endif } "q" \n \" $${y}`, "/${x}/%{y}/", "${aws:username}/%{x}/", `${aws:username}/"q"/\`},
	{"yes", "/yes/", "Ref/", "!Ref x"},
	{"line\nbreak\r\ttab", "/a'b\"c\\d/", "0x10/", "~"},
	{"- item: {a: b}", "/!Ref/", "{\"Ref\": \"x\"}/", "Fn::Sub"},
}

// fuzzHostile seeds f with hostileSeeds and runs check on every kit New
// accepts, with the description the kit must carry.
func fuzzHostile(f *testing.F, check func(t *testing.T, k *onboarding.Kit, desc string)) {
	for _, s := range hostileSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, desc, path, prefix, value string) {
		k := hostileKit(desc, path, prefix, value)
		if k == nil {
			return
		}
		if desc == "" {
			desc = onboarding.DefaultDescription
		}
		check(t, k, desc)
	})
}

// FuzzTerraformRoundTrip: whatever the description and policy strings, the
// Terraform configuration parses, and evaluating it as Terraform would gives
// back exactly the kit's description and policies: no ${...} or %{...}
// is interpolated, no quote or backslash changes a value.
func FuzzTerraformRoundTrip(f *testing.F) {
	fuzzHostile(f, func(t *testing.T, k *onboarding.Kit, want string) {
		body := parseTerraform(t, k)
		role := block(t, body, "resource", "aws_iam_role", onboarding.TerraformResourceName)
		rolePolicy := block(t, body, "resource", "aws_iam_role_policy", onboarding.TerraformResourceName)
		require.Equal(t, want, evalString(t, role, "description"))
		require.Equal(t, k.Path(), evalString(t, role, "path"))
		requireSameDocument(t, k.TrustPolicy(), []byte(evalString(t, role, "assume_role_policy")))
		requireSameDocument(t, k.Permissions(), []byte(evalString(t, rolePolicy, "policy")))
	})
}

// FuzzTemplateRoundTrip: whatever the description and policy strings, both
// templates parse back with goformation to exactly the kit's description
// and policies: no string turns into a YAML tag, number or boolean, or into
// an intrinsic function.
func FuzzTemplateRoundTrip(f *testing.F) {
	fuzzHostile(f, func(t *testing.T, k *onboarding.Kit, want string) {
		jsonBody, err := k.TemplateJSON()
		require.NoError(t, err)
		yamlBody, err := k.TemplateYAML()
		require.NoError(t, err)
		for name, parse := range map[string]func() (*cloudformation.Template, error){
			"JSON": func() (*cloudformation.Template, error) {
				return goformation.ParseJSONWithOptions(jsonBody, keepGetAtt)
			},
			"YAML": func() (*cloudformation.Template, error) {
				return goformation.ParseYAMLWithOptions(yamlBody, keepGetAtt)
			},
		} {
			tmpl, err := parse()
			require.NoError(t, err, "%s:\n%s", name, yamlBody)
			r, err := tmpl.GetIAMRoleWithName(onboarding.RoleResource)
			require.NoError(t, err, name)
			require.Equal(t, want, *r.Description, name)
			require.Equal(t, k.Path(), *r.Path, name)
			requireSameDocument(t, k.TrustPolicy(), mustJSON(t, r.AssumeRolePolicyDocument))
			require.Len(t, r.Policies, 1, name)
			requireSameDocument(t, k.Permissions(), mustJSON(t, r.Policies[0].PolicyDocument))
		}
	})
}
