package cloudwatch

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/stretchr/testify/require"
)

func datum(name string, dims int, dimValueLen int) cwtypes.MetricDatum {
	d := cwtypes.MetricDatum{MetricName: aws.String(name), Value: aws.Float64(1)}
	for i := range dims {
		d.Dimensions = append(d.Dimensions, cwtypes.Dimension{Name: aws.String(fmt.Sprintf("d%d", i)), Value: aws.String(strings.Repeat("v", dimValueLen))})
	}
	return d
}

func TestSplitMetricData(t *testing.T) {
	small := make([]cwtypes.MetricDatum, 2500)
	for i := range small {
		small[i] = datum("m", 1, 3)
	}
	big := make([]cwtypes.MetricDatum, 100)
	for i := range big {
		big[i] = datum("m", 30, 1024)
	}
	tests := []struct {
		name      string
		data      []cwtypes.MetricDatum
		wantSizes []int
	}{
		{name: "empty", data: nil, wantSizes: nil},
		{name: "one", data: small[:1], wantSizes: []int{1}},
		{name: "exactly 1000", data: small[:1000], wantSizes: []int{1000}},
		{name: "by count", data: small, wantSizes: []int{1000, 1000, 500}},
		{name: "by bytes", data: big, wantSizes: nil}, // checked below by size
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			batches := splitMetricData(tt.data, MaxMetricDataPerCall, MaxMetricPayloadBytes-metricEnvelopeBytes)
			total := 0
			for _, b := range batches {
				require.NotEmpty(t, b)
				require.LessOrEqual(t, len(b), MaxMetricDataPerCall)
				size := 0
				for _, d := range b {
					size += datumSize(d)
				}
				require.LessOrEqual(t, size, MaxMetricPayloadBytes-metricEnvelopeBytes)
				total += len(b)
			}
			require.Equal(t, len(tt.data), total, "no datum lost or repeated")
			if tt.wantSizes != nil {
				var sizes []int
				for _, b := range batches {
					sizes = append(sizes, len(b))
				}
				require.Equal(t, tt.wantSizes, sizes)
			}
			if tt.name == "by bytes" {
				require.Greater(t, len(batches), 1, "100 data of 30 dimensions of 1 KiB each exceed 1 MB")
			}
		})
	}
}

func TestValidateDatum(t *testing.T) {
	ok := datum("m", 30, 10)
	tests := []struct {
		name    string
		mutate  func(*cwtypes.MetricDatum)
		mention string
	}{
		{name: "valid", mutate: func(*cwtypes.MetricDatum) {}},
		{name: "31 dimensions", mutate: func(d *cwtypes.MetricDatum) { *d = datum("m", 31, 1) }, mention: "31 dimensions"},
		{name: "no name", mutate: func(d *cwtypes.MetricDatum) { d.MetricName = nil }, mention: "MetricName"},
		{name: "empty dimension value", mutate: func(d *cwtypes.MetricDatum) { d.Dimensions[3].Value = aws.String("") }, mention: "Dimensions[3]"},
		{name: "duplicate dimension", mutate: func(d *cwtypes.MetricDatum) { d.Dimensions[1].Name = aws.String("d0") }, mention: "twice"},
		{name: "value and values", mutate: func(d *cwtypes.MetricDatum) { d.Values = []float64{1} }, mention: "exactly one"},
		{name: "no value", mutate: func(d *cwtypes.MetricDatum) { d.Value = nil }, mention: "exactly one"},
		{name: "151 values", mutate: func(d *cwtypes.MetricDatum) { d.Value = nil; d.Values = make([]float64, 151) }, mention: "151 Values"},
		{name: "counts mismatch", mutate: func(d *cwtypes.MetricDatum) { d.Value = nil; d.Values = []float64{1, 2}; d.Counts = []float64{1} }, mention: "Counts"},
		{name: "incomplete statistic set", mutate: func(d *cwtypes.MetricDatum) {
			d.Value = nil
			d.StatisticValues = &cwtypes.StatisticSet{Sum: aws.Float64(1)}
		}, mention: "StatisticValues"},
		{name: "statistic set", mutate: func(d *cwtypes.MetricDatum) {
			d.Value = nil
			d.StatisticValues = &cwtypes.StatisticSet{Sum: aws.Float64(3), SampleCount: aws.Float64(2), Minimum: aws.Float64(1), Maximum: aws.Float64(2)}
		}},
		{name: "bad resolution", mutate: func(d *cwtypes.MetricDatum) { d.StorageResolution = aws.Int32(5) }, mention: "StorageResolution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok
			d.Dimensions = append([]cwtypes.Dimension(nil), ok.Dimensions...)
			tt.mutate(&d)
			err := validateDatum(7, d)
			if tt.mention == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidInput)
			require.Contains(t, err.Error(), "MetricData[7]")
			require.Contains(t, err.Error(), tt.mention)
		})
	}
}

func logEvents(n int, msgLen int, step time.Duration) []logtypes.InputLogEvent {
	base := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	out := make([]logtypes.InputLogEvent, n)
	for i := range out {
		out[i] = logtypes.InputLogEvent{Message: aws.String(strings.Repeat("x", msgLen)), Timestamp: aws.Int64(base.Add(time.Duration(i) * step).UnixMilli())}
	}
	return out
}

func TestSplitLogEvents(t *testing.T) {
	tests := []struct {
		name   string
		events []logtypes.InputLogEvent
		want   []int
	}{
		{name: "one", events: logEvents(1, 10, 0), want: []int{1}},
		{name: "by count", events: logEvents(25000, 1, 0), want: []int{10000, 10000, 5000}},
		// 1,048,576 / (1000+26) = 1022.0: 1,022 events take 1,048,572 bytes.
		{name: "by bytes counting 26 per event", events: logEvents(2500, 1000, 0), want: []int{1022, 1022, 456}},
		{name: "exactly at the byte limit", events: logEvents(2, MaxLogBatchBytes/2-LogEventOverhead, 0), want: []int{2}},
		{name: "one byte over", events: logEvents(2, MaxLogBatchBytes/2-LogEventOverhead+1, 0), want: []int{1, 1}},
		{name: "by 24h span", events: logEvents(5, 1, 10*time.Hour), want: []int{3, 2}},
		{name: "span of exactly 24h fits", events: logEvents(2, 1, 24*time.Hour), want: []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sizes []int
			for _, b := range splitLogEvents(tt.events, MaxLogEventsPerCall, MaxLogBatchBytes, MaxLogBatchSpan) {
				sizes = append(sizes, len(b))
			}
			require.Equal(t, tt.want, sizes)
		})
	}
}

func TestCountRejected(t *testing.T) {
	i := func(v int32) *int32 { return &v }
	tests := []struct {
		name                          string
		info                          *logtypes.RejectedLogEventsInfo
		n                             int
		rejected, old, fresh, expired int
	}{
		{name: "none", info: nil, n: 10},
		{name: "too old", info: &logtypes.RejectedLogEventsInfo{TooOldLogEventEndIndex: i(3)}, n: 10, rejected: 3, old: 3},
		{name: "too new", info: &logtypes.RejectedLogEventsInfo{TooNewLogEventStartIndex: i(8)}, n: 10, rejected: 2, fresh: 2},
		{name: "expired within too old", info: &logtypes.RejectedLogEventsInfo{TooOldLogEventEndIndex: i(4), ExpiredLogEventEndIndex: i(2)}, n: 10, rejected: 4, old: 4, expired: 2},
		{name: "both ends", info: &logtypes.RejectedLogEventsInfo{TooOldLogEventEndIndex: i(1), TooNewLogEventStartIndex: i(9)}, n: 10, rejected: 2, old: 1, fresh: 1},
		{name: "all", info: &logtypes.RejectedLogEventsInfo{TooOldLogEventEndIndex: i(6), TooNewLogEventStartIndex: i(4)}, n: 10, rejected: 10, old: 6, fresh: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r PutLogEventsResult
			require.Equal(t, tt.rejected, r.countRejected(tt.info, tt.n))
			require.Equal(t, PutLogEventsResult{TooOld: tt.old, TooNew: tt.fresh, Expired: tt.expired}, r)
		})
	}
}

func TestParseServices(t *testing.T) {
	for in, want := range map[string]Services{"": 0, "metrics": Metrics, "logs": Logs, "Metrics, logs": Metrics | Logs, "logs,": Logs} {
		got, err := parseServices(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := parseServices("metrics,traces")
	require.ErrorContains(t, err, `unknown service "traces"`)
}

func FuzzParseServices(f *testing.F) {
	for _, s := range []string{"", "metrics", "logs", "metrics,logs", " LOGS , metrics ", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseServices(s)
		if err == nil && got&^(Metrics|Logs) != 0 {
			t.Fatalf("%q parsed to unknown services %b", s, got)
		}
	})
}
