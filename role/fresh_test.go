package role

import (
	"context"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// RetrieveFresh is what the Connect check calls (CONTRACTS.md).

func TestRetrieveFreshBypassesNegativeCacheAndReplaces(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := spec(roleA, extA)
	var mu sync.Mutex
	denied := true
	e.sts.fail = func(int64, *sts.AssumeRoleInput) error {
		mu.Lock()
		defer mu.Unlock()
		if denied {
			return apiError("AccessDenied", "not authorized")
		}
		return nil
	}
	_, err := e.cache.Retrieve(ctx, s)
	require.Error(t, err)
	_, err = e.cache.RetrieveFresh(ctx, s)
	var are *AssumeRoleError
	require.ErrorAs(t, err, &are)
	require.False(t, are.FromNegativeCache, "fresh: a real call")
	require.EqualValues(t, 2, e.sts.calls.Load())

	mu.Lock()
	denied = false // the customer fixed the trust policy
	mu.Unlock()
	fresh, err := e.cache.RetrieveFresh(ctx, s)
	require.NoError(t, err)
	require.Equal(t, "3", generation(fresh))
	require.Equal(t, fresh, e.get(s), "the next Retrieve returns exactly them")

	again, err := e.cache.RetrieveFresh(ctx, s)
	require.NoError(t, err)
	require.Equal(t, "4", generation(again), "never from the cache")
	require.Equal(t, again, e.get(s))
	require.EqualValues(t, 4, e.sts.calls.Load())
}

func TestRetrieveFreshFailureDropsCredentials(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := spec(roleA, extA)
	e.get(s)
	e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return apiError("AccessDenied", "not authorized") }
	_, err := e.cache.RetrieveFresh(ctx, s)
	var are *AssumeRoleError
	require.ErrorAs(t, err, &are)
	_, err = e.cache.Retrieve(ctx, s)
	require.ErrorAs(t, err, &are, "the still-valid credentials were dropped")
	require.True(t, are.FromNegativeCache)
	require.EqualValues(t, 2, e.sts.calls.Load())
}

// TestRetrieveFreshOneCallPerKey: concurrent fresh calls share one call; a
// fresh call arriving while an older call is in flight waits for it and
// makes its own, never beside it.
func TestRetrieveFreshOneCallPerKey(t *testing.T) {
	e := newEnv(t)
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, 10)
	s := spec(roleA, extA)
	ctx := context.Background()

	normal := make(chan aws.Credentials)
	go func() { normal <- e.get(s) }()
	<-e.sts.enter // the ordinary call is in flight

	const n = 10
	fresh := make(chan aws.Credentials, n)
	for range n {
		go func() {
			c, err := e.cache.RetrieveFresh(ctx, s)
			if err != nil {
				t.Error(err)
			}
			fresh <- c
		}()
	}
	for e.cache.Stats().Misses < n+1 {
		runtimeYield()
	}
	require.EqualValues(t, 1, e.sts.calls.Load(), "fresh calls wait for the older call")
	e.sts.gate <- struct{}{}
	require.Equal(t, "1", generation(<-normal))
	<-e.sts.enter // the one fresh call
	// Every fresh caller has joined it (each counts a miss per call it
	// waits on) before it may finish: one that came later would rightly
	// make a call of its own.
	for e.cache.Stats().Misses < 2*n+1 {
		runtimeYield()
	}
	close(e.sts.gate)
	for range n {
		require.Equal(t, "2", generation(<-fresh))
	}
	require.EqualValues(t, 2, e.sts.calls.Load())
	require.Equal(t, 1, e.sts.maxConcurrent())
}
