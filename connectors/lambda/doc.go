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
// [Requirements] returns these for the operations a platform uses, ready
// for [github.com/awsconnect/awsconnect/policy.LeastPrivilege]. Check proves
// the permission a connection needs with ListFunctions, or with GetFunction
// when the connector is restricted to one function.
//
// # Connection fields
//
// The registered kind "lambda" reads one optional field, "function": the
// function the connection is restricted to.
package lambda
