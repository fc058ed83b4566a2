package localaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// PutLogEvents' rules, from the CloudWatch Logs API reference.
const (
	logsMaxBatchEvents = 10000
	logsMaxBatchBytes  = 1048576
	logsEventOverhead  = 26
	logsMaxBatchSpan   = 24 * time.Hour
	logsMaxAge         = 14 * 24 * time.Hour
	logsMaxAhead       = 2 * time.Hour
	logsMaxGetEvents   = 10000
)

func init() {
	registerService(serviceSpec{
		name:     "logs",
		protocol: protocolJSON,
		newHandler: func(s *Server) serviceHandler {
			return &logsService{server: s, groups: map[string]*logGroup{}}
		},
	})
}

// logsService serves CloudWatch Logs (awsJson 1.1) for one server.
type logsService struct {
	server *Server

	mu     sync.Mutex           // guards groups and everything in them
	groups map[string]*logGroup // by account/region/name
}

type logGroup struct {
	name, arn     string
	created       time.Time
	retentionDays int
	streams       map[string]*logStream
}

type logStream struct {
	name    string
	created time.Time
	events  []logEvent // in timestamp order
	bytes   int64
}

type logEvent struct {
	ts, ingested int64 // Unix milliseconds
	message      string
	seq          int // insertion order, for stable ids
}

// LogEvent is an event CloudWatch Logs stored, as LogEvents returns it.
//
// LogEvent is a plain value, safe for concurrent reads.
type LogEvent struct {
	// Timestamp is the event's time as the client sent it.
	Timestamp time.Time
	// Message is the event's text.
	Message string
}

// LogEvents returns the events of one stream of account in the server's
// region, in timestamp order, for tests to assert on.
func (a *Account) LogEvents(group, stream string) []LogEvent {
	h := logsOf(a.server)
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.groups[a.id+"/"+a.server.opts.Region+"/"+group]
	if g == nil || g.streams[stream] == nil {
		return nil
	}
	var out []LogEvent
	for _, e := range g.streams[stream].events {
		out = append(out, LogEvent{Timestamp: time.UnixMilli(e.ts).UTC(), Message: e.message})
	}
	return out
}

// CreateLogGroup creates a log group of the account in the server's region,
// as CreateLogGroup does.
func (a *Account) CreateLogGroup(group string) error {
	if !logsGroupName.MatchString(group) {
		return fmt.Errorf("localaws: log group name %q must be 1-512 letters, digits and . - _ / #", group)
	}
	h := logsOf(a.server)
	h.mu.Lock()
	defer h.mu.Unlock()
	base := "arn:aws:logs:" + a.server.opts.Region + ":" + a.id + ":log-group:"
	key := a.id + "/" + a.server.opts.Region + "/"
	_, err := h.dispatch("CreateLogGroup", &logsRequest{LogGroupName: group}, key, base, a.server.now())
	if err != nil {
		return fmt.Errorf("localaws: log group %q: %s", group, err.message)
	}
	return nil
}

// SetLogRetention sets a log group's retention, after which PutLogEvents
// reports events as expired, as PutRetentionPolicy does.
func (a *Account) SetLogRetention(group string, days int) error {
	h := logsOf(a.server)
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.groups[a.id+"/"+a.server.opts.Region+"/"+group]
	if g == nil {
		return fmt.Errorf("localaws: no log group %q in account %s", group, a.id)
	}
	g.retentionDays = days
	return nil
}

func logsOf(s *Server) *logsService { return s.routes["logs"].handler.(*logsService) }

// operation is the X-Amz-Target's operation, "Logs_20140328.PutLogEvents".
func (h *logsService) operation(r *http.Request, _ []byte) string {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "Logs_20140328.")
	if !ok {
		return "" // another service's target is not a Logs operation
	}
	return op
}

func logsInvalid(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "InvalidParameterException", fmt.Sprintf(format, args...))
}

func logsNotFound(msg string) *apiError {
	return newError(http.StatusBadRequest, "ResourceNotFoundException", msg)
}

// logsRequest is the union of the request fields the served operations use.
type logsRequest struct {
	LogGroupName        string   `json:"logGroupName"`
	LogGroupNamePrefix  string   `json:"logGroupNamePrefix"`
	LogStreamName       string   `json:"logStreamName"`
	LogStreamNamePrefix string   `json:"logStreamNamePrefix"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogEvents           []struct {
		Timestamp *int64  `json:"timestamp"`
		Message   *string `json:"message"`
	} `json:"logEvents"`
	StartTime     *int64 `json:"startTime"`
	EndTime       *int64 `json:"endTime"`
	NextToken     string `json:"nextToken"`
	Limit         *int   `json:"limit"`
	StartFromHead *bool  `json:"startFromHead"`
	FilterPattern string `json:"filterPattern"`
}

var (
	logsGroupName  = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]{1,512}$`)
	logsStreamName = regexp.MustCompile(`^[^:*]{1,512}$`)
)

func (h *logsService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	var req logsRequest
	if err := json.Unmarshal(c.body, &req); err != nil {
		c.writeError(w, r, newError(http.StatusBadRequest, "SerializationException", "Unable to parse the request body: "+err.Error()))
		return
	}
	region := c.region
	base := "arn:aws:logs:" + region + ":" + c.caller.AccountID + ":log-group:"
	key := c.caller.AccountID + "/" + region + "/"

	// Each operation is authorised on the resource AWS evaluates it
	// against: the stream ARN for stream operations, the group with an
	// empty stream for group operations, and no group at all for
	// DescribeLogGroups.
	var action, resource string
	streamOp := false
	switch c.operation {
	case "CreateLogGroup", "DescribeLogStreams", "FilterLogEvents":
		action, resource = "logs:"+c.operation, base+req.LogGroupName+":log-stream:"
	case "CreateLogStream", "PutLogEvents", "GetLogEvents":
		action, resource = "logs:"+c.operation, base+req.LogGroupName+":log-stream:"+req.LogStreamName
		streamOp = true
	case "DescribeLogGroups":
		action, resource = "logs:DescribeLogGroups", base+":log-stream:"
	default:
		c.writeError(w, r, newError(http.StatusBadRequest, "UnknownOperationException", "Unknown operation "+c.operation))
		return
	}
	if c.operation != "DescribeLogGroups" && !logsGroupName.MatchString(req.LogGroupName) {
		c.writeError(w, r, logsInvalid("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", req.LogGroupName))
		return
	}
	if streamOp && !logsStreamName.MatchString(req.LogStreamName) {
		c.writeError(w, r, logsInvalid("1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*", req.LogStreamName))
		return
	}
	if err := c.authorize(action, resource, nil); err != nil {
		c.writeError(w, r, err)
		return
	}

	h.mu.Lock()
	out, aerr := h.dispatch(c.operation, &req, key, base, h.server.now())
	h.mu.Unlock()
	if aerr != nil {
		c.writeError(w, r, aerr)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(out)
}

// dispatch runs one operation with h.mu held.
func (h *logsService) dispatch(op string, req *logsRequest, key, base string, now time.Time) (any, *apiError) {
	g := h.groups[key+req.LogGroupName]
	needGroup := func() *apiError {
		if g == nil {
			return logsNotFound("The specified log group does not exist.")
		}
		return nil
	}
	// stream finds the request's stream in its group, which must exist.
	stream := func() (*logStream, *apiError) {
		if err := needGroup(); err != nil {
			return nil, err
		}
		st := g.streams[req.LogStreamName]
		if st == nil {
			return nil, logsNotFound("The specified log stream does not exist.")
		}
		return st, nil
	}
	switch op {
	case "CreateLogGroup":
		if g != nil {
			return nil, newError(http.StatusBadRequest, "ResourceAlreadyExistsException", "The specified log group already exists")
		}
		h.groups[key+req.LogGroupName] = &logGroup{name: req.LogGroupName, arn: base + req.LogGroupName, created: now, streams: map[string]*logStream{}}
		return struct{}{}, nil
	case "CreateLogStream":
		if err := needGroup(); err != nil {
			return nil, err
		}
		if g.streams[req.LogStreamName] != nil {
			return nil, newError(http.StatusBadRequest, "ResourceAlreadyExistsException", "The specified log stream already exists")
		}
		g.streams[req.LogStreamName] = &logStream{name: req.LogStreamName, created: now}
		return struct{}{}, nil
	case "PutLogEvents":
		st, err := stream()
		if err != nil {
			return nil, err
		}
		return h.putLogEvents(g, st, req, now)
	case "GetLogEvents":
		st, err := stream()
		if err != nil {
			return nil, err
		}
		return getLogEvents(st, req)
	case "FilterLogEvents":
		if err := needGroup(); err != nil {
			return nil, err
		}
		return filterLogEvents(g, req)
	case "DescribeLogStreams":
		if err := needGroup(); err != nil {
			return nil, err
		}
		return describeLogStreams(g, req)
	case "DescribeLogGroups":
		return h.describeLogGroups(key, req)
	}
	return nil, newError(http.StatusBadRequest, "UnknownOperationException", "Unknown operation "+op)
}

// putLogEvents applies PutLogEvents' rules: whole-batch violations are
// errors; events too old, too new or past retention are left out and
// reported by index, the rest are stored.
func (h *logsService) putLogEvents(g *logGroup, st *logStream, req *logsRequest, now time.Time) (any, *apiError) {
	n := len(req.LogEvents)
	if n == 0 || n > logsMaxBatchEvents {
		return nil, logsInvalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to %d and greater than or equal to 1", logsMaxBatchEvents)
	}
	size := 0
	for i, e := range req.LogEvents {
		if e.Timestamp == nil || e.Message == nil || *e.Message == "" {
			return nil, logsInvalid("1 validation error detected: Value at 'logEvents.%d' failed to satisfy constraint: timestamp and a message of at least 1 character are required", i+1)
		}
		size += len(*e.Message) + logsEventOverhead
		if i > 0 && *e.Timestamp < *req.LogEvents[i-1].Timestamp {
			return nil, logsInvalid("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	if size > logsMaxBatchBytes {
		return nil, logsInvalid("Upload too large: %d bytes exceeds limit of %d", size, logsMaxBatchBytes)
	}
	nowMs := now.UnixMilli()
	tooOld, expired, tooNew := 0, 0, n
	for i, e := range req.LogEvents {
		ts := *e.Timestamp
		if ts < nowMs-logsMaxAge.Milliseconds() {
			tooOld = i + 1
		}
		if g.retentionDays > 0 && ts < nowMs-int64(g.retentionDays)*24*time.Hour.Milliseconds() {
			expired = i + 1
		}
		if ts > nowMs+logsMaxAhead.Milliseconds() && tooNew == n {
			tooNew = i
		}
	}
	// Only the events AWS would keep (within 14 days back and 2 hours
	// ahead) count towards the 24-hour span; an ancient event beside fresh
	// ones is reported as too old, not a reason to refuse the batch.
	if tooOld < tooNew {
		span := *req.LogEvents[tooNew-1].Timestamp - *req.LogEvents[tooOld].Timestamp
		if span > logsMaxBatchSpan.Milliseconds() {
			return nil, logsInvalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
		}
	}
	for i := max(tooOld, expired); i < tooNew; i++ {
		e := req.LogEvents[i]
		st.events = append(st.events, logEvent{ts: *e.Timestamp, ingested: nowMs, message: *e.Message, seq: len(st.events)})
		st.bytes += int64(len(*e.Message))
	}
	sort.SliceStable(st.events, func(i, j int) bool { return st.events[i].ts < st.events[j].ts })
	out := map[string]any{"nextSequenceToken": fmt.Sprintf("%056d", len(st.events))}
	info := map[string]int{}
	if tooOld > 0 {
		info["tooOldLogEventEndIndex"] = tooOld
	}
	if expired > 0 {
		info["expiredLogEventEndIndex"] = expired
	}
	if tooNew < n {
		info["tooNewLogEventStartIndex"] = tooNew
	}
	if len(info) > 0 {
		out["rejectedLogEventsInfo"] = info
	}
	return out, nil
}
