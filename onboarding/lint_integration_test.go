//go:build integration

package onboarding_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/peer"
	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

// linters returns the CloudFormation linters scripts/integration.d/30-cfnlint.sh
// installs, or skips when the suite is not run through scripts/integration.
func linters(t *testing.T) (cfnLint, guard, rules string) {
	v := peer.Require(t, "run scripts/integration -run CloudFormationLinters ./onboarding/",
		"AWSCONNECT_IT_CFN_LINT", "AWSCONNECT_IT_CFN_GUARD", "AWSCONNECT_IT_CFN_GUARD_RULES")
	return v[0], v[1], v[2]
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// runCFNLint runs cfn-lint on file and returns its exit error and its
// output without colours.
func runCFNLint(t *testing.T, cfnLint, file string) (string, error) {
	out, err := exec.CommandContext(t.Context(), "node", cfnLint, "validate", file).CombinedOutput()
	return ansi.ReplaceAllString(string(out), ""), err
}

func runGuard(t *testing.T, guard, rules, file string) (string, error) {
	out, err := exec.CommandContext(t.Context(), guard, "validate", "--rules", rules, "--data", file, "--show-summary", "all").CombinedOutput()
	return string(out), err
}

// TestCloudFormationLinters lints the kits' templates, JSON and YAML, with
// cfn-lint and with cfn-guard's AWS Control Tower rules, and checks that
// both linters catch a broken template, so that a pass means something.
func TestCloudFormationLinters(t *testing.T) {
	cfnLint, guard, rules := linters(t)
	dir := t.TempDir()
	kits := map[string]*onboarding.Kit{
		"quickstart": quickstartKit(t),
		"role-path-description": quickstartKit(t, func(o *onboarding.Options) {
			o.Path = "/integrations/acme/"
			o.Description = `Acme's "reports" role: ${not a variable}`
		}),
		"aws-cn-role-principal": mustKit(t, "arn:aws-cn:iam::111122223333:role/platform", func(o *onboarding.Options) {
			o.Region = "cn-north-1"
			o.TransitionalExternalIDs = []string{"awsconnect_iam_external_id_12345"}
		}),
	}
	for name, k := range kits {
		requireLintClean(t, k.TrustPolicy(), policy.TrustPolicyKind)
		requireLintClean(t, k.Permissions(), policy.IdentityPolicyKind)
		for ext, gen := range map[string]func() ([]byte, error){"json": k.TemplateJSON, "yaml": k.TemplateYAML} {
			t.Run(name+"."+ext, func(t *testing.T) {
				body, err := gen()
				require.NoError(t, err)
				file := filepath.Join(dir, name+"."+ext)
				require.NoError(t, os.WriteFile(file, body, 0o644))

				out, err := runCFNLint(t, cfnLint, file)
				require.NoError(t, err, "cfn-lint:\n%s", out)
				for _, want := range []string{"0 infos", "0 warn", "0 crit", "Template valid!"} {
					require.Contains(t, out, want, "cfn-lint:\n%s", out)
				}

				out, err = runGuard(t, guard, rules, file)
				require.NoError(t, err, "cfn-guard:\n%s", out)
				require.Contains(t, out, "iam_inline_policy_no_statements_with_admin_access_check    PASS", out)
				require.Contains(t, out, "iam_inline_policy_no_statements_with_full_access_check    PASS", out)
				require.NotContains(t, out, "FAIL", out)
			})
		}
	}

	t.Run("linters catch a broken template", func(t *testing.T) {
		body, err := quickstartKit(t).TemplateJSON()
		require.NoError(t, err)
		var tmpl map[string]any
		require.NoError(t, json.Unmarshal(body, &tmpl))
		props := tmpl["Resources"].(map[string]any)[onboarding.RoleResource].(map[string]any)["Properties"].(map[string]any)
		props["Pathh"] = props["Path"]
		delete(props, "Path")
		doc := props["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)
		doc["Statement"] = append(doc["Statement"].([]any), map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"})
		broken, err := json.Marshal(tmpl)
		require.NoError(t, err)
		file := filepath.Join(dir, "broken.json")
		require.NoError(t, os.WriteFile(file, broken, 0o644))

		out, err := runCFNLint(t, cfnLint, file)
		require.Error(t, err, "cfn-lint passed a misspelt property:\n%s", out)
		require.Contains(t, out, "Pathh is not a valid property of AWS::IAM::Role")
		out, err = runGuard(t, guard, rules, file)
		require.Error(t, err, "cfn-guard passed an admin statement:\n%s", out)
		require.Contains(t, out, "iam_inline_policy_no_statements_with_admin_access_check    FAIL")
		require.Contains(t, out, "CT.IAM.PR.1")
	})
}
