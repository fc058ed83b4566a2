package policy

import (
	"fmt"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// The enums a screen shows marshal as their names, not as integers, and parse
// back from them, so stored findings and decisions survive a reordering of
// the constants.

var severityNames = map[Severity]string{
	SeverityError: "ERROR", SeveritySecurityWarning: "SECURITY_WARNING",
	SeverityWarning: "WARNING", SeveritySuggestion: "SUGGESTION",
}

var decisionNames = map[Decision]string{ImplicitDeny: "ImplicitDeny", Allow: "Allow", ExplicitDeny: "ExplicitDeny"}

// MarshalText writes the severity's name ("SECURITY_WARNING"); it refuses a
// value that is none of the Severity constants.
func (s Severity) MarshalText() ([]byte, error) {
	if name, ok := severityNames[s]; ok {
		return []byte(name), nil
	}
	return nil, fmt.Errorf("policy: Severity(%d) is not a severity; use one of the Severity constants", int(s))
}

// UnmarshalText parses a name MarshalText writes.
func (s *Severity) UnmarshalText(text []byte) error {
	if v, ok := parseName(severityNames, text); ok {
		*s = v
		return nil
	}
	return fmt.Errorf("policy: %s is not a severity; use ERROR, SECURITY_WARNING, WARNING or SUGGESTION", echo.Quote(string(text)))
}

// MarshalText writes the decision's name ("ExplicitDeny"); it refuses a
// value that is none of the Decision constants.
func (d Decision) MarshalText() ([]byte, error) {
	if name, ok := decisionNames[d]; ok {
		return []byte(name), nil
	}
	return nil, fmt.Errorf("policy: Decision(%d) is not a decision; use Allow, ImplicitDeny or ExplicitDeny", int(d))
}

// UnmarshalText parses a name MarshalText writes.
func (d *Decision) UnmarshalText(text []byte) error {
	if v, ok := parseName(decisionNames, text); ok {
		*d = v
		return nil
	}
	return fmt.Errorf("policy: %s is not a decision; use Allow, ImplicitDeny or ExplicitDeny", echo.Quote(string(text)))
}

// parseName returns the value names gives the name text.
func parseName[T comparable](names map[T]string, text []byte) (T, bool) {
	for v, name := range names {
		if name == string(text) {
			return v, true
		}
	}
	var zero T
	return zero, false
}
