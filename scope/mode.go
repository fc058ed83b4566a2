package scope

import (
	"errors"
	"fmt"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// Mode says how a workspace scopes its external IDs. The zero value is not a
// valid mode; use [WorkspaceMode] or [ProjectMode].
type Mode string

const (
	// WorkspaceMode gives the whole workspace one external ID
	// ("Single external ID for the workspace").
	WorkspaceMode Mode = "workspace"
	// ProjectMode gives each project of a workspace its own external ID
	// ("Separate external ID for each project").
	ProjectMode Mode = "project"
)

// ErrInvalidMode is returned (wrapped) for a mode other than "workspace" or
// "project".
var ErrInvalidMode = errors.New("scope: invalid mode")

// ParseMode parses "workspace" or "project", ignoring case and surrounding
// space.
func ParseMode(s string) (Mode, error) {
	m := Mode(strings.ToLower(strings.TrimSpace(s)))
	if err := m.Validate(); err != nil {
		return "", err
	}
	return m, nil
}

// Validate reports whether m is [WorkspaceMode] or [ProjectMode].
func (m Mode) Validate() error {
	switch m {
	case WorkspaceMode, ProjectMode:
		return nil
	case "":
		return fmt.Errorf("%w: mode is empty; use %q or %q", ErrInvalidMode, WorkspaceMode, ProjectMode)
	}
	return fmt.Errorf("%w: %s; use %q or %q", ErrInvalidMode, echo.Quote(string(m)), WorkspaceMode, ProjectMode)
}

// String returns "workspace" or "project".
func (m Mode) String() string { return string(m) }

// Title returns the label a settings page shows for m.
func (m Mode) Title() string {
	switch m {
	case WorkspaceMode:
		return "Single external ID for the workspace"
	case ProjectMode:
		return "Separate external ID for each project"
	}
	return "Unknown external ID scope " + echo.Quote(m)
}

// MarshalText implements [encoding.TextMarshaler]; it refuses an invalid mode
// so that one is never stored. The zero Mode, "not chosen", marshals as ""
// so that the zero value of a struct holding one (an empty [Plan]) marshals.
func (m Mode) MarshalText() ([]byte, error) {
	if m == "" {
		return []byte{}, nil
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return []byte(m), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseMode]; ""
// reads back as the zero Mode.
func (m *Mode) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*m = ""
		return nil
	}
	parsed, err := ParseMode(string(text))
	if err != nil {
		return err
	}
	*m = parsed
	return nil
}
