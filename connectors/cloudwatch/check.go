package cloudwatch

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// Check proves the services the connection uses (Options.Services) with
// read-only calls: ListMetrics (in the restricted namespace, if any) for
// metrics, DescribeLogGroups (with the restricted group as prefix, if any)
// for logs. Each gives one [connectors.StepServiceReachable] step.
func (c *Connector) Check(ctx context.Context) connectors.CheckReport {
	if c.err != nil {
		return connectors.ConfigFailure("Amazon CloudWatch", c.err,
			"Correct the connection's namespace or log group field.")
	}
	var rep connectors.CheckReport
	if c.opts.Services&Metrics != 0 {
		in := &cloudwatch.ListMetricsInput{}
		if c.opts.Namespace != "" {
			in.Namespace = aws.String(c.opts.Namespace)
		}
		_, err := c.metrics.ListMetrics(ctx, in)
		rep.Add(connectors.ServiceStep("Amazon CloudWatch ListMetrics", policy.Requirement{Action: "cloudwatch:ListMetrics"}, err))
	}
	if c.opts.Services&Logs != 0 {
		in := &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(1)}
		if c.opts.LogGroup != "" {
			in.LogGroupNamePrefix = aws.String(c.opts.LogGroup)
		}
		_, err := c.logs.DescribeLogGroups(ctx, in)
		rep.Add(connectors.ServiceStep("Amazon CloudWatch Logs DescribeLogGroups", policy.Requirement{Action: "logs:DescribeLogGroups"}, err))
	}
	return rep
}
