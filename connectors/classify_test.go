package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

type statusErr struct{ code int }

func (e statusErr) Error() string       { return fmt.Sprintf("http %d", e.code) }
func (e statusErr) HTTPStatusCode() int { return e.code }

func TestServiceStepClassifies(t *testing.T) {
	api := func(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }
	tests := []struct {
		name   string
		err    error
		status Status
		msg    string
		hint   string
		policy bool
	}{
		{name: "ok", status: Passed, msg: "s3:ListBucket on arn:aws:s3:::my-bucket"},
		{name: "access denied", err: fmt.Errorf("op: %w", api("AccessDenied", "denied")), status: Failed, msg: "lack s3:ListBucket on arn:aws:s3:::my-bucket (AccessDenied: denied)", hint: "permissions policy", policy: true},
		{name: "JSON access denied", err: api("AccessDeniedException", "no"), status: Failed, msg: "lack s3:ListBucket", policy: true},
		{name: "bare 403", err: statusErr{403}, status: Failed, msg: "lack s3:ListBucket", policy: true},
		{name: "unknown key", err: api("InvalidAccessKeyId", "unknown key"), status: Failed, msg: "refused the credentials", hint: "access key"},
		{name: "expired", err: api("ExpiredToken", "expired"), status: Failed, msg: "refused the credentials"},
		{name: "wrong region signature", err: api("SignatureDoesNotMatch", "Credential should be scoped to a valid region"), status: Failed, msg: "region or signature", hint: "connection's region"},
		{name: "bucket elsewhere", err: api("PermanentRedirect", "use the eu-west-1 endpoint"), status: Failed, hint: "bucket's region"},
		{name: "missing bucket", err: api("NoSuchBucket", "gone"), status: Failed, msg: "does not exist", hint: "fields"},
		{name: "throttled", err: api("ThrottlingException", "slow"), status: Warned, hint: "try again"},
		{name: "unreachable", err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, status: Failed, msg: "could not be reached", hint: "endpoint"},
		{name: "deadline", err: context.DeadlineExceeded, status: Failed, msg: "timed out"},
		{name: "other", err: errors.New("boom"), status: Failed, msg: "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ServiceStep("Amazon S3 ListObjectsV2", testNeed, tt.err)
			require.Equal(t, StepServiceReachable, s.ID)
			require.Equal(t, tt.status, s.Status)
			require.Contains(t, s.Message, tt.msg)
			require.Contains(t, s.Hint, tt.hint)
			require.Equal(t, tt.policy, s.PolicyToAdd != nil)
			if tt.policy {
				require.Equal(t, "s3:ListBucket", s.Action)
				require.Equal(t, "arn:aws:s3:::my-bucket", s.Resource)
			}
		})
	}
}
