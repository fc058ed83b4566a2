package connectors

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/fakedns"
	"github.com/awsconnect/awsconnect/scope"
)

// refusedEndpoints are endpoints the default policy refuses, each with the
// rule that must refuse it: every way of writing the metadata, loopback and
// private addresses that a resolver or URL parser reads as them.
var refusedEndpoints = []struct {
	endpoint string
	rule     EndpointRule
}{
	{"http://169.254.169.254", RuleAWSMetadata},
	{"http://169.254.169.254/latest/meta-data/iam/security-credentials/", RuleAWSMetadata},
	{"http://169.254.170.2/v2/credentials/x", RuleAWSMetadata},
	{"http://169.254.170.23", RuleAWSMetadata},
	{"http://[fd00:ec2::254]", RuleAWSMetadata},
	{"http://[fd00:ec2::23]:80", RuleAWSMetadata},
	{"http://2852039166", RuleAWSMetadata},
	{"http://0xa9fea9fe", RuleAWSMetadata},
	{"http://0XA9FEA9FE", RuleAWSMetadata},
	{"http://0251.0376.0251.0376", RuleAWSMetadata},
	{"http://0xa9.0xfe.0xa9.0xfe", RuleAWSMetadata},
	{"http://169.254.43518", RuleAWSMetadata},
	{"http://169.16689662", RuleAWSMetadata},
	{"http://0251.0xfe.43518", RuleAWSMetadata},
	{"http://169.254.169.254.", RuleAWSMetadata},
	{"http://%31%36%39.254.169.254", RuleInvalidHost}, // Go's URL parser refuses escapes in a host
	{"http://[::ffff:169.254.169.254]", RuleAWSMetadata},
	{"http://[::ffff:a9fe:a9fe]", RuleAWSMetadata},
	{"http://[0:0:0:0:0:ffff:a9fe:a9fe]", RuleAWSMetadata},
	{"http://[64:ff9b::a9fe:a9fe]", RuleAWSMetadata},
	{"http://[2002:a9fe:a9fe::1]", RuleAWSMetadata},
	{"http://[::169.254.169.254]", RuleAWSMetadata},
	{"http://[2001:0:4136:e378:8000:63bf:5601:5601]", RuleAWSMetadata}, // Teredo: the client is the complement of 169.254.169.254
	{"http://instance-data.ec2.internal", RuleAWSMetadata},
	{"http://INSTANCE-DATA", RuleAWSMetadata},
	{"http://127.0.0.1:9000", RuleLoopback},
	{"http://127.1", RuleLoopback},
	{"http://127.0.1", RuleLoopback},
	{"http://0177.0.0.1", RuleLoopback},
	{"http://2130706433", RuleLoopback},
	{"http://0x7f000001", RuleLoopback},
	{"http://[::1]:8080", RuleLoopback},
	{"http://[::ffff:127.0.0.1]", RuleLoopback},
	{"http://localhost:4566", RuleLoopback},
	{"http://LOCALHOST.", RuleLoopback},
	{"https://s3.localhost", RuleLoopback},
	{"http://[fe80::1%25eth0]", RuleLinkLocal},
	{"http://169.254.1.1", RuleLinkLocal},
	{"http://10.0.0.1", RulePrivate},
	{"http://172.16.5.4", RulePrivate},
	{"http://172.31.255.255", RulePrivate},
	{"http://192.168.1.1", RulePrivate},
	{"http://3232235777", RulePrivate},
	{"http://[fec0::1]", RulePrivate},
	{"http://[fd12:3456::1]", RuleUniqueLocal},
	{"http://[fc00::1]", RuleUniqueLocal},
	{"http://100.64.0.1", RuleSharedAddress},
	{"http://100.127.255.254", RuleSharedAddress},
	{"http://0.0.0.0", RuleUnspecified},
	{"http://0", RuleUnspecified},
	{"http://[::]", RuleUnspecified},
	{"http://224.0.0.1", RuleMulticast},
	{"http://[ff02::1]", RuleMulticast},
	{"http://255.255.255.255", RuleReserved},
	{"http://240.0.0.1", RuleReserved},
	{"http://198.18.0.1", RuleReserved},
	{"http://[2001:db8::1]", RuleReserved},
	{"http://1.2.3.4.5", RuleInvalidHost},
	{"http://256.1.1.1", RuleInvalidHost},
	{"http://08.1.1.1", RuleInvalidHost},
	{"http://example.123", RuleInvalidHost},
	{"http://4294967296", RuleInvalidHost},
	{"http://1.2.3.4..", RuleInvalidHost},
	{"http://a..b.example", RuleInvalidHost},
	{"http://[::ffff:0xa9fe.1]", RuleInvalidHost},
}

// publicEndpoints pass the default policy: AWS's own names, public
// addresses in any form, and names whose addresses only the dialer can
// tell.
var publicEndpoints = []string{
	"https://s3.eu-west-1.amazonaws.com",
	"https://bucket.vpce-1.s3.eu-west-1.vpce.amazonaws.com",
	"https://runtime-v2-lex.cn-north-1.amazonaws.com.cn/bots",
	"http://8.8.8.8",
	"http://0x08080808",
	"http://134744072",
	"http://[2600:1f18::1]",
	"http://[::ffff:8.8.8.8]",
	"http://[64:ff9b::808:808]",
	"https://minio.example.com:9000",
	"https://0xg.example",
	"https://s3_bucket.example.com",
}

func TestEndpointPolicyRefusesEveryForm(t *testing.T) {
	for _, tt := range refusedEndpoints {
		t.Run(tt.endpoint, func(t *testing.T) {
			err := EndpointPolicy{}.CheckURL(tt.endpoint)
			require.ErrorIs(t, err, ErrEndpointRefused)
			var ee *EndpointError
			require.ErrorAs(t, err, &ee)
			require.Equal(t, tt.rule, ee.Rule, "%v", err)
			require.Contains(t, err.Error(), "rule "+string(tt.rule))
			require.Contains(t, err.Error(), "AllowEndpoint", "the error says how a platform allows it")

			// Validation refuses it too, naming the field and keeping the sentinel.
			c := keyConn()
			c.Endpoint = tt.endpoint
			verr := c.Validate()
			require.ErrorIs(t, verr, ErrInvalidConnection)
			var ve *ValidationError
			require.ErrorAs(t, verr, &ve)
			fe, ok := ve.Field(PathEndpoint)
			require.True(t, ok, "%v", verr)
			if _, perr := url.Parse(tt.endpoint); perr != nil {
				require.Contains(t, fe.Message, "is not a URL")
				return
			}
			require.ErrorIs(t, verr, ErrEndpointRefused)
			require.Contains(t, fe.Message, "rule "+string(tt.rule))
			require.NotContains(t, fe.Message, "connectors.", "the form's message is for the connection's user, not a Go developer")
		})
	}
	for _, e := range publicEndpoints {
		t.Run(e, func(t *testing.T) {
			require.NoError(t, EndpointPolicy{}.CheckURL(e))
			c := keyConn()
			c.Endpoint = e
			require.NoError(t, c.Validate())
		})
	}
}

func TestParseIPv4Number(t *testing.T) {
	for _, tt := range []struct {
		host          string
		want          string
		numeric, isOK bool
	}{
		{"2852039166", "169.254.169.254", true, true},
		{"0xa9fea9fe", "169.254.169.254", true, true},
		{"0251.0376.0251.0376", "169.254.169.254", true, true},
		{"169.254.43518", "169.254.169.254", true, true},
		{"127.1", "127.0.0.1", true, true},
		{"0x", "0.0.0.0", true, true},
		{"0", "0.0.0.0", true, true},
		{"1.2.3.4", "1.2.3.4", true, true},
		{"4294967295", "255.255.255.255", true, true},
		{"4294967296", "", true, false},
		{"1.16777216", "", true, false},
		{"1.2.3.256", "", true, false},
		{"09", "", true, false},
		{"1.2.3.4.5", "", true, false},
		{"a.1", "", true, false},
		{"example.com", "", false, false},
		{"0xg", "", false, false},
		{"1.example", "", false, false},
	} {
		t.Run(tt.host, func(t *testing.T) {
			ip, numeric, ok := parseIPv4Number(tt.host)
			require.Equal(t, tt.numeric, numeric)
			require.Equal(t, tt.isOK, ok)
			if ok {
				require.Equal(t, tt.want, ip.String())
			}
		})
	}
}

func TestAllowHosts(t *testing.T) {
	allow := AllowHosts("127.0.0.1", "169.254.0.0/16", "10.1.0.0/16", "minio.internal", "localhost")
	p := EndpointPolicy{Allow: allow}
	for _, e := range []string{"http://127.0.0.1:9000", "http://127.1", "http://2130706433", "http://[::ffff:127.0.0.1]",
		"http://169.254.1.1", "http://10.1.2.3", "http://localhost:4566", "http://LOCALHOST."} {
		require.NoError(t, p.CheckURL(e), e)
	}
	for _, e := range []string{"http://127.0.0.2", "http://[::1]", "http://10.2.0.1", "http://169.254.169.254", "http://0xa9fea9fe", "http://169.254.170.2"} {
		require.ErrorIs(t, p.CheckURL(e), ErrEndpointRefused, e)
	}
	// A name admits the addresses it resolves to, but never a metadata one.
	require.NoError(t, p.CheckAddr("minio.internal", netip.MustParseAddr("10.9.9.9")))
	require.ErrorIs(t, p.CheckAddr("minio.internal", netip.MustParseAddr("169.254.169.254")), ErrEndpointRefused)
	// Only the metadata address itself admits it.
	require.NoError(t, EndpointPolicy{Allow: AllowHosts("169.254.169.254")}.CheckURL("http://0xa9fea9fe"))
	require.Panics(t, func() { AllowHosts("127.0.0.1:9000") })
	require.Panics(t, func() { AllowHosts("[::1]") })
}

func TestEndpointErrorRedactsTheEndpoint(t *testing.T) {
	const secret = "PASSWORD-MARKER"
	for _, e := range []string{
		"http://admin:" + secret + "@169.254.169.254/",
		"http://169.254.169.254/?token=" + secret,
		"http://169.254.169.254/#" + secret,
		"http://admin:" + secret + "@[fd00:ec2::254",
	} {
		err := EndpointPolicy{}.CheckURL(e)
		require.ErrorIs(t, err, ErrEndpointRefused, e)
		require.NotContains(t, err.Error(), secret)
		c := keyConn()
		c.Endpoint = e
		require.NotContains(t, c.Validate().Error(), secret)
	}
}

// forbiddenServer is a listener on loopback standing for a service the
// platform must not reach (the metadata service): it counts every request.
func forbiddenServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, `{"AccessKeyId":"ASIAPLATFORM","SecretAccessKey":"platform-secret"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// get sends a GET to u through the HTTP client of a resolved config.
func get(cfg aws.Config, u string) error {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := cfg.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body) // read to the end, so the connection is kept for reuse
	return resp.Body.Close()
}

// TestDialRefusesResolvedAddresses resolves a connection whose endpoint is
// a DNS name (which validation cannot judge) answering with a refused
// address: the dialer refuses it before connecting, so the listener behind
// the address is never reached.
func TestDialRefusesResolvedAddresses(t *testing.T) {
	srv, hits := forbiddenServer(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	dns := fakedns.Start(t, map[string][]netip.Addr{
		"imds.attacker.test":     {netip.MustParseAddr("169.254.169.254")},
		"loopback.attacker.test": {netip.MustParseAddr("127.0.0.1")},
		"v6.attacker.test":       {netip.MustParseAddr("::ffff:127.0.0.1")},
	})
	for _, tt := range []struct {
		host string
		addr string
	}{
		{"imds.attacker.test", "169.254.169.254"},
		{"loopback.attacker.test", "127.0.0.1"},
		{"v6.attacker.test", "127.0.0.1"},
	} {
		t.Run(tt.host, func(t *testing.T) {
			r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil,
				func(o *Options) { o.Registry = testRegistry(nil); o.DNS = dns.Resolver() })
			c := keyConn()
			c.Endpoint = "http://" + tt.host + ":" + strconv.Itoa(port)
			cfg, err := r.Config(context.Background(), c)
			require.NoError(t, err, "a DNS name passes validation: only the dialer can tell")
			err = get(cfg, c.Endpoint+"/latest/meta-data/iam/security-credentials/")
			require.ErrorIs(t, err, ErrEndpointRefused)
			var ee *EndpointError
			require.ErrorAs(t, err, &ee)
			require.True(t, ee.Dial)
			require.Equal(t, tt.host, ee.Host)
			require.Contains(t, err.Error(), tt.addr)
			require.Zero(t, hits.Load(), "the forbidden listener was reached")
		})
	}

	// The same resolver allowing the address reaches the listener: the
	// refusal above is the policy's, not a failing fake.
	r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil,
		func(o *Options) {
			o.Registry = testRegistry(nil)
			o.DNS = dns.Resolver()
			o.AllowEndpoint = AllowHosts("127.0.0.1")
		})
	c := keyConn()
	c.Endpoint = "http://loopback.attacker.test:" + strconv.Itoa(port)
	cfg, err := r.Config(context.Background(), c)
	require.NoError(t, err)
	require.NoError(t, get(cfg, c.Endpoint+"/"))
	require.Equal(t, int64(1), hits.Load())
	require.Contains(t, dns.Queries(), "loopback.attacker.test.")

	// The connection stays open for reuse until the resolver closes it.
	r.conns.mu.Lock()
	open := len(r.conns.conns)
	r.conns.mu.Unlock()
	require.Equal(t, 1, open)
	r.CloseConnections()
	require.Empty(t, r.conns.conns)
	require.NoError(t, get(cfg, c.Endpoint+"/"), "a config resolved before dials anew")
	r.CloseConnections()
}

// TestResolvedClientUsesNoProxy gives the resolver a client whose transport
// sends everything through a proxy: the resolved config's client goes
// direct (and through the dial-time check) instead, since a proxy would
// resolve and reach the endpoint where the check cannot see.
func TestResolvedClientUsesNoProxy(t *testing.T) {
	target, targetHits := forbiddenServer(t)
	proxyURL, proxyHits := proxyServer(t)

	for _, allowed := range []bool{false, true} {
		r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil,
			func(o *Options) {
				o.Registry = testRegistry(nil)
				o.HTTPClient = &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
				if allowed {
					o.AllowEndpoint = AllowHosts("localhost")
				}
			})
		c := keyConn()
		c.Endpoint = strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
		cfg, err := r.Config(context.Background(), c)
		if !allowed {
			require.ErrorIs(t, err, ErrEndpointRefused)
			// Even a request made through the client directly.
			require.ErrorIs(t, get(cfg0(t, r), target.URL+"/"), ErrEndpointRefused)
			continue
		}
		require.NoError(t, err)
		require.NoError(t, get(cfg, c.Endpoint+"/"))
	}
	require.Zero(t, proxyHits.Load(), "the proxy was used")
	require.Equal(t, int64(1), targetHits.Load())
}

// cfg0 resolves a connection without endpoint, for its HTTP client.
func cfg0(t *testing.T, r *Resolver) aws.Config {
	cfg, err := r.Config(context.Background(), keyConn())
	require.NoError(t, err)
	return cfg
}

func TestUnguardableHTTPClientIsRefused(t *testing.T) {
	type custom struct{ aws.HTTPClient }
	for name, client := range map[string]aws.HTTPClient{
		"custom type":         custom{http.DefaultClient},
		"custom RoundTripper": &http.Client{Transport: roundTripperFunc(http.DefaultTransport.RoundTrip)},
	} {
		t.Run(name, func(t *testing.T) {
			r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil,
				func(o *Options) { o.Registry = testRegistry(nil); o.HTTPClient = client })
			_, err := r.Config(context.Background(), keyConn())
			require.ErrorIs(t, err, ErrUnguardedHTTPClient)
		})
	}
	// A base config's unguardable client (the platform's own, for STS) is
	// not an error: connections get a guarded client of their own.
	r := NewResolver(aws.Config{Region: "us-east-1", HTTPClient: custom{http.DefaultClient}}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil,
		func(o *Options) { o.Registry = testRegistry(nil) })
	cfg, err := r.Config(context.Background(), keyConn())
	require.NoError(t, err)
	_, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
	require.True(t, ok, "%T", cfg.HTTPClient)
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzEndpointPolicy checks the URL and host classifier against the
// standard library's own reading of addresses: whatever the input, an
// endpoint the default policy admits has a host that is a DNS name, or an
// address none of net.IP's predicates calls loopback, private, link-local,
// multicast or unspecified, and that is no metadata address; and an
// address the classifier reads from a numeric host formats back to itself.
func FuzzEndpointPolicy(f *testing.F) {
	for _, tt := range refusedEndpoints {
		f.Add(tt.endpoint)
	}
	for _, e := range publicEndpoints {
		f.Add(e)
	}
	f.Fuzz(func(t *testing.T, endpoint string) {
		err := EndpointPolicy{}.CheckURL(endpoint)
		if err != nil {
			if !errors.Is(err, ErrEndpointRefused) {
				t.Fatalf("an error without the sentinel: %v", err)
			}
			return
		}
		u, perr := url.Parse(endpoint)
		if perr != nil {
			t.Fatalf("an unparsable endpoint was admitted: %q", endpoint)
		}
		host := u.Hostname()
		ip, rule := classifyHost(host)
		if rule != "" {
			t.Fatalf("admitted %q whose host %q the classifier refuses (%s)", endpoint, host, rule)
		}
		if std := net.ParseIP(strings.TrimSuffix(host, ".")); std != nil && !publicStd(std) {
			t.Fatalf("admitted %q: net.IP calls %s non-public", endpoint, std)
		}
		if ip.IsValid() {
			if !publicStd(net.IP(ip.AsSlice())) || IsAWSMetadata(ip) {
				t.Fatalf("admitted %q, which is %s", endpoint, ip)
			}
			again, rule := classifyHost(ip.String())
			if again != ip || rule != "" {
				t.Fatalf("%s reads back as %s (%s)", ip, again, rule)
			}
			return
		}
		if _, numeric, _ := parseIPv4Number(strings.ToLower(strings.TrimSuffix(host, "."))); numeric {
			t.Fatalf("admitted %q as a name although a resolver reads it as a number", endpoint)
		}
	})
}

// publicStd is the standard library's idea of a public address.
func publicStd(ip net.IP) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified())
}

// BenchmarkEndpointPolicyCheckURL measures the validation-time check of an
// endpoint against url.Parse alone, its yardstick in the same run: the
// classification itself should cost little beside parsing the URL.
func BenchmarkEndpointPolicyCheckURL(b *testing.B) {
	for _, e := range []string{"https://s3.eu-west-1.amazonaws.com", "http://0xa9fea9fe", "http://[::ffff:169.254.169.254]"} {
		b.Run("CheckURL "+e, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = EndpointPolicy{}.CheckURL(e)
			}
		})
		b.Run("url.Parse "+e, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = url.Parse(e)
			}
		})
	}
}
