// Package sigv4path normalises a request path the way Signature Version 4
// requires for every service but Amazon S3, so that the signer
// (connectors/signedhttp) and the verifier (localaws) compute the same
// canonical URI as AWS does.
//
// "Create a canonical request" in the SigV4 documentation: "Normalize URI
// paths according to RFC 3986. Remove redundant and relative path
// components." aws-c-auth, AWS's reference signer, does exactly this: empty
// and "." segments are dropped, ".." removes the segment before it, the
// result starts with one "/" and keeps a trailing "/". S3 signs the path as
// sent, so callers leave S3 paths alone.
//
// The SDK's signer (aws/signer/v4) reads the path from the URL it is given
// and escapes it once more (for S3, DisableURIPathEscaping turns that off);
// it does not normalise, so [Apply] rewrites the URL before signing.
package sigv4path
