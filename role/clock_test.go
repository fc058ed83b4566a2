package role

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// Finding 3: the hit path read a clock the cache advanced once a second, so
// a wall-clock jump (VM resume, NTP step) served expired credentials until
// the ticker caught up. Every call now reads Options.Now.

// TestClockJumpForwardNeverServesExpired: credentials fetched, the clock
// jumps two hours, and the very next call (no ticker in between) must not
// return them: it assumes the role again.
func TestClockJumpForwardNeverServesExpired(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := spec(roleA, extA)
	p, err := e.cache.Provider(s)
	require.NoError(t, err)
	first, err := p.Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "1", generation(first))

	e.clock.add(2 * time.Hour)
	for name, retrieve := range map[string]func() (aws.Credentials, error){
		"Provider": func() (aws.Credentials, error) { return p.Retrieve(ctx) },
		"Retrieve": func() (aws.Credentials, error) { return e.cache.Retrieve(ctx, s) },
	} {
		got, err := retrieve()
		require.NoError(t, err, name)
		require.NotEqual(t, first.AccessKeyID, got.AccessKeyID, "%s served credentials that expired an hour ago", name)
		require.True(t, got.Expires.After(e.clock.Now()), name)
	}
	require.EqualValues(t, 2, e.sts.calls.Load(), "one new call for both callers")
}

// TestClockJumpBackward: a clock stepped back keeps serving the credentials
// it has (they are younger than ever by that clock) without a call storm;
// moving forward again past their expiry still stops them; and a failure's
// backoff does not stretch by the size of the step.
func TestClockJumpBackward(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := spec(roleA, extA)
	first := e.get(s)

	e.clock.add(-2 * time.Hour)
	for range 10 {
		got := e.get(s)
		require.Equal(t, first.AccessKeyID, got.AccessKeyID)
		require.True(t, got.Expires.After(e.clock.Now()))
	}
	require.EqualValues(t, 1, e.sts.calls.Load())

	e.clock.add(3 * time.Hour) // one hour after the original expiry
	got := e.get(s)
	require.NotEqual(t, first.AccessKeyID, got.AccessKeyID)
	require.EqualValues(t, 2, e.sts.calls.Load())

	// A failing key, then the clock steps back an hour: the wait ends at
	// most one NegativeTTL later by the new clock, not an hour later.
	bad := spec(roleA, extB)
	e.sts.fail = func(_ int64, in *sts.AssumeRoleInput) error {
		if aws.ToString(in.ExternalId) == extB {
			return apiError("AccessDenied", "not authorized")
		}
		return nil
	}
	_, err := e.cache.Retrieve(ctx, bad)
	require.Error(t, err)
	calls := e.sts.calls.Load()
	e.clock.add(-time.Hour)
	_, err = e.cache.Retrieve(ctx, bad)
	var are *AssumeRoleError
	require.ErrorAs(t, err, &are)
	require.False(t, are.FromNegativeCache, "the step back ends the wait: one attempt")
	require.Equal(t, calls+1, e.sts.calls.Load())
	_, err = e.cache.Retrieve(ctx, bad)
	require.ErrorAs(t, err, &are)
	require.True(t, are.FromNegativeCache, "and the next wait starts from the new time")
	e.clock.add(DefaultNegativeTTL)
	_, err = e.cache.Retrieve(ctx, bad)
	require.ErrorAs(t, err, &are)
	require.False(t, are.FromNegativeCache)
	require.Equal(t, calls+2, e.sts.calls.Load())
}

// FuzzClockNeverServesExpired moves the clock at random, forward and back,
// by small and huge steps, between retrievals that sometimes fail, and
// checks that nothing ever returned has expired by the clock at the time it
// is returned, neither by the Expires it carries nor by STS's expiry.
func FuzzClockNeverServesExpired(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 200, 100, 50, 25})
	f.Add([]byte{255, 255, 255, 0, 0, 0, 128, 128, 128})
	f.Add([]byte{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7})
	steps := []time.Duration{
		time.Millisecond, time.Second, 10 * time.Second, time.Minute, 5 * time.Minute, 55 * time.Minute,
		time.Hour, 2 * time.Hour, 13 * time.Hour,
	}
	f.Fuzz(func(t *testing.T, moves []byte) {
		if len(moves) > 400 {
			moves = moves[:400]
		}
		clock := newFakeClock()
		fs := &fakeSTS{now: clock.Now}
		var failing atomic.Bool
		fs.fail = func(int64, *sts.AssumeRoleInput) error {
			if failing.Load() {
				return apiError("Throttling", "Rate exceeded")
			}
			return nil
		}
		c := NewCache(fs, func(o *Options) { o.Now = clock.Now })
		defer c.Close()
		s := spec(roleA, extA)
		p, err := c.Provider(s)
		require.NoError(t, err)
		ctx := context.Background()
		for i, m := range moves {
			d := steps[int(m&0x0f)%len(steps)]
			if m&0x10 != 0 {
				d = -d
			}
			clock.add(d)
			failing.Store(m&0x20 != 0)
			var got aws.Credentials
			var err error
			if m&0x40 != 0 {
				got, err = p.Retrieve(ctx)
			} else {
				got, err = c.Retrieve(ctx, s)
			}
			c.wg.Wait() // let a background refresh land before the clock moves again
			if err != nil {
				var are *AssumeRoleError
				require.True(t, errors.As(err, &are), "step %d: %v", i, err)
				continue
			}
			now := clock.Now()
			require.True(t, got.Expires.After(now), "step %d: served credentials with Expires %v at %v", i, got.Expires, now)
			require.True(t, fs.expiryOf(got.AccessKeyID).After(now), "step %d: served credentials STS expired at %v at %v", i, fs.expiryOf(got.AccessKeyID), now)
		}
	})
}
