package signedhttp

import (
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors/sigv4"
	"github.com/awsconnect/awsconnect/internal/redact"
)

// Connector is the universal connector: it sends any HTTP request to an AWS
// (or SigV4-speaking) endpoint, signed with one connection's credentials
// (Do, Client, Transport and Presign come from the embedded
// [sigv4.Connector]), and checks the connection with STS
// GetCallerIdentity. It is safe for concurrent use by multiple goroutines.
type Connector struct {
	*sigv4.Connector
	sts *Transport // signs Check's STS call
	cfg aws.Config
}

// New returns a Connector for the connection whose aws.Config is cfg (from
// connectors.Resolver.Config): requests are signed with cfg.Credentials, sent
// through cfg.HTTPClient and retried with cfg.Retryer; hosts that do not name
// a region are signed for cfg.Region.
func New(cfg aws.Config, optFns ...func(*Options)) *Connector {
	c := sigv4.New(cfg, optFns...)
	return &Connector{Connector: c, sts: newSTSTransport(cfg, c.Transport()), cfg: cfg}
}

// String describes the connector by its region, never its credentials.
func (c *Connector) String() string {
	if c == nil {
		return "signedhttp.Connector(nil)"
	}
	return fmt.Sprintf("signedhttp.Connector{region %s, %s}", c.cfg.Region, c.Transport())
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
	return redact.Value(c.String(), slog.String("region", c.cfg.Region), slog.Any("transport", c.Transport()))
}

// MarshalJSON writes String, never the credentials.
func (c *Connector) MarshalJSON() ([]byte, error) { return redact.JSON(c.String()) }
