package role

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLRUEviction(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxEntries = 3 })
	a, b, c, d := spec(roleA, "ext_a"), spec(roleA, "ext_b"), spec(roleA, "ext_c"), spec(roleA, "ext_d")
	for _, s := range []Spec{a, b, c} {
		e.get(s)
		e.advance(time.Second)
	}
	e.get(a) // a is now the most recently used; b the least
	e.advance(time.Second)
	e.get(d)
	require.Equal(t, 3, e.cache.Len())
	require.EqualValues(t, 1, e.cache.Stats().Evictions)
	require.EqualValues(t, 4, e.sts.calls.Load())

	e.get(a)
	e.get(c)
	e.get(d)
	require.EqualValues(t, 4, e.sts.calls.Load(), "a, c and d stayed")
	e.get(b)
	require.EqualValues(t, 5, e.sts.calls.Load(), "b was evicted")
	require.Equal(t, 3, e.cache.Len())
}

func TestEvictionBoundsLargeCache(t *testing.T) {
	const max = 200
	e := newEnv(t, func(o *Options) { o.MaxEntries = max })
	for i := range 1000 {
		e.get(spec(roleA, fmt.Sprintf("ext_%04d", i)))
		if i%10 == 0 {
			e.advance(time.Second)
		}
	}
	require.Equal(t, max, e.cache.Len())
	require.EqualValues(t, 1000-max, e.cache.Stats().Evictions)
}

func TestIdleExpiry(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.IdleTimeout = 10 * time.Minute })
	a, b := spec(roleA, extA), spec(roleA, extB)
	e.get(a)
	e.get(b)
	e.advance(5 * time.Minute)
	e.get(a)
	e.advance(6 * time.Minute) // b idle 11 minutes, a 6
	require.Equal(t, 1, e.cache.sweepIdle(e.clock.Now()))
	require.Equal(t, 1, e.cache.Len())
	require.EqualValues(t, 1, e.cache.Stats().IdleExpirations)
	require.Zero(t, e.cache.sweepIdle(e.clock.Now()), "sweeps at most every IdleTimeout/4")
	e.get(a)
	require.EqualValues(t, 2, e.sts.calls.Load())
}

func TestInvalidate(t *testing.T) {
	e := newEnv(t)
	specs := []Spec{spec(roleA, extA), spec(roleA, extB), spec(roleB, extA), spec(roleB, extB),
		{RoleARN: roleA, ExternalID: extA, Duration: 2 * time.Hour}}
	load := func() {
		for _, s := range specs {
			e.get(s)
		}
	}
	load()
	require.Equal(t, 5, e.cache.Len())

	require.True(t, e.cache.Invalidate(spec(roleA, extA)))
	require.False(t, e.cache.Invalidate(spec(roleA, extA)))
	require.Equal(t, 4, e.cache.Len())
	load()
	require.EqualValues(t, 6, e.sts.calls.Load())

	require.Equal(t, 3, e.cache.InvalidateRole(roleA))
	require.Equal(t, 2, e.cache.Len())
	load()
	require.EqualValues(t, 9, e.sts.calls.Load())

	require.Equal(t, 3, e.cache.InvalidateExternalID(extA))
	require.Equal(t, 2, e.cache.Len())
	require.Zero(t, e.cache.InvalidateExternalID("unknown_id"))
	load()
	require.EqualValues(t, 12, e.sts.calls.Load())
}

func TestProviderSurvivesEviction(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxEntries = 1 })
	ctx := context.Background()
	p, err := e.cache.Provider(spec(roleA, extA))
	require.NoError(t, err)
	c1, err := p.Retrieve(ctx)
	require.NoError(t, err)
	e.advance(time.Second)
	e.get(spec(roleA, extB)) // evicts p's entry
	require.EqualValues(t, 1, e.cache.Stats().Evictions)
	c2, err := p.Retrieve(ctx)
	require.NoError(t, err)
	require.Contains(t, c2.AccessKeyID, "|"+extA+"|")
	require.NotEqual(t, c1.AccessKeyID, c2.AccessKeyID)
	require.Equal(t, 1, e.cache.Len())

	require.True(t, e.cache.Invalidate(spec(roleA, extA)))
	c3, err := p.Retrieve(ctx)
	require.NoError(t, err)
	require.Contains(t, c3.AccessKeyID, "|"+extA+"|")
	require.EqualValues(t, 4, e.sts.calls.Load())
}

func TestHitPathDoesNotAllocate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := Spec{RoleARN: roleA, ExternalID: extA, WorkspaceID: "w", ProjectID: "p"}
	p, err := e.cache.Provider(s)
	require.NoError(t, err)
	e.get(s)
	require.Zero(t, testing.AllocsPerRun(1000, func() { _, _ = p.Retrieve(ctx) }))
	require.Zero(t, testing.AllocsPerRun(1000, func() { _, _ = e.cache.Retrieve(ctx, s) }))
}

// TestConcurrentChurn runs hits, refreshes, evictions and invalidations at
// once, for the race detector, and checks no caller ever gets another key's
// credentials.
func TestConcurrentChurn(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxEntries = 8 })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ext := fmt.Sprintf("ext_%02d", g)
			p, err := e.cache.Provider(spec(roleA, ext))
			if err != nil {
				t.Error(err)
				return
			}
			for i := range 300 {
				creds, err := p.Retrieve(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if want := "|" + ext + "|"; !strings.Contains(creds.AccessKeyID, want) {
					t.Errorf("got %s, want a credential for %s", creds.AccessKeyID, ext)
					return
				}
				switch i % 50 {
				case 10:
					e.cache.InvalidateExternalID(ext)
				case 20:
					e.get(spec(roleB, fmt.Sprintf("other_%02d_%d", g, i)))
				case 30:
					e.advance(time.Minute)
				}
			}
		}()
	}
	wg.Wait()
	e.settle()
}

// TestDroppedCacheStopsTicker: a Cache nobody closed stops its goroutine once
// collected, so forgetting Close leaks nothing.
func TestDroppedCacheStopsTicker(t *testing.T) {
	c := NewCache(&fakeSTS{now: time.Now})
	done := c.ticked
	c = nil
	for {
		runtime.GC()
		select {
		case <-done:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestHashChains: keys whose hashes collide share a bucket; removing one
// leaves the others intact. Real collisions are rare now that the hash
// covers every field, so the test forces one.
func TestHashChains(t *testing.T) {
	e := newEnv(t)
	const h = 42
	specs := make([]Spec, 4)
	entries := make([]*entry, 4)
	for i := range specs {
		specs[i] = Spec{RoleARN: roleA, ExternalID: extA, SessionName: fmt.Sprintf("session-%d", i)}
		k := keyOf(&specs[i], DefaultDuration)
		in, err := validate(&specs[i], DefaultDuration, defaultSessionName)
		require.NoError(t, err)
		entries[i], err = e.cache.insert(&k, h, &in)
		require.NoError(t, err)
	}
	sh := &e.cache.shards[h%shardCount]
	n := 0
	for p := sh.head(h); p != nil; p = p.next.Load() {
		n++
	}
	require.Equal(t, 4, n, "one bucket")
	for i, s := range specs {
		k := keyOf(&s, DefaultDuration)
		require.Same(t, entries[i], e.cache.lookup(&k, h))
	}
	for _, i := range []int{2, 3, 0} { // middle, head, tail of the chain
		require.True(t, e.cache.remove(entries[i]))
	}
	k1 := keyOf(&specs[1], DefaultDuration)
	require.Same(t, entries[1], e.cache.lookup(&k1, h), "the survivor is still there")
	for _, i := range []int{0, 2, 3} {
		k := keyOf(&specs[i], DefaultDuration)
		require.Nil(t, e.cache.lookup(&k, h))
	}
}
