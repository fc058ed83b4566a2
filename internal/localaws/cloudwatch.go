package localaws

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// CloudWatch's limits (PutMetricData and GetMetricData API references).
const (
	cwMaxPayload       = 1 << 20 // PutMetricData request size
	cwMaxData          = 1000    // MetricData items per PutMetricData
	cwMaxDimensions    = 30
	cwMaxValues        = 150
	cwMaxQueries       = 500
	cwDefaultMaxPoints = 100800
	cwListPageSize     = 500
	cwMaxAge           = 14 * 24 * time.Hour
	cwMaxAhead         = 2 * time.Hour
)

// The current SDK client speaks Smithy RPCv2 CBOR to CloudWatch
// (POST /service/GraniteServiceVersion20100801/operation/NAME) and, the
// service being awsQuery-compatible, reads the query error code from
// X-Amzn-Query-Error; the server's protocolCBOR writes both.
func init() {
	registerService(serviceSpec{
		name:     "monitoring",
		protocol: protocolCBOR,
		newHandler: func(s *Server) serviceHandler {
			return &cloudWatchService{server: s, metrics: map[string]*cwMetric{}}
		},
	})
}

// cloudWatchService serves CloudWatch metrics for one server.
type cloudWatchService struct {
	server *Server

	mu      sync.Mutex           // guards metrics and their points
	metrics map[string]*cwMetric // by account/region/namespace/name/dims
}

type cwMetric struct {
	namespace, name string
	dims            [][2]string // sorted by name
	points          []cwPoint
}

// cwPoint is one published datum: values with counts (a single Value is
// one value with count 1), or a statistic set.
type cwPoint struct {
	ts                 time.Time
	values, counts     []float64
	statSet            bool
	sum, n, minV, maxV float64
	unit               string
}

// MetricDatum is a data point CloudWatch stored, as Metrics returns it.
type MetricDatum struct {
	Namespace, MetricName string
	Dimensions            map[string]string
	Timestamp             time.Time
	Values, Counts        []float64 // a single Value is Values[0] with count 1
	StatisticSet          bool      // the datum was a statistic set: see Sum, SampleCount, Minimum, Maximum
	Sum, SampleCount      float64
	Minimum, Maximum      float64
	Unit                  string
}

// Metrics returns every datum account published in the server's region to
// namespace, in publication order per metric.
func (a *Account) Metrics(namespace string) []MetricDatum {
	h := cloudWatchOf(a.server)
	h.mu.Lock()
	defer h.mu.Unlock()
	prefix := a.id + "/" + a.server.opts.Region + "/" + namespace + "/"
	var keys []string
	for k := range h.metrics {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []MetricDatum
	for _, k := range keys {
		m := h.metrics[k]
		dims := map[string]string{}
		for _, d := range m.dims {
			dims[d[0]] = d[1]
		}
		for _, p := range m.points {
			out = append(out, MetricDatum{Namespace: m.namespace, MetricName: m.name, Dimensions: dims, Timestamp: p.ts,
				Values: p.values, Counts: p.counts, StatisticSet: p.statSet, Sum: p.sum, SampleCount: p.n, Minimum: p.minV, Maximum: p.maxV, Unit: p.unit})
		}
	}
	return out
}

func cloudWatchOf(s *Server) *cloudWatchService {
	return s.routes["monitoring"].handler.(*cloudWatchService)
}

func (h *cloudWatchService) operation(r *http.Request, _ []byte) string {
	_, op, ok := strings.Cut(r.URL.Path, "/service/GraniteServiceVersion20100801/operation/")
	if !ok {
		return ""
	}
	return op
}

// cwInvalid is InvalidParameterValue as the CBOR client decodes it: the
// modelled exception in __type, the awsQuery code in X-Amzn-Query-Error.
func cwInvalid(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidParameterValueException", queryCode: "InvalidParameterValue", message: fmt.Sprintf(format, args...)}
}

func cwMissing(name string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "MissingRequiredParameterException", queryCode: "MissingParameter",
		message: "The parameter " + name + " is required."}
}

func (h *cloudWatchService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	body := c.body
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		// The SDK gzips PutMetricData bodies above its compression
		// threshold (the operation's requestCompression trait).
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, err = io.ReadAll(io.LimitReader(zr, cwMaxPayload+1))
		}
		if err != nil {
			c.writeError(w, r, &apiError{status: http.StatusBadRequest, code: "SerializationException", message: "the gzip request body does not decompress: " + err.Error()})
			return
		}
	}
	// The 1 MB limit applies to the payload as CloudWatch reads it, so a
	// compressed request is measured after decompression.
	if c.operation == "PutMetricData" && len(body) > cwMaxPayload {
		c.writeError(w, r, &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLarge",
			message: fmt.Sprintf("Request size exceeded %d bytes", cwMaxPayload)})
		return
	}
	in := smithycbor.Map{}
	if len(body) > 0 {
		v, err := smithycbor.Decode(body)
		m, ok := v.(smithycbor.Map)
		if err != nil || !ok {
			c.writeError(w, r, &apiError{status: http.StatusBadRequest, code: "SerializationException", message: "the request body is not a CBOR map"})
			return
		}
		in = m
	}
	region := credentialScopeRegion(r)
	key := c.caller.AccountID + "/" + region + "/"
	var out smithycbor.Map
	var aerr *apiError
	switch c.operation {
	case "PutMetricData":
		ns := cwString(in["Namespace"])
		// PutMetricData has no resource-level permission; IAM scopes it
		// with the cloudwatch:namespace condition key.
		if err := c.authorize("cloudwatch:PutMetricData", "*", map[string][]string{"cloudwatch:namespace": {ns}}); err != nil {
			c.writeError(w, r, err)
			return
		}
		out, aerr = h.putMetricData(key, ns, in)
	case "GetMetricData":
		if err := c.authorize("cloudwatch:GetMetricData", "*", nil); err != nil {
			c.writeError(w, r, err)
			return
		}
		out, aerr = h.getMetricData(key, in)
	case "ListMetrics":
		if err := c.authorize("cloudwatch:ListMetrics", "*", nil); err != nil {
			c.writeError(w, r, err)
			return
		}
		out, aerr = h.listMetrics(key, in)
	default:
		aerr = &apiError{status: http.StatusBadRequest, code: "UnknownOperationException", queryCode: "InvalidAction", message: "Unknown operation " + c.operation}
	}
	if aerr != nil {
		c.writeError(w, r, aerr)
		return
	}
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	_, _ = w.Write(smithycbor.Encode(out))
}

func cwString(v smithycbor.Value) string {
	s, _ := v.(smithycbor.String)
	return string(s)
}

func cwList(v smithycbor.Value) smithycbor.List {
	l, _ := v.(smithycbor.List)
	return l
}

func cwMap(v smithycbor.Value) smithycbor.Map {
	m, _ := v.(smithycbor.Map)
	return m
}

func cwFloats(v smithycbor.Value) ([]float64, error) {
	var out []float64
	for _, x := range cwList(v) {
		f, err := smithycbor.AsFloat64(x)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// cwDims reads and sorts a Dimensions list.
func cwDims(v smithycbor.Value) [][2]string {
	var dims [][2]string
	for _, d := range cwList(v) {
		m := cwMap(d)
		dims = append(dims, [2]string{cwString(m["Name"]), cwString(m["Value"])})
	}
	sort.Slice(dims, func(i, j int) bool { return dims[i][0] < dims[j][0] })
	return dims
}

func cwKey(ns, name string, dims [][2]string) string {
	var b strings.Builder
	b.WriteString(ns + "/" + name)
	for _, d := range dims {
		b.WriteString("/" + d[0] + "=" + d[1])
	}
	return b.String()
}

// putMetricData validates the whole call first, as CloudWatch does, so a
// bad datum stores nothing.
func (h *cloudWatchService) putMetricData(key, ns string, in smithycbor.Map) (smithycbor.Map, *apiError) {
	if ns == "" {
		return nil, cwMissing("Namespace")
	}
	if strings.HasPrefix(ns, "AWS/") || strings.HasPrefix(ns, ":") || len(ns) > 255 {
		return nil, cwInvalid("The value %s for parameter Namespace is invalid.", ns)
	}
	data := cwList(in["MetricData"])
	if len(data) == 0 {
		return nil, cwMissing("MetricData")
	}
	if len(data) > cwMaxData {
		return nil, cwInvalid("The collection MetricData must not have a size greater than %d.", cwMaxData)
	}
	now := h.server.now()
	type pending struct {
		name string
		dims [][2]string
		p    cwPoint
	}
	var accepted []pending
	for i, v := range data {
		d := cwMap(v)
		field := fmt.Sprintf("MetricData.member.%d", i+1)
		name := cwString(d["MetricName"])
		if name == "" {
			return nil, cwMissing(field + ".MetricName")
		}
		dims := cwDims(d["Dimensions"])
		if len(dims) > cwMaxDimensions {
			return nil, cwInvalid("The collection %s.Dimensions must not have a size greater than %d.", field, cwMaxDimensions)
		}
		for j, dim := range dims {
			if dim[0] == "" || dim[1] == "" {
				return nil, cwInvalid("The parameter %s.Dimensions.member.%d must have a Name and a Value.", field, j+1)
			}
			if j > 0 && dims[j-1][0] == dim[0] {
				return nil, cwInvalid("No metric may have duplicate dimension names: %s has %s twice.", field, dim[0])
			}
		}
		p := cwPoint{ts: now, unit: cwString(d["Unit"])}
		if t, ok := d["Timestamp"]; ok {
			ts, err := smithycbor.AsTime(t)
			if err != nil {
				return nil, cwInvalid("The parameter %s.Timestamp is not a timestamp.", field)
			}
			p.ts = ts.UTC()
		}
		if p.ts.Before(now.Add(-cwMaxAge)) {
			return nil, cwInvalid("The parameter %s.Timestamp must specify a time no more than two weeks in the past.", field)
		}
		if p.ts.After(now.Add(cwMaxAhead)) {
			return nil, cwInvalid("The parameter %s.Timestamp must specify a time no more than two hours in the future.", field)
		}
		kinds := 0
		if v, ok := d["Value"]; ok {
			kinds++
			f, err := smithycbor.AsFloat64(v)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, cwInvalid("The value for parameter %s.Value is invalid.", field)
			}
			p.values, p.counts = []float64{f}, []float64{1}
		}
		if v, ok := d["Values"]; ok {
			kinds++
			vals, err := cwFloats(v)
			if err != nil {
				return nil, cwInvalid("The parameter %s.Values is invalid.", field)
			}
			if len(vals) > cwMaxValues {
				return nil, cwInvalid("The collection %s.Values must not have a size greater than %d.", field, cwMaxValues)
			}
			counts, err := cwFloats(d["Counts"])
			if err != nil {
				return nil, cwInvalid("The parameter %s.Counts is invalid.", field)
			}
			if counts == nil {
				counts = make([]float64, len(vals))
				for i := range counts {
					counts[i] = 1
				}
			}
			if len(counts) != len(vals) {
				return nil, cwInvalid("The parameters %s.Values and %s.Counts must be of the same size.", field, field)
			}
			p.values, p.counts = vals, counts
		}
		if v, ok := d["StatisticValues"]; ok {
			kinds++
			s := cwMap(v)
			var err error
			for _, f := range []struct {
				name string
				to   *float64
			}{{"Sum", &p.sum}, {"SampleCount", &p.n}, {"Minimum", &p.minV}, {"Maximum", &p.maxV}} {
				x, ok := s[f.name]
				if !ok {
					return nil, cwMissing(field + ".StatisticValues." + f.name)
				}
				if *f.to, err = smithycbor.AsFloat64(x); err != nil {
					return nil, cwInvalid("The parameter %s.StatisticValues.%s is invalid.", field, f.name)
				}
			}
			p.statSet = true
		}
		if kinds != 1 {
			return nil, &apiError{status: http.StatusBadRequest, code: "InvalidParameterCombinationException", queryCode: "InvalidParameterCombination",
				message: fmt.Sprintf("The parameters %s.Value, %s.Values and %s.StatisticValues are mutually exclusive and one is required.", field, field, field)}
		}
		accepted = append(accepted, pending{name, dims, p})
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, a := range accepted {
		k := key + cwKey(ns, a.name, a.dims)
		m := h.metrics[k]
		if m == nil {
			m = &cwMetric{namespace: ns, name: a.name, dims: a.dims}
			h.metrics[k] = m
		}
		m.points = append(m.points, a.p)
	}
	return smithycbor.Map{}, nil
}

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
	offset := 0
	if t := cwString(in["NextToken"]); t != "" {
		b, err := base64.RawURLEncoding.DecodeString(t)
		n, convErr := strconv.Atoi(string(b))
		if err != nil || convErr != nil || n < 0 {
			return nil, &apiError{status: http.StatusBadRequest, code: "InvalidNextToken", queryCode: "InvalidNextToken", message: "The service couldn't process your request because the NextToken is invalid."}
		}
		offset = n
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
		if err != nil || period < 1 || (period >= 60 && period%60 != 0) || (period < 60 && 60%period != 0) {
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
				next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(pos)))
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
	offset := 0
	if t := cwString(in["NextToken"]); t != "" {
		b, err := base64.RawURLEncoding.DecodeString(t)
		n, convErr := strconv.Atoi(string(b))
		if err != nil || convErr != nil || n < 0 {
			return nil, &apiError{status: http.StatusBadRequest, code: "InvalidNextToken", queryCode: "InvalidNextToken", message: "The service couldn't process your request because the NextToken is invalid."}
		}
		offset = n
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
		out["NextToken"] = smithycbor.String(base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end))))
	}
	return out, nil
}
