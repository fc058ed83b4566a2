package redact

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
)

// Redacted is what a print path shows in place of a secret.
const Redacted = "[REDACTED]"

// ErrRedactedSecret is wrapped by every error of decoding a secret that is
// [Redacted]: connectors.ErrRedactedSecret and scope.ErrRedactedSecret are
// this value, so errors.Is finds either wherever the secret was.
var ErrRedactedSecret = errors.New("the value is the redaction placeholder " + Redacted + ", not a secret")

// Format writes s, a description that holds no secret, for every verb: %q
// quotes it, %x and %X hex-encode it (as fmt does for a Stringer), %#v
// writes goString, and every other verb (including %d, which fmt would
// otherwise apply to each field) writes s as it is. Width and flags other
// than '#' are ignored: they cannot reach the fields.
func Format(f fmt.State, verb rune, s, goString string) {
	var out string
	switch verb {
	case 'v':
		out = s
		if f.Flag('#') {
			out = goString
		}
	case 'q':
		out = strconv.Quote(s)
	case 'x':
		out = hex.EncodeToString([]byte(s))
	case 'X':
		out = fmt.Sprintf("%X", []byte(s))
	default:
		out = s
	}
	_, _ = f.Write([]byte(out))
}

// Value is a slog value for a type that can reach a secret: a group of the
// given attributes, which must hold no secret, or the description alone when
// there are none.
func Value(description string, attrs ...slog.Attr) slog.Value {
	if len(attrs) == 0 {
		return slog.StringValue(description)
	}
	return slog.GroupValue(attrs...)
}

// JSON is the MarshalJSON result of such a type: its description as a JSON
// string, so that encoding a struct that embeds it never reaches its fields.
func JSON(description string) ([]byte, error) {
	return json.Marshal(description)
}
