package role

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Finding 4, platform side: an optional token bucket over every AssumeRole,
// with a per-key share, refusing at once rather than queueing.
func TestRateLimitFailsFastWithFairShare(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.RateLimit = RateLimit{PerSecond: 1, Burst: 10, KeyShare: 0.2} // a key: 2 at once, 0.2/s
	})
	ctx := context.Background()
	hog := spec(roleA, extA)
	e.sts.gate = nil
	for range 2 {
		_, err := e.cache.RetrieveFresh(ctx, hog)
		require.NoError(t, err)
	}
	for range 100 { // a tenant hammering Connect
		_, err := e.cache.RetrieveFresh(ctx, hog)
		var rle *RateLimitError
		require.ErrorAs(t, err, &rle)
		require.ErrorIs(t, err, ErrRateLimited)
		require.False(t, rle.PlatformWide)
		require.Equal(t, 5*time.Second, rle.RetryAfter, "one token per 5 s for the key")
		require.Contains(t, err.Error(), "retry after 5s")
	}
	require.EqualValues(t, 2, e.sts.calls.Load())
	e.get(hog) // still-valid credentials are served, limit or not

	// The other tenants keep the rest of the budget: 8 more calls.
	for i := range 8 {
		e.get(spec(roleB, fmt.Sprintf("ext_%02d", i)))
	}
	_, err := e.cache.Retrieve(ctx, spec(roleB, "ext_99"))
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	require.True(t, rle.PlatformWide)
	require.Equal(t, time.Second, rle.RetryAfter)
	require.EqualValues(t, 101, e.cache.Stats().RateLimited)

	e.advance(time.Second)
	e.get(spec(roleB, "ext_99"))
	require.EqualValues(t, 11, e.sts.calls.Load())
}

// TestRateLimitBackgroundRefresh: a refused background refresh keeps
// serving the still-valid credentials and comes back when a token does.
func TestRateLimitBackgroundRefresh(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.RateLimit = RateLimit{PerSecond: 0.0001, Burst: 1, KeyShare: 1} })
	s := spec(roleA, extA)
	first := e.get(s)
	e.advance(56 * time.Minute) // refresh window
	for range 10 {
		require.Equal(t, first.AccessKeyID, e.get(s).AccessKeyID)
	}
	e.settle()
	require.EqualValues(t, 1, e.sts.calls.Load())
	require.EqualValues(t, 1, e.cache.Stats().RateLimited, "asked once, then waits for the token on the hit path")
	_, err := e.cache.RetrieveFresh(context.Background(), s)
	require.True(t, errors.Is(err, ErrRateLimited))
}

// TestRateLimitTenantShare: one tenant with many connections (each its own
// key) cannot spend more than its share of the platform's budget by
// spreading its calls over keys; another tenant keeps its own share.
func TestRateLimitTenantShare(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		// Platform: 20 at once. A key: 2 at once. A tenant: 5 at once.
		o.RateLimit = RateLimit{PerSecond: 1, Burst: 20, KeyShare: 0.1, TenantShare: 0.25}
	})
	e.sts.gate = nil
	ctx := context.Background()
	conn := func(workspace string, i int) Spec {
		s := spec(roleA, extA)
		s.WorkspaceID, s.ConnectionID = workspace, fmt.Sprintf("c%02d", i)
		return s
	}
	var ok, refused int
	for i := range 20 { // twenty connections of one workspace, one call each
		_, err := e.cache.RetrieveFresh(ctx, conn("hog", i))
		if err == nil {
			ok++
			continue
		}
		var rle *RateLimitError
		require.ErrorAs(t, err, &rle)
		require.True(t, rle.TenantWide, "%v", err)
		require.False(t, rle.PlatformWide)
		require.Contains(t, err.Error(), "this tenant's share")
		refused++
	}
	require.Equal(t, 5, ok, "the tenant's share of the burst")
	require.Equal(t, 15, refused)

	// Another workspace, on the same role and external ID, is not held back.
	for i := range 5 {
		_, err := e.cache.RetrieveFresh(ctx, conn("other", i))
		require.NoError(t, err)
	}
	require.EqualValues(t, 10, e.sts.calls.Load())

	// The tenant's bucket refills at its share of the rate: 0.25 per second.
	e.advance(4 * time.Second)
	_, err := e.cache.RetrieveFresh(ctx, conn("hog", 19))
	require.NoError(t, err)
	_, err = e.cache.RetrieveFresh(ctx, conn("hog", 18))
	require.ErrorIs(t, err, ErrRateLimited)
}
