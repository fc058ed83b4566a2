package localaws

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

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

// malformedAuthError answers a signature that cannot be parsed, in
// protocol p. S3 names a bad presigned URL AuthorizationQueryParametersError
// rather than a malformed header.
func malformedAuthError(p protocol, a authorization, err error) *apiError {
	if a.presigned && p == protocolRESTXML {
		return newError(http.StatusBadRequest, "AuthorizationQueryParametersError", err.Error())
	}
	return stdError(p, errMalformedAuth, err.Error())
}

// authenticate verifies r's signature against the secret of the access key
// it names, in AWS's order: clock skew, key, session token, expiry,
// signature. It returns the key, or the error to answer in protocol p.
func (s *Server) authenticate(r *http.Request, body []byte, a authorization, p protocol) (*accessKey, *apiError) {
	now := s.now()
	amzDate, token := r.Header.Get("X-Amz-Date"), r.Header.Get("X-Amz-Security-Token")
	if a.presigned {
		q := r.URL.Query()
		amzDate, token = q.Get("X-Amz-Date"), q.Get("X-Amz-Security-Token")
	}
	signed, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return nil, stdError(p, errMalformedAuth, "X-Amz-Date must be set to the signing time, e.g. 20261128T150405Z")
	}
	if signed.Format("20060102") != a.date {
		return nil, stdError(p, errMalformedAuth, fmt.Sprintf(
			"the credential scope date %s does not match X-Amz-Date %s", a.date, signed.Format(amzDateFormat)))
	}
	if a.presigned && now.After(signed.Add(a.expires)) {
		return nil, stdError(p, errAccessDenied, fmt.Sprintf("Request has expired (X-Amz-Date %s, X-Amz-Expires %d)",
			signed.Format(amzDateFormat), int(a.expires.Seconds())))
	}
	if skew := now.Sub(signed); skew < -s.opts.MaxClockSkew || (!a.presigned && skew > s.opts.MaxClockSkew) {
		return nil, stdError(p, errSkewed, fmt.Sprintf(
			"The difference between the request time and the current time is too large. (request time %s, server time %s, allowed skew %s)",
			signed.Format(amzDateFormat), now.UTC().Format(amzDateFormat), s.opts.MaxClockSkew))
	}

	key := s.lookupKey(a.accessKeyID)
	if key == nil {
		return nil, stdError(p, errInvalidToken, "")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(key.sessionToken)) != 1 {
		return nil, stdError(p, errInvalidToken, "")
	}
	if !key.expires.IsZero() && !now.Before(key.expires) {
		return nil, stdError(p, errExpiredToken, "")
	}

	if aerr := requireSignedHeaders(r, a, p); aerr != nil {
		return nil, aerr
	}
	payloadHash, aerr := payloadHashOf(r, body, a)
	if aerr != nil {
		return nil, aerr
	}

	want, err := resign(r, a, key, payloadHash, signed)
	if err != nil {
		return nil, stdError(p, errMalformedAuth, err.Error())
	}
	if want.signedHeaders != a.signedHeaders ||
		subtle.ConstantTimeCompare([]byte(want.signature), []byte(a.signature)) != 1 {
		return nil, stdError(p, errBadSignature, "")
	}
	return key, nil
}

// resign recomputes the signature the way the SDK computed it: the same
// method, URL, signed headers and scope, signed with the key's secret by the
// SDK's own signer, so the server and the clients can never disagree on the
// canonical request.
func resign(r *http.Request, a authorization, key *accessKey, payloadHash string, signed time.Time) (authorization, error) {
	clone := &http.Request{
		Method: r.Method,
		URL: &url.URL{
			Scheme:   "http",
			Host:     r.Host,
			Path:     r.URL.Path,
			RawPath:  r.URL.RawPath,
			RawQuery: r.URL.RawQuery,
		},
		Host:   r.Host,
		Header: http.Header{},
	}
	for _, name := range strings.Split(a.signedHeaders, ";") {
		switch name {
		case "host":
		case "content-length":
			clone.ContentLength = r.ContentLength
		default:
			if vs := r.Header.Values(name); len(vs) > 0 {
				clone.Header[http.CanonicalHeaderKey(name)] = vs
			}
		}
	}
	creds := aws.Credentials{
		AccessKeyID:     key.id,
		SecretAccessKey: key.secret,
		SessionToken:    key.sessionToken,
	}
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		// S3 signs the path as sent; every other service escapes it again.
		o.DisableURIPathEscaping = a.service == "s3"
	})
	if a.presigned {
		q := clone.URL.Query()
		q.Del("X-Amz-Signature")
		clone.URL.RawQuery = q.Encode()
		signedURL, _, err := signer.PresignHTTP(context.Background(), creds, clone, payloadHash, a.service, a.region, signed)
		if err != nil {
			return authorization{}, fmt.Errorf("cannot recompute the signature: %w", err)
		}
		u, err := url.Parse(signedURL)
		if err != nil {
			return authorization{}, fmt.Errorf("cannot recompute the signature: %w", err)
		}
		return parsePresigned(u.Query())
	}
	err := signer.SignHTTP(context.Background(), creds, clone, payloadHash, a.service, a.region, signed)
	if err != nil {
		return authorization{}, fmt.Errorf("cannot recompute the signature: %w", err)
	}
	return parseAuthorization(clone.Header.Get("Authorization"))
}

// requireSignedHeaders refuses a request carrying an X-Amz-* header the
// signature does not cover. Those headers steer the request (X-Amz-Target
// picks the operation, X-Amz-Invocation-Type whether Lambda waits, S3's
// x-amz-copy-source what is copied), so an unsigned one could be swapped on
// the wire without breaking the signature. S3 answers AccessDenied with
// this message; the other services IncompleteSignature.
func requireSignedHeaders(r *http.Request, a authorization, p protocol) *apiError {
	signed := map[string]bool{}
	for _, h := range strings.Split(a.signedHeaders, ";") {
		signed[h] = true
	}
	var unsigned []string
	for name := range r.Header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-amz-") && !signed[lower] {
			unsigned = append(unsigned, lower)
		}
	}
	if len(unsigned) == 0 {
		return nil
	}
	sort.Strings(unsigned)
	msg := "There were headers present in the request which were not signed: " + strings.Join(unsigned, ", ") +
		"; add them to SignedHeaders"
	if p == protocolRESTXML {
		return newError(http.StatusForbidden, "AccessDenied", msg)
	}
	return stdError(p, errMalformedAuth, msg)
}

// s3StreamingSigned are the aws-chunked modes whose every chunk carries its
// own signature. The server does not verify chunk signatures, so it refuses
// them rather than accept a body no signature covers; the SDK never sends
// them (it sends the hash, or STREAMING-UNSIGNED-PAYLOAD-TRAILER).
var s3StreamingSigned = map[string]bool{
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD":               true,
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":       true,
	"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD":         true,
	"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER": true,
}

// payloadHashOf is the payload hash the signature must have been computed
// with. Only S3 lets the client declare an unsigned body (x-amz-content-sha256
// UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER); every other
// service hashes the body it received, whatever the header says, so a
// signature computed over a marker cannot vouch for a swapped body.
func payloadHashOf(r *http.Request, body []byte, a authorization) (string, *apiError) {
	sum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(sum[:])
	declared := r.Header.Get("X-Amz-Content-Sha256")
	if a.service != "s3" {
		return bodyHash, nil
	}
	switch {
	case declared == "" && a.presigned:
		// Presigned S3 URLs never sign the body.
		return "UNSIGNED-PAYLOAD", nil
	case declared == "":
		return "", newError(http.StatusBadRequest, "InvalidRequest",
			"Missing required header for this request: x-amz-content-sha256")
	case declared == "UNSIGNED-PAYLOAD" || declared == "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
		return declared, nil
	case s3StreamingSigned[declared]:
		return "", newError(http.StatusNotImplemented, "NotImplemented",
			"localaws does not verify aws-chunked chunk signatures ("+declared+"); send the payload's SHA-256 or UNSIGNED-PAYLOAD")
	case !isHexSHA256(declared):
		return "", newError(http.StatusBadRequest, "InvalidArgument",
			"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "+
				"STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "+
				"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
	case declared != bodyHash:
		return "", newError(http.StatusBadRequest, "XAmzContentSHA256Mismatch",
			"The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return declared, nil
}

// isHexSHA256 tells a payload hash from S3's markers such as
// UNSIGNED-PAYLOAD and STREAMING-UNSIGNED-PAYLOAD-TRAILER.
func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
