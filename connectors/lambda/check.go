package lambda

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// Check proves the connection can reach Lambda with the permission it
// needs, through the least intrusive call: ListFunctions (one item), or
// GetFunction of the function the connector is restricted to. Nothing is
// invoked. The report holds one [connectors.StepServiceReachable] step.
func (c *Connector) Check(ctx context.Context) connectors.CheckReport {
	if c.err != nil {
		return connectors.ConfigFailure("AWS Lambda", c.err,
			"Correct the connection's function field: a function name or ARN without a qualifier.")
	}
	var rep connectors.CheckReport
	if c.restricted {
		account := c.accountID
		if account == "" {
			account = "*"
		}
		need := policy.Requirement{Action: "lambda:GetFunction", Resource: c.restrict.ARN("", c.region, account)}
		_, err := c.GetFunction(ctx, "", "")
		rep.Add(connectors.ServiceStep("AWS Lambda GetFunction "+c.restrict.Name, need, err))
		return rep
	}
	_, err := c.client.ListFunctions(ctx, &awslambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
	rep.Add(connectors.ServiceStep("AWS Lambda ListFunctions", policy.Requirement{Action: "lambda:ListFunctions"}, err))
	return rep
}
