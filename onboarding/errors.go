package onboarding

import "errors"

// Sentinel errors. Every error this package returns wraps one of them (or,
// for the trust policy, one of package policy's: policy.ErrInvalidExternalID,
// policy.ErrInvalidPrincipal, policy.ErrTooLarge), so callers can test the
// class with errors.Is and show the message, which says what to fix.
var (
	// ErrInvalidRoleName: the role name is not 1-64 characters from
	// [\w+=,.@-], which IAM's CreateRole refuses.
	ErrInvalidRoleName = errors.New("onboarding: invalid role name")
	// ErrInvalidRolePath: the role path is not "/" or a "/"-delimited
	// path of printable ASCII of at most 512 characters.
	ErrInvalidRolePath = errors.New("onboarding: invalid role path")
	// ErrInvalidPolicyName: the inline policy name is not 1-128
	// characters from [\w+=,.@-].
	ErrInvalidPolicyName = errors.New("onboarding: invalid policy name")
	// ErrInvalidDescription: the role description is longer than IAM's
	// 1,000 characters, holds a character IAM refuses, or starts with a
	// prefix the AWS CLI would read as a file or URL to load.
	ErrInvalidDescription = errors.New("onboarding: invalid role description")
	// ErrInvalidStackName: the CloudFormation stack name is not 1-128
	// letters, digits and hyphens starting with a letter.
	ErrInvalidStackName = errors.New("onboarding: invalid stack name")
	// ErrInvalidPartition: the partition or region is malformed, or they
	// do not belong together, or the platform principal or a resource of
	// the permissions policy is in another partition than the role.
	ErrInvalidPartition = errors.New("onboarding: invalid partition or region")
	// ErrUnsupportedPartition: the artifact needs the AWS console, whose
	// address this package knows only for aws, aws-cn and aws-us-gov.
	ErrUnsupportedPartition = errors.New("onboarding: no console known for the partition")
	// ErrInvalidPermissions: the permissions policy is missing, has lint
	// findings above SUGGESTION, or exceeds the role's inline policy quota.
	ErrInvalidPermissions = errors.New("onboarding: invalid permissions policy")
	// ErrInvalidTrustPolicy: the trust policy generated for the platform
	// principal has lint findings above SUGGESTION.
	ErrInvalidTrustPolicy = errors.New("onboarding: invalid trust policy")
	// ErrInvalidTemplateURL: the template URL given for a quick-create
	// link is not an https URL of an Amazon S3 object in the role's
	// partition, or is longer than CloudFormation's 1,024 characters.
	ErrInvalidTemplateURL = errors.New("onboarding: invalid template URL")
	// ErrTemplateTooLarge: the CloudFormation template exceeds the size
	// CloudFormation accepts for the way it is handed over.
	ErrTemplateTooLarge = errors.New("onboarding: template too large")
	// ErrInvalidAccountID: the customer account ID is not 12 digits.
	ErrInvalidAccountID = errors.New("onboarding: invalid AWS account ID")
	// ErrConsoleCannot: the IAM console cannot create the role as
	// configured (it sets no role path); use another artifact.
	ErrConsoleCannot = errors.New("onboarding: the IAM console cannot create this role")
)
