package cloudwatch_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

// logsEnv is a customer with the app log group's stream web, and a
// connector whose retryer does not wait.
func logsEnv(t *testing.T) (*connectortest.Env, *cloudwatch.Connector) {
	t.Helper()
	e := connectortest.New(t, cloudwatch.KindName, connectortest.WithPermissions(allPerms(t, "App", "app")...))
	c := cloudwatch.New(e.Config(t), quickRetries(3))
	require.NoError(t, c.CreateLogStream(context.Background(), "app", "web"))
	e.Server.ResetRequests()
	return e, c
}

// TestPutLogEventsOrderIsStable: events are sorted by time, and events of
// the same millisecond keep the order they were given in.
func TestPutLogEventsOrderIsStable(t *testing.T) {
	e, c := logsEnv(t)
	now := time.Now().UTC().Truncate(time.Millisecond)
	var events []cloudwatch.LogEvent
	var want []string
	for i := range 3 {
		for _, s := range []string{"first", "second", "third"} {
			// Later times first, so the connector has to sort.
			events = append(events, cloudwatch.LogEvent{Time: now.Add(time.Duration(-i) * time.Second), Message: fmt.Sprintf("t-%d %s", i, s)})
		}
	}
	for i := 2; i >= 0; i-- {
		for _, s := range []string{"first", "second", "third"} {
			want = append(want, fmt.Sprintf("t-%d %s", i, s))
		}
	}
	_, err := c.PutLogEvents(context.Background(), "app", "web", events)
	require.NoError(t, err)
	var got []string
	for _, ev := range e.Customer.LogEvents("app", "web") {
		got = append(got, ev.Message)
	}
	require.Equal(t, want, got)
}

// TestPutLogEventsEventSizeLimit: an event whose message and 26-byte
// overhead fill a whole batch is sent alone; one byte more is refused
// before any call, with the limit in the message.
func TestPutLogEventsEventSizeLimit(t *testing.T) {
	e, c := logsEnv(t)
	now := time.Now().UTC()
	largest := strings.Repeat("x", cloudwatch.MaxLogBatchBytes-cloudwatch.LogEventOverhead)
	res, err := c.PutLogEvents(context.Background(), "app", "web", []cloudwatch.LogEvent{
		{Time: now, Message: "small"}, {Time: now.Add(time.Millisecond), Message: largest}})
	require.NoError(t, err)
	require.Equal(t, cloudwatch.PutLogEventsResult{Accepted: 2, Calls: 2}, res, "the largest event fills a call by itself")

	e.Server.ResetRequests()
	_, err = c.PutLogEvents(context.Background(), "app", "web", []cloudwatch.LogEvent{
		{Time: now, Message: "small"}, {Time: now, Message: largest + "x"}})
	require.ErrorIs(t, err, cloudwatch.ErrInvalidInput)
	require.ErrorContains(t, err, "events[1]: the message is 1048551 bytes; an event may take at most 1048550 bytes")
	require.Empty(t, e.Server.Requests(), "a bad event sends nothing")
}

// TestPutLogEventsThrottlingIsBounded: throttling is retried by the SDK
// retryer up to its attempt limit, then returned with the throttling code
// and what had been delivered.
func TestPutLogEventsThrottlingIsBounded(t *testing.T) {
	e, c := logsEnv(t)
	remove, err := e.Server.InjectFault(localaws.Fault{Service: "logs", Operation: "PutLogEvents", Kind: localaws.Throttle})
	require.NoError(t, err)
	defer remove()
	_, err = c.PutLogEvents(context.Background(), "app", "web", []cloudwatch.LogEvent{{Time: time.Now(), Message: "m"}})
	require.Equal(t, "ThrottlingException", connectors.ErrorCode(err), "%v", err)
	require.ErrorContains(t, err, "(0 of 1 events accepted)")
	require.Equal(t, 3, countOps(e.Server, "PutLogEvents"), "three attempts, then the error")
}

// TestLogIteratorsStopAndHonourContext: breaking out of an iterator stops
// its paging, and a cancelled context ends it with the context's error.
func TestLogIteratorsStopAndHonourContext(t *testing.T) {
	e, c := logsEnv(t)
	ctx := context.Background()
	now := time.Now().UTC()
	events := make([]cloudwatch.LogEvent, 10_001) // more than one page of GetLogEvents
	for i := range events {
		events[i] = cloudwatch.LogEvent{Time: now.Add(time.Duration(i-len(events)) * time.Millisecond), Message: "m"}
	}
	_, err := c.PutLogEvents(ctx, "app", "web", events)
	require.NoError(t, err)

	e.Server.ResetRequests()
	for _, err := range c.GetLogEvents(ctx, "app", "web", time.Time{}, time.Time{}) {
		require.NoError(t, err)
		break
	}
	require.Equal(t, 1, countOps(e.Server, "GetLogEvents"), "no page is fetched after the consumer stops")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	iterators := map[string]func(yield func(error) bool){
		"GetLogEvents": func(yield func(error) bool) {
			for _, err := range c.GetLogEvents(cancelled, "app", "web", time.Time{}, time.Time{}) {
				if !yield(err) {
					return
				}
			}
		},
		"FilterLogEvents": func(yield func(error) bool) {
			for _, err := range c.FilterLogEvents(cancelled, "app", cloudwatch.Filter{}) {
				if !yield(err) {
					return
				}
			}
		},
		"LogGroups": func(yield func(error) bool) {
			for _, err := range c.LogGroups(cancelled, "") {
				if !yield(err) {
					return
				}
			}
		},
		"ListMetrics": func(yield func(error) bool) {
			for _, err := range c.ListMetrics(cancelled, "App", "") {
				if !yield(err) {
					return
				}
			}
		},
	}
	for name, it := range iterators {
		t.Run(name, func(t *testing.T) {
			var errs []error
			for err := range it {
				errs = append(errs, err)
			}
			require.Len(t, errs, 1, "one error, then the iteration ends")
			require.ErrorIs(t, errs[0], context.Canceled)
		})
	}
}
