package lambda

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// KindName is the connector kind this package registers.
const KindName = "lambda"

// FieldFunction is the connection field that restricts the connection to
// one function.
const FieldFunction = "function"

// Kind is the AWS Lambda connector kind: its form fields, operations and
// permissions. Importing this package registers it (and only it) into
// connectors.DefaultRegistry; a platform with its own registry registers
// it there. It must not be modified.
var Kind = connectors.Kind{
	Name:        KindName,
	Title:       "AWS Lambda",
	Fields:      kindFields,
	Operations:  kindOperations,
	Permissions: permissions,
	New:         connectors.Constructor(NewFromConnection),
}

var kindFields = []connectors.Field{{
	Key:   FieldFunction,
	Label: "Function",
	Hint:  "Optional: restrict the connection to one function (name or ARN, without version or alias); leave empty to reach every function the role allows.",
	Validate: func(v string) error {
		f, err := ParseFunction(v)
		if err == nil && f.Qualifier != "" {
			err = fmt.Errorf("give the function without a qualifier; versions and aliases are chosen per call")
		}
		return err
	},
}}

var kindOperations = []connectors.OperationInfo{
	{Name: OpInvoke, Title: "Invoke functions", Actions: []string{"lambda:InvokeFunction"}},
	{Name: OpGetFunction, Title: "Read function configuration", Actions: []string{"lambda:GetFunction"}},
	{Name: OpListFunctions, Title: "List functions", Actions: []string{"lambda:ListFunctions"}},
}

func init() { connectors.Register(Kind) }

// permissions is Kind.Permissions. A connection restricted to a function
// may invoke or read it unqualified or through any version or alias, so
// both the function's ARN and its qualified ARNs are granted; Check needs
// lambda:GetFunction on the function, or lambda:ListFunctions when the
// connection reaches every function.
func permissions(c connectors.Connection, ops []connectors.Operation) ([]policy.Requirement, error) {
	t := Target{Region: c.Region, AccountID: c.RoleAccountID(), Partition: c.Partition(), Function: c.Fields[FieldFunction]}
	check := OpListFunctions
	if t.Function != "" {
		check = OpGetFunction
	}
	reqs, err := Requirements(t, append(append([]Operation(nil), ops...), check)...)
	if err != nil || t.Function == "" {
		return reqs, err
	}
	t.Function += ":*"
	var qualified []Operation
	for _, op := range ops {
		if op == OpInvoke || op == OpGetFunction {
			qualified = append(qualified, op)
		}
	}
	more, err := Requirements(t, qualified...)
	return append(reqs, more...), err
}

// NewFromConnection returns the Connector for a connection of kind
// "lambda" whose aws.Config is cfg (from connectors.Resolver.Config),
// restricted to the connection's function field in the role's account;
// optFns adjust the other Options. A connection of another kind, with a
// field the kind does not have or an invalid function is refused.
func NewFromConnection(cfg aws.Config, conn connectors.Connection, optFns ...func(*Options)) (*Connector, error) {
	if err := (connectors.Kind{Name: KindName, Fields: kindFields}).CheckConnection(conn); err != nil {
		return nil, err
	}
	fns := append([]func(*Options){func(o *Options) {
		o.Function = conn.Fields[FieldFunction]
		o.AccountID = conn.RoleAccountID()
	}}, optFns...)
	c := New(cfg, fns...)
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}
