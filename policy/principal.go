package policy

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Limits IAM places on the parts of a role ARN (IAM API reference,
// CreateRole: RoleName and Path).
const (
	maxRoleNameLen = 64
	maxRolePathLen = 512
)

// trustedPrincipal validates the platform principal given to TrustPolicy and
// returns the value to write in the Principal element: the account's root
// ARN for a bare account ID, the ARN itself otherwise.
func trustedPrincipal(p string) (string, error) {
	if isAccountID(p) {
		return "arn:aws:iam::" + p + ":root", nil
	}
	const forms = "write the platform's 12-digit account ID, its root ARN (arn:PARTITION:iam::ACCOUNT:root) or its role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)"
	if !strings.HasPrefix(p, "arn:") {
		return "", fmt.Errorf("%w: %w: %q must be the 12 digits of the platform's AWS account ID or an ARN; %s", ErrInvalidPrincipal, ErrInvalidAccountID, p, forms)
	}
	a, err := arn.Parse(p)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not an ARN (%v); %s", ErrInvalidPrincipal, p, err, forms)
	}
	if !validPartition(a.Partition) {
		return "", fmt.Errorf("%w: %q: partition must look like aws, aws-cn or aws-us-gov, got %q", ErrInvalidPrincipal, p, a.Partition)
	}
	if a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/") {
		name, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
		return "", fmt.Errorf("%w: %q is a role session, which ends within hours; trust the role itself, arn:%s:iam::%s:role/%s (with its path, if it has one)", ErrInvalidPrincipal, p, a.Partition, a.AccountID, name)
	}
	if a.Service != "iam" || a.Region != "" {
		return "", fmt.Errorf("%w: %q is not an IAM principal (service %q, region %q); %s", ErrInvalidPrincipal, p, a.Service, a.Region, forms)
	}
	if !isAccountID(a.AccountID) {
		return "", fmt.Errorf("%w: %w: %q: account ID must be 12 digits, got %q", ErrInvalidPrincipal, ErrInvalidAccountID, p, a.AccountID)
	}
	if a.Resource == "root" {
		return p, nil
	}
	rest, ok := strings.CutPrefix(a.Resource, "role/")
	if !ok {
		return "", fmt.Errorf("%w: %q names %q; a trust policy for the platform names its account root or its role, so %s", ErrInvalidPrincipal, p, a.Resource, forms)
	}
	if why := checkRolePath(rest); why != "" {
		return "", fmt.Errorf("%w: %q: %s", ErrInvalidPrincipal, p, why)
	}
	return p, nil
}

// checkRolePath validates the "PATH/NAME" after "role/" in a role ARN; it
// returns "" when valid.
func checkRolePath(rest string) string {
	path, name := "/", rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		path, name = "/"+rest[:i+1], rest[i+1:]
	}
	switch {
	case name == "":
		return "the role name is missing"
	case len(name) > maxRoleNameLen:
		return fmt.Sprintf("the role name must be 1-%d characters, got %d", maxRoleNameLen, len(name))
	case len(path) > maxRolePathLen:
		return fmt.Sprintf("the role path must be 1-%d characters, got %d", maxRolePathLen, len(path))
	case strings.Contains(path, "//"):
		return fmt.Sprintf("the role path %q has an empty segment", path)
	}
	for i, r := range name {
		if !isNameRune(r) {
			return fmt.Sprintf("the role name may contain only letters, digits and +=,.@_-, got %q at offset %d", r, i)
		}
	}
	for _, r := range path {
		switch {
		case r < 0x21 || r > 0x7e:
			return fmt.Sprintf("the role path may contain only printable ASCII, got %q", r)
		case r == '*' || r == '?':
			// IAM paths may hold them, but in a Principal IAM reads no
			// wildcard except a lone "*".
			return fmt.Sprintf("the role path %q holds a wildcard, which a principal cannot", path)
		}
	}
	return ""
}

// validPartition accepts "aws" and "aws-" followed by lower-case words, the
// shape of every partition AWS has published, so new partitions need no
// code change.
func validPartition(p string) bool {
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

// isNameRune reports whether r is allowed in an IAM role name: [\w+=,.@-].
func isNameRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("_+=,.@-", r)
}
