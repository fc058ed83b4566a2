package role

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The hit path reads a coarse clock that the ticker advances. These tests
// move only the precise clock (Options.Now), as a stopped or late ticker
// would, and check that no caller ever receives credentials whose Expires
// has passed.

// TestClosedCacheNeverServesExpired: Close stops the ticker, so the coarse
// clock freezes; cached credentials must still stop being served when they
// run out.
func TestClosedCacheNeverServesExpired(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := spec(roleA, extA)
	p, err := e.cache.Provider(s)
	require.NoError(t, err)
	_, err = p.Retrieve(ctx)
	require.NoError(t, err)
	require.NoError(t, e.cache.Close())

	got, err := p.Retrieve(ctx)
	require.NoError(t, err, "fresh credentials are still served after Close")
	require.True(t, got.Expires.After(e.clock.Now()))

	e.clock.add(2 * time.Hour) // the ticker is stopped: only the precise clock moves
	for name, retrieve := range map[string]func() error{
		"Provider": func() error { _, err := p.Retrieve(ctx); return err },
		"Retrieve": func() error { _, err := e.cache.Retrieve(ctx, s); return err },
	} {
		t.Run(name, func(t *testing.T) { require.ErrorIs(t, retrieve(), ErrClosed) })
	}
	require.EqualValues(t, 1, e.sts.calls.Load())
}

// TestShortLivedCredentialsNeverServedExpired: credentials that live only
// seconds (a platform clock far ahead of AWS's) scale the windows down below
// the coarse clock's lag; the hit path must still not serve them expired.
func TestShortLivedCredentialsNeverServedExpired(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.rand = func() float64 { return 1 } })
	e.sts.life = 2 * time.Second
	s := spec(roleA, extA)
	e.get(s)
	e.advance(1400 * time.Millisecond) // coarse and precise clocks agree
	got := e.get(s)
	require.True(t, got.Expires.After(e.clock.Now()), "expires %v, now %v", got.Expires, e.clock.Now())
	e.settle()

	e.clock.add(900 * time.Millisecond) // the coarse clock lags by less than its resolution
	got = e.get(s)
	require.True(t, got.Expires.After(e.clock.Now()), "served credentials that expired at %v at %v", got.Expires, e.clock.Now())
}

// TestCloseRacesMisses closes caches while callers are missing, for the race
// detector and goleak: every goroutine a waiting caller needs is started by
// the cache and waited for by Close, so none is left once Close and the
// callers have returned.
func TestCloseRacesMisses(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for i := range 50 {
		clock := newFakeClock()
		c := NewCache(&fakeSTS{now: clock.Now}, func(o *Options) { o.Now = clock.Now })
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.Retrieve(context.Background(), spec(roleA, fmt.Sprintf("ext_%d_%d", i, g)))
				if err != nil && !errors.Is(err, ErrClosed) && !errors.Is(err, context.Canceled) {
					t.Error(err)
				}
			}()
		}
		require.NoError(t, c.Close())
		wg.Wait()
	}
}

// TestFailureLogSaysWhenItRetries: every failure is logged with when the
// key will be tried again, also when nothing usable is cached (the cache
// backs off then too), and whether still-valid credentials are served.
func TestFailureLogSaysWhenItRetries(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(o *Options) { o.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	s := spec(roleA, extA)
	e.sts.fail = func(n int64, _ *sts.AssumeRoleInput) error {
		if n == 2 {
			return nil
		}
		return apiError("Throttling", "Rate exceeded")
	}
	_, err := e.cache.Retrieve(context.Background(), s)
	require.Error(t, err)
	require.Contains(t, logs.String(), `"consecutive_failures":1`)
	require.Contains(t, logs.String(), `"retry_in":2500000000`, "rand 0: half of RetryBackoff")
	require.Contains(t, logs.String(), `"still_valid_credentials":false`)

	logs.Reset()
	e.advance(DefaultRetryBackoff)
	e.get(s)                    // call 2 succeeds
	e.advance(56 * time.Minute) // stale: the background refresh (call 3) fails
	e.get(s)
	e.settle()
	require.Contains(t, logs.String(), `"retry_in":`)
	require.Contains(t, logs.String(), `"still_valid_credentials":true`)
}
