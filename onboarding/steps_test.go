package onboarding_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/onboarding"
)

func TestConsoleStepsForAnAccountPrincipal(t *testing.T) {
	k := quickstartKit(t)
	g, err := k.ConsoleSteps(customerAccount)
	require.NoError(t, err)
	b, err := json.MarshalIndent(g, "", "  ")
	require.NoError(t, err)
	golden(t, "console-steps.json", append(b, '\n'))

	wantARN, err := k.RoleARN(customerAccount)
	require.NoError(t, err)
	require.Equal(t, wantARN, g.RoleARN)
	require.Equal(t, "https://console.aws.amazon.com/iam/home#/roles", g.ConsoleURL)
	values := stepValues(g)
	require.Equal(t, platformAccount, values[onboarding.ValuePlatformAccountID])
	require.Equal(t, externalID, values[onboarding.ValueExternalID])
	require.Equal(t, roleName, values[onboarding.ValueRoleName])
	require.Equal(t, onboarding.DefaultPolicyName, values[onboarding.ValuePolicyName])
	requireSameDocument(t, k.Permissions(), []byte(values[onboarding.ValuePermissions]))
	require.NotContains(t, values, onboarding.ValueTrustPolicy, "the console builds the trust policy from the account ID and external ID")
	last := g.Steps[len(g.Steps)-1]
	require.Equal(t, "copy_role_arn", last.ID)
	require.Equal(t, []onboarding.CopyBack{{Name: onboarding.ValueRoleARN, Label: "ARN", Expected: wantARN}}, last.CopyBack)
	requireSnakeCaseJSON(t, b)
}

func TestConsoleStepsForARolePrincipalOrSeveralIDs(t *testing.T) {
	for name, k := range map[string]*onboarding.Kit{
		"role principal": mustKit(t, "arn:aws-cn:iam::111122223333:role/platform", func(o *onboarding.Options) { o.Region = "cn-north-1" }),
		"two external IDs": mustKit(t, "arn:aws-cn:iam::111122223333:root", func(o *onboarding.Options) {
			o.Region = "cn-north-1"
			o.TransitionalExternalIDs = []string{"awsconnect_iam_external_id_12345"}
		}),
	} {
		t.Run(name, func(t *testing.T) {
			g, err := k.ConsoleSteps("")
			require.NoError(t, err)
			require.Empty(t, g.RoleARN)
			require.Equal(t, "https://console.amazonaws.cn/iam/home#/roles", g.ConsoleURL)
			values := stepValues(g)
			requireSameDocument(t, k.TrustPolicy(), []byte(values[onboarding.ValueTrustPolicy]))
			require.NotContains(t, values, onboarding.ValueExternalID)
			b, err := json.Marshal(g)
			require.NoError(t, err)
			require.NotContains(t, string(b), "null", "empty lists marshal as []")
			require.NotContains(t, string(b), `"role_arn":`, "no ARN is predicted without the account ID")
		})
	}
}

func TestConsoleStepsRefuse(t *testing.T) {
	k := quickstartKit(t, func(o *onboarding.Options) { o.Path = "/integrations/" })
	_, err := k.ConsoleSteps(customerAccount)
	require.ErrorIs(t, err, onboarding.ErrConsoleCannot)
	require.Contains(t, err.Error(), "/integrations/")
	_, err = quickstartKit(t).ConsoleSteps("4444")
	require.ErrorIs(t, err, onboarding.ErrInvalidAccountID)
}

func mustKit(t *testing.T, principal string, opt func(*onboarding.Options)) *onboarding.Kit {
	t.Helper()
	perms := quickstartRequirements()
	for i := range perms {
		perms[i].Resource = regexp.MustCompile(`^arn:aws:`).ReplaceAllString(perms[i].Resource, "arn:aws-cn:")
	}
	k, err := onboarding.NewFromRequirements(principal, externalID, roleName, perms, opt)
	require.NoError(t, err)
	return k
}

func stepValues(g *onboarding.Guide) map[string]string {
	out := map[string]string{}
	for _, s := range g.Steps {
		for _, v := range s.Values {
			out[v.Name] = v.Value
		}
	}
	return out
}

// requireSnakeCaseJSON checks every object key of a JSON document.
func requireSnakeCaseJSON(t *testing.T, b []byte) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				require.Regexp(t, snake, k)
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}
