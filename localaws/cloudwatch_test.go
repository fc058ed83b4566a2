package localaws

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	smithycbor "github.com/aws/smithy-go/encoding/cbor"
	"github.com/stretchr/testify/require"
)

var allMetrics = grants{"cloudwatch:PutMetricData": {"*"}, "cloudwatch:GetMetricData": {"*"}, "cloudwatch:ListMetrics": {"*"}}

func cwFixture(t *testing.T, g grants) (*Server, *cloudwatch.Client, time.Time) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Minute)
	s, cfg := svcServer(t, g, func(o *Options) { o.Now = func() time.Time { return now } })
	return s, cloudwatch.NewFromConfig(cfg), now
}

func dim(name, value string) types.Dimension {
	return types.Dimension{Name: aws.String(name), Value: aws.String(value)}
}

func TestCloudWatchPutAndGetMetricData(t *testing.T) {
	s, client, now := cwFixture(t, allMetrics)
	ctx := context.Background()
	t0 := now.Add(-10 * time.Minute)
	_, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("App/Orders"),
		MetricData: []types.MetricDatum{
			{MetricName: aws.String("Latency"), Dimensions: []types.Dimension{dim("Service", "api"), dim("Env", "prod")}, Timestamp: aws.Time(t0), Value: aws.Float64(100), Unit: types.StandardUnitMilliseconds},
			{MetricName: aws.String("Latency"), Dimensions: []types.Dimension{dim("Env", "prod"), dim("Service", "api")}, Timestamp: aws.Time(t0.Add(10 * time.Second)), Values: []float64{200, 400}, Counts: []float64{1, 2}},
			{MetricName: aws.String("Latency"), Dimensions: []types.Dimension{dim("Service", "api"), dim("Env", "prod")}, Timestamp: aws.Time(t0.Add(5 * time.Minute)),
				StatisticValues: &types.StatisticSet{Sum: aws.Float64(30), SampleCount: aws.Float64(3), Minimum: aws.Float64(5), Maximum: aws.Float64(15)}},
			{MetricName: aws.String("Orders"), Timestamp: aws.Time(t0), Value: aws.Float64(1)},
		},
	})
	require.NoError(t, err)
	stored := s.Platform().Metrics("App/Orders")
	require.Len(t, stored, 4)
	require.Equal(t, map[string]string{"Env": "prod", "Service": "api"}, stored[0].Dimensions)
	require.Equal(t, "Milliseconds", stored[0].Unit)
	require.True(t, stored[2].StatisticSet)

	metric := &types.Metric{Namespace: aws.String("App/Orders"), MetricName: aws.String("Latency"), Dimensions: []types.Dimension{dim("Service", "api"), dim("Env", "prod")}}
	var queries []types.MetricDataQuery
	for _, stat := range []string{"Sum", "Average", "Minimum", "Maximum", "SampleCount", "p50"} {
		queries = append(queries, types.MetricDataQuery{Id: aws.String(strings.ToLower(stat)), MetricStat: &types.MetricStat{Metric: metric, Period: aws.Int32(60), Stat: aws.String(stat)}})
	}
	out, err := client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(t0.Add(-time.Minute)), EndTime: aws.Time(now), MetricDataQueries: queries, ScanBy: types.ScanByTimestampAscending})
	require.NoError(t, err)
	require.Len(t, out.MetricDataResults, 6)
	want := map[string][]float64{
		"sum":         {1100, 30},
		"average":     {1100.0 / 4, 10},
		"minimum":     {100, 5},
		"maximum":     {400, 15},
		"samplecount": {4, 3},
		"p50":         {200}, // nearest rank of 100, 200, 400, 400; the statistic set has no raw values
	}
	for _, r := range out.MetricDataResults {
		id := aws.ToString(r.Id)
		require.Equal(t, want[id], r.Values, id)
		require.Equal(t, types.StatusCodeComplete, r.StatusCode)
		require.Equal(t, "Latency", aws.ToString(r.Label))
		if id == "sum" {
			require.Equal(t, []time.Time{t0.Truncate(time.Minute), t0.Add(5 * time.Minute).Truncate(time.Minute)}, utc(r.Timestamps))
		}
	}

	out, err = client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(t0.Add(-time.Minute)), EndTime: aws.Time(now), MetricDataQueries: queries[:1]})
	require.NoError(t, err)
	require.Equal(t, []float64{30, 1100}, out.MetricDataResults[0].Values, "newest first by default")
}

func utc(ts []time.Time) []time.Time {
	out := make([]time.Time, len(ts))
	for i, t := range ts {
		out[i] = t.UTC()
	}
	return out
}

func TestCloudWatchGetMetricDataPages(t *testing.T) {
	_, client, now := cwFixture(t, allMetrics)
	ctx := context.Background()
	var data []types.MetricDatum
	for i := range 5 {
		data = append(data, types.MetricDatum{MetricName: aws.String("Hits"), Timestamp: aws.Time(now.Add(-time.Duration(i+1) * time.Minute)), Value: aws.Float64(float64(i))})
	}
	_, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: data})
	require.NoError(t, err)
	q := func(id string) types.MetricDataQuery {
		return types.MetricDataQuery{Id: aws.String(id), MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("App"), MetricName: aws.String("Hits")}, Period: aws.Int32(60), Stat: aws.String("Sum")}}
	}
	p := cloudwatch.NewGetMetricDataPaginator(client, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{q("a"), q("b")}, MaxDatapoints: aws.Int32(3), ScanBy: types.ScanByTimestampAscending})
	points := map[string][]float64{}
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, r := range page.MetricDataResults {
			points[aws.ToString(r.Id)] = append(points[aws.ToString(r.Id)], r.Values...)
		}
	}
	require.Equal(t, 4, pages, "10 points, 3 per page")
	require.Equal(t, []float64{4, 3, 2, 1, 0}, points["a"])
	require.Equal(t, []float64{4, 3, 2, 1, 0}, points["b"])
}

func TestCloudWatchPutMetricDataRules(t *testing.T) {
	_, _, now := cwFixture(t, allMetrics)
	many := make([]types.MetricDatum, 1001)
	for i := range many {
		many[i] = types.MetricDatum{MetricName: aws.String("m"), Value: aws.Float64(1)}
	}
	dims := make([]types.Dimension, 31)
	for i := range dims {
		dims[i] = dim(fmt.Sprintf("d%d", i), "v")
	}
	big := make([]types.MetricDatum, 40)
	for i := range big {
		big[i] = types.MetricDatum{MetricName: aws.String("m"), Value: aws.Float64(1), Dimensions: make([]types.Dimension, 30)}
		for j := range big[i].Dimensions {
			big[i].Dimensions[j] = dim(fmt.Sprintf("d%d", j), strings.Repeat("v", 1024))
		}
	}
	tests := []struct {
		name, ns  string
		data      []types.MetricDatum
		code      string
		mentions  string
		queryCode bool
	}{
		{"1001 data", "App", many, "InvalidParameterValue", "must not have a size greater than 1000", true},
		{"31 dimensions", "App", []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1), Dimensions: dims}}, "InvalidParameterValue", "MetricData.member.1.Dimensions must not have a size greater than 30", true},
		{"AWS namespace", "AWS/EC2", many[:1], "InvalidParameterValue", "Namespace", true},
		{"too old", "App", []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1), Timestamp: aws.Time(now.Add(-15 * 24 * time.Hour))}}, "InvalidParameterValue", "two weeks", true},
		{"too new", "App", []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1), Timestamp: aws.Time(now.Add(3 * time.Hour))}}, "InvalidParameterValue", "two hours", true},
		{"value and values", "App", []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1), Values: []float64{1}}}, "InvalidParameterCombination", "mutually exclusive", true},
		{"counts mismatch", "App", []types.MetricDatum{{MetricName: aws.String("m"), Values: []float64{1, 2}, Counts: []float64{1}}}, "InvalidParameterValue", "same size", true},
		{"151 values", "App", []types.MetricDatum{{MetricName: aws.String("m"), Values: make([]float64, 151)}}, "InvalidParameterValue", "150", true},
		{"over 1 MB", "App", big, "RequestEntityTooLarge", "exceeded 1048576 bytes", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, client, _ := cwFixture(t, allMetrics)
			_, err := client.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String(tt.ns), MetricData: tt.data})
			ae := requireAPIError(t, err, tt.code)
			require.Contains(t, ae.ErrorMessage(), tt.mentions)
			if tt.code == "InvalidParameterValue" {
				var typed *types.InvalidParameterValueException
				require.True(t, errors.As(err, &typed), "the SDK decodes the modelled exception: %T", err)
			}
			require.Empty(t, s.Platform().Metrics(tt.ns), "a rejected call stores nothing")
		})
	}
}

func TestCloudWatchListMetrics(t *testing.T) {
	_, client, _ := cwFixture(t, allMetrics)
	ctx := context.Background()
	var data []types.MetricDatum
	for i := range 600 {
		data = append(data, types.MetricDatum{MetricName: aws.String(fmt.Sprintf("m%03d", i)), Dimensions: []types.Dimension{dim("Shard", fmt.Sprint(i%2))}, Value: aws.Float64(1)})
	}
	_, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Big"), MetricData: data[:500]})
	require.NoError(t, err)
	_, err = client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Big"), MetricData: data[500:]})
	require.NoError(t, err)
	_, err = client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Small"), MetricData: data[:1]})
	require.NoError(t, err)

	count, pages := 0, 0
	p := cloudwatch.NewListMetricsPaginator(client, &cloudwatch.ListMetricsInput{Namespace: aws.String("Big")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		count += len(page.Metrics)
	}
	require.Equal(t, 600, count)
	require.Equal(t, 2, pages)

	out, err := client.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("Big"), Dimensions: []types.DimensionFilter{{Name: aws.String("Shard"), Value: aws.String("1")}}})
	require.NoError(t, err)
	require.Len(t, out.Metrics, 300)
	out, err = client.ListMetrics(ctx, &cloudwatch.ListMetricsInput{MetricName: aws.String("m000")})
	require.NoError(t, err)
	require.Len(t, out.Metrics, 2, "both namespaces")
	require.Equal(t, "Big", aws.ToString(out.Metrics[0].Namespace))
	require.Equal(t, "Shard", aws.ToString(out.Metrics[0].Dimensions[0].Name))
}

// TestCloudWatchInvalidNextToken: both paginated operations refuse a
// NextToken the server did not write, as CloudWatch does.
func TestCloudWatchInvalidNextToken(t *testing.T) {
	_, client, now := cwFixture(t, allMetrics)
	ctx := context.Background()
	calls := map[string]func(token *string) error{
		"ListMetrics": func(token *string) error {
			_, err := client.ListMetrics(ctx, &cloudwatch.ListMetricsInput{NextToken: token})
			return err
		},
		"GetMetricData": func(token *string) error {
			_, err := client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{NextToken: token,
				StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
				MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("q"), MetricStat: &types.MetricStat{
					Metric: &types.Metric{Namespace: aws.String("N"), MetricName: aws.String("m")}, Period: aws.Int32(60), Stat: aws.String("Sum")}}}})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			for _, token := range []string{"not base64!", cwPageToken(-1), "eA"} {
				requireAPIError(t, call(aws.String(token)), "InvalidNextToken")
			}
			require.NoError(t, call(aws.String(cwPageToken(0))))
		})
	}
}

// TestCloudWatchPeriods: a MetricStat period is 1, 5, 10, 20, 30 or a
// multiple of 60 seconds; other divisors of 60 are refused, as CloudWatch
// refuses them.
func TestCloudWatchPeriods(t *testing.T) {
	_, client, now := cwFixture(t, allMetrics)
	for period, ok := range map[int32]bool{1: true, 5: true, 10: true, 20: true, 30: true, 60: true, 300: true,
		2: false, 3: false, 15: false, 45: false, 90: false, 0: false} {
		t.Run(fmt.Sprint(period), func(t *testing.T) {
			_, err := client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
				StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
				MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("q"), MetricStat: &types.MetricStat{
					Metric: &types.Metric{Namespace: aws.String("N"), MetricName: aws.String("m")}, Period: aws.Int32(period), Stat: aws.String("Sum")}}}})
			if ok {
				require.NoError(t, err)
				return
			}
			requireAPIError(t, err, "InvalidParameterValue")
		})
	}
}

func TestCloudWatchAuthorisation(t *testing.T) {
	s, client, _ := cwFixture(t, grants{})
	ctx := context.Background()
	_, err := client.ListMetrics(ctx, &cloudwatch.ListMetricsInput{})
	ae := requireAPIError(t, err, "AccessDenied")
	require.Contains(t, ae.ErrorMessage(), "cloudwatch:ListMetrics on resource: *")
	require.Equal(t, 403, s.Requests()[len(s.Requests())-1].Status)

	// PutMetricData is scoped by the cloudwatch:namespace condition.
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"App"}}}]}`
	require.NoError(t, s.Platform().PutUserPolicy(PlatformUserName, "svc-test", mustParse(t, doc)))
	_, err = client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1)}}})
	require.NoError(t, err)
	_, err = client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Other"), MetricData: []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1)}}})
	requireAPIError(t, err, "AccessDenied")
}

func TestCloudWatchThrottlingIsRetried(t *testing.T) {
	s, _, _ := cwFixture(t, allMetrics)
	remove, err := s.InjectFault(Fault{Service: "monitoring", Operation: "PutMetricData", Kind: Throttle, Times: 2})
	require.NoError(t, err)
	defer remove()
	client := cloudwatch.NewFromConfig(s.Config(nil), func(o *cloudwatch.Options) { o.Retryer = quickRetryer(3) })
	_, err = client.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1)}}})
	require.NoError(t, err, "Throttling (X-Amzn-Query-Error) is retried by the SDK's standard retryer")
	require.Len(t, s.Platform().Metrics("App"), 1)
}

// FuzzCloudWatchRequest feeds arbitrary CBOR documents to the three
// operations: whatever a client sends, the emulation answers or refuses,
// and never panics.
func FuzzCloudWatchRequest(f *testing.F) {
	now := time.Now()
	f.Add(smithycbor.Encode(smithycbor.Map{"Namespace": smithycbor.String("App"), "MetricData": smithycbor.List{smithycbor.Map{
		"MetricName": smithycbor.String("m"), "Value": smithycbor.Float64(1), "Dimensions": smithycbor.List{smithycbor.Map{"Name": smithycbor.String("a"), "Value": smithycbor.String("b")}},
	}}}))
	f.Add(smithycbor.Encode(smithycbor.Map{"StartTime": &smithycbor.Tag{ID: 1, Value: smithycbor.Float64(float64(now.Add(-time.Hour).Unix()))},
		"EndTime": &smithycbor.Tag{ID: 1, Value: smithycbor.Uint(now.Unix())}, "MetricDataQueries": smithycbor.List{smithycbor.Map{
			"Id": smithycbor.String("q"), "MetricStat": smithycbor.Map{"Metric": smithycbor.Map{"Namespace": smithycbor.String("App"), "MetricName": smithycbor.String("m")},
				"Period": smithycbor.Uint(60), "Stat": smithycbor.String("p99")}}}}))
	f.Add([]byte{0xa0})
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := smithycbor.Decode(body)
		m, ok := v.(smithycbor.Map)
		if err != nil || !ok {
			return
		}
		h := &cloudWatchService{server: &Server{opts: Options{Now: func() time.Time { return now }}}, metrics: map[string]*cwMetric{}}
		_, _ = h.putMetricData("a/r/", cwString(m["Namespace"]), m)
		_, _ = h.getMetricData("a/r/", m)
		_, _ = h.listMetrics("a/r/", m)
	})
}
