package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// testCreds are the credentials every test signs with.
var testCreds = aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret-test-key", SessionToken: "session-token-test"}

// seen is what a verifying server recorded of one request.
type seen struct {
	Method, Path, Query string
	Service, Region     string
	Body                []byte
	PayloadHash         string
	Err                 error
}

// recorder is an http.Handler that verifies every request's SigV4 signature by
// re-signing it with the SDK signer and records what it saw.
type recorder struct {
	mu      sync.Mutex // guards reqs and respond
	reqs    []seen
	respond func(n int, w http.ResponseWriter) // n is the 1-based request count
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s := verifyRequest(r, body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, s)
	n := len(rec.reqs)
	respond := rec.respond
	rec.mu.Unlock()
	if s.Err != nil {
		http.Error(w, s.Err.Error(), http.StatusForbidden)
		return
	}
	if respond != nil {
		respond(n, w)
		return
	}
	_, _ = w.Write([]byte("ok"))
}

func (rec *recorder) all() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.reqs...)
}

// verifyRequest recomputes the Authorization header of r from its signed
// headers and checks the payload hash against the body received.
func verifyRequest(r *http.Request, body []byte) seen {
	s := seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body}
	if r.URL.Query().Get("X-Amz-Signature") != "" {
		s.Err = verifyPresigned(r, &s)
		return s
	}
	auth := r.Header.Get("Authorization")
	cred, signed, _, err := parseAuthorization(auth)
	if err != nil {
		s.Err = err
		return s
	}
	scope := strings.Split(cred, "/")
	if len(scope) != 5 || scope[0] != testCreds.AccessKeyID {
		s.Err = fmt.Errorf("bad credential scope %q", cred)
		return s
	}
	s.Region, s.Service = scope[2], scope[3]
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		s.Err = err
		return s
	}
	sum := sha256.Sum256(body)
	actual := hex.EncodeToString(sum[:])
	s.PayloadHash = r.Header.Get("X-Amz-Content-Sha256")
	hash := actual
	if s.Service == "s3" {
		if s.PayloadHash == "" {
			s.Err = fmt.Errorf("s3 request without X-Amz-Content-Sha256")
			return s
		}
		if s.PayloadHash != UnsignedPayload && s.PayloadHash != actual {
			s.Err = fmt.Errorf("payload hash %s does not match body hash %s", s.PayloadHash, actual)
			return s
		}
		hash = s.PayloadHash
	}
	again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.RequestURI, nil)
	again.ContentLength = r.ContentLength
	for _, h := range strings.Split(signed, ";") {
		if h == "host" || h == "content-length" {
			continue
		}
		again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
	}
	again.Header.Del("Authorization")
	err = v4.NewSigner().SignHTTP(context.Background(), testCreds, again, hash, s.Service, s.Region, when, func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = s.Service == "s3"
	})
	if err != nil {
		s.Err = err
		return s
	}
	if got := again.Header.Get("Authorization"); got != auth {
		s.Err = fmt.Errorf("signature mismatch:\n got %s\nwant %s", auth, got)
	}
	return s
}

func parseAuthorization(auth string) (cred, signed, sig string, err error) {
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return "", "", "", fmt.Errorf("authorization %q is not SigV4", auth)
	}
	for _, part := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			sig = v
		}
	}
	if cred == "" || signed == "" || sig == "" {
		return "", "", "", fmt.Errorf("authorization %q lacks a part", auth)
	}
	return cred, signed, sig, nil
}

// verifyPresigned re-presigns the request's URL without its signing
// parameters and compares the signatures.
func verifyPresigned(r *http.Request, s *seen) error {
	q := r.URL.Query()
	scope := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(scope) != 5 {
		return fmt.Errorf("bad X-Amz-Credential %q", q.Get("X-Amz-Credential"))
	}
	s.Region, s.Service = scope[2], scope[3]
	when, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return err
	}
	expires, err := time.ParseDuration(q.Get("X-Amz-Expires") + "s")
	if err != nil || when.Add(expires).Before(time.Now()) {
		return fmt.Errorf("presigned URL expired or without expiry")
	}
	sig := q.Get("X-Amz-Signature")
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"} {
		q.Del(k)
	}
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: q.Encode()}
	again, _ := http.NewRequest(r.Method, u.String(), nil)
	hash := emptyPayloadHash
	if s.Service == "s3" {
		hash = UnsignedPayload
	} else if len(s.Body) > 0 {
		sum := sha256.Sum256(s.Body)
		hash = hex.EncodeToString(sum[:])
	}
	signedURL, _, err := v4.NewSigner().PresignHTTP(context.Background(), testCreds, again, hash, s.Service, s.Region, when, func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = s.Service == "s3"
	})
	if err != nil {
		return err
	}
	parsed, _ := url.Parse(signedURL)
	if want := parsed.Query().Get("X-Amz-Signature"); want != sig {
		return fmt.Errorf("presigned signature mismatch: got %s want %s", sig, want)
	}
	return nil
}

// countingProvider counts Retrieve calls.
type countingProvider struct {
	mu sync.Mutex // guards n
	n  int
}

func (p *countingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	return testCreds, nil
}

func (p *countingProvider) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// streamBody hides every method but Read and Close, as a pipe or socket would.
type streamBody struct{ r io.Reader }

func (s streamBody) Read(p []byte) (int, error) { return s.r.Read(p) }
func (streamBody) Close() error                 { return nil }

func newStream(b []byte) io.ReadCloser { return streamBody{bytes.NewReader(b)} }
