package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/golden"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// goldenNow is the fixed clock of the golden reports, so the times in them
// never change.
var goldenNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// newGoldenResolver is newTestResolver with every clock fixed at goldenNow.
func newGoldenResolver(t *testing.T, f *fakeSTS, serviceErr error) *Resolver {
	f.now = func() time.Time { return goldenNow }
	cache := role.NewCache(f, func(o *role.Options) {
		o.PlatformAccountID = testPlatform
		o.Now = f.now
	})
	t.Cleanup(func() { _ = cache.Close() })
	return NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{Prefix: "acme_iam_external_id"},
		modes(map[string]scope.Mode{"12345": scope.ProjectMode}), cache, func(o *Options) {
			o.STS = f
			o.Registry = testRegistry(serviceErr)
			o.PlatformAccountID = testPlatform
			o.Now = f.now
		})
}

// TestCheckReportJSONGolden pins the JSON the Connect screen renders: a
// passed report, each kind of failure a customer meets (invalid fields, a
// trust policy that refuses, a missing permission), the open role's
// warning, and the zero report.
func TestCheckReportJSONGolden(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:sts::111122223333:assumed-role/Connector/s is not authorized to perform: s3:ListBucket"}
	tests := []struct {
		name       string
		sts        *fakeSTS
		serviceErr error
		conn       func() Connection
		status     Status
	}{
		{name: "passed", sts: &fakeSTS{want: map[string]bool{projectExt: true}}, conn: roleConn, status: Passed},
		{name: "external_id_not_required", sts: &fakeSTS{want: map[string]bool{projectExt: true}, open: true}, conn: roleConn, status: Warned},
		{name: "trust_policy_denied", sts: &fakeSTS{}, conn: roleConn, status: Failed},
		{name: "permission_missing", sts: &fakeSTS{want: map[string]bool{projectExt: true}}, serviceErr: denied, conn: roleConn, status: Failed},
		{name: "invalid_fields", sts: &fakeSTS{}, status: Failed, conn: func() Connection {
			c := roleConn()
			c.Region, c.Auth.RoleARN, c.Fields["bucket"] = "eu-west-9", "arn:aws:iam::1111:role/x", "ab"
			return c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newGoldenResolver(t, tt.sts, tt.serviceErr)
			rep := r.Check(context.Background(), tt.conn())
			require.Equal(t, tt.status, rep.Status(), "%s", rep)
			got := golden.JSON(t, "check_"+tt.name+".golden", rep)
			var back CheckReport
			require.NoError(t, json.Unmarshal(got, &back))
			require.Equal(t, rep.Steps, back.Steps, "a stored report reads back as it was")
		})
	}
	golden.JSON(t, "check_zero.golden", CheckReport{})
}

// TestValidationErrorJSONGolden pins the JSON a form reads to mark its
// inputs: {"fields":[{"path","label","message"}]}, with no secret echoed.
func TestValidationErrorJSONGolden(t *testing.T) {
	c := keyConn()
	c.Region = "us-east-9"
	c.Auth.AccessKeyID = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" // the secret, pasted into the key ID
	c.Fields["color"] = "red"
	var ve *ValidationError
	require.True(t, errors.As(c.Validate(), &ve))
	got := golden.JSON(t, "validation_error.golden", ve)
	require.NotContains(t, string(got), "wJalrXUtnFEMI")
	golden.JSON(t, "validation_error_zero.golden", ValidationError{})
}

// TestScreenJSONGolden pins the JSON names of the other types a screen
// shows: the settings screen, a drift event, a registered kind, and the zero
// value of each, including a zero Switch.
func TestScreenJSONGolden(t *testing.T) {
	kind, ok := testRegistry(nil).Lookup("test")
	require.True(t, ok)
	golden.JSON(t, "kind.golden", kind)
	golden.JSON(t, "settings_screen.golden", SettingsScreen{
		Principal:   Principal{AccountID: testPlatform, Partition: "aws", ARN: "arn:aws:iam::" + testPlatform + ":root", CallerARN: "arn:aws:iam::" + testPlatform + ":user/platform", Discovered: true},
		WorkspaceID: "12345", Mode: scope.WorkspaceMode,
		Modes:       []ModeChoice{{Mode: scope.WorkspaceMode, Title: scope.WorkspaceMode.Title(), Selected: true}, {Mode: scope.ProjectMode, Title: scope.ProjectMode.Title()}},
		ExternalIDs: []ExternalIDInfo{{WorkspaceID: "12345", Mode: scope.WorkspaceMode, ModeTitle: scope.WorkspaceMode.Title(), ExternalID: "acme_iam_external_id_12345"}},
	})
	golden.JSON(t, "drift_event.golden", DriftEvent{ConnectionID: "c1", WorkspaceID: "12345", ProjectID: "6789", Kind: "test",
		RoleARN: testRoleARN, Drift: DriftPermissionMissing, At: goldenNow, Message: "The credentials lack s3:ListBucket on arn:aws:s3:::my-bucket.",
		Hint: "Add the statement below to the permissions policy of the role.", RequestID: "4442587FB7D0A2F9", ErrorCode: "AccessDenied",
		Action: "s3:ListBucket", Resource: "arn:aws:s3:::my-bucket"})
	golden.JSON(t, "zero_values.golden", []any{SettingsScreen{}, DriftEvent{}, Switch{}, SwitchConnection{}, SwitchRole{}, CheckStep{}})
}
