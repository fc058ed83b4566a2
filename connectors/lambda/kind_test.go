package lambda_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

func lambdaCall(f func(ctx context.Context, c *lambda.Connector) error) connectortest.Call {
	return func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error {
		c, err := lambda.NewFromConnection(cfg, conn)
		if err != nil {
			return err
		}
		return f(ctx, c)
	}
}

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
	for name, p := range map[string]connectortest.Proof{
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
	} {
		t.Run(name, func(t *testing.T) {
			p.Kind = lambda.Kind
			connectortest.Prove(t, p)
		})
	}
}

func TestKindAPIBadInput(t *testing.T) {
	conn := connectors.Connection{Kind: lambda.KindName, Region: "us-east-1", Fields: map[string]string{"functon": "orders"}}
	_, err := lambda.Kind.Requirements(conn, nil)
	require.ErrorIs(t, err, connectors.ErrUnknownField)
	require.ErrorContains(t, err, `its fields are "function"`)
	_, err = lambda.NewFromConnection(aws.Config{}, conn)
	require.ErrorIs(t, err, connectors.ErrUnknownField)
	_, err = lambda.Kind.ParseOperation("invoke")
	require.ErrorContains(t, err, `did you mean "Invoke"?`)
	conn.Fields = map[string]string{"function": "orders:live"}
	_, err = lambda.NewFromConnection(aws.Config{}, conn)
	require.ErrorIs(t, err, lambda.ErrInvalidFunction)
}

// TestImportRegistersOnlylambda: importing this connector registers its kind
// and no other.
func TestImportRegistersOnlylambda(t *testing.T) {
	require.Equal(t, []string{lambda.KindName}, connectors.DefaultRegistry.Names())
}
