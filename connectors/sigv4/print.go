package sigv4

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the transport by its signing target, never its
// credentials.
func (t *Transport) String() string {
	if t == nil {
		return "sigv4.Transport(nil)"
	}
	return fmt.Sprintf("sigv4.Transport{service %s, region %s}", orInferred(t.opts.Service), orInferred(t.opts.Region))
}

// GoString is the %#v form, redacted like String.
func (t *Transport) GoString() string { return t.String() }

// Format makes every fmt verb print String: the credentials provider the
// transport holds would otherwise be printed down to its secret key.
func (t *Transport) Format(f fmt.State, verb rune) { redact.Format(f, verb, t.String(), t.GoString()) }

// LogValue gives slog the signing target only.
func (t *Transport) LogValue() slog.Value {
	if t == nil {
		return slog.StringValue(t.String())
	}
	return redact.Value(t.String(), slog.String("service", orInferred(t.opts.Service)), slog.String("region", orInferred(t.opts.Region)))
}

// MarshalJSON writes String, never the credentials.
func (t *Transport) MarshalJSON() ([]byte, error) { return redact.JSON(t.String()) }

// String describes the connector by its region, never its credentials.
func (c *Connector) String() string {
	if c == nil {
		return "sigv4.Connector(nil)"
	}
	return fmt.Sprintf("sigv4.Connector{region %s, %s}", c.cfg.Region, c.transport)
}

// GoString is the %#v form, redacted like String.
func (c *Connector) GoString() string { return c.String() }

// Format makes every fmt verb print String: the aws.Config the connector
// holds would otherwise be printed down to its secret key.
func (c *Connector) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// LogValue gives slog the region and signing target only.
func (c *Connector) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue(c.String())
	}
	return redact.Value(c.String(), slog.String("region", c.cfg.Region), slog.Any("transport", c.transport))
}

// MarshalJSON writes String, never the credentials.
func (c *Connector) MarshalJSON() ([]byte, error) { return redact.JSON(c.String()) }

func orInferred(s string) string {
	if s == "" {
		return "inferred"
	}
	return s
}
