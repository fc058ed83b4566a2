package role

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Finding 5: every waiter had its own goroutine parked on the shared call,
// left behind when the caller gave up. Now waiters wait in their own
// goroutine and the key's call has one.

// TestHungSTSGoroutinesBounded: STS never answers; rounds of 100 callers
// with 5 ms deadlines give up, over and over. Once they have returned, the
// goroutines left are the cache's ticker and one call per key.
func TestHungSTSGoroutinesBounded(t *testing.T) {
	for _, keys := range []int{1, 4} {
		t.Run(fmt.Sprint(keys, " keys"), func(t *testing.T) {
			e := newEnv(t)
			e.sts.gate = make(chan struct{}) // never opened: every call hangs until Close
			for round := range 200 {
				var wg sync.WaitGroup
				for i := range 100 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
						defer cancel()
						_, err := e.cache.Retrieve(ctx, spec(roleA, fmt.Sprintf("ext_%d", i%keys)))
						if err == nil {
							t.Error("a hung STS answered")
						}
					}()
				}
				wg.Wait()
				// The callers have returned; what is left is the cache's:
				// its ticker and one goroutine per key's call.
				require.LessOrEqual(t, cacheGoroutines(t), 1+keys, "round %d", round)
			}
			require.EqualValues(t, keys, e.sts.calls.Load(), "one hung call per key, never a second")
			require.EqualValues(t, keys, e.cache.Stats().InFlight)
		})
	}
}

// cacheGoroutines counts the goroutines running the cache's code (the
// ticker, AssumeRole calls, anything started by goTracked), leaving out the
// runtime's, the test's and timers of the callers' contexts that are still
// on their way out.
func cacheGoroutines(t *testing.T) int {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, pprof.Lookup("goroutine").WriteTo(&b, 1))
	n := 0
	for _, block := range strings.Split(b.String(), "\n\n") {
		if !strings.Contains(block, "role.(*Cache).") && !strings.Contains(block, "role.runTicker") {
			continue
		}
		var count int
		if _, err := fmt.Sscanf(block, "%d @", &count); err == nil {
			n += count
		}
	}
	return n
}

// Finding 6: an entry whose call was in flight could be evicted, and the
// next caller started a second call for the same key.

// TestEvictionInFlightNoSecondCall: MaxEntries 1, k1's call in flight, k2
// arrives (evicting k1's entry), k1 again: still one call for k1, and its
// result reaches the entry that replaced the evicted one.
func TestEvictionInFlightNoSecondCall(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxEntries = 1 })
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, 10)
	k1, k2 := spec(roleA, extA), spec(roleA, extB)
	results := make(chan error, 3)
	retrieve := func(s Spec) {
		go func() {
			c, err := e.cache.Retrieve(context.Background(), s)
			if err == nil && generation(c) == "" {
				err = fmt.Errorf("no credentials")
			}
			results <- err
		}()
	}
	retrieve(k1)
	<-e.sts.enter // k1 in flight
	retrieve(k2)
	<-e.sts.enter // k2 in flight; k1's entry evicted
	require.EqualValues(t, 1, e.cache.Stats().Evictions)
	retrieve(k1)
	for e.cache.Stats().Misses < 3 {
		runtime.Gosched() // until the third caller waits
	}
	require.EqualValues(t, 2, e.sts.calls.Load(), "k1 again joined its call in flight")
	close(e.sts.gate)
	for range 3 {
		require.NoError(t, <-results)
	}
	require.Equal(t, 1, e.sts.maxConcurrent())
	require.EqualValues(t, 2, e.sts.calls.Load())
}

// TestOneCallPerKeyUnderEvictionChurn: 16 keys over MaxEntries 4, 400
// goroutines, invalidations thrown in: never two calls at once for a key.
func TestOneCallPerKeyUnderEvictionChurn(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxEntries = 4 })
	e.sts.yield = 20
	var wg sync.WaitGroup
	for g := range 400 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				s := spec(roleA, fmt.Sprintf("ext_%02d", (g+i)%16))
				if _, err := e.cache.Retrieve(context.Background(), s); err != nil {
					t.Error(err)
					return
				}
				if i%7 == 0 {
					e.cache.Invalidate(s)
				}
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 1, e.sts.maxConcurrent(), "concurrent AssumeRole calls for one key")
	require.Positive(t, e.cache.Stats().Evictions)
}
