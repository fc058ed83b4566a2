package role

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// BenchmarkCacheHitWithStoreAndMetrics is BenchmarkCacheHit's harness with
// and without a Store and a MeterProvider, in one run: the hit path must
// cost the same, since the store is only on the miss path and the hit
// counts are observed at collection time.
func BenchmarkCacheHitWithStoreAndMetrics(b *testing.B) {
	for _, tc := range []struct {
		name   string
		store  bool
		meters bool
	}{
		{"plain", false, false},
		{"store+meter", true, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var opts []func(*Options)
			if tc.store {
				st := newMemStore(time.Now)
				opts = append(opts, func(o *Options) { o.Store = st })
			}
			if tc.meters {
				mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
				defer func() { _ = mp.Shutdown(context.Background()) }()
				opts = append(opts, func(o *Options) { o.MeterProvider = mp })
			}
			c := NewCache(&fakeSTS{now: time.Now}, opts...)
			defer c.Close()
			providers := make([]aws.CredentialsProvider, benchKeys)
			for i := range providers {
				p, err := c.Provider(spec(roleA, fmt.Sprintf("ext_%05d", i)))
				if err != nil {
					b.Fatal(err)
				}
				providers[i] = p
			}
			runHits(b, providers)
		})
	}
}
