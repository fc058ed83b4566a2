package role

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// Finding 4: with no valid credentials held there was no backoff, so one
// broken key under load spent the platform's STS quota.

// storm runs callers goroutines retrieving s at once, every step of fake
// time, for span, and returns how many AssumeRole calls were made.
func storm(t *testing.T, e *env, s Spec, callers int, step, span time.Duration) int64 {
	t.Helper()
	for elapsed := time.Duration(0); elapsed < span; elapsed += step {
		var wg sync.WaitGroup
		for range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = e.cache.Retrieve(context.Background(), s)
			}()
		}
		wg.Wait()
		e.advance(step)
	}
	return e.sts.calls.Load()
}

// TestFailingKeyUnderLoadFewCalls is the target: a key failing under 100
// concurrent callers for 60 s of fake time makes at most 10 AssumeRole
// calls, whatever the failure, with the jitter at either extreme.
func TestFailingKeyUnderLoadFewCalls(t *testing.T) {
	failures := map[string]func(*env){
		"AccessDenied": func(e *env) {
			e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return apiError("AccessDenied", "not authorized") }
		},
		"RegionDisabled": func(e *env) {
			e.sts.fail = func(int64, *sts.AssumeRoleInput) error {
				return apiError("RegionDisabledException", "STS is not activated")
			}
		},
		"Throttling": func(e *env) {
			e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return apiError("Throttling", "Rate exceeded") }
		},
		"network": func(e *env) {
			e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return context.DeadlineExceeded }
		},
		"expired on arrival": func(e *env) { e.sts.life = -time.Second },
	}
	for name, fail := range failures {
		for _, r := range []float64{0, 1} {
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, func(o *Options) { o.rand = func() float64 { return r } })
				fail(e)
				calls := storm(t, e, spec(roleA, extA), 100, 100*time.Millisecond, time.Minute)
				require.LessOrEqual(t, calls, int64(10), "AssumeRole calls in 60 s")
				require.GreaterOrEqual(t, calls, int64(2), "still retried within the minute")
				require.Zero(t, e.sts.maxConcurrent()-1, "one call at a time")
			})
		}
	}
}

// TestNegativeCacheByReason: failures retrying cannot fix are held for
// NegativeTTL (jittered between half and all of it, doubling up to
// MaxNegativeTTL); the others back off from RetryBackoff.
func TestNegativeCacheByReason(t *testing.T) {
	tests := []struct {
		code, msg string
		reason    Reason
		first     time.Duration // the first wait with rand 1 (all of it)
	}{
		{"AccessDenied", "not authorized", ReasonTrustPolicy, 7 * time.Second},
		{"NoSuchEntity", "role missing", ReasonTrustPolicy, 7 * time.Second},
		{"ValidationError", "DurationSeconds exceeds the MaxSessionDuration", ReasonDurationTooLong, 7 * time.Second},
		{"RegionDisabledException", "not activated", ReasonRegionDisabled, 7 * time.Second},
		{"Throttling", "Rate exceeded", ReasonThrottled, 3 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			e := newEnv(t, func(o *Options) {
				o.rand = func() float64 { return 1 }
				o.NegativeTTL = 7 * time.Second
				o.MaxNegativeTTL = 20 * time.Second
				o.RetryBackoff = 3 * time.Second
			})
			e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return apiError(tc.code, tc.msg) }
			s := spec(roleA, extA)
			_, err := e.cache.Retrieve(context.Background(), s)
			var are *AssumeRoleError
			require.ErrorAs(t, err, &are)
			require.Equal(t, tc.reason, are.Reason)
			require.Equal(t, tc.reason != ReasonThrottled, !are.Reason.Retryable())

			e.advance(tc.first - time.Millisecond)
			_, err = e.cache.Retrieve(context.Background(), s)
			require.ErrorAs(t, err, &are)
			require.True(t, are.FromNegativeCache)
			require.Equal(t, tc.code, are.Code, "the cached error is the call's")
			require.EqualValues(t, 1, e.sts.calls.Load())

			e.advance(time.Millisecond)
			_, err = e.cache.Retrieve(context.Background(), s)
			require.ErrorAs(t, err, &are)
			require.False(t, are.FromNegativeCache)
			require.EqualValues(t, 2, e.sts.calls.Load())
			require.Equal(t, e.clock.Now().Add(2*tc.first), nextAttempt(t, e, s), "doubled")
		})
	}
}

func nextAttempt(t *testing.T, e *env, s Spec) time.Time {
	t.Helper()
	_, err := e.cache.Retrieve(context.Background(), s)
	var are *AssumeRoleError
	require.ErrorAs(t, err, &are)
	require.True(t, are.FromNegativeCache)
	return are.NextAttempt
}

// TestInvalidateClearsNegativeCache: the platform learns the customer
// changed the role; the next Retrieve calls at once.
func TestInvalidateClearsNegativeCache(t *testing.T) {
	e := newEnv(t)
	var denied = true
	var mu sync.Mutex
	e.sts.fail = func(int64, *sts.AssumeRoleInput) error {
		mu.Lock()
		defer mu.Unlock()
		if denied {
			return apiError("AccessDenied", "not authorized")
		}
		return nil
	}
	s := spec(roleA, extA)
	_, err := e.cache.Retrieve(context.Background(), s)
	require.Error(t, err)
	mu.Lock()
	denied = false
	mu.Unlock()
	_, err = e.cache.Retrieve(context.Background(), s)
	require.Error(t, err, "held in the negative cache")
	e.cache.InvalidateRole(roleA)
	e.get(s)
	require.EqualValues(t, 2, e.sts.calls.Load())
}

// TestNegativeCacheSurvivesEviction: the failure history is the key's, not
// the entry's, so evicting a failing key does not let it call again.
func TestNegativeCacheSurvivesEviction(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxEntries = 1 })
	e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return apiError("AccessDenied", "not authorized") }
	for range 20 {
		for _, ext := range []string{extA, extB} {
			_, err := e.cache.Retrieve(context.Background(), spec(roleA, ext))
			var are *AssumeRoleError
			require.True(t, errors.As(err, &are))
		}
	}
	require.EqualValues(t, 2, e.sts.calls.Load(), "one call per key")
	require.Positive(t, e.cache.Stats().Evictions)
}
