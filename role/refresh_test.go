package role

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// settle waits for background refreshes the test started.
func (e *env) settle() { e.cache.wg.Wait() }

func (e *env) get(s Spec) aws.Credentials {
	e.t.Helper()
	c, err := e.cache.Retrieve(context.Background(), s)
	require.NoError(e.t, err)
	return c
}

// generation returns the AssumeRole call number that minted c.
func generation(c aws.Credentials) string {
	return c.AccessKeyID[strings.LastIndexByte(c.AccessKeyID, '|')+1:]
}

func TestRefreshWindow(t *testing.T) {
	e := newEnv(t) // jitter source returns 0: refresh starts 5 minutes before expiry
	s := spec(roleA, extA)
	issued := e.clock.Now()
	first := e.get(s)
	require.Equal(t, "1", generation(first))
	require.True(t, first.CanExpire)
	require.Equal(t, issued.Add(59*time.Minute), first.Expires, "Expires is when the cache stops serving them")

	e.advance(55*time.Minute - time.Second) // fresh
	require.Equal(t, "1", generation(e.get(s)))
	e.settle()
	require.EqualValues(t, 1, e.sts.calls.Load())

	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, 10)
	e.advance(2 * time.Second) // stale: served at once, one refresh in the background
	for range 100 {
		require.Equal(t, "1", generation(e.get(s)))
	}
	<-e.sts.enter
	close(e.sts.gate)
	e.settle()
	require.EqualValues(t, 2, e.sts.calls.Load(), "one background refresh for 100 stale hits")
	require.Equal(t, "2", generation(e.get(s)))
	require.EqualValues(t, 2, e.cache.Stats().Refreshes)
	require.Zero(t, e.cache.Stats().Misses-1, "only the first retrieval waited")
}

func TestRefreshJitter(t *testing.T) {
	tests := []struct {
		rand      float64
		refreshIn time.Duration // from issue to the start of the refresh window
	}{
		{0, 55 * time.Minute},
		{0.5, 56*time.Minute + 15*time.Second}, // window 5m * (1 - 0.5*0.5)
		{1, 57*time.Minute + 30*time.Second},   // window 5m * (1 - 0.5)
	}
	for _, tc := range tests {
		t.Run(time.Duration(tc.refreshIn).String(), func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.rand = func() float64 { return tc.rand } })
			s := spec(roleA, extA)
			e.get(s)
			e.advance(tc.refreshIn - time.Second)
			e.get(s)
			e.settle()
			require.EqualValues(t, 1, e.sts.calls.Load())
			e.advance(time.Second)
			e.get(s)
			e.settle()
			require.EqualValues(t, 2, e.sts.calls.Load())
		})
	}
}

func TestMandatoryWindowWaits(t *testing.T) {
	e := newEnv(t)
	s := spec(roleA, extA)
	e.get(s)
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, 10)
	e.advance(59*time.Minute + time.Second) // inside the last minute
	got := make(chan aws.Credentials)
	go func() { got <- e.get(s) }()
	<-e.sts.enter
	select {
	case c := <-got:
		t.Fatalf("served %s inside the mandatory window without waiting", generation(c))
	default:
	}
	close(e.sts.gate)
	require.Equal(t, "2", generation(<-got))
	require.EqualValues(t, 2, e.sts.calls.Load())
}

func TestFailureBackoffServesStillValid(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.RetryBackoff = 10 * time.Second // rand 0: waits of 5s, 10s, 20s, 20s...
		o.MaxRetryBackoff = 40 * time.Second
	})
	s := spec(roleA, extA)
	e.get(s)
	var failing atomic.Bool
	failing.Store(true)
	e.sts.fail = func(int64, *sts.AssumeRoleInput) error {
		if failing.Load() {
			return apiError("Throttling", "Rate exceeded")
		}
		return nil
	}
	step := func(d time.Duration, wantCalls int64) {
		t.Helper()
		e.advance(d)
		require.Equal(t, "1", generation(e.get(s)))
		e.settle()
		require.Equal(t, wantCalls, e.sts.calls.Load())
	}
	step(55*time.Minute, 2) // 55m00s stale: refresh fails, still-valid credentials served
	step(4*time.Second, 2)  // 55m04s backing off 5s
	step(2*time.Second, 3)  // 55m06s retried, failed: backing off 10s
	step(9*time.Second, 3)  // 55m15s
	step(2*time.Second, 4)  // 55m17s retried, failed: backing off 20s
	step(19*time.Second, 4) // 55m36s
	step(2*time.Second, 5)  // 55m38s retried, failed: backing off 20s (bounded)
	step(3*time.Minute, 6)  // 58m38s retried in the background, failed
	step(time.Second, 6)    // 58m39s backing off
	step(40*time.Second, 7) // 59m19s mandatory window: the caller waits, the refresh fails, the credentials still work
	step(10*time.Second, 7) // 59m29s mandatory window, backing off: served without a call
	require.EqualValues(t, 6, e.cache.Stats().RefreshFailures)
	require.EqualValues(t, 0, e.cache.Stats().InFlight)

	e.advance(time.Minute) // expired: never served; the backoff is over, so one call
	_, err := e.cache.Retrieve(context.Background(), s)
	var are *AssumeRoleError
	require.ErrorAs(t, err, &are)
	require.Equal(t, ReasonThrottled, are.Reason)
	require.False(t, are.FromNegativeCache)
	require.EqualValues(t, 8, e.sts.calls.Load())
	_, err = e.cache.Retrieve(context.Background(), s)
	require.ErrorAs(t, err, &are)
	require.True(t, are.FromNegativeCache, "nothing usable and backing off: no call")
	require.EqualValues(t, 8, e.sts.calls.Load())

	failing.Store(false)
	e.advance(40 * time.Second) // past the longest backoff
	require.Equal(t, "9", generation(e.get(s)))
}

// TestOneCallPerLifetimeUnderConcurrency: many goroutines on one key, in the
// refresh window and then in the mandatory window, cause one AssumeRole per
// credential lifetime, and each gets credentials of the current or the
// previous lifetime, never expired ones.
func TestOneCallPerLifetimeUnderConcurrency(t *testing.T) {
	const goroutines = 64
	e := newEnv(t)
	s := spec(roleA, extA)
	e.get(s)
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, goroutines)

	hammer := func(wantGen ...string) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := e.cache.Retrieve(context.Background(), s)
				if err == nil && !slices.Contains(wantGen, generation(c)) {
					err = fmt.Errorf("got generation %s, want one of %v", generation(c), wantGen)
				}
				if err == nil && !c.Expires.After(e.clock.Now()) {
					err = fmt.Errorf("got credentials that expired at %v", c.Expires)
				}
				errs <- err
			}()
		}
		<-e.sts.enter // the one call is in flight; let it finish
		e.sts.gate <- struct{}{}
		wg.Wait()
		e.settle()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	}

	e.advance(55 * time.Minute) // refresh window: served at once, one background call
	hammer("1", "2")            // "2" for the goroutines that start after the refresh
	require.EqualValues(t, 2, e.sts.calls.Load())
	require.Equal(t, "2", generation(e.get(s)))

	e.advance(59*time.Minute + 30*time.Second) // generation 2's mandatory window: all wait for one call
	hammer("3")
	require.EqualValues(t, 3, e.sts.calls.Load())
	require.Empty(t, e.sts.enter, "no second call started")
}
