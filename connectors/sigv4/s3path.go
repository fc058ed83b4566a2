package sigv4

import (
	"net/url"
	"strings"

	"github.com/aws/smithy-go/encoding/httpbinding"
)

// s3EscapedPath returns u's path percent-encoded the way S3 canonicalises it
// for SigV4: every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~)
// is encoded, '/' separators are kept. Go's URL escaping leaves sub-delimiters
// such as + & = ! $ ' ( ) * , ; : @ literal in a path, and S3 signs the path
// exactly as sent (no second encoding), so a key with any of them would be
// signed in a form S3 does not recompute. Escaped slashes the caller put in a
// segment (%2F inside a key) stay escaped.
func s3EscapedPath(u *url.URL) string {
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if dec, err := url.PathUnescape(s); err == nil {
			segs[i] = httpbinding.EscapePath(dec, true)
		}
	}
	return strings.Join(segs, "/")
}
