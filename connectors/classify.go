package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
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
	signatureCodes = codeSet("SignatureDoesNotMatch", "InvalidSignatureException",
		"IncompleteSignature", "IncompleteSignatureException")
	// AuthorizationHeaderMalformed is S3's answer to a signature scoped
	// to another region.
	regionCodes = codeSet("PermanentRedirect", "MovedPermanently", "IllegalLocationConstraintException", "InvalidRegion",
		"AuthorizationHeaderMalformed")
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

// RequestID returns the AWS request ID carried by err (an SDK response
// error, or any error with a ServiceRequestID method), or "".
func RequestID(err error) string {
	var withID interface{ ServiceRequestID() string }
	if errors.As(err, &withID) {
		return withID.ServiceRequestID()
	}
	return ""
}

// awsSays is AWS's own message in err as a sentence to append to a step's
// message (" AWS says: ..."), or "" when AWS said nothing the code does not
// already say (a HEAD request's 403 has no body: "Forbidden: Forbidden").
func awsSays(err error) string {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return ""
	}
	msg := strings.TrimSpace(apiErr.ErrorMessage())
	var status interface{ HTTPStatusCode() int }
	if msg == "" || msg == apiErr.ErrorCode() || errors.As(err, &status) && msg == http.StatusText(status.HTTPStatusCode()) {
		return ""
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return " AWS says: " + msg
}

// failedStep fills s's status, cause, actor and the error's code, request ID
// and text; the caller writes the message and hint.
func failedStep(s *CheckStep, status Status, cause Cause, actor Actor, err error) {
	s.Status, s.Cause, s.Actor = status, cause, actor
	s.ErrorCode, s.RequestID, s.Detail = ErrorCode(err), RequestID(err), err.Error()
}

// ServiceStep turns the outcome of a connector's check call into the
// [StepServiceReachable] step. title names the service and call ("Amazon S3
// ListBuckets"); need is the permission the call proves; err is the call's
// error. On AccessDenied the step names the missing action and resource and
// carries the least-privilege statement to add ([CausePermissionMissing]);
// other failures are classified (credentials, region or endpoint, missing
// resource, throttling, network) with a [Cause], the [Actor] who must act and
// a hint. The message is sentences; AWS's error code, request ID and raw
// error are fields of their own.
func ServiceStep(title string, need policy.Requirement, err error) CheckStep {
	resource := need.Resource
	if resource == "" {
		resource = "*" // an action without resource-level permissions
	}
	s := CheckStep{ID: StepServiceReachable, Title: title, Action: need.Action, Resource: resource}
	if err == nil {
		s.Status = Passed
		s.Message = fmt.Sprintf("The service answered; the credentials have %s on %s.", need.Action, resource)
		return s
	}
	code := ErrorCode(err)
	says := awsSays(err)
	detail := err.Error()
	if apiErr := smithy.APIError(nil); errors.As(err, &apiErr) && apiErr.ErrorMessage() != "" {
		detail = apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	var netErr net.Error
	switch {
	case IsAccessDenied(err):
		failedStep(&s, Failed, CausePermissionMissing, ActorCustomer, err)
		s.Message = fmt.Sprintf("The credentials lack %s on %s.", need.Action, resource) + says
		s.Hint = fmt.Sprintf("Add the statement below to the permissions policy of the role (IAM console: the role, Permissions, Add permissions, Create inline policy) to allow %s on %s.", need.Action, resource)
		if doc, perr := policy.LeastPrivilege(need); perr == nil {
			s.PolicyToAdd = doc
		}
	case credentialCodes[code]:
		failedStep(&s, Failed, CauseCredentialsInvalid, ActorCustomer, err)
		s.Message = "The service refused the credentials." + says
		s.Hint = "The access key is unknown, deactivated or expired. For access-key authorization, create a new key for the IAM user; for role authorization, check the platform's own credentials."
	case errors.Is(err, ErrEndpointRefused):
		failedStep(&s, Failed, CauseEndpointRefused, ActorCustomer, err)
		s.Message = "The platform refused to connect to the connection's endpoint: " + endpointRefusal(err)
		s.Hint = "Use the service's public endpoint (clear the endpoint override), or have the platform allow this endpoint in its endpoint policy."
	case signatureCodes[code] && !strings.Contains(detail, "region"):
		failedStep(&s, Failed, CauseSignatureMismatch, ActorCustomer, err)
		s.Message = "The service refused the request's signature." + says
		s.Hint = "For access-key authorization, enter the secret access key that belongs to the access key ID again. Also check the connection's region and endpoint override: the signature covers both."
	case signatureCodes[code] || regionCodes[code] || strings.Contains(detail, "region"):
		failedStep(&s, Failed, CauseRegionMismatch, ActorCustomer, err)
		s.Message = "The service refused the request for its region or signature." + says
		s.Hint = "Check the connection's region: it must be the region of the service (for S3, the bucket's region), and the endpoint override, if any, must be that region's endpoint."
	case notFoundCodes[code]:
		failedStep(&s, Failed, CauseResourceNotFound, ActorCustomer, err)
		s.Message = "The resource does not exist." + says
		s.Hint = "Check the resource named in the connection's fields and that it is in the connection's region."
	case throttledCodes[code]:
		failedStep(&s, Warned, CauseThrottled, ActorPlatform, err)
		s.Message = "The service throttled the check call." + says
		s.Hint = "The account is over its request rate; try again shortly."
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		failedStep(&s, Failed, CauseNetworkError, ActorPlatform, err)
		s.Message = "The check call timed out or was cancelled."
		s.Hint = "Try again; if it keeps timing out, check the region and endpoint override."
	case errors.As(err, &netErr):
		failedStep(&s, Failed, CauseNetworkError, ActorPlatform, err)
		s.Message = "The service endpoint could not be reached."
		s.Hint = "Check the connection's region and endpoint override: the endpoint must exist and be reachable from the platform."
	case httpStatus(err) >= 500:
		failedStep(&s, Failed, CauseServiceUnavailable, ActorPlatform, err)
		s.Message = fmt.Sprintf("The service had an internal error (HTTP %d) and did not answer the check call.", httpStatus(err)) + says
		s.Hint = "The failure is on AWS's side and usually passes by itself: press Connect again shortly. If it persists, look at the AWS Health Dashboard for the service in the connection's region."
	default:
		failedStep(&s, Failed, CauseUnknown, "", err)
		s.Message = "The check call failed." + says
		s.Hint = "See the detail; check the connection's region, endpoint and fields."
	}
	return s
}

// httpStatus is the HTTP status of the response err answers, or 0 when
// there was none.
func httpStatus(err error) int {
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) {
		return status.HTTPStatusCode()
	}
	return 0
}

// endpointRefusal is the sentence of the [EndpointError] in err.
func endpointRefusal(err error) string {
	var ee *EndpointError
	if errors.As(err, &ee) {
		return sentence("", ee.message())
	}
	return errorSentence(err)
}
