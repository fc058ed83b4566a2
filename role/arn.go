package role

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/iamarn"
)

// ErrInvalidRoleARN is wrapped by every error ParseRoleARN returns, so callers
// can tell a malformed role ARN (fix the input) from a failed AssumeRole call
// (fix the role).
var ErrInvalidRoleARN = errors.New("role: invalid role ARN")

// Limits IAM places on a whole role ARN (AssumeRole: RoleArn); the limits on
// its path and name are in package iamarn.
const (
	minARNLen = 20
	maxARNLen = 2048
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
	if !iamarn.ValidPartition(a.Partition) {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("partition must look like aws, aws-cn or aws-us-gov, got %s", echo(a.Partition)))
	}
	if a.Service != "iam" {
		hint := ""
		if a.Service == "sts" {
			hint = "; that is an assumed-role session ARN, use the ARN of the role itself"
		}
		return RoleARN{}, invalidARN(s, fmt.Sprintf("service must be iam, got %s%s", echo(a.Service), hint))
	}
	if a.Region != "" {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("IAM is global, so the region must be empty, got %s", echo(a.Region)))
	}
	if !iamarn.IsAccountID(a.AccountID) {
		if iamarn.AllDigits(a.AccountID) {
			return RoleARN{}, invalidARN(s, fmt.Sprintf("account ID must be 12 digits, got %d", len(a.AccountID)))
		}
		return RoleARN{}, invalidARN(s, fmt.Sprintf("account ID must be 12 digits, got %s", echo(a.AccountID)))
	}
	rest, ok := strings.CutPrefix(a.Resource, "role/")
	if !ok {
		return RoleARN{}, invalidARN(s, fmt.Sprintf("resource must start with \"role/\", got %s", echo(a.Resource)))
	}
	path, name, problem := iamarn.SplitRole(rest)
	if problem != "" {
		return RoleARN{}, invalidARN(s, problem)
	}
	return RoleARN{Partition: a.Partition, AccountID: a.AccountID, Path: path, Name: name}, nil
}

func invalidARN(s, why string) error {
	return fmt.Errorf("%w %s: %s", ErrInvalidRoleARN, echo(s), why)
}
