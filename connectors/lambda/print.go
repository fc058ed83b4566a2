package lambda

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the connector by its region and restriction, never its
// credentials.
func (c *Connector) String() string {
	if c == nil {
		return "lambda.Connector(nil)"
	}
	return fmt.Sprintf("lambda.Connector{region %s, function %q}", c.region, c.function())
}

func (c *Connector) function() string {
	if !c.restricted {
		return ""
	}
	return c.restrict.String()
}

// GoString is the %#v form, redacted like String.
func (c *Connector) GoString() string { return c.String() }

// Format makes every fmt verb print String: the SDK client the connector
// holds would otherwise be printed down to its secret key.
func (c *Connector) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// LogValue gives slog the region and restriction only.
func (c *Connector) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue(c.String())
	}
	return redact.Value(c.String(), slog.String("region", c.region), slog.String("function", c.function()))
}

// MarshalJSON writes String, never the credentials.
func (c *Connector) MarshalJSON() ([]byte, error) { return redact.JSON(c.String()) }
