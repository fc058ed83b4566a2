package cloudwatch_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/internal/connectortest"
)

// bodySizes records the size of every PutMetricData request body sent.
type bodySizes struct {
	next aws.HTTPClient
	mu   sync.Mutex // guards sizes
	// sizes are the Content-Length of each PutMetricData request.
	sizes []int64
}

func (b *bodySizes) Do(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/PutMetricData") {
		b.mu.Lock()
		b.sizes = append(b.sizes, r.ContentLength)
		b.mu.Unlock()
	}
	return b.next.Do(r)
}

// TestPutMetricDataBatchesFitOnTheWire: the size estimate that cuts batches
// is an upper bound of what the SDK really sends. The largest data
// CloudWatch accepts (30 dimensions with 255-character names and
// 1,024-character values, a statistic set, a unit, a timestamp), sent
// uncompressed, make requests of at most MaxMetricPayloadBytes each, and
// every datum lands.
func TestPutMetricDataBatchesFitOnTheWire(t *testing.T) {
	e := connectortest.New(t, cloudwatch.KindName, connectortest.WithPermissions(allPerms(t, "App", "app")...))
	cfg := e.Config(t)
	rec := &bodySizes{next: cfg.HTTPClient}
	cfg.HTTPClient = rec
	c := cloudwatch.New(cfg, func(o *cloudwatch.Options) {
		o.MetricsOptions = append(o.MetricsOptions, func(m *awscw.Options) { m.DisableRequestCompression = true })
	})

	now := time.Now().UTC().Truncate(time.Second)
	data := make([]types.MetricDatum, 60)
	for i := range data {
		d := types.MetricDatum{MetricName: aws.String(fmt.Sprintf("m%03d", i)), Timestamp: aws.Time(now), Unit: types.StandardUnitKilobytesSecond,
			StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(3), Sum: aws.Float64(1.5e300), Minimum: aws.Float64(-1.25e-300), Maximum: aws.Float64(1.5e300)}}
		for j := range 30 {
			d.Dimensions = append(d.Dimensions, types.Dimension{
				Name:  aws.String(fmt.Sprintf("%03d", j) + strings.Repeat(`"/\`, 84)),
				Value: aws.String(strings.Repeat(`"/\ `, 256)),
			})
		}
		data[i] = d
	}
	require.NoError(t, c.PutMetricData(context.Background(), "App", data))

	require.Greater(t, len(rec.sizes), 1, "the data exceed one request")
	for i, n := range rec.sizes {
		require.Positive(t, n)
		require.LessOrEqual(t, n, int64(cloudwatch.MaxMetricPayloadBytes), "request %d", i)
	}
	require.Len(t, e.Customer.Metrics("App"), len(data))
}
