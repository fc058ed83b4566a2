package localaws

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/awsconnect/awsconnect/internal/sigv4path"
)

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
	if raw, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasPrefix(raw, "/") {
		// Sign the path exactly as it came over the wire, as AWS does:
		// the signer escapes what it is given (once for S3, twice for the
		// rest), and Go's decoded Path re-escaped need not be the bytes
		// the client sent (raw UTF-8, "%7E" for "~").
		clone.URL.Opaque = "//" + r.Host + raw
	}
	if a.service != "s3" {
		// Every service but S3 signs the path normalised ("Create a
		// canonical request": remove relative path components, collapse
		// repeated slashes); the SDK's signer does not, so normalise here
		// as AWS does, whatever the client sent.
		sigv4path.Apply(clone.URL)
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
