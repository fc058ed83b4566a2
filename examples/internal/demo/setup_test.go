package demo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunMain(t *testing.T) {
	for _, tc := range []struct {
		name       string
		run        RunFunc
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"success prints the story and exits 0", func(ctx context.Context, out io.Writer) error {
			_, err := io.WriteString(out, "story\n")
			return err
		}, 0, "story\n", ""},
		{"failure names the command and exits 1", func(context.Context, io.Writer) error {
			return errors.New("the connection check failed")
		}, 1, "", "quickstart: the connection check failed\n"},
		{"the context is bounded by Timeout", func(ctx context.Context, out io.Writer) error {
			deadline, ok := ctx.Deadline()
			if !ok || time.Until(deadline) > Timeout {
				return errors.New("no deadline within Timeout")
			}
			return nil
		}, 0, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			require.Equal(t, tc.wantCode, runMain("quickstart", tc.run, &stdout, &stderr))
			require.Equal(t, tc.wantStdout, stdout.String())
			require.Equal(t, tc.wantStderr, stderr.String())
		})
	}
}

// TestCustomerCreateRole checks that a role created with the generated trust
// policy admits the platform with the customer's external ID only.
func TestCustomerCreateRole(t *testing.T) {
	var out bytes.Buffer
	local, p, err := Start(&out, "demo test")
	require.NoError(t, err)
	defer local.Close()
	p.Line("printed after the title")
	require.Equal(t, "demo test, against the embedded local AWS at "+local.URL(), strings.SplitN(out.String(), "\n", 2)[0])
	require.Contains(t, out.String(), "   printed after the title\n")

	const externalID = "awsconnect_iam_external_id_12345"
	customer, err := NewCustomer(local, "444455556666", externalID)
	require.NoError(t, err)
	reqs := []policy.Requirement{{Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-reports"}}
	generated, err := customer.CreateRole("generated", nil, reqs...)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::444455556666:role/generated", generated)
	other, err := policy.TrustPolicy(local.PlatformAccountID(), "another_tenant")
	require.NoError(t, err)
	given, err := customer.CreateRole("given", other, reqs...)
	require.NoError(t, err)

	cache := role.NewCache(sts.NewFromConfig(local.Config(nil)))
	defer cache.Close()
	for _, tc := range []struct {
		name, roleARN, externalID string
		admitted                  bool
	}{
		{"generated trust admits the customer's ID", generated, externalID, true},
		{"generated trust refuses another ID", generated, "another_tenant", false},
		{"given trust admits its own ID", given, "another_tenant", true},
		{"given trust refuses the customer's ID", given, externalID, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cache.Retrieve(t.Context(), role.Spec{RoleARN: tc.roleARN, ExternalID: tc.externalID})
			if tc.admitted {
				require.NoError(t, err)
			} else {
				var are *role.AssumeRoleError
				require.ErrorAs(t, err, &are)
			}
		})
	}
}
