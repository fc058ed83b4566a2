package connectors

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// Redacted is what every print path shows in place of a secret.
const Redacted = "[REDACTED]"

// Secret holds a secret value (a secret access key, a token field). It never
// prints: String, GoString, every fmt verb, slog's LogValue and JSON/text
// marshalling all give [Redacted] (or "" when empty), so a Secret can sit in
// structs that are logged. Read the value with [Secret.Reveal].
//
// A Secret is an immutable string value, safe for concurrent use.
type Secret string

// Reveal returns the secret value. Call it only where the value is used.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }

// String returns [Redacted], or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// GoString returns the redacted form for %#v.
func (s Secret) GoString() string {
	return fmt.Sprintf("connectors.Secret(%s)", echo.Quote(s.String()))
}

// Format makes every fmt verb (%v, %+v, %#v, %s, %q, %x, ...) print the
// redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = fmt.Fprint(f, s.GoString())
			return
		}
		_, _ = fmt.Fprint(f, s.String())
	case 'q':
		_, _ = fmt.Fprintf(f, "%s", echo.Quote(s.String()))
	default:
		_, _ = fmt.Fprint(f, s.String())
	}
}

// LogValue keeps the secret out of slog records.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText redacts, so JSON, YAML and other encoders never leak the value.
// A platform storing connections keeps the secrets apart, encrypted by
// itself ([Connection.SplitSecrets]).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText accepts the value, so a submitted connection form decodes,
// but refuses the redaction placeholder [Redacted] with an error wrapping
// [ErrRedactedSecret]: that is what MarshalText wrote in place of the
// secret, never the secret itself.
func (s *Secret) UnmarshalText(b []byte) error {
	if string(b) == Redacted {
		return fmt.Errorf("%w; a secret never leaves the library in JSON, so enter it again or keep the stored one (Connection.KeepSecretsFrom)", ErrRedactedSecret)
	}
	*s = Secret(b)
	return nil
}
