package scope

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the deriver by its prefix and whether it has a secret,
// never the secret.
func (d Deriver) String() string {
	return fmt.Sprintf("scope.Deriver{prefix %q, secret %s}", d.Prefix, d.secretForPrint())
}

func (d Deriver) secretForPrint() string {
	if len(d.Secret) == 0 {
		return "none"
	}
	return redact.Redacted
}

// GoString is the %#v form, redacted like String.
func (d Deriver) GoString() string { return d.String() }

// Format makes every fmt verb print String: %x would otherwise print the
// HMAC key in hex, %v as bytes.
func (d Deriver) Format(f fmt.State, verb rune) { redact.Format(f, verb, d.String(), d.GoString()) }

// LogValue gives slog the prefix only.
func (d Deriver) LogValue() slog.Value {
	return slog.GroupValue(slog.String("prefix", d.Prefix), slog.String("secret", d.secretForPrint()))
}

// MarshalJSON writes the prefix and the secret redacted ("[REDACTED]",
// which does not decode as the base64 of a []byte, so a redacted Deriver
// cannot be read back as one holding a wrong key).
func (d Deriver) MarshalJSON() ([]byte, error) {
	out := struct {
		Prefix string
		Secret string `json:",omitempty"`
	}{Prefix: d.Prefix}
	if len(d.Secret) > 0 {
		out.Secret = redact.Redacted
	}
	return json.Marshal(out)
}
