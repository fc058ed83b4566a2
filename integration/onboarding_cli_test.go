//go:build integration

package integration

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
	"mvdan.cc/sh/v3/syntax"

	"github.com/awsconnect/awsconnect/connectors"
	lambdaconn "github.com/awsconnect/awsconnect/connectors/lambda"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// hostile is what a shell would expand, split or run, were a value not
// quoted: the quoting cases put it into every value the kit lets the
// platform choose, and check that nothing ran and IAM got it verbatim.
const hostile = `it's "quoted" $(touch pwned) ` + "`touch pwned`" + ` ${HOME} & ; |`

// onboardingCase is one connection whose kit's CLI script the customer
// runs: its kind, fields and chosen operations, the kit's options, the
// script's arguments, and what the role's credentials may and may not do.
type onboardingCase struct {
	name   string
	kind   connectors.Kind
	fields map[string]string
	ops    []string
	opts   func(*onboarding.Options)
	args   []string // the script's arguments: a role name replacing the kit's
	// allowed runs each chosen operation through the connector, which must
	// succeed; denied runs one outside them, which IAM must refuse.
	allowed func(t *testing.T, cfg aws.Config, conn connectors.Connection)
	denied  func(t *testing.T, cfg aws.Config, conn connectors.Connection) error
}

// TestOnboardingCLIScript is issue 16's proof for the AWS CLI script: the
// customer's administrator runs the script onboarding generates, with the
// real AWS CLI, against the local AWS's IAM API (examples/localaws); the
// role it creates reads back with the kit's trust and permissions
// policies, passes the Connect check, and its credentials do each chosen
// operation and are refused one outside them. Running the script again
// stops at create-role and changes nothing; a value with quotes, spaces
// and command substitutions reaches IAM verbatim, and a role name IAM
// would refuse is refused by the script before any call.
func TestOnboardingCLIScript(t *testing.T) {
	platform, customerKey, customerSecret := localCLI(t)
	admin := platform.as(customerKey, customerSecret, "")
	platformAccount := platform.account(t)
	resolver := localResolver(t, platform.config(), platformAccount)

	prefix := uniqueName("onboarding-") + "/"
	s3Ops := []string{string(s3conn.OpGetObject), string(s3conn.OpPutObject)}
	s3Allowed := func(t *testing.T, cfg aws.Config, conn connectors.Connection) {
		c, err := s3conn.NewFromConnection(cfg, conn)
		require.NoError(t, err)
		key := conn.Fields[s3conn.FieldPrefix] + "report.csv"
		_, err = c.PutObject(t.Context(), "", key, strings.NewReader("id,total\n1,42\n"))
		require.NoError(t, err, "PutObject was chosen")
		obj, err := c.GetObject(t.Context(), "", key)
		require.NoError(t, err, "GetObject was chosen")
		body, err := io.ReadAll(obj.Body)
		require.NoError(t, err)
		require.NoError(t, obj.Body.Close())
		require.Equal(t, "id,total\n1,42\n", string(body))
	}
	s3Denied := func(t *testing.T, cfg aws.Config, conn connectors.Connection) error {
		c, err := s3conn.NewFromConnection(cfg, conn)
		require.NoError(t, err)
		return c.DeleteObject(t.Context(), "", conn.Fields[s3conn.FieldPrefix]+"report.csv")
	}
	cases := []onboardingCase{{
		name:    "S3 GetObject and PutObject under a prefix of one bucket",
		kind:    s3conn.Kind,
		fields:  map[string]string{s3conn.FieldBucket: cliBucket, s3conn.FieldPrefix: prefix},
		ops:     s3Ops,
		allowed: s3Allowed,
		denied:  s3Denied,
	}, {
		name:   "Lambda Invoke of one function, the role renamed by the script's argument",
		kind:   lambdaconn.Kind,
		fields: map[string]string{lambdaconn.FieldFunction: cliFunction},
		ops:    []string{string(lambdaconn.OpInvoke)},
		args:   []string{uniqueName("awsconnect-renamed-")},
		allowed: func(t *testing.T, cfg aws.Config, conn connectors.Connection) {
			c, err := lambdaconn.NewFromConnection(cfg, conn)
			require.NoError(t, err)
			res, err := c.Invoke(t.Context(), cliFunction, []byte(`{"order":42}`), lambdaconn.InvokeOptions{})
			require.NoError(t, err, "Invoke was chosen")
			require.JSONEq(t, `{"order":42}`, string(res.Payload))
		},
		denied: func(t *testing.T, cfg aws.Config, conn connectors.Connection) error {
			c, err := lambdaconn.NewFromConnection(cfg, conn)
			require.NoError(t, err)
			_, err = c.Client().ListFunctions(t.Context(), nil)
			return err
		},
	}, {
		name: "S3 with quotes, spaces and command substitutions in the prefix, path and description",
		kind: s3conn.Kind,
		fields: map[string]string{s3conn.FieldBucket: cliBucket,
			// The prefix also holds what IAM reads as a policy variable
			// (${HOME}) and wildcards: the requirements escape them
			// (policy.Literal), so the role grants this prefix only.
			s3conn.FieldPrefix: prefix + strings.NewReplacer("|", "pipe").Replace(hostile) + " *?/"},
		ops: s3Ops,
		opts: func(o *onboarding.Options) {
			o.Description = "Description: " + hostile
			o.Path = "/it's/$(touch-pwned)/`id`/\"x\"/"
		},
		allowed: s3Allowed,
		denied:  s3Denied,
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			roleName := uniqueName("awsconnect-onboarding-")
			createdName := roleName
			if len(tc.args) > 0 {
				createdName = tc.args[0]
			}
			kit, conn := onboardingKit(t, platform.endpoint, platformAccount, roleName, tc)
			predicted, err := kit.RoleARN(cliCustomerAccount)
			require.NoError(t, err)
			require.Equal(t, predicted, conn.Auth.RoleARN, "the platform fills the form from the account ID alone")
			script, err := kit.CLIScript()
			require.NoError(t, err)

			// Before the script runs, Connect fails where it should: no role.
			rep := resolver.Check(t.Context(), conn)
			step, failed := rep.FirstFailure()
			require.True(t, failed, "%s", rep)
			require.Equal(t, connectors.StepRoleAssumed, step.ID, "%s", rep)

			run := admin.runScript(t, script, tc.args...)
			require.True(t, run.ok, "the script failed: %s", run.stderr)
			require.Equal(t, []string{"iam create-role", "iam put-role-policy"}, run.calls, "the script ran the AWS CLI twice")
			require.NoFileExists(t, filepath.Join(run.dir, "pwned"), "no value ran as a command")

			// The role, read back through IAM, is what the kit intended.
			got := admin.role(t, createdName)
			require.Equal(t, "Role ARN: "+got.Arn+"\n", run.stdout, "the script prints the role's ARN")
			if len(tc.args) == 0 {
				require.Equal(t, predicted, got.Arn)
			} else {
				require.Equal(t, strings.Replace(predicted, roleName, createdName, 1), got.Arn, "the argument renames the role")
				conn.Auth.RoleARN = got.Arn // as the customer pastes it
			}
			require.Equal(t, createdName, got.RoleName)
			require.Equal(t, kit.Path(), got.Path)
			wantDescription := onboarding.DefaultDescription
			if tc.opts != nil {
				var o onboarding.Options
				tc.opts(&o)
				wantDescription = o.Description
			}
			require.Equal(t, wantDescription, got.Description)
			require.Equal(t, kit.TrustPolicy(), admin.trustPolicy(t, createdName))
			var names struct{ PolicyNames []string }
			require.NoError(t, json.Unmarshal([]byte(admin.must(t, "iam", "list-role-policies", "--role-name", createdName)), &names))
			require.Equal(t, []string{kit.PolicyName()}, names.PolicyNames, "one inline policy, the kit's")
			require.Equal(t, kit.Permissions(), admin.inlinePolicy(t, createdName, kit.PolicyName()))
			var attached struct{ AttachedPolicies []json.RawMessage }
			require.NoError(t, json.Unmarshal([]byte(admin.must(t, "iam", "list-attached-role-policies", "--role-name", createdName)), &attached))
			require.Empty(t, attached.AttachedPolicies, "no managed policy grants more")

			// Connect passes: the role is assumed with the external ID only,
			// and the connector's check call is allowed.
			rep = resolver.Check(t.Context(), conn)
			require.True(t, rep.OK(), "%s", rep)
			for _, s := range rep.Steps {
				require.Equal(t, connectors.Passed, s.Status, "step %s: %s", s.ID, s.Message)
			}

			// The role's credentials do each chosen operation, and IAM
			// refuses one outside them.
			cfg, err := resolver.Config(t.Context(), conn)
			require.NoError(t, err)
			tc.allowed(t, cfg, conn)
			err = tc.denied(t, cfg, conn)
			require.Error(t, err, "an operation that was not chosen")
			require.True(t, connectors.IsAccessDenied(err), "%v", err)
			require.Contains(t, []string{"AccessDenied", "AccessDeniedException"}, errorCode(err), "IAM refused it, not the connector: %v", err)

			// Running it again stops at create-role and changes nothing.
			again := admin.runScript(t, script, tc.args...)
			require.False(t, again.ok, "a second run must fail: %s", again.stdout)
			require.Contains(t, again.stderr, "(EntityAlreadyExists)")
			require.Equal(t, []string{"iam create-role"}, again.calls, "put-role-policy does not run after create-role failed")
			require.Empty(t, again.stdout, "no ARN is printed for a failed run")
			require.Equal(t, kit.Permissions(), admin.inlinePolicy(t, createdName, kit.PolicyName()))

			// IAM's order: the policy first, then the role. (A failed test
			// leaves its uniquely named role in this run's local AWS.)
			admin.must(t, "iam", "delete-role-policy", "--role-name", createdName, "--policy-name", kit.PolicyName())
			admin.must(t, "iam", "delete-role", "--role-name", createdName)
			admin.refused(t, "NoSuchEntity", "iam", "get-role", "--role-name", createdName)
		})
	}

	t.Run("a role name IAM would refuse is refused before any call", func(t *testing.T) {
		kit, _ := onboardingKit(t, platform.endpoint, platformAccount, uniqueName("awsconnect-onboarding-"), cases[0])
		script, err := kit.CLIScript()
		require.NoError(t, err)
		for _, name := range []string{"two words", `it's"$(touch pwned)"`, "file://" + filepath.Join(admin.dir, "config"), strings.Repeat("r", 65), ""} {
			run := admin.runScript(t, script, name)
			require.False(t, run.ok, "role name %q", name)
			require.Empty(t, run.calls, "role name %q: no AWS call", name)
			require.Contains(t, run.stderr, "role name", "role name %q", name)
			require.Contains(t, run.stderr, "+=,.@_-", "role name %q: the error says what IAM accepts", name)
			require.NoFileExists(t, filepath.Join(run.dir, "pwned"))
		}
	})
}

// onboardingKit returns the kit for tc's connection with role roleName in
// the customer's account, and the connection (to endpoint) as the platform stores it
// with the role ARN the kit predicts: the connection's chosen operations'
// requirements (Connect's check included) as its permissions, its
// project's external ID in its trust policy.
func onboardingKit(t *testing.T, endpoint, platformAccount, roleName string, tc onboardingCase) (*onboarding.Kit, connectors.Connection) {
	t.Helper()
	conn := connectors.Connection{
		ID: "onboarding-" + tc.kind.Name, WorkspaceID: "12345", ProjectID: "6789", Kind: tc.kind.Name,
		Region: "us-east-1", Endpoint: endpoint, Auth: connectors.Auth{Type: connectors.AuthIAMRole}, Fields: tc.fields,
	}
	opts := func(o *onboarding.Options) {
		o.Region = conn.Region
		if tc.opts != nil {
			tc.opts(o)
		}
	}
	// The requirements name the role's account; the ARN is the kit's.
	conn.Auth.RoleARN = "arn:aws:iam::" + cliCustomerAccount + ":role/" + roleName
	ops, err := tc.kind.ParseOperations(tc.ops)
	require.NoError(t, err)
	reqs, err := tc.kind.Requirements(conn, ops)
	require.NoError(t, err)
	externalID, err := scope.Deriver{}.ExternalID(scope.ProjectMode, conn.WorkspaceID, conn.ProjectID)
	require.NoError(t, err)
	kit, err := onboarding.NewFromRequirements(platformAccount, externalID, roleName, reqs, opts)
	require.NoError(t, err)
	conn.Auth.RoleARN, err = kit.RoleARN(cliCustomerAccount)
	require.NoError(t, err)
	return kit, conn
}

// localResolver is the platform's resolver against the local AWS: its own
// identity platformCfg, the default external-ID deriver in project mode,
// and the local AWS's loopback endpoint allowed.
func localResolver(t *testing.T, platformCfg aws.Config, platformAccount string) *connectors.Resolver {
	t.Helper()
	cache := role.NewCache(sts.NewFromConfig(platformCfg), func(o *role.Options) { o.PlatformAccountID = platformAccount })
	t.Cleanup(func() { require.NoError(t, cache.Close()) })
	r := connectors.NewResolver(platformCfg, scope.Deriver{}, connectors.FixedMode(scope.ProjectMode), cache, func(o *connectors.Options) {
		o.PlatformAccountID = platformAccount
		o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
	})
	t.Cleanup(r.CloseConnections)
	return r
}

// scriptRun is one run of a generated script: its output, whether it exited
// 0, the AWS CLI subcommands it ran, and the directory it ran in.
type scriptRun struct {
	stdout, stderr string
	ok             bool
	calls          []string
	dir            string
}

// runScript runs script with bash, in a directory of its own, in the CLI's
// environment (its identity, the temporary HOME and configuration), with
// args. The script calls `aws` from PATH; PATH starts with a directory
// whose aws runs c.bin (not whichever aws the machine has first) with the
// local AWS's endpoint, which Debian's awscli 2.9 does not read from
// AWS_ENDPOINT_URL, and records each call's subcommand.
func (c awsCLI) runScript(t *testing.T, script []byte, args ...string) scriptRun {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	calls := filepath.Join(dir, "calls")
	q, err := syntax.Quote(c.bin, syntax.LangPOSIX)
	require.NoError(t, err)
	shim := "#!/bin/sh\nprintf '%s %s\\n' \"$1\" \"$2\" >>\"$AWSCONNECT_IT_CALLS\"\n" +
		"exec " + q + " --endpoint-url \"$AWS_ENDPOINT_URL\" \"$@\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "aws"), []byte(shim), 0o755))
	path := filepath.Join(dir, "create-role.sh")
	require.NoError(t, os.WriteFile(path, script, 0o600))

	cmd := exec.CommandContext(t.Context(), "bash", append([]string{path}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(c.environ(bin+string(os.PathListSeparator)+os.Getenv("PATH")), "AWSCONNECT_IT_CALLS="+calls)
	run := scriptRun{dir: dir}
	run.stdout, run.stderr, run.ok = runCommand(t, cmd)
	if b, err := os.ReadFile(calls); err == nil {
		run.calls = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	} else {
		require.ErrorIs(t, err, os.ErrNotExist)
	}
	return run
}
