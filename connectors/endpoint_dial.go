package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// DialContext returns a dial function that applies the policy at dial time:
// it refuses a host the policy refuses by name or form before resolving it,
// and checks, from the dialer's Control hook, every address the host
// resolves to, just before the socket connects, so that neither a DNS name
// answering 169.254.169.254 nor one that changes its answer between
// validation and use reaches a refused address. d is copied, not modified;
// its own Control or ControlContext still runs after the check.
func (p EndpointPolicy) DialContext(d *net.Dialer) func(ctx context.Context, network, address string) (net.Conn, error) {
	if d == nil {
		d = &net.Dialer{}
	}
	base := *d
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		host := hostOf(address)
		if err := p.check(address, host, false); err != nil {
			return nil, err
		}
		dd := base
		prevCtx, prev := base.ControlContext, base.Control
		dd.Control = nil
		dd.ControlContext = func(ctx context.Context, network, addr string, c syscall.RawConn) error {
			if err := p.checkDialed(address, host, addr); err != nil {
				return err
			}
			switch {
			case prevCtx != nil:
				return prevCtx(ctx, network, addr, c)
			case prev != nil:
				return prev(network, addr, c)
			}
			return nil
		}
		return dd.DialContext(ctx, network, address)
	}
}

// checkDialed checks the address a dial to address (host:port) is about to
// connect to.
func (p EndpointPolicy) checkDialed(address, host, dialed string) error {
	ap, err := netip.ParseAddrPort(dialed)
	if err != nil {
		return &EndpointError{Endpoint: address, Host: host, Rule: RuleInvalidHost, Dial: true}
	}
	ip := ap.Addr().WithZone("")
	rule := ClassifyAddr(ip)
	if rule == "" || (p.Allow != nil && p.Allow(host, ip)) {
		return nil
	}
	return &EndpointError{Endpoint: address, Host: host, Addr: ip, Rule: rule, Dial: true}
}

// ErrUnguardedHTTPClient is returned (wrapped) by [Resolver.Config] when
// Options.HTTPClient is of a type whose dialer the endpoint policy cannot
// guard.
var ErrUnguardedHTTPClient = errors.New("connectors: the HTTP client's dialer cannot be guarded by the endpoint policy")

// defaultDialer is the dialer of guarded transports that had no dialer the
// resolver could keep: the SDK's and net/http's defaults.
func defaultDialer() *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
}

// guardClient returns a copy of c whose every connection is dialed through
// p, and never through a proxy: a proxy (HTTP_PROXY, HTTPS_PROXY, or the
// transport's own Proxy) would resolve and reach the customer's endpoint on
// the platform's network itself, where the dial-time check cannot see. It
// guards an awshttp.BuildableClient (the SDK's default client, keeping its
// dialer settings) and an *http.Client over an *http.Transport or the
// default transport (whose dialer is replaced by one with the default
// timeouts, since a DialContext function cannot be inspected); any other
// client is refused with [ErrUnguardedHTTPClient].
func guardClient(c aws.HTTPClient, p EndpointPolicy, dns *net.Resolver, conns *connSet) (aws.HTTPClient, error) {
	guard := func(tr *http.Transport, d *net.Dialer) {
		if dns != nil {
			d.Resolver = dns
		}
		tr.Proxy = nil
		tr.DialTLSContext = nil // TLS goes through DialContext, then the transport's TLS
		dial := p.DialContext(d)
		tr.DialContext = func(ctx context.Context, network, address string) (net.Conn, error) {
			conn, err := dial(ctx, network, address)
			if err != nil {
				return nil, err
			}
			return conns.add(conn), nil
		}
	}
	switch v := c.(type) {
	case nil:
		return guardClient(awshttp.NewBuildableClient(), p, dns, conns)
	case *awshttp.BuildableClient:
		d := v.GetDialer()
		return v.WithTransportOptions(func(tr *http.Transport) { guard(tr, d) }), nil
	case *http.Client:
		var tr *http.Transport
		switch t := v.Transport.(type) {
		case nil:
			tr = http.DefaultTransport.(*http.Transport).Clone()
		case *http.Transport:
			tr = t.Clone()
		default:
			return nil, fmt.Errorf("%w: an *http.Client whose Transport is a %T; give one over an *http.Transport, or an awshttp.BuildableClient", ErrUnguardedHTTPClient, t)
		}
		guard(tr, defaultDialer())
		out := *v
		out.Transport = tr
		return &out, nil
	}
	return nil, fmt.Errorf("%w: a %T; give an *http.Client over an *http.Transport, or an awshttp.BuildableClient", ErrUnguardedHTTPClient, c)
}

// connSet tracks the connections a resolver's client opened, so that
// [Resolver.CloseConnections] can close them: the SDK's BuildableClient
// hands out no transport whose idle connections could be closed.
type connSet struct {
	mu    sync.Mutex // guards conns
	conns map[*trackedConn]struct{}
}

func (s *connSet) add(c net.Conn) net.Conn {
	tc := &trackedConn{Conn: c, set: s}
	s.mu.Lock()
	if s.conns == nil {
		s.conns = map[*trackedConn]struct{}{}
	}
	s.conns[tc] = struct{}{}
	s.mu.Unlock()
	return tc
}

func (s *connSet) closeAll() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for c := range conns {
		_ = c.Conn.Close()
	}
}

// trackedConn leaves its set when closed.
type trackedConn struct {
	net.Conn
	set *connSet
}

// Close closes the connection and forgets it.
func (c *trackedConn) Close() error {
	c.set.mu.Lock()
	delete(c.set.conns, c)
	c.set.mu.Unlock()
	return c.Conn.Close()
}
