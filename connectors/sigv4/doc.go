// Package sigv4 is the signing transport of the connectors: an
// http.RoundTripper and an *http.Client that sign every request with AWS
// Signature Version 4 through the SDK's aws/signer/v4, for the connectors
// that speak an AWS API over HTTP themselves (the universal signed HTTP
// connector, connectors/signedhttp, and Lex) and for presigned URLs (S3).
// It registers no connector kind, so a connector built on it registers only
// its own; connectors/signedhttp re-exports its types for platforms that
// sign requests to any AWS API.
//
// Credentials come from an aws.CredentialsProvider and are retrieved for every
// request, so the provider must cache: the providers of role.Cache and
// aws.CredentialsCache do, and connectors.Resolver.Config returns one. The
// signing service and region are taken from [Options] or inferred from
// standard AWS host names with [ParseHost] (runtime-v2-lex.<region> → lex,
// email.<region> → ses, S3 virtual-hosted, path-style, FIPS and dual-stack
// forms).
//
// # Bodies
//
// The payload hash is computed without consuming the body: through the
// request's GetBody (set by http.NewRequest for bytes, strings and
// bytes.Buffer readers), by seeking a seekable body back, or, for a plain
// stream, by reading it into memory up to [Options.MaxBufferedBody]. Only for
// services that accept it (S3) is a stream sent with UNSIGNED-PAYLOAD instead;
// S3 also needs the request's ContentLength for such a stream. Retries, decided
// by the SDK retryer, re-sign each attempt and replay the body; a body that
// cannot be replayed is never retried, so no attempt is ever sent empty.
//
// Error messages keep the "signedhttp:" prefix of the package that
// platforms use these types through.
//
// # Required IAM permissions
//
// Whatever the called API needs: the transport adds no calls of its own.
package sigv4
