package lambda

import (
	"context"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Functions iterates over the functions of the connection's region, page by
// page (ListFunctions with Marker). The iteration stops at the first error,
// which is yielded with a zero FunctionConfiguration. A restricted connector
// yields only its function, read with GetFunction, since its role is not
// expected to hold lambda:ListFunctions.
func (c *Connector) Functions(ctx context.Context) iter.Seq2[types.FunctionConfiguration, error] {
	return func(yield func(types.FunctionConfiguration, error) bool) {
		if c.err != nil {
			yield(types.FunctionConfiguration{}, c.err)
			return
		}
		if c.restricted {
			out, err := c.GetFunction(ctx, "", "")
			if err != nil {
				yield(types.FunctionConfiguration{}, err)
				return
			}
			yield(*out.Configuration, nil)
			return
		}
		p := awslambda.NewListFunctionsPaginator(c.client, &awslambda.ListFunctionsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(types.FunctionConfiguration{}, fmt.Errorf("lambda: list functions: %w", err))
				return
			}
			for _, fc := range page.Functions {
				if !yield(fc, nil) {
					return
				}
			}
		}
	}
}

// GetFunction returns a function's configuration and code location; the
// qualifier selects a version or alias. An empty function means the
// function the connector is restricted to.
func (c *Connector) GetFunction(ctx context.Context, function, qualifier string) (*awslambda.GetFunctionOutput, error) {
	f, err := c.resolve(function, qualifier)
	if err != nil {
		return nil, err
	}
	name, q := apiName(f)
	out, err := c.client.GetFunction(ctx, &awslambda.GetFunctionInput{FunctionName: aws.String(name), Qualifier: q})
	if err != nil {
		return nil, fmt.Errorf("lambda: get function %s: %w", f, err)
	}
	if out.Configuration == nil {
		return nil, fmt.Errorf("lambda: get function %s: the response has no configuration", f)
	}
	return out, nil
}
