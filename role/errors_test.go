package role

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"
)

func apiError(code, msg string) error {
	return &smithy.OperationError{ServiceID: "STS", OperationName: "AssumeRole",
		Err: &smithy.GenericAPIError{Code: code, Message: msg}}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		reason Reason
		code   string
	}{
		{"access denied", apiError("AccessDenied", "User: arn:aws:iam::999988887777:user/platform is not authorized to perform: sts:AssumeRole on resource: "+roleA), ReasonTrustPolicy, "AccessDenied"},
		{"platform policy", apiError("AccessDenied", "User: arn:aws:iam::999988887777:user/platform is not authorized to perform: sts:AssumeRole on resource: "+roleA+" because no identity-based policy allows the sts:AssumeRole action"), ReasonPlatformPermission, "AccessDenied"},
		{"platform deny", apiError("AccessDenied", "User: arn:aws:iam::999988887777:user/platform is not authorized to perform: sts:AssumeRole on resource: "+roleA+" with an explicit deny in an identity-based policy"), ReasonPlatformPermission, "AccessDenied"},
		{"clock skew", apiError("RequestTimeTooSkewed", "The difference between the request time and the current time is too large."), ReasonClockSkew, "RequestTimeTooSkewed"},
		{"duration", apiError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), ReasonDurationTooLong, "ValidationError"},
		{"region", apiError("RegionDisabledException", "STS is not activated in this region"), ReasonRegionDisabled, "RegionDisabledException"},
		{"bad platform key", apiError("InvalidClientTokenId", "The security token included in the request is invalid."), ReasonPlatformCredentials, "InvalidClientTokenId"},
		{"expired platform token", apiError("ExpiredToken", "The security token included in the request is expired"), ReasonPlatformCredentials, "ExpiredToken"},
		{"signature", apiError("SignatureDoesNotMatch", "..."), ReasonPlatformCredentials, "SignatureDoesNotMatch"},
		{"throttled", apiError("Throttling", "Rate exceeded"), ReasonThrottled, "Throttling"},
		{"rate exceeded", apiError("Whatever", "Rate exceeded"), ReasonThrottled, "Whatever"},
		{"malformed policy", apiError("MalformedPolicyDocument", "bad"), ReasonInvalidRequest, "MalformedPolicyDocument"},
		{"other validation", apiError("ValidationError", "1 validation error detected"), ReasonInvalidRequest, "ValidationError"},
		{"network", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, ReasonNetwork, ""},
		{"deadline", fmt.Errorf("send: %w", context.DeadlineExceeded), ReasonNetwork, ""},
		{"unknown", errors.New("boom"), ReasonUnknown, ""},
		{"internal failure", apiError("InternalFailure", "We encountered an internal error. Please try again."), ReasonServiceUnavailable, "InternalFailure"},
		{"service unavailable", apiError("ServiceUnavailable", "Service is unable to handle request."), ReasonServiceUnavailable, "ServiceUnavailable"},
		{"any 5xx", &smithy.OperationError{ServiceID: "STS", OperationName: "AssumeRole", Err: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusBadGateway}},
			Err:      &smithy.GenericAPIError{Code: "BadGateway", Message: "upstream"}}}, ReasonServiceUnavailable, "BadGateway"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newAssumeRoleError(roleA, extA, "", tc.err)
			require.Equal(t, tc.reason, e.Reason, e.Reason.String())
			require.Equal(t, tc.code, e.Code)
			require.ErrorIs(t, e, tc.err)
			require.NotEmpty(t, e.Hint())
			require.Contains(t, e.Error(), "role: assume role "+roleA+" with external ID "+extA)
			var wrapped error = fmt.Errorf("connect: %w", e)
			var got *AssumeRoleError
			require.True(t, errors.As(wrapped, &got))
			require.Same(t, e, got)
		})
	}
}

func TestHintNamesAccountAndExternalID(t *testing.T) {
	// The caller's account comes from STS's message when not configured.
	e := newAssumeRoleError(roleA, extA, "", apiError("AccessDenied",
		"User: arn:aws:iam::999988887777:user/platform is not authorized to perform: sts:AssumeRole on resource: "+roleA))
	require.Equal(t, "arn:aws:iam::999988887777:user/platform", e.Caller)
	h := e.Hint()
	require.Contains(t, h, `"arn:aws:iam::999988887777:root"`)
	require.Contains(t, h, `"sts:ExternalId":"`+extA+`"`)
	require.Contains(t, h, roleA)

	e = newAssumeRoleError(roleA, extA, "123412341234", apiError("AccessDenied", "denied"))
	require.Contains(t, e.Hint(), "123412341234")
	require.Equal(t, "123412341234", e.Caller)
}

func TestReasonString(t *testing.T) {
	for r := ReasonUnknown; r <= ReasonServiceUnavailable; r++ {
		require.NotContains(t, r.String(), "Reason(")
	}
	require.Equal(t, "Reason(42)", Reason(42).String())
}

func TestHintPartitionAndPlatformPermission(t *testing.T) {
	cnRole := "arn:aws-cn:iam::444455556666:role/Connector"
	e := newAssumeRoleError(cnRole, extA, "111122223333", apiError("AccessDenied", "denied"))
	require.Contains(t, e.Hint(), `"arn:aws-cn:iam::111122223333:root"`, "the principal must exist in the role's partition")

	e = newAssumeRoleError(roleA, extA, "", apiError("AccessDenied",
		"User: arn:aws:iam::999988887777:user/platform is not authorized to perform: sts:AssumeRole on resource: "+roleA+" because no identity-based policy allows the sts:AssumeRole action"))
	require.Equal(t, ReasonPlatformPermission, e.Reason)
	require.Contains(t, e.Hint(), "arn:aws:iam::999988887777:user/platform is not allowed")
	require.Contains(t, e.Hint(), `"Resource":"`+roleA+`"`)
}

// TestHintForTagSession: with session tags or a source identity, STS also
// checks sts:TagSession or sts:SetSourceIdentity against the trust policy
// ("Passing session tags in AWS STS", "Monitor and control actions taken
// with assumed roles"), and names the action it denied. The hint must ask
// for that action, not for the sts:AssumeRole statement the role already
// has.
func TestHintForTagSession(t *testing.T) {
	for _, action := range []string{"sts:TagSession", "sts:SetSourceIdentity"} {
		t.Run(action, func(t *testing.T) {
			e := newAssumeRoleError(roleA, extA, "", apiError("AccessDenied",
				"User: arn:aws:sts::999988887777:assumed-role/platform/s is not authorized to perform: "+action+" on resource: "+roleA))
			require.Equal(t, ReasonTrustPolicy, e.Reason)
			require.Contains(t, e.Hint(), `"Action":["sts:AssumeRole","`+action+`"]`)
			require.Contains(t, e.Hint(), roleA)
		})
	}
	e := newAssumeRoleError(roleA, extA, "", apiError("AccessDenied",
		"User: arn:aws:iam::999988887777:user/platform is not authorized to perform: sts:AssumeRole on resource: "+roleA))
	require.Contains(t, e.Hint(), `"Action":"sts:AssumeRole","Condition"`)
}
