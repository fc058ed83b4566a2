package connectors

import (
	"fmt"
	"slices"
	"strings"
)

// The string enums a screen reads parse back only into the values the
// library writes: a stored report, switch or drift event with a value this
// version does not know fails to decode with an error naming the value and
// the known ones, instead of reading as a status no screen renders. The
// empty string is each enum's zero value (a passed step has no cause) and
// always parses.

// EnumError is the error of decoding a value no constant of the enum Type
// has. It is a plain value, safe to read from several goroutines.
type EnumError struct {
	// Type is the enum's Go name ("connectors.Status").
	Type string
	// Value is the text that was refused.
	Value string
	// Known are the values Type has, in their documented order.
	Known []string
}

// Error names the refused value and the known ones.
func (e *EnumError) Error() string {
	return fmt.Sprintf("connectors: %q is not a %s; use one of %s", e.Value, e.Type, strings.Join(e.Known, ", "))
}

// parseEnum returns text as a T if it is empty or one of known.
func parseEnum[T ~string](typeName string, text []byte, known ...T) (T, error) {
	v := T(text)
	if v == "" || slices.Contains(known, v) {
		return v, nil
	}
	names := make([]string, len(known))
	for i, k := range known {
		names[i] = string(k)
	}
	return "", &EnumError{Type: typeName, Value: string(text), Known: names}
}

// UnmarshalText parses a status MarshalJSON wrote ("passed"), refusing any
// other with an *[EnumError].
func (s *Status) UnmarshalText(text []byte) (err error) {
	*s, err = parseEnum("connectors.Status", text, Passed, Warned, Failed, Skipped)
	return err
}

// UnmarshalText parses a step ID ("role_assumed"), refusing any other with
// an *[EnumError].
func (s *StepID) UnmarshalText(text []byte) (err error) {
	*s, err = parseEnum("connectors.StepID", text, StepFields, StepRoleAssumed, StepExternalIDRequired, StepServiceReachable)
	return err
}

// UnmarshalText parses a cause ("trust_policy_denied"), refusing any other
// with an *[EnumError].
func (c *Cause) UnmarshalText(text []byte) (err error) {
	*c, err = parseEnum("connectors.Cause", text,
		CauseInvalidFields, CauseEndpointRefused, CauseSettingsInvalid, CauseTrustPolicyDenied,
		CauseSessionDurationTooLong, CauseRegionDisabled, CausePlatformCredentialsInvalid,
		CausePlatformPermissionMissing, CauseClockSkew, CauseInvalidRequest, CauseExternalIDRetired,
		CauseRateLimited, CauseExternalIDNotRequired, CauseExternalIDUnverified, CauseConnectorConfigInvalid,
		CausePermissionMissing, CauseCredentialsInvalid, CauseSignatureMismatch, CauseRegionMismatch,
		CauseResourceNotFound, CauseThrottled, CauseNetworkError, CauseServiceUnavailable, CauseUnknown)
	return err
}

// UnmarshalText parses an actor ("customer"), refusing any other with an
// *[EnumError].
func (a *Actor) UnmarshalText(text []byte) (err error) {
	*a, err = parseEnum("connectors.Actor", text, ActorCustomer, ActorPlatform)
	return err
}

// UnmarshalText parses an authorization type ("iam_role"), refusing any
// other with an *[EnumError]; [Connection.UnmarshalJSON] reports it as the
// *[FieldError] of "auth.type".
func (t *AuthType) UnmarshalText(text []byte) (err error) {
	*t, err = parseEnum("connectors.AuthType", text, AuthIAMRole, AuthAccessKey)
	return err
}

// UnmarshalText parses a drift kind ("role_untrusted"), refusing any other
// with an *[EnumError].
func (k *DriftKind) UnmarshalText(text []byte) (err error) {
	*k, err = parseEnum("connectors.DriftKind", text, DriftUntrusted, DriftExternalIDNotRequired, DriftPermissionMissing)
	return err
}

// UnmarshalText parses a switch kind ("mode_switch"), refusing any other
// with an *[EnumError].
func (k *SwitchKind) UnmarshalText(text []byte) (err error) {
	*k, err = parseEnum("connectors.SwitchKind", text, ModeSwitch, Rotation)
	return err
}

// UnmarshalText parses a switch step ("planned"), refusing any other with
// an *[EnumError].
func (s *SwitchStep) UnmarshalText(text []byte) (err error) {
	*s, err = parseEnum("connectors.SwitchStep", text, SwitchPlanned, SwitchVerified, SwitchCommitted, SwitchFinished)
	return err
}

// UnmarshalText parses a readiness ("ready"), refusing any other with an
// *[EnumError].
func (r *Readiness) UnmarshalText(text []byte) (err error) {
	*r, err = parseEnum("connectors.Readiness", text, Unverified, Ready, NotReady)
	return err
}

// UnmarshalText parses a cleanup state ("done"), refusing any other with an
// *[EnumError].
func (c *Cleanup) UnmarshalText(text []byte) (err error) {
	*c, err = parseEnum("connectors.Cleanup", text, CleanupPending, CleanupDone, CleanupOldIDTrusted, CleanupNewIDRefused, CleanupUnknown)
	return err
}
