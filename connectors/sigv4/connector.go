package sigv4

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Connector sends any HTTP request to an AWS (or SigV4-speaking) endpoint,
// signed with one connection's credentials: the client the connectors that
// speak an API over HTTP themselves (signedhttp, lex) are built on.
// It is safe for concurrent use by multiple goroutines.
type Connector struct {
	transport *Transport
	client    *http.Client
	cfg       aws.Config
}

// New returns a Connector for the connection whose aws.Config is cfg (from
// connectors.Resolver.Config): requests are signed with cfg.Credentials, sent
// through cfg.HTTPClient and retried with cfg.Retryer; hosts that do not name
// a region are signed for cfg.Region.
func New(cfg aws.Config, optFns ...func(*Options)) *Connector {
	fns := make([]func(*Options), 0, len(optFns)+1)
	fns = append(fns, func(o *Options) {
		o.FallbackRegion = cfg.Region
		o.Base = baseTransport(cfg.HTTPClient)
		if cfg.Retryer != nil {
			o.Retryer = cfg.Retryer()
		}
	})
	fns = append(fns, optFns...)
	t := NewTransport(cfg.Credentials, fns...)
	return &Connector{transport: t, client: t.Client(), cfg: cfg}
}

// Config returns the aws.Config the connector was built with.
func (c *Connector) Config() aws.Config { return c.cfg }

// Transport returns the signing http.RoundTripper.
func (c *Connector) Transport() *Transport { return c.transport }

// Client returns an *http.Client whose requests are signed. It follows
// redirects, re-signing each hop.
func (c *Connector) Client() *http.Client { return c.client }

// Do sends req signed.
func (c *Connector) Do(req *http.Request) (*http.Response, error) { return c.client.Do(req) }

// Presign returns a presigned form of req valid for expires; see
// [Transport.Presign].
func (c *Connector) Presign(ctx context.Context, req *http.Request, expires time.Duration) (PresignedRequest, error) {
	return c.transport.Presign(ctx, req, expires)
}

// baseTransport finds the RoundTripper behind an SDK HTTP client, so signed
// requests share its connection pool.
func baseTransport(c aws.HTTPClient) http.RoundTripper {
	switch v := c.(type) {
	case nil:
		return http.DefaultTransport
	case *http.Client:
		if v.Transport != nil {
			return v.Transport
		}
		return http.DefaultTransport
	default:
		return doer{v}
	}
}

// doer adapts an aws.HTTPClient (such as the SDK's BuildableClient, whose
// GetTransport would return a copy with its own pool) to http.RoundTripper.
type doer struct{ c aws.HTTPClient }

// RoundTrip sends req through the SDK client.
func (d doer) RoundTrip(req *http.Request) (*http.Response, error) { return d.c.Do(req) }
