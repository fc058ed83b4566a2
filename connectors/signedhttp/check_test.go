package signedhttp_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

func startLocal(t *testing.T) *localaws.Server {
	t.Helper()
	srv, err := localaws.Start()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	return srv
}

func TestCheckAgainstLocalAWS(t *testing.T) {
	srv := startLocal(t)
	tests := []struct {
		name   string
		cfg    func() aws.Config
		status connectors.Status
		msg    string
	}{
		{name: "valid credentials", cfg: func() aws.Config { return srv.Config(nil) }, status: connectors.Passed,
			msg: "run as arn:aws:iam::" + srv.PlatformAccountID() + ":user/platform"},
		{name: "unknown key", cfg: func() aws.Config {
			return srv.Config(credentials.NewStaticCredentialsProvider("AKIAUNKNOWNKEY000000", "secret", ""))
		}, status: connectors.Failed, msg: "refused the credentials"},
		{name: "wrong secret", cfg: func() aws.Config {
			c := srv.PlatformCredentials()
			return srv.Config(credentials.NewStaticCredentialsProvider(c.AccessKeyID, "wrong-secret", ""))
		}, status: connectors.Failed, msg: "refused the request's signature"},
		{name: "wrong endpoint", cfg: func() aws.Config {
			cfg := srv.Config(nil)
			cfg.BaseEndpoint = aws.String("http://127.0.0.1:1")
			return cfg
		}, status: connectors.Failed, msg: "could not be reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg()
			cfg.RetryMaxAttempts = 1
			rep := signedhttp.New(cfg).Check(context.Background())
			require.Len(t, rep.Steps, 1)
			require.Equal(t, tt.status, rep.Steps[0].Status, "%s", rep)
			require.Contains(t, rep.Steps[0].Message, tt.msg)
		})
	}
}

// TestRawCallsToLocalAWS makes raw REST calls that localaws verifies: S3
// with a query string, a body and a streamed body, and a Lex call denied by
// policy.
func TestRawCallsToLocalAWS(t *testing.T) {
	srv := startLocal(t)
	doc, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
	require.NoError(t, err)
	require.NoError(t, srv.Platform().PutUserPolicy(localaws.PlatformUserName, "s3", doc))
	require.NoError(t, srv.Platform().CreateBucket("raw-bucket"))
	c := signedhttp.New(srv.Config(nil), func(o *signedhttp.Options) { o.Service = "s3" })
	ctx := context.Background()

	do := func(method, path string, body io.Reader, length int64) (int, string) {
		req, err := http.NewRequestWithContext(ctx, method, srv.URL()+path, body)
		require.NoError(t, err)
		if length > 0 {
			req.ContentLength = length
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, msg := do(http.MethodPut, "/raw-bucket/a.txt", strings.NewReader("hello signed world"), 0)
	require.Equal(t, http.StatusOK, status, msg)
	stream := struct{ io.Reader }{strings.NewReader("streamed body")}
	status, msg = do(http.MethodPut, "/raw-bucket/dir/streamed.txt", stream, int64(len("streamed body")))
	require.Equal(t, http.StatusOK, status, msg)
	got, err := srv.Object("raw-bucket", "dir/streamed.txt")
	require.NoError(t, err)
	require.Equal(t, "streamed body", string(got))

	status, msg = do(http.MethodGet, "/raw-bucket?list-type=2&prefix=dir%2F", nil, 0)
	require.Equal(t, http.StatusOK, status, msg)
	require.Contains(t, msg, "<Key>dir/streamed.txt</Key>")
	require.NotContains(t, msg, "<Key>a.txt</Key>")

	status, msg = do(http.MethodGet, "/raw-bucket/a.txt", nil, 0)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "hello signed world", msg)
}
