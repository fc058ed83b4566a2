package s3

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the connector by its region and restriction, never its
// credentials.
func (c *Connector) String() string {
	if c == nil {
		return "s3.Connector(nil)"
	}
	return fmt.Sprintf("s3.Connector{region %s, bucket %q, prefix %q}", c.region, c.restrict.bucket, c.restrict.prefix)
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
	return redact.Value(c.String(), slog.String("region", c.region), slog.String("bucket", c.restrict.bucket), slog.String("prefix", c.restrict.prefix))
}

// MarshalJSON writes String, never the credentials.
func (c *Connector) MarshalJSON() ([]byte, error) { return redact.JSON(c.String()) }
