package s3_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/connectors/sigv4"
	"github.com/awsconnect/awsconnect/internal/fakedns"
	"github.com/awsconnect/awsconnect/scope"
)

// TestRedirectToMetadataIsRefusedByEveryClient is the SSRF through a
// redirect: the connection's endpoint is a name the platform allows (a
// stand-in for a public host), and it answers every request with a
// redirect to the metadata service, written as an address, as a name that
// resolves to it, and in the IPv4-mapped IPv6 form. Whichever client of a
// resolved config sends the request (the config's own HTTP client, the
// signedhttp connector, the S3 client, its uploader and downloader), the
// redirect is either not followed or refused at dial time: no request
// reaches the metadata listener.
func TestRedirectToMetadataIsRefusedByEveryClient(t *testing.T) {
	var imdsHits atomic.Int64
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		imdsHits.Add(1)
		_, _ = io.WriteString(w, `{"AccessKeyId":"ASIAPLATFORM","SecretAccessKey":"`+platformSecret+`"}`)
	}))
	t.Cleanup(imds.Close)
	imdsPort := strconv.Itoa(imds.Listener.Addr().(*net.TCPAddr).Port)

	dns := fakedns.Start(t, map[string][]netip.Addr{
		"public.example.test":   {netip.MustParseAddr("127.0.0.1")},
		"imds.attacker.test":    {netip.MustParseAddr("127.0.0.1")},
		"imds-v6.attacker.test": {netip.MustParseAddr("::ffff:127.0.0.1")},
	})
	targets := []string{
		imds.URL,
		"http://imds.attacker.test:" + imdsPort,
		"http://imds-v6.attacker.test:" + imdsPort,
		"http://[::ffff:127.0.0.1]:" + imdsPort,
		"http://localhost:" + imdsPort,
		"http://2130706433:" + imdsPort,
	}
	ctx := context.Background()
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			var redirects atomic.Int64
			public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				redirects.Add(1)
				http.Redirect(w, r, target+"/latest/meta-data/iam/security-credentials/platform-role", http.StatusTemporaryRedirect)
			}))
			t.Cleanup(public.Close)
			port := strconv.Itoa(public.Listener.Addr().(*net.TCPAddr).Port)
			endpoint := "http://public.example.test:" + port

			r := connectors.NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, connectors.FixedMode(scope.WorkspaceMode), nil,
				func(o *connectors.Options) {
					o.DNS = dns.Resolver()
					o.AllowEndpoint = connectors.AllowHosts("public.example.test")
				})
			conn := connectors.Connection{ID: "redirect", WorkspaceID: "ws", Kind: s3c.KindName, Region: "us-east-1", Endpoint: endpoint,
				Auth: connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE",
					SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}
			cfg, err := r.Config(ctx, conn)
			require.NoError(t, err)
			t.Cleanup(r.CloseConnections)

			read := func(resp *http.Response, err error) string {
				if err != nil {
					return ""
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return string(b)
			}
			req, err := http.NewRequest(http.MethodGet, endpoint+"/x", nil)
			require.NoError(t, err)
			require.NotContains(t, read(cfg.HTTPClient.Do(req)), platformSecret, "the config's client")

			sh := sigv4.New(cfg, func(o *sigv4.Options) { o.Service = "s3"; o.Region = "us-east-1" })
			req, err = http.NewRequest(http.MethodGet, endpoint+"/x", nil)
			require.NoError(t, err)
			require.NotContains(t, read(sh.Do(req)), platformSecret, "signedhttp (sigv4.New, which signedhttp.New is)")

			c := s3c.New(cfg, func(o *s3c.Options) { o.UsePathStyle = aws.Bool(true) })
			if obj, err := c.GetObject(ctx, "latest", "meta-data"); err == nil {
				b, _ := io.ReadAll(obj.Body)
				obj.Body.Close()
				require.NotContains(t, string(b), platformSecret, "s3 GetObject")
			}
			_, _ = c.Upload(ctx, "latest", "k", bytes.NewReader([]byte("body")))
			buf := s3c.NewWriteAtBuffer()
			_, _ = c.Download(ctx, "latest", "k", buf)
			require.NotContains(t, string(buf.Bytes()), platformSecret, "s3 Download")

			require.NotZero(t, redirects.Load(), "the allowed endpoint was reached: the refusal is the redirect's")
			require.Zero(t, imdsHits.Load(), "a redirect reached the metadata listener")
		})
	}

	// The control: with the metadata address allowed, the same redirect
	// reaches it, so the refusals above are the policy's.
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, imds.URL+"/latest/", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(public.Close)
	r := connectors.NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, connectors.FixedMode(scope.WorkspaceMode), nil,
		func(o *connectors.Options) {
			o.DNS = dns.Resolver()
			o.AllowEndpoint = connectors.AllowHosts("public.example.test", "127.0.0.1")
		})
	t.Cleanup(r.CloseConnections)
	endpoint := "http://public.example.test:" + strconv.Itoa(public.Listener.Addr().(*net.TCPAddr).Port)
	cfg, err := r.Config(ctx, connectors.Connection{ID: "redirect", WorkspaceID: "ws", Kind: s3c.KindName, Region: "us-east-1", Endpoint: endpoint,
		Auth: connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, endpoint+"/x", nil)
	require.NoError(t, err)
	resp, err := cfg.HTTPClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(b), platformSecret)
	require.Equal(t, int64(1), imdsHits.Load())
}
