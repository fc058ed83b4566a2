//go:build integration

package integration

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// platformMain is a platform's own program: it imports localaws from
// outside this module and starts it.
const platformMain = `package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsconnect/awsconnect/localaws"
)

func main() {
	s, err := localaws.Start()
	if err != nil {
		panic(err)
	}
	defer s.Close()
	out, err := sts.NewFromConfig(s.Config(nil)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println("caller:", *out.Arn)
}
`

// platformTest is a platform's own test: a customer role created through
// the IAM API, assumed with the external ID.
const platformTest = `package main

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

func TestPlatformAgainstLocalAWS(t *testing.T) {
	s, err := localaws.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	customer, err := s.CreateAccount("444455556666")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := customer.CreateUser("admin"); err != nil {
		t.Fatal(err)
	}
	admin, _ := policy.Parse([]byte(` + "`" + `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}` + "`" + `))
	if err := customer.PutUserPolicy("admin", "iam", admin); err != nil {
		t.Fatal(err)
	}
	key, err := customer.CreateAccessKey("admin")
	if err != nil {
		t.Fatal(err)
	}
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), "acme_iam_external_id_12345")
	if err != nil {
		t.Fatal(err)
	}
	created, err := iam.NewFromConfig(s.Config(aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) { return key, nil }))).
		CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("platform"), AssumeRolePolicyDocument: aws.String(trust.String())})
	if err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(s.Config(nil)).AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn: created.Role.Arn, RoleSessionName: aws.String("platform-test"), ExternalId: aws.String("acme_iam_external_id_12345"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("assumed:", *out.AssumedRoleUser.Arn)
}
`

// TestAnotherModuleImportsLocalAWS writes a platform's module next to
// nothing of this one (a temporary directory), requiring this module through
// a replace directive, and runs its program and its test: localaws is
// importable and starts from outside (an internal package would fail to
// compile here). The module's requirements and go.sum are this module's, so
// the build needs no network beyond what GOPROXY already served.
func TestAnotherModuleImportsLocalAWS(t *testing.T) {
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "the go command runs this test, so it is on PATH")
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	ours, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)

	// This module's require blocks, so every dependency resolves to the
	// version already in the module cache.
	requires := regexp.MustCompile(`(?ms)^require \(.*?^\)`).FindAll(ours, -1)
	require.NotEmpty(t, requires)
	var mod bytes.Buffer
	mod.WriteString("module example.com/platform\n\ngo 1.26.0\n\nrequire github.com/awsconnect/awsconnect v0.0.0\n\n")
	for _, r := range requires {
		mod.Write(r)
		mod.WriteString("\n\n")
	}
	mod.WriteString("replace github.com/awsconnect/awsconnect => " + root + "\n")

	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"go.mod": mod.Bytes(), "go.sum": sum,
		"main.go": []byte(platformMain), "main_test.go": []byte(strings.Replace(platformTest, `"testing"`, "\"context\"\n\t\"testing\"", 1)),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	gocmd := func(args ...string) string {
		cmd := exec.CommandContext(t.Context(), goBin, args...)
		cmd.Dir = dir
		// GOPROXY, GOMODCACHE and GOCACHE come from this environment;
		// GOFLAGS is replaced so that -mod=mod may complete go.sum.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s in the platform's module:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	require.Contains(t, gocmd("run", "."), "caller: arn:aws:iam::111122223333:user/platform")
	require.Contains(t, gocmd("test", "-count=1", "-v", "./..."), "assumed: arn:aws:sts::444455556666:assumed-role/platform/platform-test")
}
