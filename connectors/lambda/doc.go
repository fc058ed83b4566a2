// Package lambda is the AWS Lambda connector: it invokes functions
// synchronously (payload in, payload out, the function's own failure as a
// typed [FunctionError], the log tail when asked), asynchronously (Event) and
// as a dry run, lists functions page by page and reads one function, each by
// name, partial ARN or ARN, with a version or alias as qualifier.
//
// A [Connector] is built from the aws.Config of one connection (see
// [github.com/awsconnect/awsconnect/connectors.Resolver]); it never builds
// credentials itself. It may be restricted to one function with
// Options.Function, which every operation then enforces.
//
// # From a connection
//
// [Kind] is the connector kind this package registers (importing it
// registers no other). [NewFromConnection] builds the typed Connector for a
// connection of this kind from the aws.Config connectors.Resolver.Config
// returns, honouring the connection's fields. Kind.Requirements(conn, ops)
// returns the permissions of the chosen operations plus those Check uses,
// scoped to the connection's resources in its role's partition, so the
// policy generated from them passes Connect.
//
// # Required IAM permissions
//
// Each operation needs one action, on the function's ARN
// (arn:aws:lambda:REGION:ACCOUNT:function:NAME, with ":QUALIFIER" appended
// when a version or alias is invoked or read):
//
//   - Invoke, InvokeAsync, DryRun: lambda:InvokeFunction
//   - GetFunction: lambda:GetFunction
//   - Functions: lambda:ListFunctions on "*" (the action has no resource-level
//     permission); a restricted connector uses lambda:GetFunction instead
//
// [Requirements] (for a target outside a connection) and Kind.Requirements
// return these for the operations a platform uses, ready
// for [github.com/awsconnect/awsconnect/policy.LeastPrivilege]. Check proves
// the permission a connection needs with ListFunctions, or with GetFunction
// when the connector is restricted to one function.
//
// # Connection fields
//
// The registered kind "lambda" reads one optional field, "function": the
// function the connection is restricted to.
package lambda
