package localaws

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// This file parses SigV4 as requests carry it (the Authorization header or
// a presigned URL's query); sigv4.go verifies it.

// sigV4Algorithm is the only signing algorithm the server accepts; SigV4a
// (multi-region) is not needed on loopback.
const sigV4Algorithm = "AWS4-HMAC-SHA256"

// amzDateFormat is X-Amz-Date's layout.
const amzDateFormat = "20060102T150405Z"

// errMalformedAuthorization is returned by parseAuthorization; the text
// after it says which part is wrong.
var errMalformedAuthorization = errors.New("localaws: malformed Authorization header")

// authorization is a parsed SigV4 Authorization header.
type authorization struct {
	accessKeyID string
	// date, region and service are the credential scope.
	date, region, service string
	// signedHeaders is the lower-case, ';'-joined list as signed.
	signedHeaders string
	signature     string
	// presigned is set for query-string authentication (presigned URLs).
	presigned bool
	// expires is a presigned URL's X-Amz-Expires.
	expires time.Duration
}

// maxPresignExpiry is SigV4's longest presigned URL validity.
const maxPresignExpiry = 7 * 24 * time.Hour

// errNoAuthorization means the request carries no SigV4 at all.
var errNoAuthorization = errors.New("localaws: request is not signed")

// requestAuthorization finds the request's SigV4: the Authorization header,
// or the X-Amz-* query parameters of a presigned URL.
func requestAuthorization(r *http.Request) (authorization, error) {
	q := r.URL.Query()
	if h := r.Header.Get("Authorization"); h != "" {
		if _, both := q["X-Amz-Algorithm"]; both {
			// Which of the two would be verified is exactly the kind of
			// ambiguity an attacker looks for; AWS refuses it too.
			return authorization{}, fmt.Errorf("%w: only one auth mechanism is allowed; send the Authorization header or the X-Amz-Algorithm query parameter, not both", errMalformedAuthorization)
		}
		return parseAuthorization(h)
	}
	if q.Get("X-Amz-Algorithm") == "" {
		return authorization{}, errNoAuthorization
	}
	return parsePresigned(q)
}

// presignParams are the query parameters that carry a presigned URL's
// signature. The SDK's signer sets them with Set when it recomputes the
// signature, so a second copy would be left out of the canonical request
// while the server reads the first: each must appear at most once.
var presignParams = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
	"X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"}

// errMalformedPresign is returned by parsePresigned; the text after it says
// which query parameter is wrong.
var errMalformedPresign = errors.New("localaws: malformed presigned URL")

// defaultPresignExpiry is how long a presigned URL without X-Amz-Expires
// stays valid: the SDK's presigned STS GetCallerIdentity carries none, and
// the EKS tokens built from it are good for 15 minutes, the same window as
// the clock skew allowed to signed requests.
const defaultPresignExpiry = 15 * time.Minute

// parsePresigned parses a presigned URL's X-Amz-Algorithm, X-Amz-Credential,
// X-Amz-SignedHeaders, X-Amz-Signature and X-Amz-Expires. S3 requires
// X-Amz-Expires; other services default to defaultPresignExpiry. On error
// the credential scope is kept when it parsed, so the error can be written
// in the service's protocol.
func parsePresigned(q url.Values) (authorization, error) {
	a := authorization{presigned: true}
	for _, p := range presignParams {
		if len(q[p]) > 1 {
			return a, fmt.Errorf("%w: %s appears %d times; it must appear once", errMalformedPresign, p, len(q[p]))
		}
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != sigV4Algorithm {
		return a, fmt.Errorf("%w: X-Amz-Algorithm only supports %q", errMalformedPresign, sigV4Algorithm)
	}
	if err := a.setCredential(q.Get("X-Amz-Credential"), "X-Amz-"); err != nil {
		return a, fmt.Errorf("%w: %w", errMalformedPresign, err)
	}
	a.signedHeaders, a.signature = q.Get("X-Amz-SignedHeaders"), q.Get("X-Amz-Signature")
	if err := a.checkSignature("X-Amz-"); err != nil {
		return a, fmt.Errorf("%w: %w", errMalformedPresign, err)
	}
	raw := q.Get("X-Amz-Expires")
	if raw == "" && a.service != "s3" {
		a.expires = defaultPresignExpiry
		return a, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || time.Duration(n)*time.Second > maxPresignExpiry {
		return a, fmt.Errorf("%w: X-Amz-Expires must be 1 to %d seconds (less than a week), not %q",
			errMalformedPresign, int(maxPresignExpiry.Seconds()), raw)
	}
	a.expires = time.Duration(n) * time.Second
	return a, nil
}

// parseAuthorization parses
//
//	AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex
//
// accepting the separators other SigV4 clients use (commas with or without
// spaces).
func parseAuthorization(h string) (authorization, error) {
	var a authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != sigV4Algorithm {
		return a, fmt.Errorf("%w: algorithm must be %s", errMalformedAuthorization, sigV4Algorithm)
	}
	var credential string
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, fmt.Errorf("%w: %q is not key=value", errMalformedAuthorization, part)
		}
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			a.signature = v
		default:
			return a, fmt.Errorf("%w: unknown component %q", errMalformedAuthorization, k)
		}
	}
	if err := a.setCredential(credential, ""); err != nil {
		return a, fmt.Errorf("%w: %w", errMalformedAuthorization, err)
	}
	if err := a.checkSignature(""); err != nil {
		return a, fmt.Errorf("%w: %w", errMalformedAuthorization, err)
	}
	return a, nil
}

// setCredential parses KEY/DATE/REGION/SERVICE/aws4_request. prefix is
// "X-Amz-" for a presigned URL, so the error names the parameter the
// caller sent; the caller wraps it in its sentinel.
func (a *authorization) setCredential(credential, prefix string) error {
	scope := strings.Split(credential, "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return fmt.Errorf("%sCredential must be KEY/DATE/REGION/SERVICE/aws4_request", prefix)
	}
	for _, s := range scope {
		if s == "" {
			return fmt.Errorf("%sCredential has an empty component", prefix)
		}
	}
	a.accessKeyID, a.date, a.region, a.service = scope[0], scope[1], scope[2], scope[3]
	return nil
}

// checkSignature requires the signed headers and a well-formed signature;
// prefix as for setCredential.
func (a *authorization) checkSignature(prefix string) error {
	if a.signedHeaders == "" || a.signature == "" {
		return fmt.Errorf("%[1]sSignedHeaders and %[1]sSignature are required", prefix)
	}
	if _, err := hex.DecodeString(a.signature); err != nil || len(a.signature) != 64 {
		return fmt.Errorf("%sSignature must be 64 hex digits", prefix)
	}
	return nil
}
