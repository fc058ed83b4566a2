package sigv4path

import (
	"net/url"
	"strings"
)

// Normalize returns the escaped path p with empty and "." segments removed
// and each ".." segment removing the one before it, starting with "/" and
// ending with "/" when p does. It works on the escaped form, so an escaped
// slash (%2F) stays part of its segment.
func Normalize(p string) string {
	if !needsNormalizing(p) {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	var b strings.Builder
	b.Grow(len(p))
	b.WriteByte('/')
	for i, s := range out {
		b.WriteString(s)
		if i+1 < len(out) {
			b.WriteByte('/')
		}
	}
	if len(out) > 0 && strings.HasSuffix(p, "/") {
		b.WriteByte('/')
	}
	return b.String()
}

// needsNormalizing reports whether Normalize would change p, so the common
// path ("/", "/2015-03-31/functions") costs no allocation.
func needsNormalizing(p string) bool {
	if p == "" || p[0] != '/' {
		return true
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		rest := p[i+1:]
		switch {
		case strings.HasPrefix(rest, "/"):
			return true
		case rest == "." || strings.HasPrefix(rest, "./"):
			return true
		case rest == ".." || strings.HasPrefix(rest, "../"):
			return true
		}
	}
	return false
}

// Apply normalises the path of u in place, in the form the SDK's signer
// reads it: the path part of u.Opaque when that is set, else
// u.EscapedPath(), kept in RawPath beside the decoded Path.
func Apply(u *url.URL) {
	if u.Opaque != "" {
		// The signer takes the opaque form "//host/path" from the first
		// "/" after the host.
		rest, hasScheme := strings.CutPrefix(u.Opaque, "//")
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return
		}
		prefix := rest[:i]
		if hasScheme {
			prefix = "//" + prefix
		}
		u.Opaque = prefix + Normalize(rest[i:])
		return
	}
	p := u.EscapedPath()
	n := Normalize(p)
	if n == p {
		return
	}
	if dec, err := url.PathUnescape(n); err == nil {
		u.Path, u.RawPath = dec, n
	}
}
