//go:build integration

package integration

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/redis/go-redis/v9"

	"github.com/awsconnect/awsconnect/redisstore"
	"github.com/awsconnect/awsconnect/role"
)

// BenchmarkFleetAssumeRoleCalls: N worker processes retrieving the same
// keys at once make one AssumeRole call per key, whatever N. Reported as
// calls/key (the target is 1.00 for every N); run with -benchtime=1x.
func BenchmarkFleetAssumeRoleCalls(b *testing.B) {
	const keys = 500
	for _, n := range []int{1, 2, 8} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			var calls int
			for range b.N {
				b.StopTimer()
				f := newBenchFleet(b)
				ws := f.startWorkers(n, f.base)
				b.StartTimer()
				_, c := f.retrieve(ws, 0, keys)
				calls += c
			}
			b.ReportMetric(float64(calls)/float64(b.N*keys), "calls/key")
			b.ReportMetric(keys, "keys")
		})
	}
}

// BenchmarkRetrieveLatency compares, in one run, a local-cache hit, a
// store hit (a local miss answered by Redis on loopback: HMAC, GET,
// AES-GCM open) and an STS miss (AssumeRole against the local AWS), with
// the 50th and 99th percentile of each operation's latency.
func BenchmarkRetrieveLatency(b *testing.B) {
	f := newBenchFleet(b)
	stsClient := sts.NewFromConfig(f.aws.Config(nil))
	rc := redis.NewClient(&redis.Options{Addr: f.base.RedisAddr, ContextTimeoutEnabled: true})
	defer rc.Close()
	ring, err := redisstore.NewKeyRing(f.base.NameSecret, redisstore.Key{ID: "k1", Secret: f.base.Keys[0].Secret})
	if err != nil {
		b.Fatal(err)
	}
	store, err := redisstore.New(rc, ring, func(o *redisstore.Options) { o.Prefix = f.base.Prefix })
	if err != nil {
		b.Fatal(err)
	}
	const keys = 256
	ctx := context.Background()
	filler := role.NewCache(stsClient, func(o *role.Options) { o.Store = store })
	defer filler.Close()
	for i := range keys {
		if _, err := filler.Retrieve(ctx, fleetSpec(f.roleARN, i)); err != nil {
			b.Fatal(err)
		}
	}
	percentiles := func(b *testing.B, op func(i int) error) {
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := range b.N {
			start := time.Now()
			if err := op(i); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2])/1e3, "p50-µs")
		b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)])/1e3, "p99-µs")
	}
	b.Run("local_hit", func(b *testing.B) {
		p, err := filler.Provider(fleetSpec(f.roleARN, 0))
		if err != nil {
			b.Fatal(err)
		}
		percentiles(b, func(int) error { _, err := p.Retrieve(ctx); return err })
	})
	b.Run("store_hit", func(b *testing.B) {
		// MaxEntries 1: every Retrieve of the next key is a local miss,
		// answered by the store.
		c := role.NewCache(stsClient, func(o *role.Options) { o.Store = store; o.MaxEntries = 1 })
		defer c.Close()
		percentiles(b, func(i int) error { _, err := c.Retrieve(ctx, fleetSpec(f.roleARN, i%keys)); return err })
		if s := c.Stats(); s.Refreshes != 0 {
			b.Fatalf("%d STS calls: the store did not answer every miss", s.Refreshes)
		}
	})
	b.Run("sts_miss", func(b *testing.B) {
		c := role.NewCache(stsClient, func(o *role.Options) { o.MaxEntries = 1 })
		defer c.Close()
		percentiles(b, func(i int) error { _, err := c.Retrieve(ctx, fleetSpec(f.roleARN, i%keys)); return err })
	})
}
