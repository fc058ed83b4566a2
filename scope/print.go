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

// MarshalJSON writes the prefix and the secret redacted:
// {"prefix":"acme_iam_external_id","secret":"[REDACTED]"}, the secret
// omitted when empty. [Deriver.UnmarshalJSON] refuses the placeholder, so a
// redacted Deriver cannot be read back as one holding a wrong key.
func (d Deriver) MarshalJSON() ([]byte, error) {
	out := struct {
		Prefix string `json:"prefix"`
		Secret string `json:"secret,omitempty"`
	}{Prefix: d.Prefix}
	if len(d.Secret) > 0 {
		out.Secret = redact.Redacted
	}
	return json.Marshal(out)
}

// ErrRedactedSecret is wrapped by the error of decoding a Deriver whose
// secret is the redaction placeholder "[REDACTED]"; it is the same value as
// connectors.ErrRedactedSecret.
var ErrRedactedSecret = redact.ErrRedactedSecret

// UnmarshalJSON reads a Deriver: "prefix", and "secret" as the base64 of
// the HMAC key (how encoding/json writes a []byte). It refuses the
// placeholder [Deriver.MarshalJSON] writes with an error wrapping
// [ErrRedactedSecret]: the platform keeps the secret in its own secret
// manager and sets it after decoding.
func (d *Deriver) UnmarshalJSON(b []byte) error {
	var in struct {
		Prefix string          `json:"prefix"`
		Secret json.RawMessage `json:"secret"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("scope: decode Deriver: %w", err)
	}
	var secret []byte
	if len(in.Secret) > 0 && string(in.Secret) != "null" {
		if string(in.Secret) == `"`+redact.Redacted+`"` {
			return fmt.Errorf("scope: Deriver secret: %w; a secret never leaves the library in JSON, so set Deriver.Secret from the platform's secret manager", ErrRedactedSecret)
		}
		if err := json.Unmarshal(in.Secret, &secret); err != nil {
			return fmt.Errorf("scope: Deriver secret: %w; it is the base64 of the HMAC key", err)
		}
	}
	*d = Deriver{Prefix: in.Prefix, Secret: secret}
	return nil
}
