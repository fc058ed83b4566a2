package s3_test

import (
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
	"github.com/awsconnect/awsconnect/internal/fakedns"
	"github.com/awsconnect/awsconnect/scope"
)

// platformSecret is what the fake metadata service hands out: the
// platform's own credentials.
const platformSecret = "PLATFORM-SECRET-FROM-IMDS"

// TestAccessKeyConnectionNeverReachesMetadata is the SSRF of a customer who
// points an access-key S3 connection at the instance metadata service and
// reads latest/meta-data/iam/security-credentials/ROLE as an object body.
// The metadata service is a listener on loopback, which the policy refuses
// like 169.254.169.254: whether the endpoint names the address or a DNS
// name that resolves to it, no request reaches it. With the address
// allowed, the same calls read the platform's credentials: the attack the
// policy stops is real.
func TestAccessKeyConnectionNeverReachesMetadata(t *testing.T) {
	var hits atomic.Int64
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, `{"Code":"Success","AccessKeyId":"ASIAPLATFORM","SecretAccessKey":"`+platformSecret+`"}`)
	}))
	t.Cleanup(imds.Close)
	port := strconv.Itoa(imds.Listener.Addr().(*net.TCPAddr).Port)
	dns := fakedns.Start(t, map[string][]netip.Addr{"metadata.attacker.test": {netip.MustParseAddr("127.0.0.1")}})
	ctx := context.Background()

	resolver := func(allow ...string) *connectors.Resolver {
		return connectors.NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, connectors.FixedMode(scope.WorkspaceMode), nil,
			func(o *connectors.Options) {
				o.DNS = dns.Resolver()
				if len(allow) > 0 {
					o.AllowEndpoint = connectors.AllowHosts(allow...)
				}
			})
	}
	conn := func(endpoint string) connectors.Connection {
		return connectors.Connection{ID: "ssrf", WorkspaceID: "ws", Kind: s3c.KindName, Region: "us-east-1", Endpoint: endpoint,
			Auth: connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE",
				SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}
	}
	read := func(cfg aws.Config) (string, error) {
		c := s3c.New(cfg, func(o *s3c.Options) { o.UsePathStyle = aws.Bool(true) })
		obj, err := c.GetObject(ctx, "latest", "meta-data/iam/security-credentials/platform-role")
		if err != nil {
			return "", err
		}
		defer obj.Body.Close()
		b, err := io.ReadAll(obj.Body)
		return string(b), err
	}

	t.Run("the address", func(t *testing.T) {
		r := resolver()
		c := conn(imds.URL)
		_, err := r.Config(ctx, c)
		require.ErrorIs(t, err, connectors.ErrEndpointRefused)
		rep := r.Check(ctx, c)
		step, failed := rep.FirstFailure()
		require.True(t, failed)
		require.Equal(t, connectors.StepFields, step.ID)
		require.Contains(t, step.Fields[0].Message, "rule loopback")
	})
	t.Run("a name resolving to it", func(t *testing.T) {
		r := resolver()
		c := conn("http://metadata.attacker.test:" + port)
		cfg, err := r.Config(ctx, c)
		require.NoError(t, err, "validation cannot judge a name")
		body, err := read(cfg)
		require.ErrorIs(t, err, connectors.ErrEndpointRefused)
		require.Empty(t, body)
		rep := r.Check(ctx, c)
		step, failed := rep.FirstFailure()
		require.True(t, failed, "%s", rep)
		require.Equal(t, connectors.StepServiceReachable, step.ID)
		require.NotContains(t, rep.String(), platformSecret)
	})
	require.Zero(t, hits.Load(), "a request reached the metadata service")

	t.Run("allowed, the attack works", func(t *testing.T) {
		for _, endpoint := range []string{imds.URL, "http://metadata.attacker.test:" + port} {
			cfg, err := resolver("127.0.0.1").Config(ctx, conn(endpoint))
			require.NoError(t, err)
			body, err := read(cfg)
			require.NoError(t, err)
			require.Contains(t, body, platformSecret)
		}
		require.Equal(t, int64(2), hits.Load())
	})
}
