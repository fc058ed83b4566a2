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
// [TrustPolicy] generates the role trust policy that admits the platform's
// account only with an external ID; [Document.Admits],
// [Document.AdmitsWithoutExternalID] and [Document.CheckTrust] answer whether
// a pasted trust policy admits the platform with its external ID, and whether
// it also admits it without one (the confused-deputy problem).
//
// # Concurrency
//
// Everything here is a pure function of its arguments; documents may be
// evaluated from many goroutines at once as long as nobody modifies them.
package policy
