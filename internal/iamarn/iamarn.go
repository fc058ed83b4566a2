package iamarn

import (
	"fmt"
	"strings"
)

// Limits IAM places on a role's name and path (IAM API reference,
// CreateRole: RoleName and Path).
const (
	// MaxRoleNameLen is the longest role name IAM accepts.
	MaxRoleNameLen = 64
	// MaxPathLen is the longest role path IAM accepts, slashes included.
	MaxPathLen = 512
)

// ValidPartition accepts "aws" and "aws-" followed by lower-case words and
// digits, the shape of every partition AWS has published, so that new
// partitions need no code change.
func ValidPartition(p string) bool {
	rest, ok := strings.CutPrefix(p, "aws")
	if !ok || (rest != "" && rest[0] != '-') {
		return false
	}
	for _, part := range strings.Split(rest, "-")[1:] {
		if part == "" || strings.IndexFunc(part, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) >= 0 {
			return false
		}
	}
	return true
}

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	return len(s) == 12 && AllDigits(s)
}

// AllDigits reports whether s consists of ASCII digits only (true for "").
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsNameRune reports whether r is allowed in IAM role names, session names
// and source identities: [\w+=,.@-].
func IsNameRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("_+=,.@-", r)
}

// SplitRole splits the "PATH/NAME" that follows "role/" in a role ARN into
// the role's path ("/" or "/a/b/") and name, and validates both against IAM's
// rules. problem is "" when they are valid, else a sentence saying what is
// wrong.
func SplitRole(rest string) (path, name, problem string) {
	path, name = "/", rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		path, name = "/"+rest[:i+1], rest[i+1:]
	}
	switch {
	case len(path) > MaxPathLen:
		return path, name, fmt.Sprintf("role path must be 1-%d characters, got %d", MaxPathLen, len(path))
	case strings.Contains(path, "//"):
		return path, name, fmt.Sprintf("role path %q has an empty segment (\"//\")", path)
	case strings.IndexFunc(path, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0:
		return path, name, fmt.Sprintf("role path may contain only printable ASCII characters, got %q", path)
	case name == "":
		return path, name, "role name is missing after the path"
	case len(name) > MaxRoleNameLen:
		return path, name, fmt.Sprintf("role name must be 1-%d characters, got %d", MaxRoleNameLen, len(name))
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return !IsNameRune(r) }); i >= 0 {
		r := []rune(name[i:])[0]
		return path, name, fmt.Sprintf("role name may contain only letters, digits and +=,.@_-, got %q at offset %d", string(r), i)
	}
	return path, name, ""
}
