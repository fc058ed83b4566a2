package policy

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/iamarn"
)

// trustedPrincipal validates the platform principal given to TrustPolicy and
// returns the value to write in the Principal element: the account's root
// ARN for a bare account ID, the ARN itself otherwise.
func trustedPrincipal(p string) (string, error) {
	if iamarn.IsAccountID(p) {
		return "arn:aws:iam::" + p + ":root", nil
	}
	const forms = "write the platform's 12-digit account ID, its root ARN (arn:PARTITION:iam::ACCOUNT:root) or its role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)"
	if !strings.HasPrefix(p, "arn:") {
		return "", fmt.Errorf("%w: %w: %s must be the 12 digits of the platform's AWS account ID or an ARN; %s", ErrInvalidPrincipal, ErrInvalidAccountID, echo.Quote(p), forms)
	}
	a, err := arn.Parse(p)
	if err != nil {
		return "", fmt.Errorf("%w: %s is not an ARN (%v); %s", ErrInvalidPrincipal, echo.Quote(p), err, forms)
	}
	if !iamarn.ValidPartition(a.Partition) {
		return "", fmt.Errorf("%w: %s: partition must look like aws, aws-cn or aws-us-gov, got %s", ErrInvalidPrincipal, echo.Quote(p), echo.Quote(a.Partition))
	}
	if a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/") {
		name, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
		return "", fmt.Errorf("%w: %s is a role session, which ends within hours; trust the role itself, arn:%s:iam::%s:role/%s (with its path, if it has one)", ErrInvalidPrincipal, echo.Quote(p), a.Partition, a.AccountID, name)
	}
	if a.Service != "iam" || a.Region != "" {
		return "", fmt.Errorf("%w: %s is not an IAM principal (service %s, region %s); %s", ErrInvalidPrincipal, echo.Quote(p), echo.Quote(a.Service), echo.Quote(a.Region), forms)
	}
	if !iamarn.IsAccountID(a.AccountID) {
		return "", fmt.Errorf("%w: %w: %s: account ID must be 12 digits, got %s", ErrInvalidPrincipal, ErrInvalidAccountID, echo.Quote(p), echo.Quote(a.AccountID))
	}
	if a.Resource == "root" {
		return p, nil
	}
	rest, ok := strings.CutPrefix(a.Resource, "role/")
	if !ok {
		return "", fmt.Errorf("%w: %s names %s; a trust policy for the platform names its account root or its role, so %s", ErrInvalidPrincipal, echo.Quote(p), echo.Quote(a.Resource), forms)
	}
	if why := checkRolePath(rest); why != "" {
		return "", fmt.Errorf("%w: %s: %s", ErrInvalidPrincipal, echo.Quote(p), why)
	}
	return p, nil
}

// checkRolePath validates the "PATH/NAME" after "role/" in a role ARN; it
// returns "" when valid.
func checkRolePath(rest string) string {
	path, _, problem := iamarn.SplitRole(rest)
	if problem == "" && strings.ContainsAny(path, "*?") {
		// IAM paths may hold them, but in a Principal IAM reads no
		// wildcard except a lone "*".
		problem = fmt.Sprintf("the role path %s holds a wildcard, which a principal cannot", echo.Quote(path))
	}
	return problem
}
