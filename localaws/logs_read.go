package localaws

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file holds CloudWatch Logs' read operations: GetLogEvents,
// FilterLogEvents and the Describe calls.

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
