package cloudwatch

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// PutMetricData's per-call limits (CloudWatch API reference, PutMetricData).
const (
	// MaxMetricDataPerCall is the number of MetricDatum items one call may hold.
	MaxMetricDataPerCall = 1000
	// MaxMetricPayloadBytes is the request size limit of one call (1 MB).
	MaxMetricPayloadBytes = 1 << 20
	// metricEnvelopeBytes is kept free in each call for what surrounds the
	// data (the namespace, field names, framing), so that a batch sized to
	// the budget never exceeds MaxMetricPayloadBytes on the wire.
	metricEnvelopeBytes = 4096
)

// PutMetricData publishes data to namespace (empty: Options.Namespace),
// splitting it into as many calls as CloudWatch's limits require
// (MaxMetricDataPerCall items and MaxMetricPayloadBytes per call). Every
// datum is validated before the first call, so a bad datum sends nothing.
// Calls are made in order; on an error, the calls before it have landed and
// the error says how many data were sent.
func (c *Connector) PutMetricData(ctx context.Context, namespace string, data []types.MetricDatum) error {
	ns, err := c.namespace(namespace)
	if err != nil {
		return err
	}
	for i, d := range data {
		if err := validateDatum(i, d); err != nil {
			return err
		}
	}
	sent := 0
	for _, batch := range splitMetricData(data, MaxMetricDataPerCall, MaxMetricPayloadBytes-metricEnvelopeBytes-len(ns)) {
		_, err := c.metrics.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns), MetricData: batch})
		if err != nil {
			return fmt.Errorf("cloudwatch: put metric data to %s (%d of %d data sent): %w", echo.Quote(ns), sent, len(data), err)
		}
		sent += len(batch)
	}
	return nil
}

// splitMetricData cuts data into consecutive batches of at most maxItems
// data whose estimated encoded size stays within maxBytes.
func splitMetricData(data []types.MetricDatum, maxItems, maxBytes int) [][]types.MetricDatum {
	var batches [][]types.MetricDatum
	start, size := 0, 0
	for i, d := range data {
		n := datumSize(d)
		if i > start && (i-start == maxItems || size+n > maxBytes) {
			batches = append(batches, data[start:i])
			start, size = i, 0
		}
		size += n
	}
	if start < len(data) {
		batches = append(batches, data[start:])
	}
	return batches
}

// datumSize is an upper bound of the bytes one datum takes in the request
// the SDK sends (Smithy RPCv2 CBOR, where a string costs its length plus at
// most 9 bytes of header and a number at most 9): each field counts its
// name, its value at its longest textual form (24 bytes for a float, 32 for
// a timestamp) and 48 bytes of framing. TestPutMetricDataBatchesFitOnTheWire
// measures it against the wire. It would not bound the old awsQuery
// protocol, whose percent-encoding can triple a string; the SDK no longer
// speaks it to CloudWatch. The bound is loose on purpose: a batch cut a
// little early costs one extra call, one cut late fails.
func datumSize(d types.MetricDatum) int {
	const field, float, stamp = 48, 24, 32
	n := field + len(deref(d.MetricName))
	for _, dim := range d.Dimensions {
		n += 2*field + len(deref(dim.Name)) + len(deref(dim.Value))
	}
	if d.Value != nil {
		n += field + float
	}
	if d.Timestamp != nil {
		n += field + stamp
	}
	if d.Unit != "" {
		n += field + len(d.Unit)
	}
	if d.StorageResolution != nil {
		n += field + float
	}
	if d.StatisticValues != nil {
		n += 5*field + 4*float
	}
	n += (len(d.Values) + len(d.Counts)) * (field + float)
	return n
}

// Query is a shorthand for one statistic of one metric in GetMetricData.
//
// Query is a plain value, safe for concurrent reads.
type Query struct {
	// ID names the query's result: a lower-case letter, then letters,
	// digits and '_'. Required.
	ID string
	// Namespace is the metric's namespace. Default Options.Namespace.
	// Optional.
	Namespace string
	// MetricName is the metric. Required.
	MetricName string
	// Dimensions are the metric's dimensions, name to value; a metric is
	// matched only with all of them. Optional.
	Dimensions map[string]string
	// Stat is the statistic: "Average", "Sum", "Minimum", "Maximum",
	// "SampleCount" or a percentile such as "p99". Required.
	Stat string
	// Period is the length of each returned data point: a multiple of 60s,
	// or 1, 5, 10, 20 or 30s for high-resolution metrics. Required.
	Period time.Duration
	// Unit keeps only data points put with this unit. Default "" (any).
	// Optional.
	Unit types.StandardUnit
}

// GetMetricData returns the values of queries between start and end, oldest
// first, following NextToken until every page is read and merging the pages
// of each result (CloudWatch splits long series across pages by query ID).
func (c *Connector) GetMetricData(ctx context.Context, start, end time.Time, queries ...Query) ([]types.MetricDataResult, error) {
	if !start.Before(end) {
		return nil, fmt.Errorf("%w: start %v is not before end %v", ErrInvalidInput, start, end)
	}
	if len(queries) == 0 {
		return nil, fmt.Errorf("%w: no queries", ErrInvalidInput)
	}
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end), ScanBy: types.ScanByTimestampAscending}
	if c.opts.MaxDatapoints > 0 {
		in.MaxDatapoints = aws.Int32(int32(c.opts.MaxDatapoints))
	}
	for i, q := range queries {
		ns, err := c.namespace(q.Namespace)
		if err != nil {
			return nil, fmt.Errorf("queries[%d]: %w", i, err)
		}
		if q.ID == "" || q.MetricName == "" || q.Stat == "" {
			return nil, fmt.Errorf("%w: queries[%d]: ID, MetricName and Stat are required", ErrInvalidInput, i)
		}
		if !validPeriod(q.Period) {
			return nil, fmt.Errorf("%w: queries[%d]: Period %v must be 1, 5, 10, 20 or 30 seconds (high-resolution metrics) or a multiple of a minute", ErrInvalidInput, i, q.Period)
		}
		m := &types.Metric{Namespace: aws.String(ns), MetricName: aws.String(q.MetricName)}
		for _, k := range sortedKeys(q.Dimensions) {
			m.Dimensions = append(m.Dimensions, types.Dimension{Name: aws.String(k), Value: aws.String(q.Dimensions[k])})
		}
		in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{
			Id: aws.String(q.ID),
			MetricStat: &types.MetricStat{
				Metric: m,
				Stat:   aws.String(q.Stat),
				Period: aws.Int32(int32(q.Period / time.Second)),
				Unit:   q.Unit,
			},
			ReturnData: aws.Bool(true),
		})
	}
	var results []types.MetricDataResult
	index := map[string]int{}
	p := cloudwatch.NewGetMetricDataPaginator(c.metrics, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("cloudwatch: get metric data: %w", err)
		}
		for _, r := range page.MetricDataResults {
			id := deref(r.Id)
			if j, ok := index[id]; ok {
				results[j].Timestamps = append(results[j].Timestamps, r.Timestamps...)
				results[j].Values = append(results[j].Values, r.Values...)
				results[j].StatusCode = r.StatusCode
				continue
			}
			index[id] = len(results)
			results = append(results, r)
		}
	}
	return results, nil
}

// validPeriod is CloudWatch's rule for a query period.
func validPeriod(p time.Duration) bool {
	switch p {
	case time.Second, 5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second:
		return true
	}
	return p >= time.Minute && p%time.Minute == 0
}

// ListMetrics iterates over the metrics of namespace (empty: Options.Namespace,
// or every namespace when the connector is not restricted), optionally of one
// metric name, page by page. The iteration stops at the first error.
func (c *Connector) ListMetrics(ctx context.Context, namespace, metricName string) iter.Seq2[types.Metric, error] {
	return func(yield func(types.Metric, error) bool) {
		in := &cloudwatch.ListMetricsInput{}
		if namespace != "" || c.opts.Namespace != "" || c.err != nil {
			ns, err := c.namespace(namespace)
			if err != nil {
				yield(types.Metric{}, err)
				return
			}
			in.Namespace = aws.String(ns)
		}
		if metricName != "" {
			in.MetricName = aws.String(metricName)
		}
		p := cloudwatch.NewListMetricsPaginator(c.metrics, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(types.Metric{}, fmt.Errorf("cloudwatch: list metrics: %w", err))
				return
			}
			for _, m := range page.Metrics {
				if !yield(m, nil) {
					return
				}
			}
		}
	}
}
