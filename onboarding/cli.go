package onboarding

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// roleNameArgument lets the script's first argument replace the role name,
// and refuses, before any call, a name IAM would refuse: the AWS CLI would
// otherwise send it (or, for file://..., load a file's contents as the
// name). The characters are spelt out, as a range such as [a-z] may match
// other letters in the customer's locale.
const roleNameArgument = `if [ "$#" -gt 0 ]; then
  role_name=$1
fi
role_name_pattern='^[abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-]{1,64}$'
if ! [[ $role_name =~ $role_name_pattern ]]; then
  printf 'create-role.sh: the role name "%s" is not one IAM accepts; give 1 to 64 letters, digits and +=,.@_-\n' "$role_name" >&2
  exit 2
fi
`

// CLIScript returns a bash script that creates the same role with the AWS
// CLI: create-role with the trust policy, then put-role-policy with the
// permissions policy inline, and prints the role's ARN. It runs under
// `set -euo pipefail`, so it stops at the first failing call; its first
// argument, when given, replaces the role name; the script refuses one
// IAM would refuse before it calls anything.
//
// Every value is a shell word quoted by mvdan.cc/sh's syntax.Quote and
// expanded inside double quotes, so no value is split, globbed or run,
// whatever it holds; the policies are passed as quoted JSON. The
// description never starts with file:// or another prefix the CLI would
// load from ([New] refuses those). The policies are compact JSON, one
// line each, so that each is one single-quoted word the customer can read.
func (k *Kit) CLIScript() ([]byte, error) {
	trust, err := k.trust.JSON()
	if err != nil {
		return nil, fmt.Errorf("onboarding: trust policy JSON: %w", err)
	}
	perms, err := k.permissions.JSON()
	if err != nil {
		return nil, fmt.Errorf("onboarding: permissions policy JSON: %w", err)
	}
	vars := []struct{ name, value string }{
		{"role_name", k.roleName},
		{"role_path", k.path},
		{"policy_name", k.policyName},
		{"region", k.region},
		{"description", k.description},
		{"trust_policy", string(trust)},
		{"permissions_policy", string(perms)},
	}
	var b strings.Builder
	fmt.Fprintf(&b, `#!/usr/bin/env bash
# Creates the IAM role %s that the integration platform assumes with its
# external ID, with its least-privilege permissions policy inline.
# Run it with the AWS CLI signed in to the account that will own the role:
#
#   bash create-role.sh [ROLE_NAME]
#
# It prints the role's ARN: paste it into the platform's connection form.
# It stops at the first call that fails: run again for a role that exists,
# it fails at create-role (EntityAlreadyExists) and changes nothing.
set -euo pipefail

`, k.roleName)
	for _, v := range vars {
		q, err := syntax.Quote(v.value, syntax.LangBash)
		if err != nil {
			return nil, fmt.Errorf("onboarding: quoting %s for bash: %w", v.name, err)
		}
		fmt.Fprintf(&b, "%s=%s\n", v.name, q)
		if v.name == "role_name" {
			b.WriteString(roleNameArgument)
		}
	}
	b.WriteString(`
role_arn=$(aws iam create-role \
  --region "$region" \
  --role-name "$role_name" \
  --path "$role_path" \
  --description "$description" \
  --assume-role-policy-document "$trust_policy" \
  --query Role.Arn \
  --output text)
aws iam put-role-policy \
  --region "$region" \
  --role-name "$role_name" \
  --policy-name "$policy_name" \
  --policy-document "$permissions_policy"
printf 'Role ARN: %s\n' "$role_arn"
`)
	return []byte(b.String()), nil
}
