package connectors

import (
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

// CheckStep is one step of a [CheckReport]. It is a plain value that
// marshals to JSON for a UI, safe to read from several goroutines.
type CheckStep struct {
	// ID names the step.
	ID StepID `json:"id"`
	// Title is the step's human name ("Role assumed").
	Title string `json:"title"`
	// Status is the outcome.
	Status Status `json:"status"`
	// Message says what happened.
	Message string `json:"message"`
	// Hint says what to change; empty when nothing needs changing.
	Hint string `json:"hint,omitempty"`
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
// connection check. It is a plain value that marshals to JSON, safe to read
// from several goroutines; [CheckReport.Add] needs the only reference.
type CheckReport struct {
	// ConnectionID is the ID of the checked connection.
	ConnectionID string `json:"connection_id,omitempty"`
	// Kind is the checked connection's connector kind ("s3", "lex").
	Kind string `json:"kind,omitempty"`
	// Steps are in the order they ran.
	Steps []CheckStep `json:"steps"`
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

// skippedStep is a step that did not run, with the reason.
func skippedStep(id StepID, title, why string) CheckStep {
	return CheckStep{ID: id, Title: title, Status: Skipped, Message: why}
}

// ConfigFailure is the whole report of a connector whose configuration is
// invalid (a connection field the connector cannot use): one failed
// [StepServiceReachable] step titled title, whose message is err and whose
// hint says which field to correct. A connector's Check returns it before
// making any call, since no call could prove anything.
func ConfigFailure(title string, err error, hint string) CheckReport {
	return CheckReport{Steps: []CheckStep{{ID: StepServiceReachable, Title: title, Status: Failed, Message: err.Error(), Hint: hint}}}
}
