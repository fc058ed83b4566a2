package signedhttp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/sigv4path"
	"github.com/awsconnect/awsconnect/internal/sigv4suite"
)

// captureBase records the signed request instead of sending it.
type captureBase struct{ got *http.Request }

func (c *captureBase) RoundTrip(r *http.Request) (*http.Response, error) {
	c.got = r
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(bytes.NewReader(nil)), Header: http.Header{}, Request: r}, nil
}

// omittedTokenCases sign the session token after the signature, unsigned;
// the SDK's signer always signs it (so a token cannot be swapped on the
// wire), and signedhttp keeps that.
var omittedTokenCases = []string{"post-sts-header-after"}

// TestSigV4Suite signs every request of AWS's SigV4 test suite (aws-c-auth
// tests/aws-signing-test-suite/v4) through the Transport and through
// Presign, and compares the signatures with the suite's. Cases marked
// "normalize" must match exactly: signedhttp normalises paths for every
// service but S3. The unnormalised cases are S3's way; for the service
// "service" signedhttp normalises them too, so they match exactly when
// normalising leaves their path as it is, and never otherwise.
func TestSigV4Suite(t *testing.T) {
	cases, err := sigv4suite.Cases()
	require.NoError(t, err)
	require.Equal(t, 38, len(cases))
	var omitted []string
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			creds := aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
			base := &captureBase{}
			tr := NewTransport(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }), func(o *Options) {
				o.Service, o.Region, o.Base = c.Service, c.Region, base
				o.Now = func() time.Time { return c.Time }
			})
			req := c.Request().WithContext(context.Background())
			if len(c.Body) > 0 {
				body := c.Body
				req.Body = io.NopCloser(bytes.NewReader(body))
				req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			}
			if c.SignBody {
				h, err := hashReader(io.NopCloser(bytes.NewReader(c.Body)))
				require.NoError(t, err)
				req.Header.Set("X-Amz-Content-Sha256", h)
			}
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			got := sigv4suite.SignatureOf(base.got.Header.Get("Authorization"))

			normalized := sigv4path.Normalize(c.Path)
			switch {
			case c.OmitSessionToken:
				omitted = append(omitted, c.Name)
				require.NotEqual(t, c.HeaderSignature, got, "the token is signed")
				require.Contains(t, base.got.Header.Get("Authorization"), "x-amz-security-token")
			case c.Normalize || normalized == c.Path:
				require.Equal(t, c.HeaderSignature, got)
			default:
				require.NotEqual(t, c.HeaderSignature, got, "an unnormalised path is S3's way only")
			}
			if c.Normalize {
				// The request goes out with the path it was signed with.
				require.Equal(t, "//"+c.Host+normalized, base.got.URL.Opaque)
			}
			if c.OmitSessionToken || c.SignBody || len(c.Body) > 0 {
				return // the query vectors of these sign no body hash header
			}
			pre, err := tr.Presign(context.Background(), c.Request(), c.Expires)
			require.NoError(t, err)
			u, err := url.Parse(pre.URL)
			require.NoError(t, err)
			if c.Normalize || normalized == c.Path {
				require.Equal(t, c.QuerySignature, u.Query().Get("X-Amz-Signature"))
			} else {
				require.NotEqual(t, c.QuerySignature, u.Query().Get("X-Amz-Signature"))
			}
		})
	}
	require.Equal(t, omittedTokenCases, omitted)
}
