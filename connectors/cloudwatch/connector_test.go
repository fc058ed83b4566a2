package cloudwatch_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awscw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

func allPerms(t *testing.T, namespace, group string) []policy.Requirement {
	t.Helper()
	reqs, err := cloudwatch.Requirements(cloudwatch.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Namespace: namespace, LogGroup: group},
		cloudwatch.OpPutMetricData, cloudwatch.OpGetMetricData, cloudwatch.OpListMetrics, cloudwatch.OpCreateLogGroup, cloudwatch.OpCreateLogStream,
		cloudwatch.OpPutLogEvents, cloudwatch.OpGetLogEvents, cloudwatch.OpFilterLogEvents, cloudwatch.OpDescribeLogGroups)
	require.NoError(t, err)
	return reqs
}

// quickRetries is the SDK's standard retryer without backoff waits.
func quickRetries(attempts int) func(*cloudwatch.Options) {
	r := func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}
	return func(o *cloudwatch.Options) {
		o.MetricsOptions = append(o.MetricsOptions, func(m *awscw.Options) { m.Retryer, m.RetryMaxAttempts = r(), attempts })
		o.LogsOptions = append(o.LogsOptions, func(l *cloudwatchlogs.Options) { l.Retryer, l.RetryMaxAttempts = r(), attempts })
	}
}

func TestPutMetricDataSplitsBatches(t *testing.T) {
	e := connectortest.New(t, cloudwatch.KindName, connectortest.WithPermissions(allPerms(t, "App", "app")...))
	c := cloudwatch.New(e.Config(t))
	ctx := context.Background()
	now := time.Now().UTC()

	var small []types.MetricDatum
	for i := range 2500 {
		small = append(small, types.MetricDatum{MetricName: aws.String("Hits"), Dimensions: []types.Dimension{{Name: aws.String("Shard"), Value: aws.String(fmt.Sprint(i % 3))}},
			Timestamp: aws.Time(now), Value: aws.Float64(1), Unit: types.StandardUnitCount})
	}
	e.Server.ResetRequests()
	require.NoError(t, c.PutMetricData(ctx, "App", small))
	require.Equal(t, 3, countOps(e.Server, "PutMetricData"), "2,500 data take three calls of at most 1,000")
	require.Len(t, e.Customer.Metrics("App"), 2500)

	var wide []types.MetricDatum
	for range 100 {
		d := types.MetricDatum{MetricName: aws.String("Wide"), Value: aws.Float64(2)}
		for j := range 30 {
			d.Dimensions = append(d.Dimensions, types.Dimension{Name: aws.String(fmt.Sprintf("d%02d", j)), Value: aws.String(strings.Repeat("v", 1024))})
		}
		wide = append(wide, d)
	}
	e.Server.ResetRequests()
	require.NoError(t, c.PutMetricData(ctx, "App", wide), "localaws refuses any call over 1 MB; the connector splits below it")
	require.Greater(t, countOps(e.Server, "PutMetricData"), 3)
	require.Len(t, e.Customer.Metrics("App"), 2600)

	stat := types.MetricDatum{MetricName: aws.String("Latency"), StatisticValues: &types.StatisticSet{Sum: aws.Float64(10), SampleCount: aws.Float64(4), Minimum: aws.Float64(1), Maximum: aws.Float64(4)},
		StorageResolution: aws.Int32(1), Unit: types.StandardUnitMilliseconds}
	require.NoError(t, c.PutMetricData(ctx, "App", []types.MetricDatum{stat, {MetricName: aws.String("Latency"), Values: []float64{1, 2}, Counts: []float64{3, 1}}}))

	e.Server.ResetRequests()
	bad := append(small[:5:5], types.MetricDatum{MetricName: aws.String("x")})
	require.ErrorIs(t, c.PutMetricData(ctx, "App", bad), cloudwatch.ErrInvalidInput)
	require.Zero(t, countOps(e.Server, "PutMetricData"), "a bad datum sends nothing")

	err := c.PutMetricData(ctx, "Other", small[:1])
	require.True(t, connectors.IsAccessDenied(err), "PutMetricData is granted for namespace App only: %v", err)
}

func countOps(s *localaws.Server, op string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Operation == op {
			n++
		}
	}
	return n
}

func TestGetMetricDataAndListMetrics(t *testing.T) {
	e := connectortest.New(t, cloudwatch.KindName, connectortest.WithPermissions(allPerms(t, "App", "app")...))
	c := cloudwatch.New(e.Config(t))
	ctx := context.Background()
	// An hour boundary, so that the five points (one to five minutes before
	// it) share one hour-long Maximum bucket whatever the time of day; from
	// a minute boundary the test failed in the first minutes of each hour.
	end := time.Now().UTC().Truncate(time.Hour)
	var data []types.MetricDatum
	for i := range 5 {
		data = append(data, types.MetricDatum{MetricName: aws.String("Orders"), Dimensions: []types.Dimension{{Name: aws.String("Region"), Value: aws.String("eu")}},
			Timestamp: aws.Time(end.Add(-time.Duration(i+1) * time.Minute)), Value: aws.Float64(float64(10 * (i + 1)))})
	}
	require.NoError(t, c.PutMetricData(ctx, "App", data))

	res, err := c.GetMetricData(ctx, end.Add(-time.Hour), end,
		cloudwatch.Query{ID: "sum", Namespace: "App", MetricName: "Orders", Dimensions: map[string]string{"Region": "eu"}, Stat: "Sum", Period: 5 * time.Minute},
		cloudwatch.Query{ID: "max", Namespace: "App", MetricName: "Orders", Dimensions: map[string]string{"Region": "eu"}, Stat: "Maximum", Period: time.Hour})
	require.NoError(t, err)
	require.Len(t, res, 2)
	var total float64
	for _, v := range res[0].Values {
		total += v
	}
	require.Equal(t, 150.0, total, "every point falls in some 5-minute bucket")
	require.Equal(t, []float64{50}, res[1].Values)

	paged := cloudwatch.New(e.Config(t), func(o *cloudwatch.Options) { o.MaxDatapoints = 2 })
	e.Server.ResetRequests()
	res, err = paged.GetMetricData(ctx, end.Add(-time.Hour), end,
		cloudwatch.Query{ID: "a", Namespace: "App", MetricName: "Orders", Dimensions: map[string]string{"Region": "eu"}, Stat: "Sum", Period: time.Minute},
		cloudwatch.Query{ID: "b", Namespace: "App", MetricName: "Orders", Dimensions: map[string]string{"Region": "eu"}, Stat: "SampleCount", Period: time.Minute})
	require.NoError(t, err)
	require.Equal(t, 5, countOps(e.Server, "GetMetricData"), "ten points, two per page")
	require.Len(t, res, 2, "pages merged by query ID")
	require.Equal(t, []float64{50, 40, 30, 20, 10}, res[0].Values, "oldest first")
	require.Equal(t, []float64{1, 1, 1, 1, 1}, res[1].Values)
	require.Len(t, res[0].Timestamps, 5)

	_, err = c.GetMetricData(ctx, end, end.Add(-time.Hour), cloudwatch.Query{ID: "x", MetricName: "Orders", Namespace: "App", Stat: "Sum", Period: time.Minute})
	require.ErrorIs(t, err, cloudwatch.ErrInvalidInput)
	for _, p := range []time.Duration{0, 2 * time.Second, 15 * time.Second, 90 * time.Second, 1500 * time.Millisecond} {
		_, err = c.GetMetricData(ctx, end.Add(-time.Hour), end, cloudwatch.Query{ID: "x", MetricName: "Orders", Namespace: "App", Stat: "Sum", Period: p})
		require.ErrorIs(t, err, cloudwatch.ErrInvalidInput, "period %v", p)
	}
	_, err = c.GetMetricData(ctx, end.Add(-time.Hour), end, cloudwatch.Query{ID: "x", MetricName: "Orders", Namespace: "App", Stat: "Sum", Period: 10 * time.Second})
	require.NoError(t, err, "a high-resolution period")

	var names []string
	for m, err := range c.ListMetrics(ctx, "App", "") {
		require.NoError(t, err)
		names = append(names, aws.ToString(m.MetricName))
	}
	require.Equal(t, []string{"Orders"}, names)
}

func TestLogs(t *testing.T) {
	e := connectortest.New(t, cloudwatch.KindName, connectortest.WithPermissions(allPerms(t, "App", "app")...))
	c := cloudwatch.New(e.Config(t), quickRetries(3))
	ctx := context.Background()
	require.NoError(t, c.CreateLogStream(ctx, "app", "web"), "creates the missing group, then the stream")
	require.NoError(t, c.CreateLogStream(ctx, "app", "web"), "existing ones are fine")
	require.NoError(t, c.CreateLogGroup(ctx, "app"))

	now := time.Now().UTC().Truncate(time.Millisecond)
	var events []cloudwatch.LogEvent
	for i := range 25000 {
		// Out of order on purpose: the connector sorts.
		events = append(events, cloudwatch.LogEvent{Time: now.Add(-time.Duration(25000-i%2*i) * time.Millisecond), Message: fmt.Sprintf("event %05d", i)})
	}
	e.Server.ResetRequests()
	res, err := c.PutLogEvents(ctx, "app", "web", events)
	require.NoError(t, err)
	require.Equal(t, cloudwatch.PutLogEventsResult{Accepted: 25000, Calls: 3}, res)
	require.Equal(t, 3, countOps(e.Server, "PutLogEvents"))

	big := []cloudwatch.LogEvent{}
	for i := range 3 {
		big = append(big, cloudwatch.LogEvent{Time: now.Add(time.Duration(i) * time.Millisecond), Message: strings.Repeat("x", 600_000)})
	}
	res, err = c.PutLogEvents(ctx, "app", "web", big)
	require.NoError(t, err)
	require.Equal(t, 3, res.Calls, "two 600 KB events exceed 1 MB together")

	old := []cloudwatch.LogEvent{{Time: now.Add(-15 * 24 * time.Hour), Message: "ancient"}, {Time: now.Add(-15*24*time.Hour + time.Hour), Message: "ancient 2"}, {Time: now.Add(3 * time.Hour), Message: "future"}}
	res, err = c.PutLogEvents(ctx, "app", "web", old)
	require.NoError(t, err)
	require.Equal(t, cloudwatch.PutLogEventsResult{TooOld: 2, TooNew: 1, Calls: 2}, res, "old and future events land in separate calls (24h span) and are reported")

	_, err = c.PutLogEvents(ctx, "app", "web", []cloudwatch.LogEvent{{Time: now}})
	require.ErrorIs(t, err, cloudwatch.ErrInvalidInput)

	// Throttling is retried by the SDK retryer.
	remove, err := e.Server.InjectFault(localaws.Fault{Service: "logs", Operation: "PutLogEvents", Kind: localaws.Throttle, Times: 2})
	require.NoError(t, err)
	res, err = c.PutLogEvents(ctx, "app", "web", []cloudwatch.LogEvent{{Time: now.Add(time.Second), Message: "after throttling"}})
	remove()
	require.NoError(t, err)
	require.Equal(t, 1, res.Accepted)

	n := 0
	var first, last string
	for ev, err := range c.GetLogEvents(ctx, "app", "web", time.Time{}, time.Time{}) {
		require.NoError(t, err)
		if n == 0 {
			first = aws.ToString(ev.Message)
		}
		last = aws.ToString(ev.Message)
		n++
	}
	require.Equal(t, 25004, n, "every page, oldest first")
	require.Equal(t, "event 00000", first)
	require.Equal(t, "after throttling", last)

	var hits []string
	for ev, err := range c.FilterLogEvents(ctx, "app", cloudwatch.Filter{Pattern: `"event 2499"`}) {
		require.NoError(t, err)
		hits = append(hits, aws.ToString(ev.Message))
	}
	require.Len(t, hits, 10)

	var groups []string
	for g, err := range c.LogGroups(ctx, "") {
		require.NoError(t, err)
		groups = append(groups, aws.ToString(g.LogGroupName))
	}
	require.Equal(t, []string{"app"}, groups)
}

func TestRestrictions(t *testing.T) {
	e := connectortest.New(t, cloudwatch.KindName, connectortest.WithPermissions(allPerms(t, "App", "app")...))
	c := cloudwatch.New(e.Config(t), func(o *cloudwatch.Options) { o.Namespace = "App"; o.LogGroup = "app" })
	ctx := context.Background()
	require.ErrorIs(t, c.PutMetricData(ctx, "Other", []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1)}}), cloudwatch.ErrOutsideRestriction)
	require.NoError(t, c.PutMetricData(ctx, "", []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1)}}), "empty means the restricted namespace")
	require.ErrorIs(t, c.CreateLogGroup(ctx, "other"), cloudwatch.ErrOutsideRestriction)
	require.NoError(t, c.CreateLogStream(ctx, "", "s"))
	for _, err := range c.LogGroups(ctx, "zzz") {
		require.ErrorIs(t, err, cloudwatch.ErrOutsideRestriction)
	}
	bad := cloudwatch.New(e.Config(t), func(o *cloudwatch.Options) { o.LogGroup = "bad group" })
	require.ErrorIs(t, bad.CreateLogGroup(ctx, ""), cloudwatch.ErrInvalidInput)
}

func TestCheck(t *testing.T) {
	listMetrics := policy.Requirement{Action: "cloudwatch:ListMetrics"}
	describe := policy.Requirement{Action: "logs:DescribeLogGroups"}
	tests := []struct {
		name   string
		fields map[string]string
		perms  []policy.Requirement
		fault  *localaws.Fault
		want   []string
		action string
	}{
		{name: "both pass", perms: []policy.Requirement{listMetrics, describe}, want: []string{"passed", "passed"}},
		{name: "metrics only", fields: map[string]string{"services": "metrics", "namespace": "App"}, perms: []policy.Requirement{listMetrics}, want: []string{"passed"}},
		{name: "logs only", fields: map[string]string{"services": "logs", "log_group": "app"}, perms: []policy.Requirement{describe}, want: []string{"passed"}},
		{name: "logs denied", perms: []policy.Requirement{listMetrics}, want: []string{"passed", "failed"}, action: "logs:DescribeLogGroups"},
		{name: "metrics denied", fields: map[string]string{"services": "metrics"}, perms: []policy.Requirement{describe}, want: []string{"failed"}, action: "cloudwatch:ListMetrics"},
		{name: "metrics throttled", fields: map[string]string{"services": "metrics"}, perms: []policy.Requirement{listMetrics},
			fault: &localaws.Fault{Service: "monitoring", Operation: "ListMetrics", Kind: localaws.Throttle}, want: []string{"warned"}},
		{name: "logs unavailable", fields: map[string]string{"services": "logs"}, perms: []policy.Requirement{describe},
			fault: &localaws.Fault{Service: "logs", Operation: "DescribeLogGroups", Kind: localaws.ServerError}, want: []string{"failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := connectortest.New(t, cloudwatch.KindName, connectortest.WithFields(tt.fields), connectortest.WithPermissions(tt.perms...))
			if tt.fault != nil {
				remove, err := e.Server.InjectFault(*tt.fault)
				require.NoError(t, err)
				defer remove()
			}
			rep := e.Resolver.Check(context.Background(), e.Conn)
			var got []string
			for _, s := range rep.Steps {
				if s.ID == connectors.StepServiceReachable {
					got = append(got, string(s.Status))
					if s.Status != connectors.Passed {
						require.NotEmpty(t, s.Hint)
					}
					if s.Status == connectors.Failed && tt.action != "" {
						require.Equal(t, tt.action, s.Action)
						require.NotNil(t, s.PolicyToAdd, "%s", rep)
					}
				}
			}
			require.Equal(t, tt.want, got, "%s", rep)
		})
	}
	t.Run("invalid field", func(t *testing.T) {
		e := connectortest.New(t, cloudwatch.KindName, connectortest.WithFields(map[string]string{"services": "traces"}), connectortest.WithPermissions(listMetrics))
		rep := e.Resolver.Check(context.Background(), e.Conn)
		require.Equal(t, connectors.Failed, rep.Steps[0].Status, "%s", rep)
	})
}

func TestRequirements(t *testing.T) {
	got, err := cloudwatch.Requirements(cloudwatch.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Namespace: "App", LogGroup: "app", LogStream: "web"},
		cloudwatch.OpPutMetricData, cloudwatch.OpListMetrics, cloudwatch.OpCreateLogGroup, cloudwatch.OpPutLogEvents, cloudwatch.OpDescribeLogGroups)
	require.NoError(t, err)
	group := "arn:aws:logs:us-east-1:" + connectortest.CustomerAccountID + ":log-group:app"
	require.Equal(t, []policy.Requirement{
		{Action: "cloudwatch:PutMetricData", Condition: policy.Conditions{"StringEquals": {"cloudwatch:namespace": {"App"}}}},
		{Action: "cloudwatch:ListMetrics"},
		{Action: "logs:CreateLogGroup", Resource: group + ":*"},
		{Action: "logs:PutLogEvents", Resource: group + ":log-stream:web"},
		{Action: "logs:DescribeLogGroups"},
	}, got)
	doc, err := policy.LeastPrivilege(got...)
	require.NoError(t, err)
	require.Contains(t, doc.String(), "cloudwatch:namespace")

	for _, tt := range []struct {
		target cloudwatch.Target
		op     cloudwatch.Operation
	}{
		{cloudwatch.Target{Region: "us-east-1"}, cloudwatch.OpPutMetricData}, // no namespace
		{cloudwatch.Target{}, cloudwatch.OpPutLogEvents},                     // no region
		{cloudwatch.Target{Region: "us-east-1", LogGroup: "a b"}, cloudwatch.OpCreateLogGroup},
		{cloudwatch.Target{Region: "us-east-1"}, "Bogus"},
	} {
		_, err := cloudwatch.Requirements(tt.target, tt.op)
		require.Error(t, err, "%+v %s", tt.target, tt.op)
	}
}
