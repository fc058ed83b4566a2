package onboarding

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/scope"
)

// Defaults of [Options].
const (
	// DefaultPolicyName names the role's inline permissions policy.
	DefaultPolicyName = "awsconnect-permissions"
	// DefaultDescription describes the role in IAM.
	DefaultDescription = "Assumed by the integration platform with an external ID; grants only what its connection uses."
)

// Options are a kit's optional settings; [New] applies the defaults.
type Options struct {
	// Partition is the role's partition, such as "aws", "aws-cn" or
	// "aws-us-gov". Optional; default the Region's partition, else the
	// platform principal's ("aws" for a bare account ID).
	Partition string
	// Region is where the CloudFormation stack is created and which
	// regional endpoint the AWS CLI and Terraform reach IAM through (IAM
	// itself is global to a partition). Optional; default us-east-1,
	// cn-north-1, us-gov-west-1, ... by partition.
	Region string
	// Path is the role's IAM path, "/" or such as "/integrations/".
	// Optional; default "/". The IAM console cannot set a path, so
	// [Kit.ConsoleSteps] refuses a kit with another one.
	Path string
	// PolicyName names the inline permissions policy. Optional; default
	// DefaultPolicyName.
	PolicyName string
	// Description is the role's IAM description. Optional; default
	// DefaultDescription.
	Description string
	// TransitionalExternalIDs are external IDs the trust policy admits
	// besides the connection's, while a scope switch (scope.Deriver's
	// PlanSwitch) moves the connection from one of them to it. Optional;
	// the console steps then use a custom trust policy, as the console's
	// "Require external ID" field takes one ID.
	TransitionalExternalIDs []string
	// StackName is the CloudFormation stack name a quick-create link
	// proposes. Optional; default the role name with every character a
	// stack name cannot hold turned into a hyphen.
	StackName string
}

// Kit holds, for one connection's role, everything the customer may use to
// create it: the CloudFormation template, the quick-create link, Terraform,
// the AWS CLI script and the guided console steps, all from the same trust
// and permissions policies. Every input is checked by [New]; the
// artifacts are generated on demand and are the same on every call.
//
// A Kit is immutable; it is safe for concurrent use.
type Kit struct {
	roleName, path, policyName, description, stackName string
	partition, region                                  string
	principal, platformAccount, externalID             string
	trust, permissions                                 *policy.Document
	multipleIDs                                        bool
}

// New checks every input and returns the kit for a role named roleName that
// trusts platformPrincipal with externalID and grants permissions inline.
//
// platformPrincipal is what [policy.TrustPolicy] takes: the platform's
// account ID (aws partition only), its account root ARN or its own IAM role
// ARN. externalID is the connection's, from [scope.Deriver]. permissions is
// the identity policy the role gets, usually [policy.LeastPrivilege] of the
// connection's requirements (see [NewFromRequirements]); it is copied.
//
// Nothing is generated from bad input: New fails, with an error naming
// what is wrong and what IAM or CloudFormation accept, for a role name IAM
// refuses (1-64 characters from [\w+=,.@-]), a bad role path, policy name,
// description or stack name, an invalid external ID, a trust policy over
// IAM's 2,048-character default quota, a principal, region or resource of
// another partition than the role's, a permissions policy with lint
// findings above SUGGESTION (Lint holds it to the 6,144 characters of a
// managed policy, so it also fits as one) or over the inline quota, and
// a template over CloudFormation's 51,200-byte TemplateBody quota.
func New(platformPrincipal, externalID, roleName string, permissions *policy.Document, optFns ...func(*Options)) (*Kit, error) {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Path == "" {
		o.Path = "/"
	}
	if o.PolicyName == "" {
		o.PolicyName = DefaultPolicyName
	}
	if o.Description == "" {
		o.Description = DefaultDescription
	}
	if err := validateRoleName(roleName); err != nil {
		return nil, err
	}
	if o.StackName == "" {
		o.StackName = defaultStackName(roleName)
	}
	if err := validateRolePath(o.Path, roleName); err != nil {
		return nil, err
	}
	if err := validatePolicyName(o.PolicyName); err != nil {
		return nil, err
	}
	if err := validateDescription(o.Description); err != nil {
		return nil, err
	}
	if err := validateStackName(o.StackName); err != nil {
		return nil, err
	}
	externalIDs := append([]string{externalID}, o.TransitionalExternalIDs...)
	for _, id := range externalIDs {
		if err := scope.ValidateExternalID(id); err != nil {
			return nil, fmt.Errorf("onboarding: external ID %s: %w", echo.Quote(id), err)
		}
	}
	principalPartition, platformAccount, err := principalOf(platformPrincipal)
	if err != nil {
		return nil, err
	}
	partition, region, err := resolvePartition(o.Partition, o.Region, principalPartition)
	if err != nil {
		return nil, err
	}
	trust, err := policy.TrustPolicy(platformPrincipal, externalIDs...)
	if err != nil {
		return nil, fmt.Errorf("onboarding: trust policy: %w", err)
	}
	if err := cleanLint("trust policy", trust, policy.TrustPolicyKind, ErrInvalidTrustPolicy); err != nil {
		return nil, err
	}
	perms, err := checkPermissions(permissions, partition)
	if err != nil {
		return nil, err
	}
	k := &Kit{
		roleName: roleName, path: o.Path, policyName: o.PolicyName, description: o.Description, stackName: o.StackName,
		partition: partition, region: region,
		principal: platformPrincipal, platformAccount: platformAccount, externalID: externalID,
		trust: trust, permissions: perms, multipleIDs: len(slices.Compact(slices.Sorted(slices.Values(externalIDs)))) > 1,
	}
	for _, f := range []struct {
		format string
		gen    func() ([]byte, error)
	}{{"JSON", k.TemplateJSON}, {"YAML", k.TemplateYAML}} {
		body, err := f.gen()
		if err != nil {
			return nil, err
		}
		if err := checkTemplateSize(f.format, len(body), TemplateBodyQuota, "CloudFormation's TemplateBody quota"); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// NewFromRequirements is [New] with the permissions policy
// [policy.LeastPrivilege] makes of reqs, the requirements of the
// connection's chosen operations.
func NewFromRequirements(platformPrincipal, externalID, roleName string, reqs []policy.Requirement, optFns ...func(*Options)) (*Kit, error) {
	perms, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPermissions, err)
	}
	return New(platformPrincipal, externalID, roleName, perms, optFns...)
}

// principalOf returns the partition and account of a platform principal,
// or the error TrustPolicy would give.
func principalOf(p string) (partition, account string, err error) {
	if iamarn.IsAccountID(p) {
		return "aws", p, nil
	}
	a, perr := arn.Parse(p)
	if perr != nil || a.Service != "iam" || !iamarn.IsAccountID(a.AccountID) {
		// TrustPolicy's error says which forms are accepted.
		_, err = policy.TrustPolicy(p, "placeholder_external_id")
		if err == nil {
			err = fmt.Errorf("%w: %s", policy.ErrInvalidPrincipal, echo.Quote(p))
		}
		return "", "", fmt.Errorf("onboarding: platform principal: %w", err)
	}
	return a.Partition, a.AccountID, nil
}

// checkPermissions copies the permissions policy and refuses one that the
// customer should not be handed.
func checkPermissions(d *policy.Document, partition string) (*policy.Document, error) {
	if d == nil || len(d.Statement) == 0 {
		return nil, fmt.Errorf("%w: no permissions policy given; pass policy.LeastPrivilege of the connection's requirements", ErrInvalidPermissions)
	}
	d = d.Clone()
	// Every artifact carries the policy as JSON; one that does not read
	// back as itself (text that is not UTF-8 becomes U+FFFD) would grant
	// something else than the kit says.
	b, err := d.JSON()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidPermissions, err)
	}
	if back, err := policy.Parse(b); err != nil || !reflect.DeepEqual(back, d) {
		return nil, fmt.Errorf("%w: the permissions policy does not survive JSON unchanged; a string in it is not valid UTF-8 or not what Parse would read", ErrInvalidPermissions)
	}
	if err := cleanLint("permissions policy", d, policy.IdentityPolicyKind, ErrInvalidPermissions); err != nil {
		return nil, err
	}
	if n := d.Size(); n > InlinePolicyQuota {
		return nil, fmt.Errorf("%w: the permissions policy is %d characters, over IAM's %d-character quota for a role's inline policies; grant fewer operations or resources", ErrInvalidPermissions, n, InlinePolicyQuota)
	}
	for i, s := range d.Statement {
		for _, r := range append(append(policy.Strings{}, s.Resource...), s.NotResource...) {
			if r == "*" {
				continue
			}
			a, err := arn.Parse(r)
			if err == nil && a.Partition != partition && !strings.ContainsAny(a.Partition, "*?") {
				return nil, fmt.Errorf("%w: Statement[%d] resource %s is in partition %s, but the role is in %s, where it grants nothing; generate the requirements for the connection's region",
					ErrInvalidPartition, i, r, a.Partition, partition)
			}
		}
	}
	return d, nil
}

// cleanLint fails when policy.Lint reports anything above SUGGESTION.
func cleanLint(what string, d *policy.Document, kind policy.Kind, sentinel error) error {
	var problems []string
	for _, f := range policy.Lint(d, kind) {
		if f.Severity < policy.SeveritySuggestion {
			problems = append(problems, f.String())
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: the %s has lint findings; fix them first: %s", sentinel, what, strings.Join(problems, "; "))
	}
	return nil
}

// checkTemplateSize fails when a template of n bytes exceeds limit.
func checkTemplateSize(format string, n, limit int, quota string) error {
	if n > limit {
		return fmt.Errorf("%w: the %s template is %d bytes, over %s of %d bytes; grant fewer operations or resources", ErrTemplateTooLarge, format, n, quota, limit)
	}
	return nil
}

// RoleName returns the role's default name (the CloudFormation parameter,
// the Terraform variable and the CLI script's first argument override it).
func (k *Kit) RoleName() string { return k.roleName }

// Path returns the role's IAM path.
func (k *Kit) Path() string { return k.path }

// Partition returns the role's partition.
func (k *Kit) Partition() string { return k.partition }

// Region returns the region the stack, the CLI and Terraform use.
func (k *Kit) Region() string { return k.region }

// ExternalID returns the external ID the trust policy requires.
func (k *Kit) ExternalID() string { return k.externalID }

// PolicyName returns the name of the role's inline permissions policy.
func (k *Kit) PolicyName() string { return k.policyName }

// TrustPolicy returns a copy of the role's trust policy.
func (k *Kit) TrustPolicy() *policy.Document { return k.trust.Clone() }

// Permissions returns a copy of the role's permissions policy.
func (k *Kit) Permissions() *policy.Document { return k.permissions.Clone() }

// RoleARN returns the ARN the role gets in the customer's account under the
// kit's name, path and partition, so the platform can fill the connection
// form from the account ID alone; Connect then proves it. A customer who
// renames the role in the template, Terraform or script gets another ARN,
// which the stack output, Terraform output and script print.
func (k *Kit) RoleARN(accountID string) (string, error) {
	if !iamarn.IsAccountID(accountID) {
		return "", fmt.Errorf("%w: %s; an AWS account ID is 12 digits, shown in the console's account menu", ErrInvalidAccountID, echo.Quote(accountID))
	}
	return arn.ARN{Partition: k.partition, Service: "iam", AccountID: accountID, Resource: "role" + k.path + k.roleName}.String(), nil
}

// MarshalJSON writes what a screen shows of the kit: the role's name,
// path, partition and region, the platform principal it trusts, the
// external ID, the permissions policy's name, the stack name a quick-create
// link proposes, and both policies (in IAM's own grammar, to paste). The
// artifacts (template, Terraform, script, console steps) have their own
// methods. The zero Kit writes empty strings and null policies.
func (k *Kit) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		RoleName          string           `json:"role_name"`
		Path              string           `json:"path"`
		Partition         string           `json:"partition"`
		Region            string           `json:"region"`
		PlatformPrincipal string           `json:"platform_principal"`
		ExternalID        string           `json:"external_id"`
		PolicyName        string           `json:"policy_name"`
		Description       string           `json:"description"`
		StackName         string           `json:"stack_name"`
		TrustPolicy       *policy.Document `json:"trust_policy"`
		Permissions       *policy.Document `json:"permissions_policy"`
	}{k.roleName, k.path, k.partition, k.region, k.principal, k.externalID, k.policyName, k.description,
		k.stackName, k.trust, k.permissions})
}
