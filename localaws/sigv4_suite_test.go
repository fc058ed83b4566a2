package localaws

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/sigv4path"
	"github.com/awsconnect/awsconnect/internal/sigv4suite"
)

// TestSigV4SuiteVerifies runs the verifier's signature computation over
// AWS's SigV4 test suite (aws-c-auth tests/aws-signing-test-suite/v4): each
// request as it would arrive, with the suite's Authorization header or
// presigned query, must give the suite's signature when the case normalises
// its path, as every service but S3 does. An unnormalised case whose path
// normalising changes is what a signer that forgot to normalise sends: the
// verifier must compute another signature, and so refuse it.
func TestSigV4SuiteVerifies(t *testing.T) {
	cases, err := sigv4suite.Cases()
	require.NoError(t, err)
	require.Equal(t, 38, len(cases))
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			key := &accessKey{id: c.AccessKeyID, secret: c.SecretAccessKey, sessionToken: c.SessionToken}
			sum := sha256.Sum256(c.Body)
			payload := hex.EncodeToString(sum[:])
			same := c.Normalize || sigv4path.Normalize(c.Path) == c.Path

			// The Authorization header form.
			r := arrived(t, c.Method, c.Host, c.Path+query(c.RawQuery))
			for k, vs := range c.Header {
				if k != "Host" {
					r.Header[k] = vs
				}
			}
			for _, h := range []string{"X-Amz-Date", "X-Amz-Security-Token", "Authorization"} {
				if v := c.SignedHeader(h); v != "" {
					r.Header.Set(h, v)
				}
			}
			if c.SignBody {
				r.Header.Set("X-Amz-Content-Sha256", payload)
			}
			r.ContentLength = int64(len(c.Body))
			a, err := parseAuthorization(r.Header.Get("Authorization"))
			require.NoError(t, err)
			want, err := resign(r, a, key, payload, c.Time)
			require.NoError(t, err)
			if c.OmitSessionToken {
				// The token was added after signing: this verifier, like
				// AWS for a token it was given, signs it, so the request
				// fails.
				require.NotEqual(t, c.HeaderSignature, want.signature)
				return
			}
			if same {
				require.Equal(t, c.HeaderSignature, want.signature)
			} else {
				require.NotEqual(t, c.HeaderSignature, want.signature)
			}

			// The presigned form.
			p := arrived(t, c.Method, c.Host, c.PresignedTarget())
			for k, vs := range c.Header {
				if k != "Host" {
					p.Header[k] = vs
				}
			}
			pa, err := parsePresigned(p.URL.Query())
			require.NoError(t, err)
			presignPayload := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
			if len(c.Body) > 0 && !c.SignBody {
				presignPayload = payload
			}
			got, err := resign(p, pa, key, presignPayload, c.Time)
			require.NoError(t, err)
			if same && !c.SignBody {
				require.Equal(t, c.QuerySignature, got.signature)
			} else if !same {
				require.NotEqual(t, c.QuerySignature, got.signature)
			}
		})
	}
}

// arrived builds a request the way net/http's server hands it over: the
// request target kept raw in RequestURI and parsed into URL.
func arrived(t *testing.T, method, host, target string) *http.Request {
	t.Helper()
	u, err := url.ParseRequestURI(strings.ReplaceAll(target, " ", "%20"))
	require.NoError(t, err)
	return &http.Request{Method: method, Host: host, URL: u, RequestURI: target, Header: http.Header{}}
}

func query(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}
