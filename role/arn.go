package role

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// ErrInvalidRoleARN is wrapped by every error ParseRoleARN returns, so callers
// can tell a malformed role ARN (fix the input) from a failed AssumeRole call
// (fix the role).
var ErrInvalidRoleARN = errors.New("role: invalid role ARN")

// Limits IAM places on a role ARN and its parts. They come from the IAM API
// reference (CreateRole: RoleName, Path; AssumeRole: RoleArn).
const (
	minARNLen      = 20
	maxARNLen      = 2048
	maxRoleNameLen = 64
	maxPathLen     = 512
)

// RoleARN is a parsed IAM role ARN, such as
// arn:aws:iam::123456789012:role/service-role/Connector.
//
// A RoleARN is a plain value, safe to copy and to share between goroutines.
type RoleARN struct {
	// Partition is the AWS partition: aws, aws-cn, aws-us-gov, aws-iso, ...
	Partition string
	// AccountID is the 12-digit ID of the account that owns the role.
	AccountID string
	// Path is the role's IAM path, beginning and ending with "/"; "/" when the
	// ARN names none.
	Path string
	// Name is the role's name, without its path.
	Name string
}

// String returns the ARN in its canonical form.
func (r RoleARN) String() string {
	return "arn:" + r.Partition + ":iam::" + r.AccountID + ":role" + r.Path + r.Name
}

// ParseRoleARN parses and validates an IAM role ARN. Any partition the SDK's
// aws/arn accepts is allowed (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b and
// newer ones), the service must be iam, the region empty, the account 12
// digits and the resource "role/" followed by an optional path and a role name
// of 1-64 characters of [\w+=,.@-]. Every error wraps [ErrInvalidRoleARN] and
// says what is wrong.
func ParseRoleARN(s string) (RoleARN, error) {
	if s == "" {
		return RoleARN{}, invalidARN(s, "the role ARN is empty; copy it from the role's summary page in the IAM console (arn:aws:iam::123456789012:role/Name)")
	}
	if strings.TrimSpace(s) != s {
		return RoleARN{}, invalidARN(s, "it has leading or trailing white space; remove it")
	}
	if n := len(s); n < minARNLen || n > maxARNLen {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("it must be %d-%d characters long, got %d", minARNLen, maxARNLen, n))
	}
	a, err := arn.Parse(s)
	if err != nil {
		return RoleARN{}, invalidARN(s, "it is not an ARN of the form arn:PARTITION:iam::ACCOUNT:role/NAME ("+err.Error()+")")
	}
	if !validPartition(a.Partition) {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("partition must look like aws, aws-cn or aws-us-gov, got %q", a.Partition))
	}
	if a.Service != "iam" {
		hint := ""
		if a.Service == "sts" {
			hint = "; that is an assumed-role session ARN, use the ARN of the role itself"
		}
		return RoleARN{}, invalidARN(s, fmt.Sprintf("service must be iam, got %q%s", a.Service, hint))
	}
	if a.Region != "" {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("IAM is global, so the region must be empty, got %q", a.Region))
	}
	if len(a.AccountID) != 12 || !allDigits(a.AccountID) {
		if allDigits(a.AccountID) {
			return RoleARN{}, invalidARN(s, fmt.Sprintf("account ID must be 12 digits, got %d", len(a.AccountID)))
		}
		return RoleARN{}, invalidARN(s, fmt.Sprintf("account ID must be 12 digits, got %q", a.AccountID))
	}
	rest, ok := strings.CutPrefix(a.Resource, "role/")
	if !ok {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("resource must start with \"role/\", got %q", a.Resource))
	}
	path, name := "/", rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		path, name = "/"+rest[:i+1], rest[i+1:]
	}
	if err := checkPath(path); err != "" {
		return RoleARN{}, invalidARN(s, err)
	}
	if name == "" {
		return RoleARN{}, invalidARN(s, "role name is missing after the path")
	}
	if len(name) > maxRoleNameLen {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("role name must be 1-%d characters, got %d", maxRoleNameLen, len(name)))
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return !isNameRune(r) }); i >= 0 {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("role name may contain only letters, digits and +=,.@_-, got %q at offset %d", name[i:i+1], i))
	}
	return RoleARN{Partition: a.Partition, AccountID: a.AccountID, Path: path, Name: name}, nil
}

func invalidARN(s, why string) error {
	return fmt.Errorf("%w %q: %s", ErrInvalidRoleARN, s, why)
}

// checkPath validates an IAM path ("/" or "/a/b/"); it returns "" when valid.
func checkPath(p string) string {
	if len(p) > maxPathLen {
		return fmt.Sprintf("role path must be 1-%d characters, got %d", maxPathLen, len(p))
	}
	if strings.Contains(p, "//") {
		return fmt.Sprintf("role path %q has an empty segment (\"//\")", p)
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x21 || p[i] > 0x7e {
			return fmt.Sprintf("role path may contain only printable ASCII characters, got %q", p)
		}
	}
	return ""
}

// validPartition accepts "aws" and "aws-" followed by lower-case words, the
// shape of every partition AWS has published, so new partitions need no
// code change.
func validPartition(p string) bool {
	rest, ok := strings.CutPrefix(p, "aws")
	if !ok {
		return false
	}
	for _, part := range strings.Split(rest, "-")[1:] {
		if part == "" {
			return false
		}
		for _, r := range part {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
				return false
			}
		}
	}
	return rest == "" || rest[0] == '-'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isNameRune reports whether r is allowed in IAM role names, session names and
// source identities: [\w+=,.@-].
func isNameRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("_+=,.@-", r)
}
