package cloudwatch

import (
	"context"
	"strings"

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

// KindName is the connector kind this package registers.
const KindName = "cloudwatch"

// The connection fields of the CloudWatch kind.
const (
	FieldServices  = "services"
	FieldNamespace = "namespace"
	FieldLogGroup  = "log_group"
)

// parseServices reads the services field: "metrics", "logs" or both,
// comma-separated; empty means both.
func parseServices(v string) (Services, error) {
	var s Services
	for _, part := range strings.Split(v, ",") {
		switch strings.TrimSpace(strings.ToLower(part)) {
		case "metrics":
			s |= Metrics
		case "logs":
			s |= Logs
		case "":
		default:
			return 0, errInvalidServices(part)
		}
	}
	return s, nil
}

type errInvalidServices string

func (e errInvalidServices) Error() string {
	return "unknown service " + `"` + string(e) + `"` + `; use "metrics", "logs" or "metrics,logs"`
}

func init() {
	connectors.Register(connectors.Kind{
		Name:  KindName,
		Title: "Amazon CloudWatch",
		Fields: []connectors.Field{
			{Key: FieldServices, Label: "Services", Hint: `Optional: "metrics", "logs" or "metrics,logs" (the default): what the connection uses and Connect checks.`,
				Validate: func(v string) error { _, err := parseServices(v); return err }},
			{Key: FieldNamespace, Label: "Metric namespace", Hint: "Optional: restrict metrics to one namespace, the unit IAM scopes PutMetricData by.", Validate: validateNamespace},
			{Key: FieldLogGroup, Label: "Log group", Hint: "Optional: restrict logs to one log group.", Validate: validateLogGroup},
		},
		New: func(cfg aws.Config, conn connectors.Connection) (connectors.Checker, error) {
			services, err := parseServices(conn.Fields[FieldServices])
			if err != nil {
				return nil, err
			}
			c := New(cfg, func(o *Options) {
				o.Services = services
				o.Namespace = conn.Fields[FieldNamespace]
				o.LogGroup = conn.Fields[FieldLogGroup]
				o.AccountID = conn.RoleAccountID()
			})
			if c.err != nil {
				return nil, c.err
			}
			return c, nil
		},
	})
}
