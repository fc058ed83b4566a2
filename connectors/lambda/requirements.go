package lambda

import (
	"fmt"
	"strings"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
)

// Operation names a group of connector operations that need the same
// permission, for [Kind]'s Requirements and ParseOperation; it is
// connectors.Operation, the name every kind uses.
type Operation = connectors.Operation

// The operations of this connector.
const (
	// OpInvoke covers Invoke, InvokeAsync and DryRun: lambda:InvokeFunction.
	OpInvoke Operation = "Invoke"
	// OpGetFunction covers GetFunction: lambda:GetFunction.
	OpGetFunction Operation = "GetFunction"
	// OpListFunctions covers Functions: lambda:ListFunctions.
	OpListFunctions Operation = "ListFunctions"
)

// Target says where the functions live, for [Requirements].
//
// Target is a plain value, safe for concurrent reads.
type Target struct {
	// Region is the functions' region. Required.
	Region string
	// AccountID is the functions' account (the role's account). Optional;
	// default "*", any account, which IAM narrows to the role's own anyway.
	AccountID string
	// Partition is the AWS partition. Optional; default the region's
	// partition ("aws" for a region this library does not know).
	Partition string
	// Function is the function the operations act on: a name or ARN,
	// qualified ("orders:live") to grant exactly that version or alias,
	// "orders:*" for every version and alias, unqualified for the
	// unqualified function ($LATEST) only. Optional; default "" (every
	// function, "function:*").
	Function string
}

// Requirements returns the permissions ops need on t, for
// [policy.LeastPrivilege]. Lambda authorises an invocation on the ARN as
// invoked: the unqualified function ARN for unqualified calls, the version
// or alias ARN for qualified ones.
func Requirements(t Target, ops ...Operation) ([]policy.Requirement, error) {
	if t.Region == "" {
		return nil, fmt.Errorf("lambda: Requirements: %w: Target.Region is required", ErrInvalidFunction)
	}
	resource := connectors.ResourceARN(t.Partition, "lambda", t.Region, t.AccountID, "function:*")
	if t.Function != "" {
		fn := t.Function
		all := strings.HasSuffix(fn, ":*")
		fn = strings.TrimSuffix(fn, ":*")
		f, err := ParseFunction(fn)
		if err != nil {
			return nil, fmt.Errorf("lambda: Requirements: %w", err)
		}
		partition, account := t.Partition, t.AccountID
		if partition == "" {
			partition = connectors.RegionPartition(t.Region)
		}
		if account == "" {
			account = "*"
		}
		resource = f.ARN(partition, t.Region, account)
		if all {
			if f.Qualifier != "" {
				return nil, fmt.Errorf("lambda: Requirements: %w: %q has a qualifier before \":*\"", ErrInvalidFunction, t.Function)
			}
			resource += ":*"
		}
	}
	var reqs []policy.Requirement
	for _, op := range ops {
		switch op {
		case OpInvoke:
			reqs = append(reqs, policy.Requirement{Action: "lambda:InvokeFunction", Resource: resource})
		case OpGetFunction:
			reqs = append(reqs, policy.Requirement{Action: "lambda:GetFunction", Resource: resource})
		case OpListFunctions:
			reqs = append(reqs, policy.Requirement{Action: "lambda:ListFunctions"})
		default:
			return nil, fmt.Errorf("lambda: Requirements: unknown operation %s; use OpInvoke, OpGetFunction or OpListFunctions", echo.Quote(op))
		}
	}
	return reqs, nil
}
