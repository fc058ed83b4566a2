package lambda_test

import (
	"context"
	"testing"

	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

var lambdaCall = connectortest.CallOn(lambda.NewFromConnection)

// TestRequirementsPassTheirOwnCheck: the generated policy passes Connect,
// runs each chosen operation (unqualified and through an alias) and denies
// one outside them.
func TestRequirementsPassTheirOwnCheck(t *testing.T) {
	setup := func(a *localaws.Account) error {
		if _, err := a.CreateFunction("orders", func() (string, error) { return "ok", nil }); err != nil {
			return err
		}
		v, err := a.PublishVersion("orders")
		if err != nil {
			return err
		}
		return a.CreateAlias("orders", "live", v)
	}
	invoke := lambdaCall(func(ctx context.Context, c *lambda.Connector) error {
		if _, err := c.Invoke(ctx, "", []byte(`{}`), lambda.InvokeOptions{}); err != nil {
			return err
		}
		_, err := c.Invoke(ctx, "", []byte(`{}`), lambda.InvokeOptions{Qualifier: "live"})
		return err
	})
	get := lambdaCall(func(ctx context.Context, c *lambda.Connector) error {
		_, err := c.GetFunction(ctx, "", "live")
		return err
	})
	list := lambdaCall(func(ctx context.Context, c *lambda.Connector) error {
		for _, err := range c.Functions(ctx) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	connectortest.ProveAll(t, lambda.Kind, map[string]connectortest.Proof{
		"restricted, no operation: the check's own permissions pass Connect": {Fields: map[string]string{lambda.FieldFunction: "orders"}, Setup: setup,
			Order: []connectors.Operation{}, Ops: map[connectors.Operation]connectortest.Call{},
			OutsideAction: "lambda:InvokeFunction", Outside: invoke},
		"restricted to a function": {Fields: map[string]string{lambda.FieldFunction: "orders"}, Setup: setup,
			Order: []connectors.Operation{lambda.OpInvoke}, Ops: map[connectors.Operation]connectortest.Call{lambda.OpInvoke: invoke},
			OutsideAction: "lambda:ListFunctions", Outside: lambdaCall(func(ctx context.Context, c *lambda.Connector) error {
				// A restricted connector lists only its function, so the
				// listing goes through the SDK client.
				_, err := c.Client().ListFunctions(ctx, &awslambda.ListFunctionsInput{})
				return err
			})},
		"every function": {Setup: setup,
			Order: []connectors.Operation{lambda.OpListFunctions, lambda.OpGetFunction},
			Ops: map[connectors.Operation]connectortest.Call{lambda.OpListFunctions: list, lambda.OpGetFunction: lambdaCall(func(ctx context.Context, c *lambda.Connector) error {
				_, err := c.GetFunction(ctx, "orders", "live")
				return err
			})},
			OutsideAction: "lambda:InvokeFunction", Outside: lambdaCall(func(ctx context.Context, c *lambda.Connector) error {
				_, err := c.Invoke(ctx, "orders", []byte(`{}`), lambda.InvokeOptions{})
				return err
			})},
		"restricted, read only": {Fields: map[string]string{lambda.FieldFunction: "orders"}, Setup: setup,
			Order: []connectors.Operation{lambda.OpGetFunction}, Ops: map[connectors.Operation]connectortest.Call{lambda.OpGetFunction: get},
			OutsideAction: "lambda:InvokeFunction", Outside: invoke},
	})
}

// TestKindConformance: what every kind promises, the misspelt "functon"
// field, a miscased operation and a qualified function.
func TestKindConformance(t *testing.T) {
	connectortest.KindConformance(t, lambda.Kind, connectortest.Conformance{
		New:        connectors.Constructor(lambda.NewFromConnection),
		Conn:       connectors.Connection{Region: "us-east-1"},
		Misspelt:   map[string]string{"functon": "orders"},
		Operations: []connectortest.OperationCase{{In: "invoke", Refused: &connectortest.Refusal{Contains: []string{`did you mean "Invoke"?`}}}},
		Refusals: []connectortest.RefusalCase{{Name: "qualified function", Fields: map[string]string{"function": "orders:live"},
			New: &connectortest.Refusal{Is: lambda.ErrInvalidFunction}}},
	})
}
