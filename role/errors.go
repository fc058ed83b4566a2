package role

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	echopkg "github.com/awsconnect/awsconnect/internal/echo"
)

// ErrClosed is returned by calls that would reach STS after [Cache.Close].
var ErrClosed = errors.New("role: cache is closed")

// ErrRateLimited is wrapped by the [*RateLimitError] a call gets when
// Options.RateLimit refused the AssumeRole it needed.
var ErrRateLimited = errors.New("role: AssumeRole rate limit reached")

// ErrExternalIDRetired is wrapped by the error every Retrieve,
// Provider.Retrieve and RetrieveFresh gets for an external ID retired with
// [Cache.RetireExternalID] or reported retired by Options.Retired.
var ErrExternalIDRetired = errors.New("role: external ID is retired")

// RateLimitError says a call was refused by Options.RateLimit, without
// calling STS and without waiting. It wraps [ErrRateLimited].
//
// A RateLimitError is not modified after it is returned and is safe to read
// from several goroutines.
type RateLimitError struct {
	// RoleARN and ExternalID name the key that was refused.
	RoleARN, ExternalID string
	// PlatformWide is true when the platform-wide bucket refused the call.
	PlatformWide bool
	// TenantWide is true when the key's tenant had used its share
	// (RateLimit.TenantShare); with neither set, the key had used its own
	// (RateLimit.KeyShare).
	TenantWide bool
	// RetryAfter is how long until the bucket that refused holds a token
	// again (another key may take it first).
	RetryAfter time.Duration
}

// Error says which bucket refused and when to come back.
func (e *RateLimitError) Error() string {
	which := "this key's share of the AssumeRole rate limit is used up"
	switch {
	case e.PlatformWide:
		which = "the platform-wide AssumeRole rate limit is reached"
	case e.TenantWide:
		which = "this tenant's share of the AssumeRole rate limit is used up by its keys together"
	}
	return fmt.Sprintf("role: assume role %s with external ID %s: %s; retry after %v, or raise Options.RateLimit",
		e.RoleARN, e.ExternalID, which, e.RetryAfter.Round(time.Millisecond))
}

// Unwrap returns ErrRateLimited.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// Reason classifies why AssumeRole failed, so a platform can tell the
// customer (or its own operators) what to change. A Reason is a plain value.
type Reason int

// The reasons an AssumeRole call fails. The zero value is ReasonUnknown.
const (
	// ReasonUnknown is a failure none of the other reasons describe.
	ReasonUnknown Reason = iota
	// ReasonTrustPolicy: STS answered AccessDenied; the role's trust policy
	// does not admit the platform account with this external ID (or the role
	// does not exist). The customer must fix the trust policy.
	ReasonTrustPolicy
	// ReasonDurationTooLong: the requested duration exceeds the role's
	// MaxSessionDuration.
	ReasonDurationTooLong
	// ReasonRegionDisabled: STS is not activated in the region the platform
	// calls.
	ReasonRegionDisabled
	// ReasonPlatformCredentials: the platform's own credentials are invalid
	// or expired; the platform operator must fix them, not the customer.
	ReasonPlatformCredentials
	// ReasonThrottled: STS refused the call for rate ("Rate exceeded").
	ReasonThrottled
	// ReasonNetwork: STS could not be reached, or the call timed out or was
	// cancelled.
	ReasonNetwork
	// ReasonInvalidRequest: STS refused the parameters (malformed session
	// policy, packed policy too large, invalid tag).
	ReasonInvalidRequest
	// ReasonClockSkew: the platform's clock is more than 5 minutes off
	// AWS's, so STS refuses its signatures. The platform operator must fix
	// the clock.
	ReasonClockSkew
	// ReasonPlatformPermission: STS answered AccessDenied because the
	// platform principal's own identity policies do not allow sts:AssumeRole
	// on the role; the platform operator, not the customer, must grant it.
	ReasonPlatformPermission
	// ReasonServiceUnavailable: STS answered with a server error (HTTP 5xx,
	// InternalFailure, ServiceUnavailable): AWS's side, retried with
	// backoff; nobody needs to change anything.
	ReasonServiceUnavailable
)

var reasonNames = [...]string{
	ReasonUnknown:             "unknown",
	ReasonTrustPolicy:         "trust policy refused",
	ReasonDurationTooLong:     "duration above the role's maximum",
	ReasonRegionDisabled:      "STS disabled in the region",
	ReasonPlatformCredentials: "platform credentials invalid or expired",
	ReasonThrottled:           "throttled",
	ReasonNetwork:             "network",
	ReasonInvalidRequest:      "invalid request",
	ReasonClockSkew:           "platform clock skewed",
	ReasonPlatformPermission:  "platform not allowed to assume roles",
	ReasonServiceUnavailable:  "STS unavailable",
}

// MarshalText writes r's stable snake_case name ("trust_policy"), the same
// its metrics use as error.type, for JSON; it refuses a value that is none
// of the Reason constants.
func (r Reason) MarshalText() ([]byte, error) {
	if name, ok := reasonMetricNames[r]; ok {
		return []byte(name), nil
	}
	return nil, fmt.Errorf("role: Reason(%d) is not a reason; use one of the Reason constants", int(r))
}

// UnmarshalText parses a name MarshalText writes.
func (r *Reason) UnmarshalText(text []byte) error {
	names := make([]string, 0, len(reasonMetricNames))
	for v := ReasonUnknown; int(v) < len(reasonNames); v++ {
		if reasonMetricNames[v] == string(text) {
			*r = v
			return nil
		}
		names = append(names, reasonMetricNames[v])
	}
	return fmt.Errorf("role: %q is not a reason; use one of %s", text, strings.Join(names, ", "))
}

// String returns a short human description of r.
func (r Reason) String() string {
	if r >= 0 && int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// AssumeRoleError is returned when STS refuses or cannot serve AssumeRole. It
// carries the classified Reason and, through Hint, what to change. It never
// holds credentials. Use errors.As to get it from a wrapped error.
//
// An AssumeRoleError is not modified after it is returned and is safe to read
// from several goroutines.
type AssumeRoleError struct {
	// RoleARN is the role that was to be assumed.
	RoleARN string
	// ExternalID is the external ID that was sent.
	ExternalID string
	// Caller is the platform principal that called STS, taken from STS's
	// message or from Options.PlatformAccountID; "" when unknown.
	Caller string
	// Code is STS's error code (AccessDenied, RegionDisabledException, ...);
	// "" when STS gave no answer.
	Code string
	// Reason is the classified cause.
	Reason Reason
	// Err is the underlying error from the SDK.
	Err error
	// FromNegativeCache is true when this error was not produced by a call
	// made for this caller but answered from the key's negative cache (or
	// retry backoff): the last call failed this way and NextAttempt has not
	// come yet.
	FromNegativeCache bool
	// NextAttempt is, for an error from the negative cache, the earliest
	// time (on Options.Now) the cache will call STS again for the key;
	// RetrieveFresh may call earlier. Zero otherwise.
	NextAttempt time.Time

	platformAccount string // for Hint; from Options.PlatformAccountID or Caller
	deniedAction    string // for Hint; the action STS's AccessDenied names, "" if none
}

// Error reports the role, the external ID, the reason and the SDK's error.
func (e *AssumeRoleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "role: assume role %s with external ID %s: %s", e.RoleARN, e.ExternalID, e.Reason)
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.FromNegativeCache {
		fmt.Fprintf(&b, " (cached failure; next attempt after %s)", e.NextAttempt.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// cached returns a copy of e marked as answered from the negative cache, so
// the error the failed call returned is never modified.
func (e *AssumeRoleError) cached(next time.Time) *AssumeRoleError {
	n := *e
	n.FromNegativeCache = true
	n.NextAttempt = next
	return &n
}

// Retryable reports whether retrying the same call can succeed without
// anybody changing anything: true for throttling, network failures, STS's
// own server errors and unclassified errors; false for the reasons that need the customer or the
// platform operator to act (trust policy, role missing, duration, region,
// invalid request, platform credentials or permissions, clock skew). The
// Cache keeps non-retryable failures in its negative cache
// (Options.NegativeTTL) and backs off from retryable ones
// (Options.RetryBackoff).
func (r Reason) Retryable() bool {
	switch r {
	case ReasonThrottled, ReasonNetwork, ReasonServiceUnavailable, ReasonUnknown:
		return true
	}
	return false
}

// Unwrap returns the SDK's error, so errors.Is(err, context.Canceled) and
// errors.As(err, &smithy.APIError) work through an AssumeRoleError.
func (e *AssumeRoleError) Unwrap() error { return e.Err }

// Hint tells the reader what to change to make the call succeed.
func (e *AssumeRoleError) Hint() string {
	switch e.Reason {
	case ReasonTrustPolicy:
		account := e.platformAccount
		if account == "" {
			account = "<platform account ID>"
		}
		if e.deniedAction == "sts:TagSession" || e.deniedAction == "sts:SetSourceIdentity" {
			// The trust statement exists (STS got past sts:AssumeRole's
			// check) but does not allow the extra action the spec needs.
			return fmt.Sprintf("The role's trust policy does not allow %s, which the connection's session tags or source identity need. "+
				"In the customer's account, open the role %s's trust relationships and add %q to the Action of the statement that admits the platform, so it reads "+
				`"Action":["sts:AssumeRole","%s"]; or remove the tags or source identity from the connection.`,
				e.deniedAction, e.RoleARN, e.deniedAction, e.deniedAction)
		}
		return fmt.Sprintf("The role's trust policy does not admit account %s with external ID %s, or the role %s does not exist. "+
			"In the customer's account, open the role's trust relationships and add this statement: "+
			`{"Effect":"Allow","Principal":{"AWS":"arn:%s:iam::%s:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"%s"}}}`,
			account, e.ExternalID, e.RoleARN, partitionOf(e.RoleARN), account, e.ExternalID)
	case ReasonDurationTooLong:
		return fmt.Sprintf("The requested session duration is longer than the role's maximum session duration. "+
			"Either lower the connection's session duration, or raise the role's MaxSessionDuration (IAM console: role %s, Summary, Maximum session duration).", e.RoleARN)
	case ReasonRegionDisabled:
		return "STS is not activated in the region the platform calls. Activate it in the platform account (IAM console, Account settings, Security Token Service regions) or configure the STS client for a region where it is active."
	case ReasonPlatformCredentials:
		return "The platform's own AWS credentials are invalid or expired; this is not the customer's doing. Rotate or reload the platform credentials the STS client uses."
	case ReasonThrottled:
		return "STS is throttling the platform account. The cache retries with backoff; reduce the number of distinct sessions (share Specs) or ask AWS for a higher STS quota."
	case ReasonNetwork:
		return "STS could not be reached or did not answer in time. Check the platform's network path to the STS endpoint; the call will be retried."
	case ReasonServiceUnavailable:
		return "STS answered with a server error; this is AWS's side, not the customer's doing. The call is retried with backoff; press Connect again in a minute."
	case ReasonInvalidRequest:
		return "STS refused the request parameters (session policy, policy ARNs or tags). Check the connection's session options against STS limits."
	case ReasonClockSkew:
		return "The platform's clock differs from AWS's by more than 5 minutes, so STS refuses its signatures; this is not the customer's doing. Synchronise the platform host's clock (NTP)."
	case ReasonPlatformPermission:
		return fmt.Sprintf("The platform principal %s is not allowed to call sts:AssumeRole by its own identity policies; this is not the customer's doing. "+
			`Attach to it a policy with {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"%s"} (or arn:%s:iam::*:role/* for every customer role).`,
			e.Caller, e.RoleARN, partitionOf(e.RoleARN))
	}
	return "AssumeRole failed for an unclassified reason; see the underlying error."
}

// callerPattern finds the calling principal and the denied action in STS's
// AccessDenied message:
// "User: arn:aws:iam::111122223333:user/x is not authorized to perform: sts:AssumeRole ...".
var callerPattern = regexp.MustCompile(`User: (arn:[^ ]+) is not authorized(?: to perform: (sts:[A-Za-z]+))?`)

// newAssumeRoleError classifies err, which came from an AssumeRole call.
func newAssumeRoleError(roleARN, externalID, platformAccount string, err error) *AssumeRoleError {
	e := &AssumeRoleError{
		RoleARN:         roleARN,
		ExternalID:      externalID,
		Caller:          platformAccount,
		Err:             err,
		platformAccount: platformAccount,
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		e.Code = apiErr.ErrorCode()
		msg := apiErr.ErrorMessage()
		if m := callerPattern.FindStringSubmatch(msg); m != nil {
			e.Caller, e.deniedAction = m[1], m[2]
			if e.platformAccount == "" {
				if parts := strings.SplitN(m[1], ":", 6); len(parts) == 6 {
					e.platformAccount = parts[4]
				}
			}
		}
		e.Reason = classifyCode(e.Code, msg)
		var status interface{ HTTPStatusCode() int }
		if e.Reason == ReasonUnknown && errors.As(err, &status) && status.HTTPStatusCode() >= 500 {
			e.Reason = ReasonServiceUnavailable
		}
		return e
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr):
		e.Reason = ReasonNetwork
	}
	return e
}

// partitionOf returns the partition of a role ARN, "aws" when it has none,
// so that hints for aws-cn or aws-us-gov roles name principals that exist there.
func partitionOf(roleARN string) string {
	if a, err := ParseRoleARN(roleARN); err == nil {
		return a.Partition
	}
	return "aws"
}

func classifyCode(code, msg string) Reason {
	switch code {
	case "AccessDenied", "AccessDeniedException":
		// AWS names the caller's own policies when they are what denied
		// the call; a trust-policy refusal gives no reason.
		if strings.Contains(msg, "identity-based policy") {
			return ReasonPlatformPermission
		}
		return ReasonTrustPolicy
	case "NoSuchEntity":
		return ReasonTrustPolicy
	case "RequestTimeTooSkewed":
		return ReasonClockSkew
	case "RegionDisabledException":
		return ReasonRegionDisabled
	case "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch",
		"UnrecognizedClientException", "MissingAuthenticationToken", "IncompleteSignature", "InvalidAccessKeyId":
		return ReasonPlatformCredentials
	case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException":
		return ReasonThrottled
	case "InternalFailure", "InternalError", "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException":
		return ReasonServiceUnavailable
	case "MalformedPolicyDocument", "PackedPolicyTooLarge", "InvalidParameterValue", "InvalidParameterCombination":
		return ReasonInvalidRequest
	case "ValidationError":
		if strings.Contains(msg, "DurationSeconds") || strings.Contains(msg, "MaxSessionDuration") {
			return ReasonDurationTooLong
		}
		return ReasonInvalidRequest
	}
	if strings.Contains(msg, "Rate exceeded") {
		return ReasonThrottled
	}
	return ReasonUnknown
}

// echo quotes s for an error message, cut to echo.Max bytes.
func echo(s string) string { return echopkg.Quote(s) }
