// Package onboarding generates, for one connection's role, everything a
// customer may use to create it in their AWS account, so that nobody types
// a policy, an account ID or an external ID by hand:
//
//   - a CloudFormation template, JSON or YAML ([Kit.TemplateJSON],
//     [Kit.TemplateYAML]), built with goformation: an AWS::IAM::Role with
//     the trust policy (external ID fixed), the least-privilege
//     permissions policy inline, a RoleName parameter and a RoleArn
//     output;
//   - the AWS console's quick-create link for that template
//     ([Kit.QuickCreateURL]), where the platform hosts it in Amazon S3;
//   - Terraform for aws_iam_role and aws_iam_role_policy
//     ([Kit.Terraform]), formatted as `terraform fmt` formats it;
//   - a bash script of AWS CLI calls ([Kit.CLIScript]), every value quoted,
//     that checks a role name given as its argument against IAM's rule
//     before any call and stops at create-role when the role exists;
//   - the IAM console steps as data a UI renders ([Kit.ConsoleSteps]);
//   - the ARN the role will have ([Kit.RoleARN]), from the customer's
//     account ID alone, so the platform can fill its connection form and let
//     Connect prove it.
//
// Every artifact holds the same two documents: the trust policy of
// [policy.TrustPolicy] for the platform principal and external ID, and the
// permissions policy given to [New] (or made by [policy.LeastPrivilege] in
// [NewFromRequirements]). The package calls no AWS API and knows no
// connector: the platform hands it the principal, the external ID from
// [scope.Deriver], a role name, the partition or region, and the policy
// or requirements of the connection's operations.
//
// # Bad input
//
// [New] checks everything before anything is generated: the role name and
// path against IAM's rules (internal/iamarn's, which role ARNs are parsed
// with), the external ID ([scope.ValidateExternalID]), the trust policy
// against IAM's default 2,048-character quota, the partition of the
// principal, region and every resource, the permissions policy against
// [policy.Lint] (nothing above SUGGESTION) and the inline quota, and the
// template against CloudFormation's 51,200-byte TemplateBody quota.
// [Kit.QuickCreateURL] checks the template URL (https, Amazon S3 of the
// partition, at most 1,024 characters) and the 1 MB CloudFormation reads
// from it. Errors wrap this package's sentinels (or policy's) and say what
// is accepted.
//
// # Dependencies
//
// github.com/awslabs/goformation/v7 builds and parses CloudFormation
// templates (so the template is a typed value, not a text template);
// github.com/hashicorp/hcl/v2's hclwrite writes and formats Terraform with
// the formatter `terraform fmt` uses; mvdan.cc/sh/v3's syntax.Quote quotes
// the shell words of the CLI script.
//
// # Concurrency
//
// A [Kit] is immutable and safe for concurrent use; each artifact is
// generated anew on each call.
package onboarding
