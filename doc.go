// Package awsconnect lets an integration platform reach its customers' AWS
// accounts the safe way: the customer creates an IAM role that trusts the
// platform's AWS account and requires an external ID, and the platform assumes
// that role through STS and uses the temporary credentials in its connectors.
// No customer ever shares long-lived keys.
//
// This package holds no code; it is the map of the module.
//
// # The flow
//
// Each step hands a plain value to the next:
//
//   - [github.com/awsconnect/awsconnect/scope] derives the external ID for a
//     workspace (single external ID for the workspace) or for a project
//     (separate external ID for each project), and plans a switch between the two.
//   - [github.com/awsconnect/awsconnect/policy] generates the trust policy the
//     customer pastes into the role, and the least-privilege permissions policy
//     for the connector operations the platform uses; it parses, evaluates and
//     lints any IAM policy.
//   - [github.com/awsconnect/awsconnect/role] assumes the role with the external
//     ID and caches the temporary credentials per (role ARN, external ID, session
//     options), refreshing them before they expire.
//   - [github.com/awsconnect/awsconnect/connectors] turns a stored connection
//     into an aws.Config and checks it when the user presses "Connect"; the
//     packages below it (s3, lambda, ses, lex, cloudwatch, signedhttp) each serve
//     one AWS service.
//
// # Security rules
//
// An AssumeRole call is never made without the external ID. Credentials
// obtained with one external ID are never handed to a caller that asked with
// another. Secret access keys and session tokens never appear in String output,
// fmt verbs, slog records or error text.
package awsconnect
