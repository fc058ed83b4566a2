package role

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// BenchmarkCacheHitWithStoreAndMetrics compares, in one run, Provider.Retrieve
// hits on a plain Cache (the yardstick) and on one with a Store and a
// MeterProvider. The two alternate in chunks of 1,024 hits on one
// goroutine, so load from elsewhere on the machine falls on both alike.
// It reports each one's ns/hit and their ratio, which should stay within
// 1 ± 0.05: the store is only on the miss path and hit counts are observed
// at collection time.
func BenchmarkCacheHitWithStoreAndMetrics(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	plain := NewCache(&fakeSTS{now: time.Now})
	defer plain.Close()
	st := newMemStore(time.Now)
	full := NewCache(&fakeSTS{now: time.Now}, func(o *Options) { o.Store = st; o.MeterProvider = mp })
	defer full.Close()
	ctx := context.Background()
	providers := func(c *Cache) []aws.CredentialsProvider {
		ps := make([]aws.CredentialsProvider, benchKeys)
		for i := range ps {
			p, err := c.Provider(spec(roleA, fmt.Sprintf("ext_%05d", i)))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Retrieve(ctx); err != nil {
				b.Fatal(err)
			}
			ps[i] = p
		}
		return ps
	}
	pp, fp := providers(plain), providers(full)
	const chunk = 1024
	var tPlain, tFull time.Duration
	run := func(ps []aws.CredentialsProvider) time.Duration {
		start := time.Now()
		for i := range chunk {
			if c, err := ps[i&(benchKeys-1)].Retrieve(ctx); err != nil || c.AccessKeyID == "" {
				b.Fatal("miss on the hit path", err)
			}
		}
		return time.Since(start)
	}
	warm := full.Stats()
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n += 2 * chunk {
		tPlain += run(pp)
		tFull += run(fp)
	}
	b.StopTimer()
	hits := float64((b.N + 2*chunk - 1) / (2 * chunk) * chunk)
	b.ReportMetric(float64(tPlain)/hits, "plain-ns/hit")
	b.ReportMetric(float64(tFull)/hits, "store+meter-ns/hit")
	b.ReportMetric(float64(tFull)/float64(tPlain), "ratio")
	if s := full.Stats(); s.StoreHits+s.StoreMisses+s.Misses != warm.StoreHits+warm.StoreMisses+warm.Misses {
		b.Fatalf("the hit path missed or touched the store: %+v, after warming %+v", s, warm)
	}
}
