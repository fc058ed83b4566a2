package cloudwatch_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/internal/connectortest"
)

var cwCall = connectortest.CallOn(cloudwatch.NewFromConnection)

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
	connectortest.ProveAll(t, cloudwatch.Kind, map[string]connectortest.Proof{
		"logs, no operation: the check's own permissions pass Connect": {Fields: map[string]string{cloudwatch.FieldServices: "logs", cloudwatch.FieldLogGroup: "app"},
			Order: []connectors.Operation{}, Ops: map[connectors.Operation]connectortest.Call{},
			OutsideAction: "logs:FilterLogEvents", Outside: filter},
		"metrics, no operation: the check's own permissions pass Connect": {Fields: map[string]string{cloudwatch.FieldServices: "metrics", cloudwatch.FieldNamespace: "App"},
			Order: []connectors.Operation{}, Ops: map[connectors.Operation]connectortest.Call{},
			OutsideAction: "cloudwatch:PutMetricData", Outside: putMetric},
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
	})
}

// TestKindConformance: what every kind promises, an unknown service and a
// miscased operation.
func TestKindConformance(t *testing.T) {
	connectortest.KindConformance(t, cloudwatch.Kind, connectortest.Conformance{
		New:      connectors.Constructor(cloudwatch.NewFromConnection),
		Conn:     connectors.Connection{Region: "us-east-1"},
		Misspelt: map[string]string{"service": "metrics"},
		Operations: []connectortest.OperationCase{{In: "PutMetricdata",
			Refused: &connectortest.Refusal{Contains: []string{`did you mean "PutMetricData"?`}}}},
		Refusals: []connectortest.RefusalCase{{Name: "unknown service", Fields: map[string]string{"services": "traces"},
			Requirements: &connectortest.Refusal{Contains: []string{`unknown service "traces"`}},
			New:          &connectortest.Refusal{Contains: []string{`unknown service "traces"`}}}},
	})
}
