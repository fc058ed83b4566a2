package cloudwatch

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the connector by its restriction, never its
// credentials.
func (c *Connector) String() string {
	if c == nil {
		return "cloudwatch.Connector(nil)"
	}
	return fmt.Sprintf("cloudwatch.Connector{region %s, namespace %q, log group %q}", c.metrics.Options().Region, c.opts.Namespace, c.opts.LogGroup)
}

// GoString is the %#v form, redacted like String.
func (c *Connector) GoString() string { return c.String() }

// Format makes every fmt verb print String: the SDK clients the connector
// holds would otherwise be printed down to their secret key.
func (c *Connector) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// LogValue gives slog the restriction only.
func (c *Connector) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue(c.String())
	}
	return redact.Value(c.String(), slog.String("region", c.metrics.Options().Region),
		slog.String("namespace", c.opts.Namespace), slog.String("log_group", c.opts.LogGroup))
}

// MarshalJSON writes String, never the credentials.
func (c *Connector) MarshalJSON() ([]byte, error) { return redact.JSON(c.String()) }
