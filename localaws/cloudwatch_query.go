package localaws

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// This file holds CloudWatch's read operations: GetMetricData and
// ListMetrics.

// cwQueryID is GetMetricData's rule for query IDs.
var cwQueryID = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// cwPercentile is a pNN statistic.
var cwPercentile = regexp.MustCompile(`^p(\d{1,2}(\.\d+)?|100)$`)

// getMetricData aggregates each MetricStat query into period buckets aligned
// to the epoch, newest first unless ScanBy asks otherwise. Pages hold at most
// MaxDatapoints points in all; NextToken is the offset into the series.
func (h *cloudWatchService) getMetricData(key string, in smithycbor.Map) (smithycbor.Map, *apiError) {
	queries := cwList(in["MetricDataQueries"])
	if len(queries) == 0 {
		return nil, cwMissing("MetricDataQueries")
	}
	if len(queries) > cwMaxQueries {
		return nil, cwInvalid("The collection MetricDataQueries must not have a size greater than %d.", cwMaxQueries)
	}
	start, err1 := smithycbor.AsTime(in["StartTime"])
	end, err2 := smithycbor.AsTime(in["EndTime"])
	if err1 != nil || err2 != nil {
		return nil, cwMissing("StartTime and EndTime")
	}
	if !start.Before(end) {
		return nil, cwInvalid("The parameter StartTime must be less than the parameter EndTime.")
	}
	maxPoints := cwDefaultMaxPoints
	if v, ok := in["MaxDatapoints"]; ok {
		n, err := smithycbor.AsInt64(v)
		if err != nil || n < 1 {
			return nil, cwInvalid("The parameter MaxDatapoints must be a positive integer.")
		}
		maxPoints = int(n)
	}
	ascending := cwString(in["ScanBy"]) == "TimestampAscending"
	offset, aerr := cwPageOffset(in)
	if aerr != nil {
		return nil, aerr
	}

	type series struct {
		id, label string
		ts        []time.Time
		vals      []float64
	}
	var all []series
	seen := map[string]bool{}
	h.mu.Lock()
	for i, qv := range queries {
		q := cwMap(qv)
		id := cwString(q["Id"])
		field := fmt.Sprintf("MetricDataQueries.member.%d", i+1)
		if !cwQueryID.MatchString(id) {
			h.mu.Unlock()
			return nil, cwInvalid("The value %s for parameter %s.Id is invalid: it must start with a lower-case letter and hold only letters, digits and underscores.", id, field)
		}
		if seen[id] {
			h.mu.Unlock()
			return nil, cwInvalid("The value %s for parameter %s.Id is not unique.", id, field)
		}
		seen[id] = true
		ms, ok := q["MetricStat"]
		if !ok {
			h.mu.Unlock()
			return nil, cwInvalid("%s: localaws evaluates MetricStat queries only; metric math expressions are not emulated.", field)
		}
		st := cwMap(ms)
		metric := cwMap(st["Metric"])
		stat := cwString(st["Stat"])
		period, err := smithycbor.AsInt64(st["Period"])
		if err != nil || !cwValidPeriod(period) {
			h.mu.Unlock()
			return nil, cwInvalid("The parameter %s.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.", field)
		}
		if !cwKnownStat(stat) {
			h.mu.Unlock()
			return nil, cwInvalid("The value %s for parameter %s.MetricStat.Stat is not a supported statistic.", stat, field)
		}
		label := cwString(q["Label"])
		if label == "" {
			label = cwString(metric["MetricName"])
		}
		if rd, ok := q["ReturnData"].(smithycbor.Bool); ok && !bool(rd) {
			continue
		}
		m := h.metrics[key+cwKey(cwString(metric["Namespace"]), cwString(metric["MetricName"]), cwDims(metric["Dimensions"]))]
		s := series{id: id, label: label}
		if m != nil {
			buckets := map[int64][]cwPoint{}
			for _, p := range m.points {
				if p.ts.Before(start) || !p.ts.Before(end) {
					continue
				}
				b := p.ts.Unix() / period * period
				buckets[b] = append(buckets[b], p)
			}
			var starts []int64
			for b := range buckets {
				starts = append(starts, b)
			}
			sort.Slice(starts, func(i, j int) bool { return (starts[i] < starts[j]) == ascending })
			for _, b := range starts {
				if v, ok := cwAggregate(buckets[b], stat); ok {
					s.ts = append(s.ts, time.Unix(b, 0).UTC())
					s.vals = append(s.vals, v)
				}
			}
		}
		all = append(all, s)
	}
	h.mu.Unlock()

	// Page over the concatenated series: skip offset points, take maxPoints.
	results := smithycbor.List{}
	pos, taken := 0, 0
	next := ""
	for _, s := range all {
		r := smithycbor.Map{"Id": smithycbor.String(s.id), "Label": smithycbor.String(s.label), "StatusCode": smithycbor.String("Complete")}
		ts, vals := smithycbor.List{}, smithycbor.List{}
		for i := range s.ts {
			if pos >= offset && taken < maxPoints {
				ts = append(ts, &smithycbor.Tag{ID: 1, Value: smithycbor.Float64(float64(s.ts[i].UnixMilli()) / 1e3)})
				vals = append(vals, smithycbor.Float64(s.vals[i]))
				taken++
			} else if pos >= offset && next == "" {
				next = cwPageToken(pos)
				r["StatusCode"] = smithycbor.String("PartialData")
			}
			pos++
		}
		r["Timestamps"], r["Values"] = ts, vals
		results = append(results, r)
	}
	out := smithycbor.Map{"MetricDataResults": results, "Messages": smithycbor.List{}}
	if next != "" {
		out["NextToken"] = smithycbor.String(next)
	}
	return out, nil
}

func cwKnownStat(s string) bool {
	switch s {
	case "Sum", "Average", "Minimum", "Maximum", "SampleCount":
		return true
	}
	return cwPercentile.MatchString(s)
}

// cwAggregate computes one statistic over a bucket's points. Percentiles
// need raw values, so statistic sets do not contribute to them.
func cwAggregate(points []cwPoint, stat string) (float64, bool) {
	var sum, n float64
	lo, hi := math.Inf(1), math.Inf(-1)
	type vc struct{ v, c float64 }
	var raw []vc
	for _, p := range points {
		if p.statSet {
			sum, n, lo, hi = sum+p.sum, n+p.n, math.Min(lo, p.minV), math.Max(hi, p.maxV)
			continue
		}
		for i, v := range p.values {
			c := p.counts[i]
			sum, n, lo, hi = sum+v*c, n+c, math.Min(lo, v), math.Max(hi, v)
			raw = append(raw, vc{v, c})
		}
	}
	if n == 0 {
		return 0, false
	}
	switch stat {
	case "Sum":
		return sum, true
	case "Average":
		return sum / n, true
	case "Minimum":
		return lo, true
	case "Maximum":
		return hi, true
	case "SampleCount":
		return n, true
	}
	pct, _ := strconv.ParseFloat(stat[1:], 64)
	if len(raw) == 0 {
		return 0, false
	}
	sort.Slice(raw, func(i, j int) bool { return raw[i].v < raw[j].v })
	var total float64
	for _, r := range raw {
		total += r.c
	}
	rank, acc := pct/100*total, 0.0
	for _, r := range raw {
		acc += r.c
		if acc >= rank {
			return r.v, true
		}
	}
	return raw[len(raw)-1].v, true
}

// listMetrics filters by namespace, name and dimension filters, pages of 500.
func (h *cloudWatchService) listMetrics(key string, in smithycbor.Map) (smithycbor.Map, *apiError) {
	ns, name := cwString(in["Namespace"]), cwString(in["MetricName"])
	type filter struct {
		name, value string
		hasValue    bool
	}
	var filters []filter
	for _, f := range cwList(in["Dimensions"]) {
		m := cwMap(f)
		v, has := m["Value"]
		filters = append(filters, filter{cwString(m["Name"]), cwString(v), has})
	}
	offset, aerr := cwPageOffset(in)
	if aerr != nil {
		return nil, aerr
	}
	h.mu.Lock()
	var keys []string
	for k, m := range h.metrics {
		if !strings.HasPrefix(k, key) || (ns != "" && m.namespace != ns) || (name != "" && m.name != name) {
			continue
		}
		ok := true
		for _, f := range filters {
			found := false
			for _, d := range m.dims {
				if d[0] == f.name && (!f.hasValue || d[1] == f.value) {
					found = true
				}
			}
			ok = ok && found
		}
		if ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	list := smithycbor.List{}
	end := min(len(keys), offset+cwListPageSize)
	for _, k := range keys[min(offset, len(keys)):end] {
		m := h.metrics[k]
		dims := smithycbor.List{}
		for _, d := range m.dims {
			dims = append(dims, smithycbor.Map{"Name": smithycbor.String(d[0]), "Value": smithycbor.String(d[1])})
		}
		list = append(list, smithycbor.Map{"Namespace": smithycbor.String(m.namespace), "MetricName": smithycbor.String(m.name), "Dimensions": dims})
	}
	h.mu.Unlock()
	out := smithycbor.Map{"Metrics": list}
	if end < len(keys) {
		out["NextToken"] = smithycbor.String(cwPageToken(end))
	}
	return out, nil
}

// cwPageToken is the NextToken that resumes a listing at offset. It is
// opaque to clients, as AWS's is, but needs no server-side state.
func cwPageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
}

// cwPageOffset reads the request's NextToken (see cwPageToken); no token is
// offset 0, and one the server did not write is InvalidNextToken.
func cwPageOffset(in smithycbor.Map) (int, *apiError) {
	t := cwString(in["NextToken"])
	if t == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(t)
	n, convErr := strconv.Atoi(string(b))
	if err != nil || convErr != nil || n < 0 {
		return 0, &apiError{status: http.StatusBadRequest, code: "InvalidNextToken", queryCode: "InvalidNextToken",
			message: "The service couldn't process your request because the NextToken is invalid."}
	}
	return n, nil
}

// cwValidPeriod is CloudWatch's rule for a MetricStat period in seconds:
// 1, 5, 10, 20 or 30 for high-resolution metrics, else a multiple of 60.
func cwValidPeriod(p int64) bool {
	switch p {
	case 1, 5, 10, 20, 30:
		return true
	}
	return p >= 60 && p%60 == 0
}
