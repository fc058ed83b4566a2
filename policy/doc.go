// Package policy reads, writes, evaluates, generates and lints IAM policy
// documents, so that the platform can hand customers the exact policies to
// paste into IAM and check the policies they pasted.
//
// # Grammar
//
// [Parse] reads every form IAM accepts and refuses, with an error that names
// the statement and element, anything IAM would refuse or silently
// misread: unknown or misspelt elements, duplicate keys, wrong types, unknown
// condition operators, statements without Effect or Action. A [Document]
// marshals back to stable IAM JSON.
//
// # Evaluation
//
// [Document.Evaluate] answers one [Request] with AWS's policy evaluation
// logic (an explicit Deny wins, then an Allow, else an implicit deny),
// including wildcard actions and resources, principals and every condition
// operator. [EvaluateAll] combines a principal's identity policies and an
// optional session policy the way AWS does.
//
// # Trust
//
// [TrustPolicy] generates the role trust policy that admits the platform
// only with an external ID. The platform is named by its account ID (aws
// partition only), its account root ARN (any partition) or, tighter, its own
// IAM role ARN, which admits that role's sessions and no other principal of
// the platform account; TrustPolicy's doc says when to prefer which.
// [Document.Admits], [Document.AdmitsWithoutExternalID] and
// [Document.CheckTrust] answer whether a pasted trust policy admits the
// platform with its external ID, and whether it also admits it without one
// (the confused-deputy problem). Principals match per partition: the root of
// an account in aws-cn does not admit a principal of the same account ID in
// aws.
//
// # Catalog
//
// [LookupAction], [LookupService], [LookupResourceType] and [Services]
// answer, from the Service Authorization Reference, which access level and
// resource types an action of the connector services has and what their
// ARNs look like, so a connector can ask "which resource does s3:GetObject
// need" and build the ARN with [ResourceType.Format].
//
// # Least privilege
//
// [LeastPrivilege] turns the [Requirement] values of the chosen connector
// operations into the fewest statements that grant exactly those pairs of
// action and resource, with stable Sids; it uses "*" only for actions that
// support no resource-level permission.
//
// # Lint
//
// [Lint] reports, for a trust, identity or resource-based policy, every
// [Finding] with a code, a [Severity], the statement and a message that says
// how to fix it: a trust policy without an external ID, wildcard
// principals, Allow with NotAction/NotResource/NotPrincipal, "*" where
// resource-level permissions exist, resources of the wrong type, unknown
// actions, malformed ARNs, old or missing Version, bad Sids and size over
// IAM's quotas.
//
// # Concurrency
//
// Everything here is a pure function of its arguments; documents may be
// evaluated from many goroutines at once as long as nobody modifies them.
package policy
