package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
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
		cause  Cause
		actor  Actor
	}{
		{name: "ok", status: Passed, msg: "The service answered; the credentials have s3:ListBucket on arn:aws:s3:::my-bucket."},
		{name: "access denied", err: fmt.Errorf("op: %w", api("AccessDenied", "denied")), status: Failed, msg: "The credentials lack s3:ListBucket on arn:aws:s3:::my-bucket. AWS says: denied.", hint: "permissions policy", policy: true,
			cause: CausePermissionMissing, actor: ActorCustomer},
		{name: "JSON access denied", err: api("AccessDeniedException", "no"), status: Failed, msg: "lack s3:ListBucket", policy: true, cause: CausePermissionMissing, actor: ActorCustomer},
		{name: "bare 403", err: statusErr{403}, status: Failed, msg: "The credentials lack s3:ListBucket on arn:aws:s3:::my-bucket.", policy: true, cause: CausePermissionMissing, actor: ActorCustomer},
		{name: "unknown key", err: api("InvalidAccessKeyId", "unknown key"), status: Failed, msg: "refused the credentials", hint: "access key", cause: CauseCredentialsInvalid, actor: ActorCustomer},
		{name: "expired", err: api("ExpiredToken", "expired"), status: Failed, msg: "refused the credentials", cause: CauseCredentialsInvalid, actor: ActorCustomer},
		{name: "wrong region signature", err: api("SignatureDoesNotMatch", "Credential should be scoped to a valid region"), status: Failed, msg: "region or signature", hint: "connection's region",
			cause: CauseRegionMismatch, actor: ActorCustomer},
		{name: "wrong secret", err: api("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."), status: Failed,
			msg: "refused the request's signature", hint: "secret access key", cause: CauseSignatureMismatch, actor: ActorCustomer},
		{name: "bucket elsewhere", err: api("PermanentRedirect", "use the eu-west-1 endpoint"), status: Failed, hint: "bucket's region", cause: CauseRegionMismatch, actor: ActorCustomer},
		{name: "missing bucket", err: api("NoSuchBucket", "gone"), status: Failed, msg: "does not exist", hint: "fields", cause: CauseResourceNotFound, actor: ActorCustomer},
		{name: "throttled", err: api("ThrottlingException", "slow"), status: Warned, hint: "try again", cause: CauseThrottled, actor: ActorPlatform},
		{name: "unreachable", err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, status: Failed, msg: "could not be reached", hint: "endpoint",
			cause: CauseNetworkError, actor: ActorPlatform},
		{name: "deadline", err: context.DeadlineExceeded, status: Failed, msg: "timed out", cause: CauseNetworkError, actor: ActorPlatform},
		{name: "endpoint refused at dial", err: fmt.Errorf("dial: %w", &EndpointError{Endpoint: "https://s3.example.com", Host: "s3.example.com", Rule: RuleLoopback, Dial: true}),
			status: Failed, msg: "The platform refused to connect", hint: "endpoint policy", cause: CauseEndpointRefused, actor: ActorCustomer},
		{name: "other", err: errors.New("boom"), status: Failed, msg: "The check call failed.", cause: CauseUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ServiceStep("Amazon S3 ListObjectsV2", testNeed, tt.err)
			require.Equal(t, StepServiceReachable, s.ID)
			require.Equal(t, tt.status, s.Status)
			require.Contains(t, s.Message, tt.msg)
			require.Contains(t, s.Hint, tt.hint)
			require.Equal(t, tt.policy, s.PolicyToAdd != nil)
			require.Equal(t, tt.cause, s.Cause)
			require.Equal(t, tt.actor, s.Actor)
			require.Regexp(t, `^[A-Z].*\.$`, s.Message, "the message is sentences")
			if tt.err != nil {
				require.Equal(t, tt.err.Error(), s.Detail, "the raw error is the detail")
				require.Equal(t, ErrorCode(tt.err), s.ErrorCode)
			}
			if tt.policy {
				require.Equal(t, "s3:ListBucket", s.Action)
				require.Equal(t, "arn:aws:s3:::my-bucket", s.Resource)
			}
		})
	}
}

// TestServiceStepKeepsTheSDKErrorOutOfTheMessage is the denied HeadBucket of
// issue 14: a 403 without a body, whose SDK error reads "Forbidden:
// Forbidden" and carries a request ID. The message is a sentence without
// either; the code and the request ID are fields of their own.
func TestServiceStepKeepsTheSDKErrorOutOfTheMessage(t *testing.T) {
	err := fmt.Errorf("operation error S3: HeadBucket: %w", &awshttp.ResponseError{
		RequestID: "4442587FB7D0A2F9",
		ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusForbidden}},
			Err:      &smithy.GenericAPIError{Code: "Forbidden", Message: "Forbidden"},
		},
	})
	s := ServiceStep("Amazon S3 HeadBucket", testNeed, err)
	require.Equal(t, "The credentials lack s3:ListBucket on arn:aws:s3:::my-bucket.", s.Message)
	require.Equal(t, CausePermissionMissing, s.Cause)
	require.Equal(t, "4442587FB7D0A2F9", s.RequestID)
	require.Equal(t, "Forbidden", s.ErrorCode)
	require.Contains(t, s.Detail, "RequestID: 4442587FB7D0A2F9")
	require.Equal(t, "4442587FB7D0A2F9", RequestID(err))
	require.Empty(t, RequestID(errors.New("no request")))
}
