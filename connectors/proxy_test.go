package connectors

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

// TestBuildableClientProxyIsDropped is TestResolvedClientUsesNoProxy for the
// SDK's own client, given as Options.HTTPClient and as the base config's
// client: a proxy set by a transport option (as HTTP_PROXY sets one through
// http.ProxyFromEnvironment) is dropped, so the request goes direct and
// through the dial-time check, which refuses a name that is not allowed.
func TestBuildableClientProxyIsDropped(t *testing.T) {
	target, targetHits := forbiddenServer(t)
	proxyURL, proxyHits := proxyServer(t)
	proxied := func() *awshttp.BuildableClient {
		return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.Proxy = http.ProxyURL(proxyURL) })
	}
	endpoint := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)

	for name, build := range map[string]func(allow bool) *Resolver{
		"Options.HTTPClient": func(allow bool) *Resolver {
			return NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil, func(o *Options) {
				o.Registry = testRegistry(nil)
				o.HTTPClient = proxied()
				if allow {
					o.AllowEndpoint = AllowHosts("localhost")
				}
			})
		},
		"base config": func(allow bool) *Resolver {
			return NewResolver(aws.Config{Region: "us-east-1", HTTPClient: proxied()}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil, func(o *Options) {
				o.Registry = testRegistry(nil)
				if allow {
					o.AllowEndpoint = AllowHosts("localhost")
				}
			})
		},
	} {
		t.Run(name, func(t *testing.T) {
			before := targetHits.Load()
			r := build(false)
			require.ErrorIs(t, get(cfg0(t, r), endpoint+"/"), ErrEndpointRefused, "the proxy would have reached it")

			r = build(true)
			t.Cleanup(r.CloseConnections)
			c := keyConn()
			c.Endpoint = endpoint
			cfg, err := r.Config(context.Background(), c)
			require.NoError(t, err)
			require.NoError(t, get(cfg, endpoint+"/"))
			require.Equal(t, before+1, targetHits.Load(), "the request went direct")
		})
	}
	require.Zero(t, proxyHits.Load(), "the proxy was used")
}

// proxyServer is an HTTP proxy that counts the requests it gets and answers
// each with 502.
func proxyServer(t *testing.T) (*url.URL, *atomic.Int64) {
	var hits atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)
	u, err := url.Parse(proxy.URL)
	require.NoError(t, err)
	return u, &hits
}
