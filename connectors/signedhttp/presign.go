package signedhttp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/awsconnect/awsconnect/internal/sigv4path"
)

// MaxPresignExpiry is the longest validity SigV4 allows a presigned URL (7 days).
const MaxPresignExpiry = 7 * 24 * time.Hour

// PresignedRequest is a request anyone can send without credentials until it
// expires. It is a plain value. The URL carries the signature (and a session
// token for temporary credentials), so treat it as a secret for its lifetime.
type PresignedRequest struct {
	// Method is the HTTP method the URL was signed for.
	Method string
	// URL is the presigned URL.
	URL string
	// Header holds the headers that were signed; the request must send them.
	Header http.Header
	// Expires is when the URL stops being accepted: the requested expiry,
	// or the expiry of the temporary credentials that signed it if sooner.
	Expires time.Time
}

// String prints the method, the URL without its query (which holds the
// signature and any session token) and the expiry.
func (p PresignedRequest) String() string {
	u := p.URL
	for i := 0; i < len(u); i++ {
		if u[i] == '?' {
			u = u[:i] + "?<signed query redacted>"
			break
		}
	}
	return fmt.Sprintf("%s %s (expires %s)", p.Method, u, p.Expires.UTC().Format(time.RFC3339))
}

// GoString is the %#v form, redacted like String.
func (p PresignedRequest) GoString() string { return "signedhttp.PresignedRequest{" + p.String() + "}" }

// Format makes every fmt verb print the redacted String form, since the URL
// carries the signature and the session token.
func (p PresignedRequest) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprint(f, p.GoString())
		return
	}
	_, _ = fmt.Fprint(f, p.String())
}

// LogValue keeps the signed query out of slog records.
func (p PresignedRequest) LogValue() slog.Value { return slog.StringValue(p.String()) }

// Presign signs req in its query string so that it can be sent by anyone for
// expires (1 second to 7 days). S3 requests are signed with UNSIGNED-PAYLOAD,
// so a presigned PUT accepts any body; for other services the body, if any, is
// hashed into the signature. req is not modified.
func (t *Transport) Presign(ctx context.Context, req *http.Request, expires time.Duration) (PresignedRequest, error) {
	if expires < time.Second || expires > MaxPresignExpiry {
		return PresignedRequest{}, fmt.Errorf("signedhttp: presign expiry %s is outside 1s to 7 days", expires)
	}
	service, region, err := t.Target(req)
	if err != nil {
		return PresignedRequest{}, err
	}
	hash := emptyPayloadHash
	if service == "s3" {
		hash = UnsignedPayload
	} else if req.GetBody == nil && req.Body != nil && req.Body != http.NoBody {
		return PresignedRequest{}, fmt.Errorf("signedhttp: presigning for %s signs the body's hash, and a body without GetBody cannot be read without consuming it; build the request with a bytes or strings reader", service)
	} else if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return PresignedRequest{}, fmt.Errorf("signedhttp: GetBody for hashing: %w", err)
		}
		hash, err = hashReader(rc)
		_ = rc.Close()
		if err != nil {
			return PresignedRequest{}, err
		}
	}
	creds, err := t.creds.Retrieve(ctx)
	if err != nil {
		return PresignedRequest{}, fmt.Errorf("signedhttp: retrieving credentials: %w", err)
	}
	out := cloneForSigning(req, nil, req.ContentLength)
	if service == "s3" {
		out.URL.RawPath = s3EscapedPath(out.URL)
	} else {
		sigv4path.Apply(out.URL) // as Transport.attempt does
	}
	q := out.URL.Query()
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	out.URL.RawQuery = q.Encode()
	now := t.opts.Now()
	var signOpts []func(*v4.SignerOptions)
	if service == "s3" {
		signOpts = s3SignerOptions
	}
	signed, header, err := t.opts.Signer.PresignHTTP(ctx, creds, out, hash, service, region, now, signOpts...)
	if err != nil {
		return PresignedRequest{}, fmt.Errorf("signedhttp: presigning for %s in %s: %w", service, region, err)
	}
	// A URL signed with temporary credentials stops working when they
	// expire, whatever X-Amz-Expires says.
	until := now.Add(expires)
	if creds.CanExpire && creds.Expires.Before(until) {
		until = creds.Expires
	}
	return PresignedRequest{Method: req.Method, URL: signed, Header: header, Expires: until}, nil
}
