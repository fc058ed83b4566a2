package cloudwatch_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
)

// TestConcurrentUse shares one Connector across goroutines putting metrics
// and log events at once, as its doc allows; run with -race.
func TestConcurrentUse(t *testing.T) {
	e, c := logsEnv(t)
	const n = 8
	errs := make([]error, 2*n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = c.PutMetricData(context.Background(), "App", []types.MetricDatum{{MetricName: aws.String("Hits"), Value: aws.Float64(float64(i))}})
		})
		wg.Go(func() {
			_, errs[n+i] = c.PutLogEvents(context.Background(), "app", "web", []cloudwatch.LogEvent{{Time: time.Now(), Message: fmt.Sprint("event ", i)}})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, e.Customer.LogEvents("app", "web"), n)
	require.Len(t, e.Customer.Metrics("App"), n)
}
