// Package signedhttp is the universal connector: an http.RoundTripper and an
// *http.Client that sign every request with AWS Signature Version 4 through the
// SDK's aws/signer/v4, for any AWS (or SigV4-speaking) HTTP API the other
// connectors do not cover.
//
// Importing it registers the connector kind "signedhttp" ([Kind], field
// "service"), whose operations are the IAM actions of the APIs the platform
// calls ("s3:ListAllMyBuckets", exactly as the policy catalog spells them):
// Kind.Requirements grants each on every resource of its type in the
// connection's partition, region and account. The transport itself lives in
// connectors/sigv4, which registers nothing, so that the connectors built on
// it (lex, s3's presigned URLs) register only their own kind; this package
// re-exports its types.
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
// # Required IAM permissions
//
// Whatever the called API needs: the connector adds no calls of its own. Check
// calls sts:GetCallerIdentity, which needs no permission.
package signedhttp
