package localaws

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/stretchr/testify/require"
)

var allLogs = grants{
	"logs:CreateLogGroup": {"**"}, "logs:CreateLogStream": {"**"}, "logs:PutLogEvents": {"**"}, "logs:GetLogEvents": {"**"},
	"logs:FilterLogEvents": {"**"}, "logs:DescribeLogGroups": {"**"}, "logs:DescribeLogStreams": {"**"},
}

// logsFixture runs a server on a clock stopped at the test's start (near
// enough to the SDK's clock for SigV4) with group "app" and stream "web".
func logsFixture(t *testing.T, g grants) (*Server, *cloudwatchlogs.Client, time.Time) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	clock := func() time.Time { return now }
	s, cfg := svcServer(t, g, func(o *Options) { o.Now = clock })
	cfg.Retryer = nil
	client := cloudwatchlogs.NewFromConfig(cfg)
	ctx := context.Background()
	if g["logs:CreateLogGroup"] != nil {
		_, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("app")})
		require.NoError(t, err)
		_, err = client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web")})
		require.NoError(t, err)
	}
	return s, client, now
}

func events(base time.Time, step time.Duration, msgs ...string) []types.InputLogEvent {
	out := make([]types.InputLogEvent, len(msgs))
	for i, m := range msgs {
		out[i] = types.InputLogEvent{Timestamp: aws.Int64(base.Add(time.Duration(i) * step).UnixMilli()), Message: aws.String(m)}
	}
	return out
}

func TestLogsCreateErrors(t *testing.T) {
	_, client, _ := logsFixture(t, allLogs)
	ctx := context.Background()
	_, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("app")})
	requireAPIError(t, err, "ResourceAlreadyExistsException")
	_, err = client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web")})
	requireAPIError(t, err, "ResourceAlreadyExistsException")
	_, err = client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("ghost"), LogStreamName: aws.String("web")})
	requireAPIError(t, err, "ResourceNotFoundException")
	_, err = client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("bad name")})
	requireAPIError(t, err, "InvalidParameterException")
	_, err = client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("a:b")})
	requireAPIError(t, err, "InvalidParameterException")
}

func TestLogsPutLogEventsRules(t *testing.T) {
	huge := strings.Repeat("x", 1048576-26+1)
	tests := []struct {
		name     string
		events   func(now time.Time) []types.InputLogEvent
		code     string
		mentions string
	}{
		{"empty batch", func(time.Time) []types.InputLogEvent { return []types.InputLogEvent{} }, "InvalidParameterException", "logEvents"},
		{"out of order", func(now time.Time) []types.InputLogEvent { return events(now, -time.Second, "a", "b") }, "InvalidParameterException", "chronological order"},
		{"over 24h", func(now time.Time) []types.InputLogEvent {
			return events(now.Add(-25*time.Hour), 24*time.Hour+time.Millisecond, "a", "b")
		}, "InvalidParameterException", "24 hours"},
		{"too many bytes counting 26 per event", func(now time.Time) []types.InputLogEvent { return events(now, 0, huge) }, "InvalidParameterException", "Upload too large: 1048577 bytes"},
		{"too many events", func(now time.Time) []types.InputLogEvent {
			msgs := make([]string, 10001)
			for i := range msgs {
				msgs[i] = "m"
			}
			return events(now, 0, msgs...)
		}, "InvalidParameterException", "10000"},
		{"empty message", func(now time.Time) []types.InputLogEvent { return events(now, 0, "") }, "InvalidParameterException", "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, client, now := logsFixture(t, allLogs)
			_, err := client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: tt.events(now)})
			ae := requireAPIError(t, err, tt.code)
			require.Contains(t, ae.ErrorMessage(), tt.mentions)
			require.Empty(t, s.Platform().LogEvents("app", "web"))
		})
	}
}

// TestLogsSpanCountsValidEventsOnly: the 24-hour rule applies to the
// events within 14 days back and 2 hours ahead, as the API reference says;
// the others are reported by index, not a reason to refuse the batch.
func TestLogsSpanCountsValidEventsOnly(t *testing.T) {
	s, client, now := logsFixture(t, allLogs)
	batch := []types.InputLogEvent{
		{Timestamp: aws.Int64(now.Add(-15 * 24 * time.Hour).UnixMilli()), Message: aws.String("ancient")},
		{Timestamp: aws.Int64(now.Add(-23 * time.Hour).UnixMilli()), Message: aws.String("kept 1")},
		{Timestamp: aws.Int64(now.UnixMilli()), Message: aws.String("kept 2")},
		{Timestamp: aws.Int64(now.Add(3 * time.Hour).UnixMilli()), Message: aws.String("future")},
	}
	out, err := client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: batch})
	require.NoError(t, err)
	require.Equal(t, int32(1), aws.ToInt32(out.RejectedLogEventsInfo.TooOldLogEventEndIndex))
	require.Equal(t, int32(3), aws.ToInt32(out.RejectedLogEventsInfo.TooNewLogEventStartIndex))
	require.Len(t, s.Platform().LogEvents("app", "web"), 2)
}

func TestLogsPutLogEventsAcceptsAndRejectsByAge(t *testing.T) {
	s, client, now := logsFixture(t, allLogs)
	ctx := context.Background()
	exact := strings.Repeat("y", 1048576-26)
	out, err := client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: events(now, 0, exact)})
	require.NoError(t, err, "exactly 1,048,576 bytes with the overhead is allowed")
	require.Nil(t, out.RejectedLogEventsInfo)

	require.NoError(t, s.Platform().SetLogRetention("app", 1))
	batch := []types.InputLogEvent{
		{Timestamp: aws.Int64(now.Add(-15 * 24 * time.Hour).UnixMilli()), Message: aws.String("ancient")},
		{Timestamp: aws.Int64(now.Add(-14*24*time.Hour + time.Hour).UnixMilli()), Message: aws.String("past retention")},
		{Timestamp: aws.Int64(now.Add(-time.Hour).UnixMilli()), Message: aws.String("ok 1")},
		{Timestamp: aws.Int64(now.Add(time.Hour).UnixMilli()), Message: aws.String("ok 2")},
		{Timestamp: aws.Int64(now.Add(3 * time.Hour).UnixMilli()), Message: aws.String("future")},
	}
	_, err = client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: batch})
	requireAPIError(t, err, "InvalidParameterException") // spans more than 24h

	batch = []types.InputLogEvent{
		{Timestamp: aws.Int64(now.Add(-15 * 24 * time.Hour).UnixMilli()), Message: aws.String("ancient")},
		{Timestamp: aws.Int64(now.Add(-15*24*time.Hour + time.Hour).UnixMilli()), Message: aws.String("ancient 2")},
	}
	out, err = client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: batch})
	require.NoError(t, err)
	require.Equal(t, int32(2), aws.ToInt32(out.RejectedLogEventsInfo.TooOldLogEventEndIndex))
	require.Equal(t, int32(2), aws.ToInt32(out.RejectedLogEventsInfo.ExpiredLogEventEndIndex))

	batch = []types.InputLogEvent{
		{Timestamp: aws.Int64(now.Add(-2 * 24 * time.Hour).UnixMilli()), Message: aws.String("expired")},
		{Timestamp: aws.Int64(now.Add(-time.Hour).UnixMilli()), Message: aws.String("kept 1")},
		{Timestamp: aws.Int64(now.Add(time.Hour).UnixMilli()), Message: aws.String("kept 2")},
		{Timestamp: aws.Int64(now.Add(3 * time.Hour).UnixMilli()), Message: aws.String("future")},
	}
	batch[0].Timestamp = aws.Int64(now.Add(-20 * time.Hour).UnixMilli()) // keep the span under 24h
	require.NoError(t, s.Platform().SetLogRetention("app", 0))
	out, err = client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: batch})
	require.NoError(t, err)
	require.Nil(t, out.RejectedLogEventsInfo.TooOldLogEventEndIndex)
	require.Equal(t, int32(3), aws.ToInt32(out.RejectedLogEventsInfo.TooNewLogEventStartIndex))

	var msgs []string
	for _, e := range s.Platform().LogEvents("app", "web") {
		msgs = append(msgs, e.Message[:min(6, len(e.Message))])
	}
	require.Equal(t, []string{"expire", "kept 1", "yyyyyy", "kept 2"}, msgs, "stored in time order")

	_, err = client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("nope"), LogEvents: events(now, 0, "x")})
	ae := requireAPIError(t, err, "ResourceNotFoundException")
	require.Equal(t, "The specified log stream does not exist.", ae.ErrorMessage())
}

func TestLogsGetLogEventsPaging(t *testing.T) {
	_, client, now := logsFixture(t, allLogs)
	ctx := context.Background()
	msgs := []string{"e0", "e1", "e2", "e3", "e4", "e5", "e6"}
	_, err := client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: events(now.Add(-time.Hour), time.Minute, msgs...)})
	require.NoError(t, err)

	var got []string
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), StartFromHead: aws.Bool(true), Limit: aws.Int32(3)}
	calls := 0
	for {
		out, err := client.GetLogEvents(ctx, in)
		require.NoError(t, err)
		calls++
		for _, e := range out.Events {
			got = append(got, aws.ToString(e.Message))
		}
		if in.NextToken != nil && *in.NextToken == *out.NextForwardToken {
			break
		}
		in.NextToken = out.NextForwardToken
	}
	require.Equal(t, msgs, got)
	require.Equal(t, 4, calls, "3+3+1, then the unchanged token marks the end")

	out, err := client.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), Limit: aws.Int32(2)})
	require.NoError(t, err)
	require.Len(t, out.Events, 2)
	require.Equal(t, "e6", aws.ToString(out.Events[1].Message), "without startFromHead the newest events come first")

	out, err = client.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), StartFromHead: aws.Bool(true),
		StartTime: aws.Int64(now.Add(-time.Hour + 2*time.Minute).UnixMilli()), EndTime: aws.Int64(now.Add(-time.Hour + 4*time.Minute).UnixMilli())})
	require.NoError(t, err)
	require.Len(t, out.Events, 2, "start inclusive, end exclusive")
	require.Equal(t, "e2", aws.ToString(out.Events[0].Message))

	_, err = client.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), NextToken: aws.String("garbage")})
	requireAPIError(t, err, "InvalidParameterException")
}

func TestLogsFilterLogEvents(t *testing.T) {
	_, client, now := logsFixture(t, allLogs)
	ctx := context.Background()
	_, err := client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("worker")})
	require.NoError(t, err)
	base := now.Add(-time.Hour)
	_, err = client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"),
		LogEvents: events(base, 2*time.Second, "ERROR db timeout", "INFO ok", "ERROR disk full", "WARN slow")})
	require.NoError(t, err)
	_, err = client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("worker"),
		LogEvents: events(base.Add(time.Second), 2*time.Second, "ERROR job failed", "INFO done")})
	require.NoError(t, err)

	tests := []struct {
		name    string
		in      cloudwatchlogs.FilterLogEventsInput
		want    []string
		wantErr string
	}{
		{name: "all, merged by time", want: []string{"web:ERROR db timeout", "worker:ERROR job failed", "web:INFO ok", "worker:INFO done", "web:ERROR disk full", "web:WARN slow"}},
		{name: "term", in: cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR")}, want: []string{"web:ERROR db timeout", "worker:ERROR job failed", "web:ERROR disk full"}},
		{name: "terms and exclusion", in: cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR -disk")}, want: []string{"web:ERROR db timeout", "worker:ERROR job failed"}},
		{name: "alternatives", in: cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("?WARN ?done")}, want: []string{"worker:INFO done", "web:WARN slow"}},
		{name: "phrase", in: cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`"disk full"`)}, want: []string{"web:ERROR disk full"}},
		{name: "one stream", in: cloudwatchlogs.FilterLogEventsInput{LogStreamNames: []string{"worker"}}, want: []string{"worker:ERROR job failed", "worker:INFO done"}},
		{name: "prefix", in: cloudwatchlogs.FilterLogEventsInput{LogStreamNamePrefix: aws.String("we"), FilterPattern: aws.String("INFO")}, want: []string{"web:INFO ok"}},
		{name: "time range", in: cloudwatchlogs.FilterLogEventsInput{StartTime: aws.Int64(base.Add(2 * time.Second).UnixMilli()), EndTime: aws.Int64(base.Add(4 * time.Second).UnixMilli())}, want: []string{"web:INFO ok", "worker:INFO done"}},
		{name: "paged", in: cloudwatchlogs.FilterLogEventsInput{Limit: aws.Int32(4)}, want: []string{"web:ERROR db timeout", "worker:ERROR job failed", "web:INFO ok", "worker:INFO done", "web:ERROR disk full", "web:WARN slow"}},
		{name: "JSON pattern refused", in: cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`{ $.level = "x" }`)}, wantErr: "InvalidParameterException"},
		{name: "names and prefix", in: cloudwatchlogs.FilterLogEventsInput{LogStreamNames: []string{"web"}, LogStreamNamePrefix: aws.String("w")}, wantErr: "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.LogGroupName = aws.String("app")
			var got []string
			p := cloudwatchlogs.NewFilterLogEventsPaginator(client, &in)
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if tt.wantErr != "" {
					requireAPIError(t, err, tt.wantErr)
					return
				}
				require.NoError(t, err)
				for _, e := range page.Events {
					got = append(got, aws.ToString(e.LogStreamName)+":"+aws.ToString(e.Message))
				}
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestLogsDescribe(t *testing.T) {
	s, client, now := logsFixture(t, allLogs)
	ctx := context.Background()
	for _, g := range []string{"/aws/lambda/a", "/aws/lambda/b", "other"} {
		_, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(g)})
		require.NoError(t, err)
	}
	_, err := client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: events(now, 0, "hello")})
	require.NoError(t, err)

	var names []string
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(client, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, g := range page.LogGroups {
			names = append(names, aws.ToString(g.LogGroupName))
		}
	}
	require.Equal(t, []string{"/aws/lambda/a", "/aws/lambda/b", "app", "other"}, names)

	out, err := client.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("app")})
	require.NoError(t, err)
	require.Len(t, out.LogGroups, 1)
	acct := s.PlatformAccountID()
	require.Equal(t, "arn:aws:logs:us-east-1:"+acct+":log-group:app:*", aws.ToString(out.LogGroups[0].Arn))
	require.Equal(t, "arn:aws:logs:us-east-1:"+acct+":log-group:app", aws.ToString(out.LogGroups[0].LogGroupArn))
	require.Equal(t, int64(5), aws.ToInt64(out.LogGroups[0].StoredBytes))

	streams, err := client.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("app")})
	require.NoError(t, err)
	require.Len(t, streams.LogStreams, 1)
	require.Equal(t, now.UnixMilli(), aws.ToInt64(streams.LogStreams[0].LastEventTimestamp))
	_, err = client.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("ghost")})
	requireAPIError(t, err, "ResourceNotFoundException")
}

func TestLogsAuthorisationResources(t *testing.T) {
	acct := "111122223333"
	group := "arn:aws:logs:us-east-1:" + acct + ":log-group:app:"
	tests := []struct {
		name     string
		call     func(*cloudwatchlogs.Client) error
		action   string
		resource string
	}{
		{"CreateLogGroup", func(c *cloudwatchlogs.Client) error {
			_, err := c.CreateLogGroup(context.Background(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("app")})
			return err
		}, "logs:CreateLogGroup", group + "log-stream:"},
		{"CreateLogStream", func(c *cloudwatchlogs.Client) error {
			_, err := c.CreateLogStream(context.Background(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web")})
			return err
		}, "logs:CreateLogStream", group + "log-stream:web"},
		{"PutLogEvents", func(c *cloudwatchlogs.Client) error {
			_, err := c.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: events(time.Now(), 0, "x")})
			return err
		}, "logs:PutLogEvents", group + "log-stream:web"},
		{"GetLogEvents", func(c *cloudwatchlogs.Client) error {
			_, err := c.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web")})
			return err
		}, "logs:GetLogEvents", group + "log-stream:web"},
		{"FilterLogEvents", func(c *cloudwatchlogs.Client) error {
			_, err := c.FilterLogEvents(context.Background(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("app")})
			return err
		}, "logs:FilterLogEvents", group + "log-stream:"},
		{"DescribeLogStreams", func(c *cloudwatchlogs.Client) error {
			_, err := c.DescribeLogStreams(context.Background(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("app")})
			return err
		}, "logs:DescribeLogStreams", group + "log-stream:"},
		{"DescribeLogGroups", func(c *cloudwatchlogs.Client) error {
			_, err := c.DescribeLogGroups(context.Background(), &cloudwatchlogs.DescribeLogGroupsInput{})
			return err
		}, "logs:DescribeLogGroups", "arn:aws:logs:us-east-1:" + acct + ":log-group::log-stream:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, client, _ := logsFixture(t, grants{})
			ae := requireAPIError(t, tt.call(client), "AccessDeniedException")
			require.Contains(t, ae.ErrorMessage(), tt.action+" on resource: "+tt.resource+" because")
			log := s.Requests()
			require.Equal(t, 400, log[len(log)-1].Status, "awsJson answers client errors with 400")
		})
	}
}

func TestLogsThrottlingIsRetried(t *testing.T) {
	s, _, now := logsFixture(t, allLogs)
	remove, err := s.InjectFault(Fault{Service: "logs", Operation: "PutLogEvents", Kind: Throttle, Times: 2})
	require.NoError(t, err)
	defer remove()
	client := cloudwatchlogs.NewFromConfig(s.Config(nil), func(o *cloudwatchlogs.Options) { o.Retryer = quickRetryer(3) })
	_, err = client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("web"), LogEvents: events(now, 0, "x")})
	require.NoError(t, err, "ThrottlingException is retried by the SDK's standard retryer")
	require.Len(t, s.Platform().LogEvents("app", "web"), 1)
}

func FuzzCompileFilterPattern(f *testing.F) {
	for _, s := range []string{"", "ERROR", `"disk full"`, "?a ?b -c", `-"x y"`, `{ $.a = 1 }`, `"unterminated`, "? - ?\""} {
		f.Add(s, "ERROR disk full")
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		match, err := compileFilterPattern(pattern)
		if err != nil {
			return
		}
		_ = match(message)
		if strings.TrimSpace(pattern) == "" && !match(message) {
			t.Fatal("the empty pattern must match everything")
		}
	})
}

func FuzzParseLogsToken(f *testing.F) {
	for _, s := range []string{logsToken("f", 0), logsToken("b", 12), "f/", "x/1", "f/-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dir, pos, ok := parseLogsToken(s)
		if !ok {
			return
		}
		if pos < 0 || (dir != "f" && dir != "b") {
			t.Fatalf("%q parsed to %s/%d", s, dir, pos)
		}
	})
}
