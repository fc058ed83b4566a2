package s3_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/awsconnect/awsconnect/connectors/signedhttp"
)

// presignGateway stands in front of localaws, which verifies header
// signatures only: it checks a presigned request's query signature by
// re-presigning it with the SDK signer and the connection's credentials, and
// forwards an accepted request to localaws signed in headers with the same
// credentials. So a URL that the gateway accepts is one S3 would accept, and
// its effect lands in localaws.
func presignGateway(t *testing.T, target string, creds aws.CredentialsProvider) *httptest.Server {
	forward := signedhttp.NewTransport(creds, func(o *signedhttp.Options) { o.Service, o.Region = "s3", "us-east-1" })
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := verifyPresigned(r, creds); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		body, _ := io.ReadAll(r.Body)
		req, _ := http.NewRequest(r.Method, target+r.URL.Path, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", r.Header.Get("Content-Type"))
		resp, err := forward.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(gw.Close)
	return gw
}

func verifyPresigned(r *http.Request, provider aws.CredentialsProvider) error {
	creds, err := provider.Retrieve(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	when, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return err
	}
	expires, err := time.ParseDuration(q.Get("X-Amz-Expires") + "s")
	if err != nil || time.Now().After(when.Add(expires)) {
		return fmt.Errorf("expired or no expiry")
	}
	if q.Get("X-Amz-Security-Token") != creds.SessionToken {
		return fmt.Errorf("wrong session token")
	}
	sig := q.Get("X-Amz-Signature")
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"} {
		q.Del(k)
	}
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: q.Encode()}
	again, _ := http.NewRequest(r.Method, u.String(), nil)
	for _, h := range strings.Split(r.URL.Query().Get("X-Amz-SignedHeaders"), ";") {
		if h != "host" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, again, "UNSIGNED-PAYLOAD", "s3", "us-east-1", when,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		return err
	}
	parsed, _ := url.Parse(signed)
	if parsed.Query().Get("X-Amz-Signature") != sig {
		return fmt.Errorf("presigned signature mismatch")
	}
	return nil
}
