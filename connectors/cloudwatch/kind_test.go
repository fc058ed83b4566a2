package cloudwatch_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/internal/connectortest"
)

func cwCall(f func(ctx context.Context, c *cloudwatch.Connector) error) connectortest.Call {
	return func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error {
		c, err := cloudwatch.NewFromConnection(cfg, conn)
		if err != nil {
			return err
		}
		return f(ctx, c)
	}
}

// TestRequirementsPassTheirOwnCheck: the generated policy passes Connect
// (ListMetrics and DescribeLogGroups for the services used), runs each
// chosen operation and denies one outside them.
func TestRequirementsPassTheirOwnCheck(t *testing.T) {
	putMetric := cwCall(func(ctx context.Context, c *cloudwatch.Connector) error {
		return c.PutMetricData(ctx, "", []types.MetricDatum{{MetricName: aws.String("orders"), Value: aws.Float64(1)}})
	})
	createGroup := cwCall(func(ctx context.Context, c *cloudwatch.Connector) error { return c.CreateLogGroup(ctx, "") })
	createStream := cwCall(func(ctx context.Context, c *cloudwatch.Connector) error { return c.CreateLogStream(ctx, "", "s1") })
	putEvents := cwCall(func(ctx context.Context, c *cloudwatch.Connector) error {
		_, err := c.PutLogEvents(ctx, "", "s1", []cloudwatch.LogEvent{{Time: time.Now(), Message: "hello"}})
		return err
	})
	filter := cwCall(func(ctx context.Context, c *cloudwatch.Connector) error {
		for _, err := range c.FilterLogEvents(ctx, "", cloudwatch.Filter{}) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	for name, p := range map[string]connectortest.Proof{
		"metrics in a namespace": {Fields: map[string]string{cloudwatch.FieldServices: "metrics", cloudwatch.FieldNamespace: "App"},
			Order: []connectors.Operation{cloudwatch.OpPutMetricData}, Ops: map[connectors.Operation]connectortest.Call{cloudwatch.OpPutMetricData: putMetric},
			OutsideAction: "cloudwatch:GetMetricData", Outside: cwCall(func(ctx context.Context, c *cloudwatch.Connector) error {
				_, err := c.GetMetricData(ctx, time.Now().Add(-time.Hour), time.Now(), cloudwatch.Query{ID: "q", Namespace: "App", MetricName: "orders", Stat: "Sum", Period: time.Minute})
				return err
			})},
		"logs in a group": {Fields: map[string]string{cloudwatch.FieldServices: "logs", cloudwatch.FieldLogGroup: "app"},
			Order: []connectors.Operation{cloudwatch.OpCreateLogGroup, cloudwatch.OpCreateLogStream, cloudwatch.OpPutLogEvents},
			Ops: map[connectors.Operation]connectortest.Call{cloudwatch.OpCreateLogGroup: createGroup,
				cloudwatch.OpCreateLogStream: createStream, cloudwatch.OpPutLogEvents: putEvents},
			OutsideAction: "logs:FilterLogEvents", Outside: filter},
	} {
		t.Run(name, func(t *testing.T) {
			p.Kind = cloudwatch.Kind
			connectortest.Prove(t, p)
		})
	}
}

func TestKindAPIBadInput(t *testing.T) {
	conn := connectors.Connection{Kind: cloudwatch.KindName, Region: "us-east-1", Fields: map[string]string{"services": "traces"}}
	_, err := cloudwatch.Kind.Requirements(conn, nil)
	require.ErrorContains(t, err, `unknown service "traces"`)
	_, err = cloudwatch.NewFromConnection(aws.Config{}, conn)
	require.ErrorContains(t, err, `unknown service "traces"`)
	_, err = cloudwatch.Kind.ParseOperation("PutMetricdata")
	require.ErrorContains(t, err, `did you mean "PutMetricData"?`)
}

// TestImportRegistersOnlycloudwatch: importing this connector registers its kind
// and no other.
func TestImportRegistersOnlycloudwatch(t *testing.T) {
	require.Equal(t, []string{cloudwatch.KindName}, connectors.DefaultRegistry.Names())
}
