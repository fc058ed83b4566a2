package role

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// collected reads every metric of the cache once through the SDK's manual
// reader, as a metrics pipeline would.
type collected map[string][]point

type point struct {
	attrs attribute.Set
	value float64 // sum or gauge value; histogram count
	sum   float64 // histogram sum
}

func collect(t *testing.T, r *sdkmetric.ManualReader) collected {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.Collect(context.Background(), &rm))
	out := collected{}
	for _, sm := range rm.ScopeMetrics {
		require.Equal(t, meterName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], point{attrs: p.Attributes, value: float64(p.Value)})
				}
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], point{attrs: p.Attributes, value: float64(p.Value)})
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], point{attrs: p.Attributes, value: float64(p.Count), sum: p.Sum})
				}
			default:
				t.Fatalf("%s: unexpected data %T", m.Name, m.Data)
			}
		}
	}
	return out
}

// value returns the metric's point with exactly the given attributes.
func (c collected) value(name string, kv ...attribute.KeyValue) float64 {
	want := attribute.NewSet(kv...)
	for _, p := range c[name] {
		if p.attrs.Equals(&want) {
			return p.value
		}
	}
	return 0
}

func TestMetricsReadBack(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	e, st := newStoreEnv(t, func(o *Options) { o.MeterProvider = mp })
	e.sts.fail = func(_ int64, in *sts.AssumeRoleInput) error {
		if aws.ToString(in.ExternalId) == extB {
			return &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:iam::999988887777:user/platform is not authorized to perform: sts:AssumeRole"}
		}
		return nil
	}
	ctx := context.Background()
	a := spec(roleA, extA)
	e.get(a) // miss: STS, put
	for range 3 {
		e.get(a) // hits
	}
	st.put(t, e.cache, spec(roleB, extA), aws.Credentials{AccessKeyID: "ASIASTORED", SecretAccessKey: "s",
		CanExpire: true, Expires: e.clock.Now().Add(time.Hour)})
	e.get(spec(roleB, extA)) // miss answered by the store
	_, err := e.cache.Retrieve(ctx, spec(roleA, extB))
	var are *AssumeRoleError
	require.ErrorAs(t, err, &are)
	_, err = e.cache.Retrieve(ctx, spec(roleA, extB)) // negative cache
	require.ErrorAs(t, err, &are)
	e.advance(56 * time.Minute)
	e.get(a) // stale, refreshed in the background
	e.settle()

	m := collect(t, reader)
	stats := e.cache.Stats()
	require.EqualValues(t, stats.Hits, m.value(MetricHits))
	require.EqualValues(t, 4, m.value(MetricHits), "three hits and one stale")
	require.EqualValues(t, 3, m.value(MetricMisses))
	require.EqualValues(t, 1, m.value(MetricStaleServed))
	require.EqualValues(t, 1, m.value(MetricNegativeHits))
	require.EqualValues(t, 3, m.value(MetricEntries))
	require.EqualValues(t, 0, m.value(MetricAssumeActive))
	require.EqualValues(t, 1, m.value(MetricRefreshes, AttrTrigger.String("blocking"), AttrSource.String("sts")))
	require.EqualValues(t, 1, m.value(MetricRefreshes, AttrTrigger.String("blocking"), AttrSource.String("store")))
	require.EqualValues(t, 1, m.value(MetricRefreshes, AttrTrigger.String("background"), AttrSource.String("sts")))
	require.EqualValues(t, 1, m.value(MetricFailures, AttrTrigger.String("blocking"), AttrErrorType.String(are.Reason.Name())))
	require.NotEqual(t, "unknown", are.Reason.Name())
	require.EqualValues(t, 2, m.value(MetricAssumeRole), "two successful calls timed")
	require.EqualValues(t, 1, m.value(MetricAssumeRole, AttrErrorType.String(are.Reason.Name())))
	require.EqualValues(t, 1, m.value(MetricStoreHits))
	require.EqualValues(t, stats.StoreMisses, m.value(MetricStoreMisses))
	require.EqualValues(t, 3, m.value(MetricStoreLeases, AttrLeaseOutcome.String("granted")))
	require.EqualValues(t, 0, m.value(MetricStoreErrors, AttrStoreOperation.String("get")))
	require.Positive(t, m.value(MetricStoreDuration, AttrStoreOperation.String("get")))

	// Bounded attributes only: nothing names a role, an external ID or an
	// account.
	for name, points := range m {
		for _, p := range points {
			for _, kv := range p.attrs.ToSlice() {
				v := kv.Value.String()
				for _, secret := range []string{"111122223333", "444455556666", "999988887777", extA, extB, "external_id", "Connector", "arn:"} {
					require.False(t, strings.Contains(v, secret), "%s: attribute %s=%q", name, kv.Key, v)
				}
			}
		}
	}

	// Store errors are counted by operation, and the observable
	// instruments stop reporting once the cache is closed.
	st.fail = func(string) error { return errors.New("down") }
	e.get(spec(roleB, "acme_iam_external_id_3"))
	m = collect(t, reader)
	require.EqualValues(t, 1, m.value(MetricStoreErrors, AttrStoreOperation.String("get")))
	require.EqualValues(t, 1, m.value(MetricStoreErrors, AttrStoreOperation.String("put")))
	require.EqualValues(t, 1, m.value(MetricStoreLeases, AttrLeaseOutcome.String("unavailable")))
	require.NoError(t, e.cache.Close())
	m = collect(t, reader)
	require.Empty(t, m[MetricHits], "a closed cache is not observed")
}

func TestNoMeterProviderNoMetrics(t *testing.T) {
	e := newEnv(t)
	require.Nil(t, e.cache.metrics)
	e.get(spec(roleA, extA)) // every recording point tolerates nil
	var m *metrics
	m.refreshed(triggerBlocking, sourceSTS)
	m.failed(triggerBlocking, ReasonNetwork)
	m.assumed(time.Second, nil)
	m.stored(opGet, time.Second, errors.New("x"))
	m.storeLookup(true)
	m.lease(leaseGranted)
	m.close()
}

func TestReasonNames(t *testing.T) {
	seen := map[string]bool{}
	for r := ReasonUnknown; r <= ReasonPlatformPermission; r++ {
		n := r.Name()
		require.Regexp(t, `^[a-z_]+$`, n)
		require.False(t, seen[n], "%v and another reason share %q", r, n)
		seen[n] = true
	}
	require.Equal(t, "unknown", Reason(99).Name())
}
