package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestLambdaInvoke runs the demo and checks the story it tells.
func TestLambdaInvoke(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, want := range []string{
		`"Resource": "arn:aws:lambda:us-east-1:444455556666:function:orders:live"`,
		`"cloudwatch:namespace": "Shop"`,
		`"Resource": "arn:aws:ses:us-east-1:444455556666:identity/shop.example"`,
		"[passed] AWS Lambda GetFunction orders",
		"[passed] Amazon SES GetAccount",
		"[passed] Amazon CloudWatch ListMetrics",
		"[passed] Amazon CloudWatch Logs DescribeLogGroups",
		`response (version 1): {"id":"o-1001","status":"accepted","shipment":"SHP-1001"}`,
		"log tail: accepted order o-1001 for 42.50",
		`*lambda.FunctionError{Type: "errorString", Message: "order o-1002: total must be positive, got 0.00"}`,
		"the function ran 3 times in all",
		`to [ann@customer.example]: "Order o-1001 accepted"`,
		`ses: invalid email address: To[0]: "ann@"`,
		"sum over the last hour: [52.4]",
		"log events accepted: 2 in 1 call(s)",
		"  order o-1001 accepted, shipment SHP-1001\n   " + "  order o-1001 confirmation emailed",
		"[failed] AWS Lambda Invoke billing",
		`"Resource": "arn:aws:lambda:us-east-1:444455556666:function:billing"`,
		"done: 23 requests served by the local AWS",
	} {
		require.Contains(t, out.String(), want)
	}
}
