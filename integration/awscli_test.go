//go:build integration

package integration

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/policy"
)

// The customer's side of the CLI suite, as scripts/integration.d/20-awscli.sh
// seeds it.
const (
	cliCustomerAccount = "444455556666"
	cliBucket          = "awsconnect-cli"
	cliFunction        = "echo"
	cliExternalID      = "awsconnect_iam_external_id_12345_6789"
)

// awsCLI runs the AWS CLI against the local AWS, as one identity, with a
// configuration of its own: HOME, AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE point into the test's temporary directory,
// so the machine's ~/.aws is neither read nor written.
type awsCLI struct {
	bin, dir, endpoint, region string
	creds                      map[string]string // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
}

// localCLI reads the server program's printed environment and returns the
// CLI as the platform, and the customer's administrator key.
func localCLI(t *testing.T) (platform awsCLI, customerKey, customerSecret string) {
	t.Helper()
	v := requireEnv(t, "AWSCONNECT_IT_AWSCLI", "AWSCONNECT_IT_LOCALAWS_ENV",
		"AWSCONNECT_IT_LOCALAWS_CUSTOMER_ACCESS_KEY", "AWSCONNECT_IT_LOCALAWS_CUSTOMER_SECRET_KEY")
	env := readExports(t, v[1])
	for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		require.NotEmpty(t, env[k], "examples/localaws prints %s", k)
	}
	dir := t.TempDir()
	// Path-style S3 (a bucket cannot be a subdomain of 127.0.0.1), and
	// multipart uploads from 5 MB, so that a small file takes that path.
	config := "[default]\nregion = " + env["AWS_REGION"] + "\noutput = json\ns3 =\n    addressing_style = path\n" +
		"    multipart_threshold = 5MB\n    multipart_chunksize = 5MB\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials"), nil, 0o600))
	platform = awsCLI{bin: v[0], dir: dir, endpoint: env["AWS_ENDPOINT_URL"], region: env["AWS_REGION"],
		creds: map[string]string{"AWS_ACCESS_KEY_ID": env["AWS_ACCESS_KEY_ID"], "AWS_SECRET_ACCESS_KEY": env["AWS_SECRET_ACCESS_KEY"]}}
	return platform, v[2], v[3]
}

// readExports parses the export lines examples/localaws writes.
func readExports(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		kv, ok := strings.CutPrefix(sc.Text(), "export ")
		require.True(t, ok, "line %q of %s", sc.Text(), path)
		k, v, _ := strings.Cut(kv, "=")
		env[k] = strings.Trim(v, "'")
	}
	require.NoError(t, sc.Err())
	return env
}

// as returns the CLI signed with other credentials.
func (c awsCLI) as(accessKey, secret, token string) awsCLI {
	c.creds = map[string]string{"AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token}
	return c
}

// via returns the CLI pointed at another endpoint.
func (c awsCLI) via(endpoint string) awsCLI {
	c.endpoint = endpoint
	return c
}

// run runs one CLI command and returns its standard output, standard error
// and whether it succeeded. --endpoint-url is passed explicitly: Debian's
// awscli 2.9 predates AWS_ENDPOINT_URL.
func (c awsCLI) run(t *testing.T, args ...string) (stdout, stderr string, ok bool) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), c.bin, append([]string{"--endpoint-url", c.endpoint, "--no-cli-pager"}, args...)...)
	cmd.Dir = c.dir
	cmd.Env = c.environ(os.Getenv("PATH"))
	return runCommand(t, cmd)
}

// environ is the environment the CLI runs in, with PATH path: the
// temporary HOME and configuration files, the region, the endpoint (for
// a CLI that reads AWS_ENDPOINT_URL) and the identity's credentials, and
// nothing else of the test process's environment.
func (c awsCLI) environ(path string) []string {
	env := []string{
		"PATH=" + path,
		"HOME=" + c.dir,
		"AWS_CONFIG_FILE=" + filepath.Join(c.dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(c.dir, "credentials"),
		"AWS_REGION=" + c.region,
		"AWS_DEFAULT_REGION=" + c.region,
		"AWS_ENDPOINT_URL=" + c.endpoint,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	}
	for k, v := range c.creds {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// runCommand runs cmd and returns its standard output, standard error and
// whether it exited 0; a command that could not be started fails the test.
func runCommand(t *testing.T, cmd *exec.Cmd) (stdout, stderr string, ok bool) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "running %v", cmd.Args)
	}
	return out.String(), errOut.String(), err == nil
}

// config is an SDK configuration signed as the CLI's identity, for the
// same endpoint and region.
func (c awsCLI) config() aws.Config {
	return peerConfig(c.endpoint, c.region,
		credentials.NewStaticCredentialsProvider(c.creds["AWS_ACCESS_KEY_ID"], c.creds["AWS_SECRET_ACCESS_KEY"], c.creds["AWS_SESSION_TOKEN"]))
}

// account returns the account of the CLI's identity, from
// sts get-caller-identity.
func (c awsCLI) account(t *testing.T) string {
	t.Helper()
	var caller struct{ Account string }
	require.NoError(t, json.Unmarshal([]byte(c.must(t, "sts", "get-caller-identity")), &caller))
	require.NotEmpty(t, caller.Account)
	return caller.Account
}

// cliRole is a role as iam get-role prints it.
type cliRole struct {
	Arn, RoleName, Path, Description string
	AssumeRolePolicyDocument         json.RawMessage
}

// role reads a role back with iam get-role.
func (c awsCLI) role(t *testing.T, name string) cliRole {
	t.Helper()
	var out struct{ Role cliRole }
	require.NoError(t, json.Unmarshal([]byte(c.must(t, "iam", "get-role", "--role-name", name)), &out))
	return out.Role
}

// trustPolicy reads a role's trust policy back with iam get-role.
func (c awsCLI) trustPolicy(t *testing.T, name string) *policy.Document {
	t.Helper()
	d, err := policy.Parse(c.role(t, name).AssumeRolePolicyDocument)
	require.NoError(t, err, "the CLI decodes IAM's URL-encoded document into JSON")
	return d
}

// inlinePolicy reads a role's inline policy back with iam get-role-policy.
func (c awsCLI) inlinePolicy(t *testing.T, roleName, policyName string) *policy.Document {
	t.Helper()
	var out struct{ PolicyDocument json.RawMessage }
	require.NoError(t, json.Unmarshal([]byte(c.must(t, "iam", "get-role-policy", "--role-name", roleName, "--policy-name", policyName)), &out))
	d, err := policy.Parse(out.PolicyDocument)
	require.NoError(t, err)
	return d
}

// must runs a command that has to succeed.
func (c awsCLI) must(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, ok := c.run(t, args...)
	require.True(t, ok, "aws %s failed: %s", strings.Join(args, " "), errOut)
	return out
}

// refused runs a command that has to fail with the AWS error code.
func (c awsCLI) refused(t *testing.T, code string, args ...string) string {
	t.Helper()
	out, errOut, ok := c.run(t, args...)
	require.False(t, ok, "aws %s succeeded: %s", strings.Join(args, " "), out)
	require.Contains(t, errOut, "("+code+")", "aws %s", strings.Join(args, " "))
	return errOut
}

// writeFile writes a file in the CLI's directory and returns its file:// URL.
func (c awsCLI) writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(c.dir, name), data, 0o600))
	return "file://" + filepath.Join(c.dir, name)
}

// TestAWSCLIRoleFlow is the customer's and the platform's whole flow with
// the AWS CLI, a client nobody here wrote, against the local AWS served by
// examples/localaws: the customer creates the role with the library's
// trust policy and least-privilege policy through IAM; the platform assumes
// it with the external ID and uses S3 and Lambda with the temporary
// credentials. A wrong external ID is refused, and so is a request changed
// after it was signed.
func TestAWSCLIRoleFlow(t *testing.T) {
	platform, customerKey, customerSecret := localCLI(t)
	admin := platform.as(customerKey, customerSecret, "")

	// The customer's administrator creates the role.
	trust, err := policy.TrustPolicy(platform.account(t), cliExternalID)
	require.NoError(t, err)
	trustJSON, err := trust.Indented()
	require.NoError(t, err)
	roleName := uniqueName("awsconnect-cli-")
	created := admin.must(t, "iam", "create-role", "--role-name", roleName,
		"--assume-role-policy-document", admin.writeFile(t, "trust.json", trustJSON))
	var role struct{ Role cliRole }
	require.NoError(t, json.Unmarshal([]byte(created), &role))
	require.Equal(t, "arn:aws:iam::"+cliCustomerAccount+":role/"+roleName, role.Role.Arn)
	back, err := policy.Parse(role.Role.AssumeRolePolicyDocument)
	require.NoError(t, err, "the CLI decodes IAM's URL-encoded document into JSON")
	require.Equal(t, trust.String(), back.String())
	require.Equal(t, trust.String(), admin.trustPolicy(t, roleName).String(), "get-role reads back what create-role made")

	const prefix = "exports/"
	perms, err := policy.LeastPrivilege(
		policy.Requirement{Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + cliBucket,
			Condition: policy.Conditions{"StringLike": {"s3:prefix": {prefix + "*"}}}},
		policy.Requirement{Action: "s3:GetObject", Resource: "arn:aws:s3:::" + cliBucket + "/" + prefix + "*"},
		policy.Requirement{Action: "s3:PutObject", Resource: "arn:aws:s3:::" + cliBucket + "/" + prefix + "*"},
		policy.Requirement{Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:" + platform.region + ":" + cliCustomerAccount + ":function:" + cliFunction},
	)
	require.NoError(t, err)
	permsJSON, err := perms.Indented()
	require.NoError(t, err)
	admin.must(t, "iam", "put-role-policy", "--role-name", roleName, "--policy-name", "awsconnect",
		"--policy-document", admin.writeFile(t, "perms.json", permsJSON))
	require.Equal(t, perms.String(), admin.inlinePolicy(t, roleName, "awsconnect").String())
	require.Contains(t, admin.refused(t, "DeleteConflict", "iam", "delete-role", "--role-name", roleName), "must delete policies first")
	require.Contains(t, admin.refused(t, "MalformedPolicyDocument", "iam", "update-assume-role-policy", "--role-name", roleName,
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`), "Missing required field Principal")

	// The platform assumes it, with the external ID only.
	assumed := platform.must(t, "sts", "assume-role", "--role-arn", role.Role.Arn,
		"--role-session-name", "cli-flow", "--external-id", cliExternalID)
	var session struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	require.NoError(t, json.Unmarshal([]byte(assumed), &session))
	require.True(t, strings.HasPrefix(session.Credentials.AccessKeyId, "ASIA"))
	platform.refused(t, "AccessDenied", "sts", "assume-role", "--role-arn", role.Role.Arn,
		"--role-session-name", "cli-flow", "--external-id", "awsconnect_iam_external_id_99999")
	platform.refused(t, "AccessDenied", "sts", "assume-role", "--role-arn", role.Role.Arn, "--role-session-name", "cli-flow")

	// S3 and Lambda with the temporary credentials, within the policy only.
	conn := platform.as(session.Credentials.AccessKeyId, session.Credentials.SecretAccessKey, session.Credentials.SessionToken)
	me := conn.must(t, "sts", "get-caller-identity")
	require.Contains(t, me, "arn:aws:sts::"+cliCustomerAccount+":assumed-role/"+roleName+"/cli-flow")
	key := prefix + uniqueName("report-") + ".csv"
	report := conn.writeFile(t, "report.csv", []byte("id,total\n1,42\n"))
	conn.must(t, "s3", "cp", strings.TrimPrefix(report, "file://"), "s3://"+cliBucket+"/"+key)
	require.Contains(t, conn.must(t, "s3", "ls", "s3://"+cliBucket+"/"+prefix), filepath.Base(key))
	require.Equal(t, "id,total\n1,42\n", conn.must(t, "s3", "cp", "s3://"+cliBucket+"/"+key, "-"))
	big := make([]byte, 6<<20+123) // two parts
	_, err = rand.Read(big)
	require.NoError(t, err)
	bigFile := strings.TrimPrefix(conn.writeFile(t, "big.bin", big), "file://")
	conn.must(t, "s3", "cp", bigFile, "s3://"+cliBucket+"/"+prefix+"big.bin")
	conn.must(t, "s3", "cp", "s3://"+cliBucket+"/"+prefix+"big.bin", bigFile+".back")
	back2, err := os.ReadFile(bigFile + ".back")
	require.NoError(t, err)
	require.True(t, bytes.Equal(big, back2), "the multipart upload reads back byte for byte")

	_, errOut, ok := conn.run(t, "s3", "cp", strings.TrimPrefix(report, "file://"), "s3://"+cliBucket+"/elsewhere.csv")
	require.False(t, ok)
	require.Contains(t, errOut, "AccessDenied", "outside the least-privilege prefix")
	conn.refused(t, "AccessDenied", "s3", "ls", "s3://"+cliBucket+"/")

	out := filepath.Join(conn.dir, "invoke.json")
	invoked := conn.must(t, "lambda", "invoke", "--function-name", cliFunction,
		"--cli-binary-format", "raw-in-base64-out", "--payload", `{"order":42}`, out)
	require.Contains(t, invoked, `"StatusCode": 200`)
	payload, err := os.ReadFile(out)
	require.NoError(t, err)
	require.JSONEq(t, `{"order":42}`, string(payload))
	conn.refused(t, "AccessDeniedException", "lambda", "list-functions")

	// A request changed on the wire after the CLI signed it is refused. The
	// proxy changes one character of the signed body (the session name) and
	// nothing else; the same proxy passing requests through unchanged works.
	target, err := url.Parse(platform.endpoint)
	require.NoError(t, err)
	var tamper atomic.Bool
	proxy := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host // the Host header is signed
			if !tamper.Load() {
				return
			}
			body, err := io.ReadAll(r.In.Body)
			if err != nil {
				return
			}
			body = bytes.Replace(body, []byte("RoleSessionName=cli-flow"), []byte("RoleSessionName=cli-flaw"), 1)
			r.Out.Body = io.NopCloser(bytes.NewReader(body))
			r.Out.ContentLength = int64(len(body))
		},
		Transport: transport,
	})
	defer proxy.Close()
	assume := []string{"sts", "assume-role", "--role-arn", role.Role.Arn, "--role-session-name", "cli-flow", "--external-id", cliExternalID}
	platform.via(proxy.URL).must(t, assume...)
	tamper.Store(true)
	require.Contains(t, platform.via(proxy.URL).refused(t, "SignatureDoesNotMatch", assume...), "signature")

	// Cleaning up goes through IAM's order: policies first, then the role.
	admin.must(t, "iam", "delete-role-policy", "--role-name", roleName, "--policy-name", "awsconnect")
	admin.must(t, "iam", "delete-role", "--role-name", roleName)
	admin.refused(t, "NoSuchEntity", "iam", "get-role", "--role-name", roleName)
	conn.refused(t, "AccessDenied", "s3", "ls", "s3://"+cliBucket+"/"+prefix)
}
