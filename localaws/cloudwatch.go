package localaws

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
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
//
// MetricDatum is a plain value, safe for concurrent reads.
type MetricDatum struct {
	// Namespace is the namespace the datum was published to ("Acme/Orders").
	Namespace string
	// MetricName is the metric's name.
	MetricName string
	// Dimensions are the metric's dimensions, name to value; nil when none.
	Dimensions map[string]string
	// Timestamp is the datum's time: the one published, or the server's
	// clock at PutMetricData when none was.
	Timestamp time.Time
	// Values are the datum's values; a single Value is Values[0].
	Values []float64
	// Counts are how often each of Values occurred; a single Value counts 1.
	Counts []float64
	// StatisticSet is true when the datum was a statistic set: then Sum,
	// SampleCount, Minimum and Maximum hold it and Values is empty.
	StatisticSet bool
	// Sum is a statistic set's sum.
	Sum float64
	// SampleCount is a statistic set's number of samples.
	SampleCount float64
	// Minimum is a statistic set's smallest sample.
	Minimum float64
	// Maximum is a statistic set's largest sample.
	Maximum float64
	// Unit is the datum's unit ("Count", "Seconds"); "" when none was given.
	Unit string
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
	region := c.region
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
