package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/awsconnect/awsconnect/policy"
)

// Error codes by what they mean for a connection check. AWS spells the same
// cause differently per protocol (query, REST-XML, JSON).
var (
	accessDeniedCodes = codeSet("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
		"AuthorizationError", "Forbidden", "UnauthorizedException", "AuthorizationErrorException")
	credentialCodes = codeSet("InvalidClientTokenId", "InvalidAccessKeyId", "UnrecognizedClientException",
		"ExpiredToken", "ExpiredTokenException", "InvalidToken", "TokenRefreshRequired")
	signatureCodes = codeSet("SignatureDoesNotMatch", "InvalidSignatureException", "AuthorizationHeaderMalformed",
		"IncompleteSignature", "IncompleteSignatureException")
	regionCodes    = codeSet("PermanentRedirect", "MovedPermanently", "IllegalLocationConstraintException", "InvalidRegion")
	notFoundCodes  = codeSet("NoSuchBucket", "NotFound", "ResourceNotFoundException", "NoSuchKey", "NotFoundException")
	throttledCodes = codeSet("Throttling", "ThrottlingException", "TooManyRequestsException", "SlowDown",
		"RequestLimitExceeded", "ThrottledException")
)

func codeSet(codes ...string) map[string]bool {
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// ErrorCode returns the AWS error code carried by err (any smithy.APIError, or
// any error with an ErrorCode method), or "".
func ErrorCode(err error) string {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode()
	}
	return ""
}

// IsAccessDenied reports whether err says the caller lacks a permission.
func IsAccessDenied(err error) bool {
	if accessDeniedCodes[ErrorCode(err)] {
		return true
	}
	var status interface{ HTTPStatusCode() int }
	return ErrorCode(err) == "" && errors.As(err, &status) && status.HTTPStatusCode() == 403
}

// ServiceStep turns the outcome of a connector's check call into the
// [StepServiceReachable] step. title names the service and call ("Amazon S3
// ListBuckets"); need is the permission the call proves; err is the call's
// error. On AccessDenied the step names the missing action and resource and
// carries the least-privilege statement to add; other failures are
// classified (credentials, region or endpoint, missing resource, throttling,
// network) with a hint.
func ServiceStep(title string, need policy.Requirement, err error) CheckStep {
	resource := need.Resource
	if resource == "" {
		resource = "*" // an action without resource-level permissions
	}
	s := CheckStep{ID: StepServiceReachable, Title: title, Action: need.Action, Resource: resource}
	if err == nil {
		s.Status = Passed
		s.Message = fmt.Sprintf("the service answered; the credentials have %s on %s", need.Action, resource)
		return s
	}
	s.Status = Failed
	code := ErrorCode(err)
	var apiErr smithy.APIError
	detail := err.Error()
	if errors.As(err, &apiErr) && apiErr.ErrorMessage() != "" {
		detail = apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	var netErr net.Error
	switch {
	case IsAccessDenied(err):
		s.Message = fmt.Sprintf("the credentials lack %s on %s (%s)", need.Action, resource, detail)
		s.Hint = fmt.Sprintf("Add the statement below to the permissions policy of the role (IAM console: the role, Permissions, Add permissions, Create inline policy) to allow %s on %s.", need.Action, resource)
		if doc, perr := policy.LeastPrivilege(need); perr == nil {
			s.PolicyToAdd = doc
		}
	case credentialCodes[code]:
		s.Message = "the service refused the credentials (" + detail + ")"
		s.Hint = "The access key is unknown, deactivated or expired. For access-key authorization, create a new key for the IAM user; for role authorization, check the platform's own credentials."
	case signatureCodes[code] || regionCodes[code] || strings.Contains(detail, "region"):
		s.Message = "the service refused the request for its region or signature (" + detail + ")"
		s.Hint = "Check the connection's region: it must be the region of the service (for S3, the bucket's region), and the endpoint override, if any, must be that region's endpoint."
	case notFoundCodes[code]:
		s.Message = "the resource does not exist (" + detail + ")"
		s.Hint = "Check the resource named in the connection's fields and that it is in the connection's region."
	case throttledCodes[code]:
		s.Status = Warned
		s.Message = "the service throttled the check call (" + detail + ")"
		s.Hint = "The account is over its request rate; try again shortly."
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		s.Message = "the check timed out or was cancelled (" + detail + ")"
		s.Hint = "Try again; if it keeps timing out, check the region and endpoint override."
	case errors.As(err, &netErr):
		s.Message = "the service endpoint could not be reached (" + detail + ")"
		s.Hint = "Check the connection's region and endpoint override: the endpoint must exist and be reachable from the platform."
	default:
		s.Message = "the check call failed (" + detail + ")"
		s.Hint = "See the error above; check the connection's region, endpoint and fields."
	}
	return s
}
