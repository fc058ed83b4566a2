package localaws

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
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
type LogEvent struct {
	Timestamp time.Time
	Message   string
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
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
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
	region := credentialScopeRegion(r)
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
		if err := needGroup(); err != nil {
			return nil, err
		}
		st := g.streams[req.LogStreamName]
		if st == nil {
			return nil, logsNotFound("The specified log stream does not exist.")
		}
		return h.putLogEvents(g, st, req, now)
	case "GetLogEvents":
		if err := needGroup(); err != nil {
			return nil, err
		}
		st := g.streams[req.LogStreamName]
		if st == nil {
			return nil, logsNotFound("The specified log stream does not exist.")
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
	if span := *req.LogEvents[n-1].Timestamp - *req.LogEvents[0].Timestamp; span > logsMaxBatchSpan.Milliseconds() {
		return nil, logsInvalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
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

// inRange applies startTime (inclusive) and endTime (exclusive).
func inRange(ts int64, req *logsRequest) bool {
	return (req.StartTime == nil || ts >= *req.StartTime) && (req.EndTime == nil || ts < *req.EndTime)
}

func logsLimit(req *logsRequest, def int) (int, *apiError) {
	if req.Limit == nil {
		return def, nil
	}
	if *req.Limit < 1 || *req.Limit > def {
		return 0, logsInvalid("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *req.Limit, def)
	}
	return *req.Limit, nil
}

// getLogEvents pages through one stream. Tokens are "f/N" and "b/N"
// positions, padded as AWS's are; at the end of the stream the forward
// token comes back unchanged, which is how callers know to stop.
func getLogEvents(st *logStream, req *logsRequest) (any, *apiError) {
	limit, err := logsLimit(req, logsMaxGetEvents)
	if err != nil {
		return nil, err
	}
	var events []logEvent
	for _, e := range st.events {
		if inRange(e.ts, req) {
			events = append(events, e)
		}
	}
	var from, to int
	switch {
	case req.NextToken != "":
		dir, pos, ok := parseLogsToken(req.NextToken)
		if !ok || pos > len(events) {
			return nil, logsInvalid("The specified nextToken is invalid.")
		}
		if dir == "f" {
			from, to = pos, min(pos+limit, len(events))
		} else {
			from, to = max(0, pos-limit), pos
		}
	case req.StartFromHead != nil && *req.StartFromHead:
		from, to = 0, min(limit, len(events))
	default:
		from, to = max(0, len(events)-limit), len(events)
	}
	out := make([]map[string]any, 0, to-from)
	for _, e := range events[from:to] {
		out = append(out, map[string]any{"timestamp": e.ts, "message": e.message, "ingestionTime": e.ingested})
	}
	next := logsToken("f", to)
	if req.NextToken != "" && from == to {
		next = req.NextToken
	}
	return map[string]any{"events": out, "nextForwardToken": next, "nextBackwardToken": logsToken("b", from)}, nil
}

func logsToken(dir string, pos int) string { return fmt.Sprintf("%s/%056d", dir, pos) }

func parseLogsToken(t string) (dir string, pos int, ok bool) {
	dir, num, ok := strings.Cut(t, "/")
	if !ok || (dir != "f" && dir != "b") {
		return "", 0, false
	}
	pos, err := strconv.Atoi(num)
	return dir, pos, err == nil && pos >= 0
}

// filterLogEvents searches a group's streams, merged in timestamp order.
func filterLogEvents(g *logGroup, req *logsRequest) (any, *apiError) {
	if len(req.LogStreamNames) > 0 && req.LogStreamNamePrefix != "" {
		return nil, logsInvalid("You cannot specify both LogStreamNames and LogStreamNamePrefix.")
	}
	match, err := compileFilterPattern(req.FilterPattern)
	if err != nil {
		return nil, err
	}
	limit, err := logsLimit(req, logsMaxGetEvents)
	if err != nil {
		return nil, err
	}
	offset := 0
	if req.NextToken != "" {
		b, decErr := base64.RawURLEncoding.DecodeString(req.NextToken)
		n, convErr := strconv.Atoi(string(b))
		if decErr != nil || convErr != nil || n < 0 {
			return nil, logsInvalid("The specified nextToken is invalid.")
		}
		offset = n
	}
	wanted := map[string]bool{}
	for _, n := range req.LogStreamNames {
		wanted[n] = true
	}
	type hit struct {
		stream string
		e      logEvent
	}
	var hits []hit
	for name, st := range g.streams {
		if (len(wanted) > 0 && !wanted[name]) || !strings.HasPrefix(name, req.LogStreamNamePrefix) {
			continue
		}
		for _, e := range st.events {
			if inRange(e.ts, req) && match(e.message) {
				hits = append(hits, hit{name, e})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.e.ts != b.e.ts {
			return a.e.ts < b.e.ts
		}
		if a.stream != b.stream {
			return a.stream < b.stream
		}
		return a.e.seq < b.e.seq
	})
	out := []map[string]any{}
	end := min(len(hits), offset+limit)
	for i := min(offset, len(hits)); i < end; i++ {
		h := hits[i]
		out = append(out, map[string]any{
			"logStreamName": h.stream, "timestamp": h.e.ts, "message": h.e.message, "ingestionTime": h.e.ingested,
			"eventId": fmt.Sprintf("%020d%016d", h.e.ts, h.e.seq),
		})
	}
	resp := map[string]any{"events": out, "searchedLogStreams": []any{}}
	if end < len(hits) {
		resp["nextToken"] = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return resp, nil
}

// compileFilterPattern supports CloudWatch Logs' term patterns: terms that
// must all appear, "quoted phrases", ?term alternatives (any of them) and
// -term exclusions. JSON and space-delimited patterns are refused with a
// message saying so, rather than matched wrongly.
func compileFilterPattern(p string) (func(string) bool, *apiError) {
	p = strings.TrimSpace(p)
	if p == "" {
		return func(string) bool { return true }, nil
	}
	if strings.HasPrefix(p, "{") || strings.HasPrefix(p, "[") || strings.HasPrefix(p, "%") {
		return nil, logsInvalid("Invalid filter pattern %q: localaws supports term, \"phrase\", ?alternative and -exclusion patterns only", p)
	}
	var all, anyOf, none []string
	for p != "" {
		var term string
		if strings.HasPrefix(p, `"`) || strings.HasPrefix(p, `?"`) || strings.HasPrefix(p, `-"`) {
			lead := ""
			if p[0] != '"' {
				lead, p = p[:1], p[1:]
			}
			end := strings.Index(p[1:], `"`)
			if end < 0 {
				return nil, logsInvalid("Invalid filter pattern: unterminated quote")
			}
			term, p = lead+p[1:end+1], strings.TrimSpace(p[end+2:])
		} else {
			term, p, _ = strings.Cut(p, " ")
			p = strings.TrimSpace(p)
		}
		switch {
		case strings.HasPrefix(term, "?") && len(term) > 1:
			anyOf = append(anyOf, term[1:])
		case strings.HasPrefix(term, "-") && len(term) > 1:
			none = append(none, term[1:])
		default:
			all = append(all, term)
		}
	}
	return func(msg string) bool {
		for _, t := range all {
			if !strings.Contains(msg, t) {
				return false
			}
		}
		for _, t := range none {
			if strings.Contains(msg, t) {
				return false
			}
		}
		if len(anyOf) == 0 {
			return true
		}
		for _, t := range anyOf {
			if strings.Contains(msg, t) {
				return true
			}
		}
		return false
	}, nil
}

// pageByName pages sorted names with a base64 "next name" token.
func pageByName(names []string, token string, limit int) (page []string, next string, err *apiError) {
	sort.Strings(names)
	start := 0
	if token != "" {
		b, decErr := base64.RawURLEncoding.DecodeString(token)
		if decErr != nil {
			return nil, "", logsInvalid("The specified nextToken is invalid.")
		}
		start = sort.SearchStrings(names, string(b))
	}
	end := min(len(names), start+limit)
	if end < len(names) {
		next = base64.RawURLEncoding.EncodeToString([]byte(names[end]))
	}
	return names[start:end], next, nil
}

func (h *logsService) describeLogGroups(key string, req *logsRequest) (any, *apiError) {
	limit, err := logsLimit(req, 50)
	if err != nil {
		return nil, err
	}
	var names []string
	for k, g := range h.groups {
		if strings.HasPrefix(k, key) && strings.HasPrefix(g.name, req.LogGroupNamePrefix) {
			names = append(names, g.name)
		}
	}
	page, next, err := pageByName(names, req.NextToken, limit)
	if err != nil {
		return nil, err
	}
	groups := []map[string]any{}
	for _, n := range page {
		g := h.groups[key+n]
		var stored int64
		for _, st := range g.streams {
			stored += st.bytes
		}
		m := map[string]any{"logGroupName": g.name, "creationTime": g.created.UnixMilli(), "arn": g.arn + ":*", "logGroupArn": g.arn,
			"storedBytes": stored, "metricFilterCount": 0, "logGroupClass": "STANDARD"}
		if g.retentionDays > 0 {
			m["retentionInDays"] = g.retentionDays
		}
		groups = append(groups, m)
	}
	resp := map[string]any{"logGroups": groups}
	if next != "" {
		resp["nextToken"] = next
	}
	return resp, nil
}

func describeLogStreams(g *logGroup, req *logsRequest) (any, *apiError) {
	limit, err := logsLimit(req, 50)
	if err != nil {
		return nil, err
	}
	var names []string
	for n := range g.streams {
		if strings.HasPrefix(n, req.LogStreamNamePrefix) {
			names = append(names, n)
		}
	}
	page, next, err := pageByName(names, req.NextToken, limit)
	if err != nil {
		return nil, err
	}
	streams := []map[string]any{}
	for _, n := range page {
		st := g.streams[n]
		m := map[string]any{"logStreamName": n, "creationTime": st.created.UnixMilli(), "arn": g.arn + ":log-stream:" + n, "storedBytes": st.bytes}
		if len(st.events) > 0 {
			m["firstEventTimestamp"] = st.events[0].ts
			m["lastEventTimestamp"] = st.events[len(st.events)-1].ts
			m["lastIngestionTime"] = st.events[len(st.events)-1].ingested
		}
		streams = append(streams, m)
	}
	resp := map[string]any{"logStreams": streams}
	if next != "" {
		resp["nextToken"] = next
	}
	return resp, nil
}
