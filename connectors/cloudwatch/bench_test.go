package cloudwatch

import (
	"testing"
	"time"

	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// BenchmarkSplitLogEvents measures cutting 25,000 small events into
// PutLogEvents batches (four calls by the byte limit: 126 bytes each).
func BenchmarkSplitLogEvents(b *testing.B) {
	events := logEvents(25000, 100, time.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		if n := len(splitLogEvents(events, MaxLogEventsPerCall, MaxLogBatchBytes, MaxLogBatchSpan)); n != 4 {
			b.Fatalf("%d batches", n)
		}
	}
}

// BenchmarkSplitMetricData measures sizing and cutting 2,500 data with
// three dimensions each into PutMetricData batches.
func BenchmarkSplitMetricData(b *testing.B) {
	data := make([]cwtypes.MetricDatum, 2500)
	for i := range data {
		data[i] = datum("Latency", 3, 16)
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(splitMetricData(data, MaxMetricDataPerCall, MaxMetricPayloadBytes-metricEnvelopeBytes)); n != 3 {
			b.Fatalf("%d batches", n)
		}
	}
}
