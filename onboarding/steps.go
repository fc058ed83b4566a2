package onboarding

import (
	"fmt"
	"strings"
)

// Guide is the console walkthrough for a customer who creates the role by
// hand in the IAM console, as data a UI renders: every value to paste is
// exact, and what to copy back is said. Its JSON names are stable
// snake_case.
//
// A Guide is a plain value; it is safe to share once built.
type Guide struct {
	// RoleName is the name the steps give the role.
	RoleName string `json:"role_name"`
	// RoleARN is the ARN the role will have, when the customer's account
	// ID was given; "" otherwise.
	RoleARN string `json:"role_arn,omitempty"`
	// ConsoleURL opens the IAM console's roles page in the partition.
	ConsoleURL string `json:"console_url"`
	// Steps are in the order the customer follows them.
	Steps []Step `json:"steps"`
}

// Step is one screen of the walkthrough.
type Step struct {
	// ID names the step, stable for programs: "open_roles",
	// "trusted_entity", "skip_permissions", "name_role",
	// "add_permissions" or "copy_role_arn".
	ID string `json:"id"`
	// Title is a short heading.
	Title string `json:"title"`
	// Instruction says what to click and where to paste each value, naming
	// the console's labels.
	Instruction string `json:"instruction"`
	// Link is a console page to open, or "".
	Link string `json:"link,omitempty"`
	// Values are the exact values to paste, in the order the instruction
	// names them; never null.
	Values []Value `json:"values"`
	// CopyBack are the values the customer copies into the platform;
	// never null.
	CopyBack []CopyBack `json:"copy_back"`
}

// The names of the values a Step carries, stable for programs.
const (
	ValuePlatformAccountID = "platform_account_id"
	ValueExternalID        = "external_id"
	ValueTrustPolicy       = "trust_policy"
	ValueRoleName          = "role_name"
	ValueDescription       = "description"
	ValuePermissions       = "permissions_policy"
	ValuePolicyName        = "policy_name"
	ValueRoleARN           = "role_arn"
)

// Value is one value to paste.
type Value struct {
	// Name is one of the Value constants.
	Name string `json:"name"`
	// Label is the console field it goes into.
	Label string `json:"label"`
	// Value is the exact text to paste.
	Value string `json:"value"`
	// Format is "text", or "json" for a policy document (indented as the
	// console shows it).
	Format string `json:"format"`
}

// CopyBack is one value the customer copies from the console into the
// platform.
type CopyBack struct {
	// Name is one of the Value constants (ValueRoleARN).
	Name string `json:"name"`
	// Label is the console field to copy from.
	Label string `json:"label"`
	// Expected is the value the platform predicts, when it can; the
	// platform may fill its form with it and let Connect prove it.
	Expected string `json:"expected,omitempty"`
}

// ConsoleSteps returns the walkthrough of creating the role in the IAM
// console. accountID, the customer's account, is optional: given, the
// guide says which account to sign in to and predicts the role ARN.
//
// A platform named by its account (ID or root ARN) is entered as "Another
// AWS account" with "Require external ID"; a platform role is entered as a
// custom trust policy, the only way the console takes a role principal (or
// several external IDs).
// The permissions policy is added inline after the role exists, as the
// console's create-role wizard attaches only managed policies.
//
// It fails with ErrConsoleCannot for a kit with a role path other than
// "/", which the console cannot set; with ErrInvalidAccountID for a bad
// account ID; and with ErrUnsupportedPartition where no console is known.
func (k *Kit) ConsoleSteps(accountID string) (*Guide, error) {
	if k.path != "/" {
		return nil, fmt.Errorf("%w: it has path %s, and the console creates roles only at \"/\"; give the customer the template, Terraform or the CLI script, or use path \"/\"", ErrConsoleCannot, k.path)
	}
	g := &Guide{RoleName: k.roleName}
	where := "the AWS account that will own the role"
	if accountID != "" {
		arn, err := k.RoleARN(accountID)
		if err != nil {
			return nil, err
		}
		g.RoleARN = arn
		where = "AWS account " + accountID
	}
	host, err := k.consoleHost()
	if err != nil {
		return nil, err
	}
	if k.partition == "aws" {
		host = "console.aws.amazon.com" // IAM is global; its console has no regional host
	}
	g.ConsoleURL = "https://" + host + "/iam/home#/roles"
	trust, err := k.trust.Indented()
	if err != nil {
		return nil, fmt.Errorf("onboarding: trust policy JSON: %w", err)
	}
	perms, err := k.permissions.Indented()
	if err != nil {
		return nil, fmt.Errorf("onboarding: permissions policy JSON: %w", err)
	}
	text := func(name, label, v string) Value { return Value{Name: name, Label: label, Value: v, Format: "text"} }
	jsonValue := func(name, label string, v []byte) Value {
		return Value{Name: name, Label: label, Value: string(v), Format: "json"}
	}

	trustStep := Step{ID: "trusted_entity", Title: "Trust the platform with its external ID"}
	if k.principalIsAccount() && !k.multipleIDs {
		trustStep.Instruction = `Under "Trusted entity type" choose "AWS account", then "Another AWS account". ` +
			`Paste the platform's account ID into "Account ID". Under "Options" tick "Require external ID" ` +
			`and paste the external ID into "External ID". Leave "Require MFA" unticked, as the platform signs in without MFA. Choose "Next".`
		trustStep.Values = []Value{
			text(ValuePlatformAccountID, "Account ID", k.platformAccount),
			text(ValueExternalID, "External ID", k.externalID),
		}
	} else {
		trustStep.Instruction = `Under "Trusted entity type" choose "Custom trust policy". ` +
			`Replace the whole policy in the editor with the trust policy below, which admits only the platform's role and only with the external ID. Choose "Next".`
		trustStep.Values = []Value{jsonValue(ValueTrustPolicy, "Custom trust policy", trust)}
	}
	arnCopy := CopyBack{Name: ValueRoleARN, Label: "ARN", Expected: g.RoleARN}
	g.Steps = []Step{
		{ID: "open_roles", Title: "Open IAM roles", Link: g.ConsoleURL,
			Instruction: `Sign in to the AWS console as an administrator of ` + where + `, open IAM, choose "Roles" and then "Create role".`},
		trustStep,
		{ID: "skip_permissions", Title: "Skip the managed policies",
			Instruction: `On "Add permissions" select no policy: the role gets its own inline policy once it exists. Choose "Next".`},
		{ID: "name_role", Title: "Name the role",
			Instruction: `Paste the role name into "Role name" and the description into "Description". ` +
				`Check that "Trust policy" shows the platform's account and the external ID, then choose "Create role".`,
			Values: []Value{text(ValueRoleName, "Role name", k.roleName), text(ValueDescription, "Description", k.description)}},
		{ID: "add_permissions", Title: "Add the permissions policy",
			Instruction: `Open the role ` + k.roleName + `. On the "Permissions" tab choose "Add permissions", then "Create inline policy". ` +
				`Choose "JSON", replace the whole policy in the editor with the one below and choose "Next". ` +
				`Paste the policy name into "Policy name" and choose "Create policy".`,
			Values: []Value{jsonValue(ValuePermissions, "Policy editor", perms), text(ValuePolicyName, "Policy name", k.policyName)}},
		{ID: "copy_role_arn", Title: "Give the platform the role ARN",
			Instruction: `In the role's "Summary", copy the "ARN" and paste it into the platform's connection form, then choose Connect to check the role.`,
			CopyBack:    []CopyBack{arnCopy}},
	}
	for i := range g.Steps {
		if g.Steps[i].Values == nil {
			g.Steps[i].Values = []Value{}
		}
		if g.Steps[i].CopyBack == nil {
			g.Steps[i].CopyBack = []CopyBack{}
		}
	}
	return g, nil
}

// principalIsAccount reports whether the platform is trusted as a whole
// account (an account ID or root ARN) rather than as one of its roles.
func (k *Kit) principalIsAccount() bool {
	return k.principal == k.platformAccount || strings.HasSuffix(k.principal, ":root")
}
