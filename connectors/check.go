package connectors

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/awsconnect/awsconnect/policy"
)

// Status is the outcome of one check step.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Status string

const (
	// Passed: the step proved what it checks.
	Passed Status = "passed"
	// Warned: the connection works, but something should be changed.
	Warned Status = "warned"
	// Failed: the connection does not work until the hint is followed.
	Failed Status = "failed"
	// Skipped: the step did not apply or an earlier step failed.
	Skipped Status = "skipped"
)

// StepID names a check step, stable for UIs and tests.
//
// It is a plain value: safe to copy and to read from several goroutines.
type StepID string

// The steps of a connection check, in the order they run.
const (
	// StepFields: every connection field is valid.
	StepFields StepID = "fields_valid"
	// StepRoleAssumed: the platform assumed the role with the external ID.
	StepRoleAssumed StepID = "role_assumed"
	// StepExternalIDRequired: the role refuses the platform without the
	// external ID (otherwise it is open to the confused deputy).
	StepExternalIDRequired StepID = "external_id_required"
	// StepServiceReachable: the service answered a call that needs the
	// connector's permission.
	StepServiceReachable StepID = "service_reachable"
)

// Cause is the stable, machine-readable code of why a check step failed or
// warned, for a UI to pick its own text, icon or help page by. Each step's
// Message says the same in a sentence.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Cause string

// The causes of failed and warned check steps. The step each comes from is
// named; see [CheckStep.Actor] for who must act.
const (
	// CauseInvalidFields: fields_valid failed; CheckStep.Fields names them.
	CauseInvalidFields Cause = "invalid_fields"
	// CauseEndpointRefused: the endpoint override names an address the
	// platform's [EndpointPolicy] refuses (fields_valid, or service_reachable
	// when the host resolved to one at dial time).
	CauseEndpointRefused Cause = "endpoint_refused"
	// CauseSettingsInvalid: role_assumed failed before calling STS: the
	// workspace's scope settings could not be read or the resolver has no
	// role cache.
	CauseSettingsInvalid Cause = "settings_invalid"
	// CauseTrustPolicyDenied: role_assumed: STS refused AssumeRole with the
	// external ID; the trust policy does not admit the platform with it, or
	// the role does not exist (STS does not say which). CheckStep.TrustPolicy
	// is the policy to set.
	CauseTrustPolicyDenied Cause = "trust_policy_denied"
	// CauseSessionDurationTooLong: role_assumed: the session asked for is
	// longer than the role's MaxSessionDuration.
	CauseSessionDurationTooLong Cause = "session_duration_too_long"
	// CauseRegionDisabled: role_assumed: STS is not activated in the region
	// the platform calls.
	CauseRegionDisabled Cause = "region_disabled"
	// CausePlatformCredentialsInvalid: role_assumed: STS refused the
	// platform's own credentials.
	CausePlatformCredentialsInvalid Cause = "platform_credentials_invalid"
	// CausePlatformPermissionMissing: role_assumed: the platform principal's
	// own policies do not allow sts:AssumeRole on the role.
	CausePlatformPermissionMissing Cause = "platform_permission_missing"
	// CauseClockSkew: role_assumed: the platform's clock is more than 5
	// minutes off AWS's.
	CauseClockSkew Cause = "clock_skew"
	// CauseInvalidRequest: role_assumed: STS refused the call's parameters
	// (session policy, tags).
	CauseInvalidRequest Cause = "invalid_request"
	// CauseExternalIDRetired: role_assumed: the external ID was retired by a
	// scope switch or rotation on this platform.
	CauseExternalIDRetired Cause = "external_id_retired"
	// CauseRateLimited: role_assumed: the platform's own AssumeRole rate
	// limit (role.Options.RateLimit) refused the call.
	CauseRateLimited Cause = "rate_limited"
	// CauseExternalIDNotRequired: external_id_required warned: the role can
	// be assumed without the external ID (the confused deputy).
	CauseExternalIDNotRequired Cause = "external_id_not_required"
	// CauseExternalIDUnverified: external_id_required warned: STS's answer
	// to the probe without the external ID did not tell.
	CauseExternalIDUnverified Cause = "external_id_unverified"
	// CauseConnectorConfigInvalid: service_reachable failed before any call:
	// the connector cannot use the connection's fields ([ConfigFailure]).
	CauseConnectorConfigInvalid Cause = "connector_config_invalid"
	// CausePermissionMissing: service_reachable: the role or key lacks the
	// connector's permission; CheckStep.PolicyToAdd is the statement to add.
	CausePermissionMissing Cause = "permission_missing"
	// CauseCredentialsInvalid: service_reachable: the service refused the
	// credentials (an unknown, deactivated or expired access key).
	CauseCredentialsInvalid Cause = "credentials_invalid"
	// CauseSignatureMismatch: service_reachable: the service refused the
	// request's signature, most often a wrong secret access key.
	CauseSignatureMismatch Cause = "signature_mismatch"
	// CauseRegionMismatch: service_reachable: the service refused the
	// request for its region (a bucket in another region, a signature
	// scoped to another region).
	CauseRegionMismatch Cause = "region_mismatch"
	// CauseResourceNotFound: service_reachable: the resource the connection
	// names (bucket, function, bot) does not exist in its region.
	CauseResourceNotFound Cause = "resource_not_found"
	// CauseThrottled: role_assumed or service_reachable (warned): AWS
	// throttled the call; trying again later succeeds.
	CauseThrottled Cause = "throttled"
	// CauseNetworkError: role_assumed or service_reachable: AWS could not be
	// reached, or the call timed out or was cancelled.
	CauseNetworkError Cause = "network_error"
	// CauseServiceUnavailable: role_assumed or service_reachable: STS or
	// the service answered with a server error (HTTP 5xx), on AWS's side,
	// which usually passes by itself.
	CauseServiceUnavailable Cause = "service_unavailable"
	// CauseUnknown: a failure none of the other causes describe;
	// CheckStep.Detail holds the error.
	CauseUnknown Cause = "unknown"
)

// Actor is who must act on a failed or warned check step.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Actor string

const (
	// ActorCustomer: the customer fixes it, in their AWS account (the role's
	// trust or permissions policy, the bucket) or in the connection form.
	ActorCustomer Actor = "customer"
	// ActorPlatform: the platform's operators fix it (their own credentials,
	// permissions, clock, settings), or it passes by itself (throttling, the
	// network) and the platform tries again.
	ActorPlatform Actor = "platform"
)

// CheckStep is one step of a [CheckReport]. It is a plain value that
// marshals to JSON for a UI, safe to read from several goroutines.
type CheckStep struct {
	// ID names the step.
	ID StepID `json:"id"`
	// Title is the step's human name ("Role assumed").
	Title string `json:"title"`
	// Status is the outcome.
	Status Status `json:"status"`
	// Message says what happened, in sentences; it holds no raw SDK error
	// (see Detail).
	Message string `json:"message"`
	// Hint says what to change; empty when nothing needs changing.
	Hint string `json:"hint,omitempty"`
	// Cause is the machine-readable reason of a failed or warned step;
	// empty for passed and skipped steps.
	Cause Cause `json:"cause,omitempty"`
	// Actor is who must act on a failed or warned step; empty when
	// nobody is known to be (CauseUnknown).
	Actor Actor `json:"actor,omitempty"`
	// RequestID is the AWS request ID of the call that failed, for the
	// customer's CloudTrail or AWS support; empty when AWS sent none.
	RequestID string `json:"request_id,omitempty"`
	// ErrorCode is AWS's error code ("AccessDenied"); empty when AWS gave
	// no answer.
	ErrorCode string `json:"error_code,omitempty"`
	// Detail is the raw error text (which never holds a secret), for
	// support and logs rather than the main message.
	Detail string `json:"detail,omitempty"`
	// Action is the IAM action that was missing (Failed) or proved
	// (Passed) by a service step, such as "s3:ListBucket".
	Action string `json:"action,omitempty"`
	// Resource is the ARN Action was missing or proved on; "*" for an
	// action without resource-level permissions.
	Resource string `json:"resource,omitempty"`
	// PolicyToAdd is the least-privilege policy statement(s) to add to the
	// role's permissions when a permission is missing.
	PolicyToAdd *policy.Document `json:"policy_to_add,omitempty"`
	// TrustPolicy is the trust policy the role should have, when the trust
	// policy is what must change.
	TrustPolicy *policy.Document `json:"trust_policy,omitempty"`
	// Fields lists the invalid connection fields of a failed StepFields.
	Fields []*FieldError `json:"fields,omitempty"`
	// CredentialsObtainedAt is when a passed StepRoleAssumed obtained the
	// credentials it proved, from STS itself (Connect never answers from
	// the cache); zero for other steps.
	CredentialsObtainedAt time.Time `json:"credentials_obtained_at,omitzero"`
	// CredentialsExpireAt is when those credentials expire; zero for other
	// steps.
	CredentialsExpireAt time.Time `json:"credentials_expire_at,omitzero"`
}

// CheckReport is the answer to the Connect button: the ordered steps of a
// connection check. It is a plain value that marshals to JSON with its
// overall "status" ([CheckReport.Status]) beside the steps, safe to read from
// several goroutines; [CheckReport.Add] needs the only reference.
type CheckReport struct {
	// ConnectionID is the ID of the checked connection.
	ConnectionID string `json:"connection_id,omitempty"`
	// Kind is the checked connection's connector kind ("s3", "lex").
	Kind string `json:"kind,omitempty"`
	// Steps are in the order they ran.
	Steps []CheckStep `json:"steps"`
}

// MarshalJSON writes the report with its overall "status" first and "steps"
// as a list, empty for the zero report. Decoding ignores "status", which
// follows from the steps.
func (r CheckReport) MarshalJSON() ([]byte, error) {
	type plain CheckReport // no methods: no recursion
	p := plain(r)
	if p.Steps == nil {
		p.Steps = []CheckStep{}
	}
	return json.Marshal(struct {
		Status Status `json:"status"`
		plain
	}{r.Status(), p})
}

// Add appends a step.
func (r *CheckReport) Add(s CheckStep) { r.Steps = append(r.Steps, s) }

// OK reports whether no step failed (warnings allowed).
func (r CheckReport) OK() bool {
	_, failed := r.FirstFailure()
	return !failed
}

// FirstFailure returns the first failed step.
func (r CheckReport) FirstFailure() (CheckStep, bool) {
	for _, s := range r.Steps {
		if s.Status == Failed {
			return s, true
		}
	}
	return CheckStep{}, false
}

// Step returns the step with the given ID.
func (r CheckReport) Step(id StepID) (CheckStep, bool) {
	for _, s := range r.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return CheckStep{}, false
}

// Status is the report's overall outcome: Failed if any step failed, else
// Warned if any warned, else Passed.
func (r CheckReport) Status() Status {
	out := Passed
	for _, s := range r.Steps {
		switch s.Status {
		case Failed:
			return Failed
		case Warned:
			out = Warned
		}
	}
	return out
}

// String renders the report for a terminal: one line per step, with hints
// and any policy to add indented below.
func (r CheckReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "check of connection %q (%s): %s\n", r.ConnectionID, r.Kind, r.Status())
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "  [%s] %s: %s\n", s.Status, s.Title, s.Message)
		if s.Cause != "" {
			fmt.Fprintf(&b, "      cause: %s (to act: %s)", s.Cause, actorOrNobody(s.Actor))
			if s.ErrorCode != "" {
				fmt.Fprintf(&b, ", AWS error %s", s.ErrorCode)
			}
			if s.RequestID != "" {
				fmt.Fprintf(&b, ", request ID %s", s.RequestID)
			}
			b.WriteString("\n")
		}
		for _, f := range s.Fields {
			fmt.Fprintf(&b, "      %s: %s\n", f.Path, f.Message)
		}
		if s.Hint != "" {
			fmt.Fprintf(&b, "      hint: %s\n", s.Hint)
		}
		if s.TrustPolicy != nil {
			if j, err := s.TrustPolicy.JSON(); err == nil {
				fmt.Fprintf(&b, "      set the role's trust policy to: %s\n", j)
			}
		}
		if s.PolicyToAdd != nil {
			if j, err := s.PolicyToAdd.JSON(); err == nil {
				fmt.Fprintf(&b, "      add to the role's permissions: %s\n", j)
			}
		}
	}
	return b.String()
}

// actorOrNobody names a for String.
func actorOrNobody(a Actor) string {
	if a == "" {
		return "unknown"
	}
	return string(a)
}

// skippedStep is a step that did not run, with the reason.
func skippedStep(id StepID, title, why string) CheckStep {
	return CheckStep{ID: id, Title: title, Status: Skipped, Message: why}
}

// ConfigFailure is the whole report of a connector whose configuration is
// invalid (a connection field the connector cannot use): one failed
// [StepServiceReachable] step titled title, of [CauseConnectorConfigInvalid],
// whose message is err as a sentence and whose hint says which field to
// correct. A connector's Check returns it before making any call, since no
// call could prove anything.
func ConfigFailure(title string, err error, hint string) CheckReport {
	return CheckReport{Steps: []CheckStep{{ID: StepServiceReachable, Title: title, Status: Failed,
		Message: errorSentence(err), Hint: hint, Cause: CauseConnectorConfigInvalid, Actor: ActorCustomer, Detail: err.Error()}}}
}

// errorSentence is err's text as a sentence: without its package prefix,
// capitalised, ending in a full stop.
func errorSentence(err error) string { return sentence("", err.Error()) }
