package ses

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the connector by its restriction, never its
// credentials.
func (c *Connector) String() string {
	if c == nil {
		return "ses.Connector(nil)"
	}
	return fmt.Sprintf("ses.Connector{region %s, identity %q, configuration set %q}", c.client.Options().Region, c.opts.Identity, c.opts.ConfigurationSet)
}

// GoString is the %#v form, redacted like String.
func (c *Connector) GoString() string { return c.String() }

// Format makes every fmt verb print String: the SDK client the connector
// holds would otherwise be printed down to its secret key.
func (c *Connector) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// LogValue gives slog the restriction only.
func (c *Connector) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue(c.String())
	}
	return redact.Value(c.String(), slog.String("region", c.client.Options().Region),
		slog.String("identity", c.opts.Identity), slog.String("configuration_set", c.opts.ConfigurationSet))
}

// MarshalJSON writes String, never the credentials.
func (c *Connector) MarshalJSON() ([]byte, error) { return redact.JSON(c.String()) }
