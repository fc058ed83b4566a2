package onboarding

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/iamarn"
)

// IAM's and CloudFormation's limits this package checks before generating
// anything (IAM API reference: CreateRole, PutRolePolicy; "IAM and AWS STS
// quotas"; CloudFormation quotas and the quick-create link reference).
const (
	// MaxPolicyNameLen is the longest inline policy name IAM accepts.
	MaxPolicyNameLen = 128
	// MaxDescriptionLen is the longest role description IAM accepts.
	MaxDescriptionLen = 1000
	// InlinePolicyQuota is the aggregate size of a role's inline policies,
	// in characters without white space. The kit's role has one.
	InlinePolicyQuota = 10240
	// MaxStackNameLen is the longest CloudFormation stack name.
	MaxStackNameLen = 128
	// TemplateBodyQuota is the largest template CloudFormation accepts
	// inline (CreateStack's TemplateBody, a file chosen in the console is
	// uploaded for you): 51,200 bytes. Generated templates are kept under
	// it, so every way of creating the stack works.
	TemplateBodyQuota = 51200
	// TemplateURLQuota is the largest template CloudFormation reads from
	// Amazon S3 (a quick-create link's templateURL): 1 MB.
	TemplateURLQuota = 1 << 20
	// MaxTemplateURLLen is the longest templateURL CloudFormation accepts.
	MaxTemplateURLLen = 1024
)

// validateRoleName applies CreateRole's rule for RoleName.
func validateRoleName(name string) error {
	if name == "" || len(name) > iamarn.MaxRoleNameLen {
		return fmt.Errorf("%w: %s is %d characters; IAM takes 1 to %d letters, digits and +=,.@_-",
			ErrInvalidRoleName, echo.Quote(name), len(name), iamarn.MaxRoleNameLen)
	}
	if i, r := firstBadNameRune(name); i >= 0 {
		return fmt.Errorf("%w: %s has %s at position %d; IAM takes only letters, digits and +=,.@_-",
			ErrInvalidRoleName, echo.Quote(name), echo.Quote(string(r)), i+1)
	}
	return nil
}

// validatePolicyName applies PutRolePolicy's rule for PolicyName.
func validatePolicyName(name string) error {
	if name == "" || len(name) > MaxPolicyNameLen {
		return fmt.Errorf("%w: %s is %d characters; IAM takes 1 to %d letters, digits and +=,.@_-",
			ErrInvalidPolicyName, echo.Quote(name), len(name), MaxPolicyNameLen)
	}
	if i, r := firstBadNameRune(name); i >= 0 {
		return fmt.Errorf("%w: %s has %s at position %d; IAM takes only letters, digits and +=,.@_-",
			ErrInvalidPolicyName, echo.Quote(name), echo.Quote(string(r)), i+1)
	}
	return nil
}

// firstBadNameRune returns the 0-based character position and the first
// rune of s outside [\w+=,.@-], or -1.
func firstBadNameRune(s string) (int, rune) {
	pos := 0
	for _, r := range s {
		if !iamarn.IsNameRune(r) {
			return pos, r
		}
		pos++
	}
	return -1, 0
}

// validateRolePath applies CreateRole's rule for Path: "/" alone, or
// beginning and ending with "/", at most 512 printable ASCII characters,
// with no empty segment. The checks past the slashes are iamarn's, the
// same that role ARNs are parsed with, so a path accepted here gives an
// ARN the role package accepts.
func validateRolePath(path, name string) error {
	if path == "/" {
		return nil
	}
	if !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
		return fmt.Errorf("%w: %s must begin and end with \"/\", such as \"/integrations/\"; use \"/\" for none", ErrInvalidRolePath, echo.Quote(path))
	}
	if _, _, problem := iamarn.SplitRole(path[1:] + name); problem != "" {
		return fmt.Errorf("%w: %s", ErrInvalidRolePath, problem)
	}
	return nil
}

// cliParamPrefixes are the value prefixes with which the AWS CLI loads a
// parameter from a file or URL instead of taking it literally.
var cliParamPrefixes = []string{"file://", "fileb://", "http://", "https://"}

// validateDescription applies CreateRole's rule for Description: at most
// 1,000 characters from tab, line feed, carriage return, printable ASCII and
// U+00A1-U+00FF.
func validateDescription(d string) error {
	if n := utf8.RuneCountInString(d); n > MaxDescriptionLen {
		return fmt.Errorf("%w: it is %d characters; IAM takes at most %d", ErrInvalidDescription, n, MaxDescriptionLen)
	}
	pos := 0
	for _, r := range d {
		if !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa1 && r <= 0xff)) {
			return fmt.Errorf("%w: %s at position %d is not allowed; IAM takes printable ASCII, tab, line breaks and Latin-1 letters", ErrInvalidDescription, echo.Quote(string(r)), pos+1)
		}
		pos++
	}
	lower := strings.ToLower(d)
	for _, p := range cliParamPrefixes {
		if strings.HasPrefix(lower, p) {
			return fmt.Errorf("%w: it starts with %s, which makes the AWS CLI load the description from that location; reword it", ErrInvalidDescription, echo.Quote(p))
		}
	}
	return nil
}

var stackNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// validateStackName applies CloudFormation's rule for stack names.
func validateStackName(s string) error {
	if s == "" || len(s) > MaxStackNameLen || !stackNameRE.MatchString(s) {
		return fmt.Errorf("%w: %s; CloudFormation takes 1 to %d letters, digits and hyphens, starting with a letter", ErrInvalidStackName, echo.Quote(s), MaxStackNameLen)
	}
	return nil
}

// defaultStackName derives a stack name from the role name: characters a
// stack name may not hold become hyphens, and a name not starting with a
// letter gets the prefix "awsconnect-".
func defaultStackName(roleName string) string {
	var b strings.Builder
	for _, r := range roleName {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if c := s[0]; (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
		s = "awsconnect-" + s
	}
	return s
}

var regionRE = regexp.MustCompile(`^[a-z]{2,}(-[a-z]+)+-[0-9]{1,2}$`)

// partitionRegions are the region-name prefixes of the partitions other than
// aws, and the region each defaults to; every other region is in aws.
var partitionRegions = []struct{ partition, prefix, defaultRegion string }{
	{"aws-cn", "cn-", "cn-north-1"},
	{"aws-us-gov", "us-gov-", "us-gov-west-1"},
	{"aws-iso", "us-iso-", "us-iso-east-1"},
	{"aws-iso-b", "us-isob-", "us-isob-east-1"},
	{"aws-eusc", "eusc-", "eusc-de-east-1"},
}

// regionPartition returns the partition a region name belongs to.
func regionPartition(region string) string {
	for _, p := range partitionRegions {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// defaultRegion returns the region a kit for partition uses when none is
// given, or "" for a partition this package does not know.
func defaultRegion(partition string) string {
	if partition == "aws" {
		return "us-east-1"
	}
	for _, p := range partitionRegions {
		if p.partition == partition {
			return p.defaultRegion
		}
	}
	return ""
}

// resolvePartition settles the role's partition and region from the
// options and the platform principal's partition, and checks that they
// agree: IAM admits no principal of another partition, so a role in aws-cn
// cannot trust a platform in aws.
func resolvePartition(partition, region, principalPartition string) (string, string, error) {
	if partition != "" && !iamarn.ValidPartition(partition) {
		return "", "", fmt.Errorf("%w: partition %s is not a partition name such as aws, aws-cn or aws-us-gov", ErrInvalidPartition, echo.Quote(partition))
	}
	if region != "" && !regionRE.MatchString(region) {
		return "", "", fmt.Errorf("%w: region %s is not a region name such as us-east-1", ErrInvalidPartition, echo.Quote(region))
	}
	switch {
	case partition == "" && region != "":
		partition = regionPartition(region)
	case partition == "":
		partition = principalPartition
	}
	if region == "" {
		if region = defaultRegion(partition); region == "" {
			return "", "", fmt.Errorf("%w: no default region is known for partition %s; set Options.Region", ErrInvalidPartition, partition)
		}
	}
	if rp := regionPartition(region); rp != partition {
		return "", "", fmt.Errorf("%w: region %s is in partition %s, not %s; set Options.Partition to %s or pick a region of %s",
			ErrInvalidPartition, region, rp, partition, rp, partition)
	}
	if principalPartition != partition {
		return "", "", fmt.Errorf("%w: the platform principal is in partition %s but the role is in %s, and IAM admits no principal of another partition; name the platform by its root or role ARN in %s (arn:%s:iam::ACCOUNT:root)",
			ErrInvalidPartition, principalPartition, partition, partition, partition)
	}
	return partition, region, nil
}
