package connectors

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// The scope-switch workflow's types reach the Resolver (the platform's
// credentials) or Derivers (their HMAC keys): they print as descriptions,
// like every type that can reach a secret.

// String describes the settings without the resolver's secrets.
func (s *Settings) String() string {
	if s == nil {
		return "connectors.Settings(nil)"
	}
	return "connectors.Settings{" + s.r.String() + "}"
}

// GoString is the %#v form, redacted like String.
func (s *Settings) GoString() string { return s.String() }

// Format makes every fmt verb print String.
func (s *Settings) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String(), s.GoString()) }

// LogValue gives slog the description only.
func (s *Settings) LogValue() slog.Value { return redact.Value(s.String()) }

// String describes the switcher without the resolver's secrets.
func (s *Switcher) String() string {
	if s == nil {
		return "connectors.Switcher(nil)"
	}
	return "connectors.Switcher{" + s.r.String() + "}"
}

// GoString is the %#v form, redacted like String.
func (s *Switcher) GoString() string { return s.String() }

// Format makes every fmt verb print String.
func (s *Switcher) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String(), s.GoString()) }

// LogValue gives slog the description only.
func (s *Switcher) LogValue() slog.Value { return redact.Value(s.String()) }

// String describes the monitor without the resolver's secrets.
func (m *Monitor) String() string {
	if m == nil {
		return "connectors.Monitor(nil)"
	}
	return fmt.Sprintf("connectors.Monitor{interval %s, %s}", m.opts.Interval, m.r)
}

// GoString is the %#v form, redacted like String.
func (m *Monitor) GoString() string { return m.String() }

// Format makes every fmt verb print String.
func (m *Monitor) Format(f fmt.State, verb rune) { redact.Format(f, verb, m.String(), m.GoString()) }

// LogValue gives slog the description only.
func (m *Monitor) LogValue() slog.Value { return redact.Value(m.String()) }

// String describes the store by its size, never its Derivers' secrets.
func (m *MemoryScopes) String() string {
	if m == nil {
		return "connectors.MemoryScopes(nil)"
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fmt.Sprintf("connectors.MemoryScopes{%d workspaces, %d derivers, default version %q}", len(m.modes), len(m.derivers), m.DefaultVersion)
}

// GoString is the %#v form, redacted like String.
func (m *MemoryScopes) GoString() string { return m.String() }

// Format makes every fmt verb print String.
func (m *MemoryScopes) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, m.String(), m.GoString())
}

// LogValue gives slog the description only.
func (m *MemoryScopes) LogValue() slog.Value { return redact.Value(m.String()) }
