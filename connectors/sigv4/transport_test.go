package sigv4

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// noBackoff makes retries immediate so tests never wait.
type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

func testRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = noBackoff{}
		o.RateLimiter = ratelimit.None
	})
}

func newServer(t *testing.T, rec *recorder) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv
}

func newTestTransport(srv *httptest.Server, creds aws.CredentialsProvider, optFns ...func(*Options)) *Transport {
	fns := append([]func(*Options){func(o *Options) {
		o.Base = srv.Client().Transport
		o.Retryer = testRetryer()
	}}, optFns...)
	return NewTransport(creds, fns...)
}

func TestTransportSignsEveryBodyKind(t *testing.T) {
	payload := []byte(`{"text":"I would like to order flowers"}`)
	file := filepath.Join(t.TempDir(), "body")
	require.NoError(t, os.WriteFile(file, payload, 0o600))

	tests := []struct {
		name     string
		service  string
		body     func(t *testing.T) io.Reader
		length   int64
		wantHash string // "" means the server checks the body's hash
	}{
		{name: "no body", service: "lex"},
		{name: "bytes reader (GetBody)", service: "lex", body: func(*testing.T) io.Reader { return bytes.NewReader(payload) }},
		{name: "strings reader (GetBody) to s3", service: "s3", body: func(*testing.T) io.Reader { return strings.NewReader(string(payload)) }},
		{name: "seekable file", service: "lex", length: int64(len(payload)), body: func(t *testing.T) io.Reader {
			f, err := os.Open(file)
			require.NoError(t, err)
			return f
		}},
		{name: "stream buffered for lex", service: "lex", body: func(*testing.T) io.Reader { return newStream(payload) }},
		{name: "stream unsigned for s3", service: "s3", length: int64(len(payload)), wantHash: UnsignedPayload,
			body: func(*testing.T) io.Reader { return newStream(payload) }},
		{name: "chunked stream of unknown length unsigned for s3", service: "s3", length: -1, wantHash: UnsignedPayload,
			body: func(*testing.T) io.Reader { return newStream(payload) }},
		{name: "chunked stream of unknown length buffered for lex", service: "lex", length: -1,
			body: func(*testing.T) io.Reader { return newStream(payload) }},
		{name: "seekable file of unknown length", service: "lex", length: -1, body: func(t *testing.T) io.Reader {
			f, err := os.Open(file)
			require.NoError(t, err)
			return f
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := newServer(t, rec)
			tr := newTestTransport(srv, aws.NewCredentialsCache(&countingProvider{}), func(o *Options) {
				o.Service, o.Region = tt.service, "eu-west-1"
			})
			var body io.Reader
			if tt.body != nil {
				body = tt.body(t)
			}
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/bots/B1/text?x=1&a=b c", body)
			require.NoError(t, err)
			if tt.length != 0 {
				req.ContentLength = tt.length
			}
			req.Header.Set("Content-Type", "application/json")
			before := req.Header.Clone()
			resp, err := tr.Client().Do(req)
			require.NoError(t, err)
			got, _ := io.ReadAll(resp.Body)
			require.NoError(t, resp.Body.Close())
			require.Equal(t, http.StatusOK, resp.StatusCode, string(got))
			require.Equal(t, before, req.Header, "the caller's request must not be modified")

			seen := rec.all()
			require.Len(t, seen, 1)
			require.NoError(t, seen[0].Err)
			require.Equal(t, tt.service, seen[0].Service)
			require.Equal(t, "eu-west-1", seen[0].Region)
			if tt.body != nil {
				require.Equal(t, payload, seen[0].Body)
			}
			if tt.wantHash != "" {
				require.Equal(t, tt.wantHash, seen[0].PayloadHash)
			}
		})
	}
}

func TestTransportInfersServiceAndRegionFromHost(t *testing.T) {
	tests := []struct{ host, service, region string }{
		{"runtime-v2-lex.eu-west-2.amazonaws.com", "lex", "eu-west-2"},
		{"my-bucket.s3.us-west-2.amazonaws.com", "s3", "us-west-2"},
		{"email.ap-south-1.amazonaws.com", "ses", "ap-south-1"},
		{"sts.amazonaws.com", "sts", "us-east-1"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			rec := &recorder{}
			srv := newServer(t, rec)
			tr := newTestTransport(srv, &countingProvider{})
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/path/with space", nil)
			require.NoError(t, err)
			req.Host = tt.host
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			discard(resp)
			seen := rec.all()
			require.Len(t, seen, 1)
			require.NoError(t, seen[0].Err)
			require.Equal(t, tt.service, seen[0].Service)
			require.Equal(t, tt.region, seen[0].Region)
		})
	}
}

func TestTransportRetriesWithTheSameBody(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 1000)
	file := filepath.Join(t.TempDir(), "body")
	require.NoError(t, os.WriteFile(file, payload, 0o600))
	tests := []struct {
		name     string
		service  string
		body     func(t *testing.T) io.Reader
		fail     func(w http.ResponseWriter)
		attempts int
		status   int
	}{
		{name: "GetBody after 503", service: "lex", body: func(*testing.T) io.Reader { return bytes.NewReader(payload) },
			fail: func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) }, attempts: 3, status: http.StatusOK},
		{name: "seekable after JSON throttling", service: "lex",
			body: func(t *testing.T) io.Reader {
				f, err := os.Open(file)
				require.NoError(t, err)
				return f
			},
			fail: func(w http.ResponseWriter) {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"__type":"com.amazonaws#ThrottlingException","message":"Rate exceeded"}`))
			}, attempts: 3, status: http.StatusOK},
		{name: "buffered stream after XML throttling", service: "sts", body: func(*testing.T) io.Reader { return newStream(payload) },
			fail: func(w http.ResponseWriter) {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>`))
			}, attempts: 3, status: http.StatusOK},
		{name: "unsigned stream is never replayed", service: "s3", body: func(*testing.T) io.Reader { return newStream(payload) },
			fail: func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) }, attempts: 1, status: http.StatusServiceUnavailable},
		{name: "access denied is not retried", service: "lex", body: func(*testing.T) io.Reader { return bytes.NewReader(payload) },
			fail: func(w http.ResponseWriter) {
				w.Header().Set("X-Amzn-Errortype", "AccessDeniedException:http://internal.amazon.com/")
				w.WriteHeader(http.StatusForbidden)
			}, attempts: 1, status: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{respond: func(n int, w http.ResponseWriter) {
				if n < 3 {
					tt.fail(w)
					return
				}
				_, _ = w.Write([]byte("ok"))
			}}
			srv := newServer(t, rec)
			creds := &countingProvider{}
			tr := newTestTransport(srv, creds, func(o *Options) { o.Service, o.Region = tt.service, "us-east-1" })
			req, err := http.NewRequest(http.MethodPut, srv.URL+"/object", tt.body(t))
			require.NoError(t, err)
			req.ContentLength = int64(len(payload))
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			require.Equal(t, tt.status, resp.StatusCode)
			require.NoError(t, resp.Body.Close())
			seen := rec.all()
			require.Len(t, seen, tt.attempts)
			for i, s := range seen {
				require.NoError(t, s.Err, "attempt %d", i+1)
				require.Equal(t, payload, s.Body, "attempt %d lost its body", i+1)
			}
			require.Equal(t, tt.attempts, creds.count(), "credentials are retrieved for every attempt")
		})
	}
}

func TestTransportRefusesWhatItCannotSign(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec)
	tests := []struct {
		name    string
		opts    func(*Options)
		body    io.Reader
		hash    string // a caller's X-Amz-Content-Sha256
		wantErr string
		is      error
	}{
		{name: "unsigned payload for a service other than S3", opts: func(o *Options) { o.Service, o.Region = "lex", "us-east-1" },
			body: newStream([]byte("x")), hash: UnsignedPayload, wantErr: `payload hash "UNSIGNED-PAYLOAD" is accepted only by`},
		{name: "streaming payload for a service other than S3", opts: func(o *Options) { o.Service, o.Region = "lambda", "us-east-1" },
			body: bytes.NewReader([]byte("x")), hash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", wantErr: "is accepted only by"},
		{name: "a hash that is not one", opts: func(o *Options) { o.Service, o.Region = "lex", "us-east-1" },
			body: bytes.NewReader([]byte("x")), hash: "abc", wantErr: "is accepted only by"},
		{name: "host without service", opts: func(*Options) {}, wantErr: "not a standard AWS endpoint", is: ErrUnknownHost},
		{name: "service without region", opts: func(o *Options) { o.Service = "lex" }, wantErr: "no signing region"},
		{name: "stream over the buffer limit", opts: func(o *Options) { o.Service, o.Region, o.MaxBufferedBody = "lex", "us-east-1", 4 },
			body: newStream([]byte("too long")), wantErr: "exceeds 4 bytes"},
		{name: "stream with buffering disabled", opts: func(o *Options) { o.Service, o.Region, o.MaxBufferedBody = "lex", "us-east-1", -1 },
			body: newStream([]byte("x")), wantErr: "requires a payload hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTestTransport(srv, &countingProvider{}, tt.opts)
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/", tt.body)
			require.NoError(t, err)
			if tt.hash != "" {
				req.Header.Set("X-Amz-Content-Sha256", tt.hash)
			}
			_, err = tr.RoundTrip(req)
			require.ErrorContains(t, err, tt.wantErr)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
		})
	}
	require.Empty(t, rec.all(), "nothing unsigned may be sent")
}

func TestTransportCredentialsError(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec)
	boom := errors.New("role refused")
	tr := newTestTransport(srv, aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, boom
	}), func(o *Options) { o.Service, o.Region = "lex", "us-east-1" })
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	_, err = tr.RoundTrip(req)
	require.ErrorIs(t, err, boom)
	require.Empty(t, rec.all())
}

func TestNewUsesTheConfig(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec)
	cfg := aws.Config{
		Region:      "ca-central-1",
		Credentials: aws.NewCredentialsCache(&countingProvider{}),
		HTTPClient:  srv.Client(),
		Retryer:     testRetryer,
	}
	c := New(cfg, func(o *Options) { o.Service = "execute-api" })
	require.NotNil(t, c.Transport())
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/prod/items", nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	discard(resp)
	seen := rec.all()
	require.Len(t, seen, 1)
	require.NoError(t, seen[0].Err)
	require.Equal(t, "ca-central-1", seen[0].Region)
	require.Equal(t, "execute-api", seen[0].Service)
}

func TestVerifierCatchesAWrongSignature(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec)
	wrong := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		c := testCreds
		c.SecretAccessKey = "not-the-secret"
		return c, nil
	})
	tr := newTestTransport(srv, wrong, func(o *Options) { o.Service, o.Region = "lex", "us-east-1" })
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	discard(resp)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.ErrorContains(t, rec.all()[0].Err, "signature mismatch")
}
