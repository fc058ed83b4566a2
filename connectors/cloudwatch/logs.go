package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// PutLogEvents' per-call rules (CloudWatch Logs API reference, PutLogEvents).
const (
	// MaxLogEventsPerCall is the number of events one call may hold.
	MaxLogEventsPerCall = 10000
	// MaxLogBatchBytes is the size of one call's events: the sum of their
	// messages in UTF-8 plus LogEventOverhead bytes per event.
	MaxLogBatchBytes = 1048576
	// LogEventOverhead is what CloudWatch Logs counts per event on top of
	// its message when sizing a batch.
	LogEventOverhead = 26
	// MaxLogBatchSpan is the longest time one call's events may span.
	MaxLogBatchSpan = 24 * time.Hour
)

// LogEvent is one log event to send.
//
// LogEvent is a plain value, safe for concurrent reads.
type LogEvent struct {
	Time    time.Time `json:"time"`    // when the event happened; kept to the millisecond
	Message string    `json:"message"` // the event's text, non-empty UTF-8
}

// PutLogEventsResult says what CloudWatch Logs did with the events of a
// PutLogEvents call. Events it rejected for their age are counted, not
// returned as an error, as the API itself does.
//
// PutLogEventsResult is a plain value, safe for concurrent reads.
type PutLogEventsResult struct {
	Accepted int `json:"accepted"` // events CloudWatch Logs took
	TooOld   int `json:"too_old"`  // older than 14 days (or older than the log group's retention: see Expired)
	TooNew   int `json:"too_new"`  // more than 2 hours in the future
	Expired  int `json:"expired"`  // older than the log group's retention period
	Calls    int `json:"calls"`    // PutLogEvents calls made
}

// CreateLogGroup creates a log group; a group that exists already is not an
// error.
func (c *Connector) CreateLogGroup(ctx context.Context, group string) error {
	g, err := c.logGroup(group)
	if err != nil {
		return err
	}
	_, err = c.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(g)})
	var exists *types.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("cloudwatch: create log group %s: %w", echo.Quote(g), err)
	}
	return nil
}

// CreateLogStream creates a log stream in group, and the group when it is
// missing; what exists already is left as it is.
func (c *Connector) CreateLogStream(ctx context.Context, group, stream string) error {
	g, err := c.logGroup(group)
	if err != nil {
		return err
	}
	if err := validateLogStream(stream); err != nil {
		return err
	}
	in := &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(g), LogStreamName: aws.String(stream)}
	_, err = c.logs.CreateLogStream(ctx, in)
	var missing *types.ResourceNotFoundException
	if errors.As(err, &missing) {
		if err := c.CreateLogGroup(ctx, g); err != nil {
			return err
		}
		_, err = c.logs.CreateLogStream(ctx, in)
	}
	var exists *types.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("cloudwatch: create log stream %s in %s: %w", echo.Quote(stream), echo.Quote(g), err)
	}
	return nil
}

// PutLogEvents sends events to a stream: sorted by time (CloudWatch Logs
// requires chronological order within a call), split into calls by
// MaxLogEventsPerCall, MaxLogBatchBytes and MaxLogBatchSpan. Throttled calls
// are retried by the SDK retryer. Events are validated before the first
// call; on an error, the result counts what earlier calls delivered.
func (c *Connector) PutLogEvents(ctx context.Context, group, stream string, events []LogEvent) (PutLogEventsResult, error) {
	var res PutLogEventsResult
	g, err := c.logGroup(group)
	if err != nil {
		return res, err
	}
	if err := validateLogStream(stream); err != nil {
		return res, err
	}
	sorted := make([]types.InputLogEvent, len(events))
	for i, e := range events {
		if e.Message == "" {
			return res, fmt.Errorf("%w: events[%d]: the message is empty; CloudWatch Logs rejects empty events", ErrInvalidInput, i)
		}
		if !utf8.ValidString(e.Message) {
			return res, fmt.Errorf("%w: events[%d]: the message is not valid UTF-8", ErrInvalidInput, i)
		}
		if n := len(e.Message) + LogEventOverhead; n > MaxLogBatchBytes {
			return res, fmt.Errorf("%w: events[%d]: the message is %d bytes; an event may take at most %d bytes (%d with the per-event overhead)", ErrInvalidInput, i, len(e.Message), MaxLogBatchBytes-LogEventOverhead, MaxLogBatchBytes)
		}
		sorted[i] = types.InputLogEvent{Message: aws.String(e.Message), Timestamp: aws.Int64(e.Time.UnixMilli())}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return *sorted[i].Timestamp < *sorted[j].Timestamp })
	for _, batch := range splitLogEvents(sorted, MaxLogEventsPerCall, MaxLogBatchBytes, MaxLogBatchSpan) {
		out, err := c.logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
			LogGroupName: aws.String(g), LogStreamName: aws.String(stream), LogEvents: batch,
		})
		if err != nil {
			return res, fmt.Errorf("cloudwatch: put log events to %s/%s (%d of %d events accepted): %w", g, stream, res.Accepted, len(events), err)
		}
		res.Calls++
		res.Accepted += len(batch) - res.countRejected(out.RejectedLogEventsInfo, len(batch))
	}
	return res, nil
}

// countRejected adds a call's rejected events to r and returns how many
// there were. The end indexes are exclusive and the start index inclusive,
// as CloudWatch Logs reports them; the ranges may overlap (an expired event
// is also too old), so the rejected count is the size of their union.
func (r *PutLogEventsResult) countRejected(info *types.RejectedLogEventsInfo, n int) int {
	if info == nil {
		return 0
	}
	clamp := func(p *int32, def int) int {
		if p == nil {
			return def
		}
		return max(0, min(n, int(*p)))
	}
	tooOld, expired, tooNew := clamp(info.TooOldLogEventEndIndex, 0), clamp(info.ExpiredLogEventEndIndex, 0), clamp(info.TooNewLogEventStartIndex, n)
	r.TooOld += tooOld
	r.Expired += expired
	r.TooNew += n - tooNew
	head := max(tooOld, expired)
	return min(n, head+(n-max(tooNew, head)))
}

// splitLogEvents cuts time-ordered events into consecutive batches within
// the count, byte and span limits.
func splitLogEvents(events []types.InputLogEvent, maxEvents, maxBytes int, span time.Duration) [][]types.InputLogEvent {
	var batches [][]types.InputLogEvent
	start, size := 0, 0
	for i, e := range events {
		n := len(*e.Message) + LogEventOverhead
		if i > start && (i-start == maxEvents || size+n > maxBytes || *e.Timestamp-*events[start].Timestamp > span.Milliseconds()) {
			batches = append(batches, events[start:i])
			start, size = i, 0
		}
		size += n
	}
	if start < len(events) {
		batches = append(batches, events[start:])
	}
	return batches
}

// GetLogEvents iterates over the events of one stream from the oldest,
// between start and end (zero values leave that side open), following
// nextForwardToken until CloudWatch Logs returns the token it was given,
// which is how it marks the end of the stream.
func (c *Connector) GetLogEvents(ctx context.Context, group, stream string, start, end time.Time) iter.Seq2[types.OutputLogEvent, error] {
	return func(yield func(types.OutputLogEvent, error) bool) {
		g, err := c.logGroup(group)
		if err == nil {
			err = validateLogStream(stream)
		}
		if err != nil {
			yield(types.OutputLogEvent{}, err)
			return
		}
		in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(g), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)}
		in.StartTime, in.EndTime = millis(start), millis(end)
		for {
			out, err := c.logs.GetLogEvents(ctx, in)
			if err != nil {
				yield(types.OutputLogEvent{}, fmt.Errorf("cloudwatch: get log events of %s/%s: %w", g, stream, err))
				return
			}
			for _, e := range out.Events {
				if !yield(e, nil) {
					return
				}
			}
			if out.NextForwardToken == nil || (in.NextToken != nil && *in.NextToken == *out.NextForwardToken) {
				return
			}
			in.NextToken = out.NextForwardToken
		}
	}
}

// Filter selects events for FilterLogEvents.
//
// Filter is a plain value, safe for concurrent reads.
type Filter struct {
	Pattern      string    // CloudWatch Logs filter pattern; "" matches every event
	Streams      []string  // only these streams; empty means all
	StreamPrefix string    // only streams with this prefix (not with Streams)
	Start, End   time.Time // zero values leave that side open
}

// FilterLogEvents iterates over the events of a log group that match f,
// page by page. The iteration stops at the first error.
func (c *Connector) FilterLogEvents(ctx context.Context, group string, f Filter) iter.Seq2[types.FilteredLogEvent, error] {
	return func(yield func(types.FilteredLogEvent, error) bool) {
		g, err := c.logGroup(group)
		if err == nil && len(f.Streams) > 0 && f.StreamPrefix != "" {
			err = fmt.Errorf("%w: give Streams or StreamPrefix, not both", ErrInvalidInput)
		}
		if err != nil {
			yield(types.FilteredLogEvent{}, err)
			return
		}
		in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(g), LogStreamNames: f.Streams}
		if f.Pattern != "" {
			in.FilterPattern = aws.String(f.Pattern)
		}
		if f.StreamPrefix != "" {
			in.LogStreamNamePrefix = aws.String(f.StreamPrefix)
		}
		in.StartTime, in.EndTime = millis(f.Start), millis(f.End)
		p := cloudwatchlogs.NewFilterLogEventsPaginator(c.logs, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(types.FilteredLogEvent{}, fmt.Errorf("cloudwatch: filter log events of %s: %w", g, err))
				return
			}
			for _, e := range page.Events {
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}

// LogGroups iterates over the log groups whose names start with prefix
// (empty: Options.LogGroup when restricted, else every group), page by page.
func (c *Connector) LogGroups(ctx context.Context, prefix string) iter.Seq2[types.LogGroup, error] {
	return func(yield func(types.LogGroup, error) bool) {
		if c.err != nil {
			yield(types.LogGroup{}, c.err)
			return
		}
		if r := c.opts.LogGroup; r != "" {
			if prefix == "" {
				prefix = r
			} else if len(prefix) < len(r) || prefix[:len(r)] != r {
				yield(types.LogGroup{}, fmt.Errorf("%w: prefix %s reaches beyond log group %s", ErrOutsideRestriction, echo.Quote(prefix), echo.Quote(r)))
				return
			}
		}
		in := &cloudwatchlogs.DescribeLogGroupsInput{}
		if prefix != "" {
			in.LogGroupNamePrefix = aws.String(prefix)
		}
		p := cloudwatchlogs.NewDescribeLogGroupsPaginator(c.logs, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(types.LogGroup{}, fmt.Errorf("cloudwatch: describe log groups: %w", err))
				return
			}
			for _, lg := range page.LogGroups {
				if c.opts.LogGroup != "" && deref(lg.LogGroupName) != c.opts.LogGroup {
					continue
				}
				if !yield(lg, nil) {
					return
				}
			}
		}
	}
}

func millis(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	return aws.Int64(t.UnixMilli())
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
