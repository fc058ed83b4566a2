package signedhttp

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors/sigv4"
)

// The signing transport lives in connectors/sigv4, which registers no
// connector kind, so that the connectors built on it (lex, and s3's
// presigned URLs) do not register this one; these names keep this package
// the one place platforms sign requests to any AWS API through.

// Transport is [sigv4.Transport]: an http.RoundTripper that signs every
// request with SigV4 and retries through the SDK retryer.
type Transport = sigv4.Transport

// Options is [sigv4.Options], the options of a Transport.
type Options = sigv4.Options

// PresignedRequest is [sigv4.PresignedRequest], a request anyone can send
// until it expires.
type PresignedRequest = sigv4.PresignedRequest

// Endpoint is [sigv4.Endpoint], the signing service and region of a host.
type Endpoint = sigv4.Endpoint

// MaxPresignExpiry is the longest validity SigV4 allows a presigned URL (7 days).
const MaxPresignExpiry = sigv4.MaxPresignExpiry

// DefaultMaxBufferedBody is [sigv4.DefaultMaxBufferedBody].
const DefaultMaxBufferedBody = sigv4.DefaultMaxBufferedBody

// ErrUnknownHost is [sigv4.ErrUnknownHost].
var ErrUnknownHost = sigv4.ErrUnknownHost

// NewTransport is [sigv4.NewTransport].
func NewTransport(creds aws.CredentialsProvider, optFns ...func(*Options)) *Transport {
	return sigv4.NewTransport(creds, optFns...)
}

// ParseHost is [sigv4.ParseHost].
func ParseHost(host string) (Endpoint, error) { return sigv4.ParseHost(host) }

// ParseErrorCode is [sigv4.ParseErrorCode].
func ParseErrorCode(body []byte) string { return sigv4.ParseErrorCode(body) }
