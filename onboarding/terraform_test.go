package onboarding_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

func TestTerraformIsStableAndFormatted(t *testing.T) {
	tf, err := quickstartKit(t).Terraform()
	require.NoError(t, err)
	golden(t, "quickstart.tf", tf)
	// terraform fmt runs hclwrite.Format; formatting again changes nothing.
	require.Equal(t, string(hclwrite.Format(tf)), string(tf))
	again, err := quickstartKit(t).Terraform()
	require.NoError(t, err)
	require.Equal(t, tf, again)
}

// TestTerraformPoliciesEqualTheKits evaluates the jsonencode expressions of
// the configuration as Terraform would and parses their JSON, for the
// quickstart and for a policy whose strings Terraform would otherwise read
// as interpolations or escapes.
func TestTerraformPoliciesEqualTheKits(t *testing.T) {
	tricky, err := onboarding.NewFromRequirements("arn:aws:iam::111122223333:role/platform", externalID, "role+free=x,y.name@x_z",
		[]policy.Requirement{
			{Action: "s3:GetObject", Resource: `arn:aws:s3:::acme-reports/${aws:username}/%{if}/"quoted"\back/*`},
			{Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-reports/exports/*"},
		}, func(o *onboarding.Options) {
			o.Path = "/team/"
			o.Description = `says "hi" ${not.a.var} %{nor} \n`
			o.TransitionalExternalIDs = []string{"awsconnect_iam_external_id_12345"}
		})
	require.NoError(t, err)
	for name, k := range map[string]*onboarding.Kit{"quickstart": quickstartKit(t), "tricky": tricky} {
		t.Run(name, func(t *testing.T) {
			body := parseTerraform(t, k)
			role := block(t, body, "resource", "aws_iam_role", onboarding.TerraformResourceName)
			rolePolicy := block(t, body, "resource", "aws_iam_role_policy", onboarding.TerraformResourceName)
			variable := block(t, body, "variable", onboarding.TerraformRoleNameVariable)

			requireSameDocument(t, k.TrustPolicy(), []byte(evalString(t, role, "assume_role_policy")))
			requireSameDocument(t, k.Permissions(), []byte(evalString(t, rolePolicy, "policy")))
			require.Equal(t, k.Path(), evalString(t, role, "path"))
			require.Equal(t, k.PolicyName(), evalString(t, rolePolicy, "name"))
			require.Equal(t, k.RoleName(), evalString(t, variable, "default"))
			if name == "tricky" {
				require.Equal(t, `says "hi" ${not.a.var} %{nor} \n`, evalString(t, role, "description"))
			}
			region := block(t, body, "provider", "aws")
			require.Equal(t, k.Region(), evalString(t, region, "region"))
		})
	}
}

// TestTerraformValidatesTheRoleNameAsIAMDoes evaluates the variable's
// validation condition with Terraform's regex and can functions.
func TestTerraformValidatesTheRoleNameAsIAMDoes(t *testing.T) {
	tf, err := quickstartKit(t).Terraform()
	require.NoError(t, err)
	f, diags := hclsyntax.ParseConfig(tf, "main.tf", hcl.InitialPos)
	require.False(t, diags.HasErrors(), "%s", diags)
	validation := block(t, block(t, f.Body.(*hclsyntax.Body), "variable", onboarding.TerraformRoleNameVariable), "validation")
	// Terraform's can(x) is true when x evaluates without error; cty's
	// stdlib has no can, so the test evaluates its argument as Terraform does.
	can, ok := validation.Attributes["condition"].Expr.(*hclsyntax.FunctionCallExpr)
	require.True(t, ok)
	require.Equal(t, "can", can.Name)
	require.Len(t, can.Args, 1)
	for name, want := range map[string]bool{
		"awsconnect-platform": true, "a": true, "A+b=c,d.e@f_g-h": true, strings.Repeat("r", 64): true,
		"": false, "my role": false, "team/role": false, "rôle": false, strings.Repeat("r", 65): false,
	} {
		ctx := &hcl.EvalContext{
			Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{onboarding.TerraformRoleNameVariable: cty.StringVal(name)})},
			Functions: map[string]function.Function{"regex": stdlib.RegexFunc},
		}
		_, diags := can.Args[0].Value(ctx)
		require.Equal(t, want, !diags.HasErrors(), "%q: %s", name, diags)
	}
}

func block(t *testing.T, body *hclsyntax.Body, typ string, labels ...string) *hclsyntax.Body {
	t.Helper()
	for _, b := range body.Blocks {
		if b.Type == typ && len(b.Labels) == len(labels) {
			match := true
			for i := range labels {
				match = match && b.Labels[i] == labels[i]
			}
			if match {
				return b.Body
			}
		}
	}
	t.Fatalf("no block %s %v", typ, labels)
	return nil
}

// parseTerraform parses the kit's Terraform configuration as Terraform does.
func parseTerraform(t *testing.T, k *onboarding.Kit) *hclsyntax.Body {
	t.Helper()
	tf, err := k.Terraform()
	require.NoError(t, err)
	f, diags := hclsyntax.ParseConfig(tf, "main.tf", hcl.InitialPos)
	require.False(t, diags.HasErrors(), "%s\n%s", diags, tf)
	return f.Body.(*hclsyntax.Body)
}

func evalString(t *testing.T, body *hclsyntax.Body, attr string) string {
	t.Helper()
	a, ok := body.Attributes[attr]
	require.True(t, ok, "no attribute %s", attr)
	v, diags := a.Expr.Value(&hcl.EvalContext{Functions: map[string]function.Function{"jsonencode": stdlib.JSONEncodeFunc}})
	require.False(t, diags.HasErrors(), "%s", diags)
	return v.AsString()
}
