package onboarding_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

// TestTemplateParsesBackToTheSamePolicies reads each template with
// goformation, as CloudFormation tooling would, and finds the kit's role,
// name parameter, output and exactly its two policies.
func TestTemplateParsesBackToTheSamePolicies(t *testing.T) {
	k := quickstartKit(t, func(o *onboarding.Options) { o.Path = "/integrations/" })
	jsonBody, err := k.TemplateJSON()
	require.NoError(t, err)
	yamlBody, err := k.TemplateYAML()
	require.NoError(t, err)
	golden(t, "template.json", jsonBody)
	golden(t, "template.yaml", yamlBody)
	for name, parse := range map[string]func() (*cloudformation.Template, error){
		"JSON": func() (*cloudformation.Template, error) {
			return goformation.ParseJSONWithOptions(jsonBody, keepGetAtt)
		},
		"YAML": func() (*cloudformation.Template, error) {
			return goformation.ParseYAMLWithOptions(yamlBody, keepGetAtt)
		},
	} {
		t.Run(name, func(t *testing.T) {
			tmpl, err := parse()
			require.NoError(t, err)
			require.Len(t, tmpl.Resources, 1)
			r, err := tmpl.GetIAMRoleWithName(onboarding.RoleResource)
			require.NoError(t, err)
			// goformation resolves the Ref to the parameter's default.
			require.Equal(t, roleName, *r.RoleName)
			require.Equal(t, "/integrations/", *r.Path)
			require.Equal(t, onboarding.DefaultDescription, *r.Description)
			requireSameDocument(t, k.TrustPolicy(), mustJSON(t, r.AssumeRolePolicyDocument))
			require.Len(t, r.Policies, 1)
			require.Equal(t, onboarding.DefaultPolicyName, r.Policies[0].PolicyName)
			requireSameDocument(t, k.Permissions(), mustJSON(t, r.Policies[0].PolicyDocument))
			require.Empty(t, r.ManagedPolicyArns)

			p := tmpl.Parameters[onboarding.RoleNameParameter]
			require.Equal(t, "String", p.Type)
			require.Equal(t, roleName, p.Default)
			require.Equal(t, 1, *p.MinLength)
			require.Equal(t, 64, *p.MaxLength)
			require.Equal(t, `[\w+=,.@-]+`, *p.AllowedPattern)
			require.Len(t, tmpl.Parameters, 1, "the external ID is fixed, not a parameter")

			out, ok := tmpl.Outputs[onboarding.RoleARNOutput]
			require.True(t, ok)
			require.Equal(t, "GetAtt "+onboarding.RoleResource+".Arn", out.Value)
		})
	}
	// The external ID is in the template only inside the trust policy.
	require.Equal(t, 1, strings.Count(string(jsonBody), externalID))
}

// keepGetAtt has goformation write Fn::GetAtt as "GetAtt RESOURCE.ATTRIBUTE"
// where by default it drops it (a stack's attributes exist only once it
// runs), so that the test sees what the output refers to.
var keepGetAtt = &intrinsics.ProcessorOptions{IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
	"Fn::GetAtt": func(_ string, input any, _ any) any {
		args, _ := input.([]any)
		if len(args) != 2 {
			return nil
		}
		return fmt.Sprintf("GetAtt %v.%v", args[0], args[1])
	},
}}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestTemplateIsANewValueEachCall(t *testing.T) {
	k := quickstartKit(t)
	a := k.Template()
	delete(a.Resources, onboarding.RoleResource)
	require.Contains(t, k.Template().Resources, onboarding.RoleResource)
}

func TestQuickCreateURLDecodesToWhatWasGiven(t *testing.T) {
	cases := []struct {
		name, principal, region, templateURL, stackName string
		wantPrefix                                      string
	}{
		{"aws", platformAccount, "eu-central-1", "https://acme-onboarding.s3.eu-central-1.amazonaws.com/t/role+name.json?versionId=a&b=c", "",
			"https://eu-central-1.console.aws.amazon.com/cloudformation/home?region=eu-central-1#/stacks/create/review?"},
		{"aws-cn", "arn:aws-cn:iam::111122223333:root", "cn-north-1", "https://acme-onboarding.s3.cn-north-1.amazonaws.com.cn/role.yaml", "Acme-Role-2",
			"https://console.amazonaws.cn/cloudformation/home?region=cn-north-1#/stacks/create/review?"},
		{"aws-us-gov", "arn:aws-us-gov:iam::111122223333:role/platform", "us-gov-east-1", "https://s3.us-gov-east-1.amazonaws.com/acme-onboarding/role.json", "",
			"https://console.amazonaws-us-gov.com/cloudformation/home?region=us-gov-east-1#/stacks/create/review?"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			const name = "acme+platform=reader,v1.0@team_x"
			k, err := onboarding.NewFromRequirements(tc.principal, externalID, name,
				[]policy.Requirement{{Action: "cloudwatch:PutMetricData", Condition: policy.Conditions{"StringEquals": {"cloudwatch:namespace": {"Acme"}}}}},
				func(o *onboarding.Options) { o.Region, o.StackName = tc.region, tc.stackName })
			require.NoError(t, err)
			got, err := k.QuickCreateURL(tc.templateURL)
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(got, tc.wantPrefix), got)

			u, err := url.Parse(got)
			require.NoError(t, err)
			require.Equal(t, "https", u.Scheme)
			require.Equal(t, tc.region, u.Query().Get("region"))
			path, rawQuery, ok := strings.Cut(u.EscapedFragment(), "?")
			require.True(t, ok)
			require.Equal(t, "/stacks/create/review", path)
			q, err := url.ParseQuery(rawQuery)
			require.NoError(t, err)
			wantStack := tc.stackName
			if wantStack == "" {
				wantStack = "acme-platform-reader-v1-0-team-x"
			}
			require.Equal(t, url.Values{
				"templateURL":    {tc.templateURL},
				"stackName":      {wantStack},
				"param_RoleName": {name},
			}, q)
			// Nothing the console would read as a separator is left raw.
			require.NotContains(t, rawQuery, "+")
			require.Equal(t, 2, strings.Count(rawQuery, "&"))
		})
	}
}

func TestQuickCreateURLRefusesBadTemplateURLs(t *testing.T) {
	k := quickstartKit(t)
	for _, bad := range []struct{ url, says string }{
		{"http://acme.s3.us-east-1.amazonaws.com/role.json", "not https"},
		{"acme.s3.us-east-1.amazonaws.com/role.json", "not https"},
		{"ftp://acme.s3.us-east-1.amazonaws.com/role.json", "not https"},
		{"https://example.com/role.json", "not an Amazon S3 object"},
		{"https://acme.s3.us-east-1.amazonaws.com.evil.example/role.json", "not an Amazon S3 object"},
		{"https://acme.s3.us-east-1.amazonaws.com/", "not an Amazon S3 object"},
		{"https://acme.s3.cn-north-1.amazonaws.com.cn/role.json", "not an Amazon S3 object"},
		{"https://user:pw@acme.s3.us-east-1.amazonaws.com/role.json", "user info"},
		{"https://acme.s3.us-east-1.amazonaws.com/role.json#x", "fragment"},
		{"https://acme.s3.us-east-1.amazonaws.com/" + strings.Repeat("k", 1000), "at most 1024"},
		{"https://acme.s3.us-east-1.amazonaws.com/%zz", "does not parse"},
	} {
		_, err := k.QuickCreateURL(bad.url)
		require.ErrorIs(t, err, onboarding.ErrInvalidTemplateURL, bad.url)
		require.Contains(t, err.Error(), bad.says, bad.url)
		require.NotContains(t, err.Error(), "pw@", "the URL's password is not repeated")
	}
}

func TestQuickCreateURLNeedsAKnownConsole(t *testing.T) {
	k, err := onboarding.NewFromRequirements("arn:aws-eusc:iam::111122223333:root", externalID, roleName,
		[]policy.Requirement{{Action: "s3:PutObject", Resource: "arn:aws-eusc:s3:::acme/*"}})
	require.NoError(t, err)
	require.Equal(t, "eusc-de-east-1", k.Region())
	_, err = k.QuickCreateURL("https://acme.s3.eusc-de-east-1.amazonaws.eu/role.json")
	require.ErrorIs(t, err, onboarding.ErrUnsupportedPartition)
	_, err = k.ConsoleSteps("")
	require.ErrorIs(t, err, onboarding.ErrUnsupportedPartition)
	// The other artifacts do not need a console.
	_, err = k.Terraform()
	require.NoError(t, err)
	_, err = k.CLIScript()
	require.NoError(t, err)
}

// FuzzQuickCreateURL: any template URL is refused, or the link opens the
// console's quick-create page and decodes to exactly that URL, the stack
// name and the role name, with nothing else in it.
func FuzzQuickCreateURL(f *testing.F) {
	f.Add("https://acme.s3.us-east-1.amazonaws.com/a/b.json", "awsconnect-platform")
	f.Add("https://s3.amazonaws.com/acme/x+y%20z.json?versionId=1&x=#", "a+b=c,d.e@f_g")
	f.Add("https://acme.s3.us-east-1.amazonaws.com/%2F..%2F&stackName=evil", "r")
	f.Fuzz(func(t *testing.T, templateURL, name string) {
		k, err := onboarding.NewFromRequirements(platformAccount, externalID, name, quickstartRequirements())
		if err != nil {
			return
		}
		link, err := k.QuickCreateURL(templateURL)
		if err != nil {
			return
		}
		u, err := url.Parse(link)
		require.NoError(t, err)
		require.Equal(t, "us-east-1.console.aws.amazon.com", u.Host)
		require.Equal(t, "/cloudformation/home", u.Path)
		path, rawQuery, ok := strings.Cut(u.EscapedFragment(), "?")
		require.True(t, ok)
		require.Equal(t, "/stacks/create/review", path)
		q, err := url.ParseQuery(rawQuery)
		require.NoError(t, err)
		require.Equal(t, url.Values{"templateURL": {templateURL}, "stackName": {q.Get("stackName")}, "param_RoleName": {name}}, q)
	})
}
