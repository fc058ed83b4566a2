package role

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit bounds the AssumeRole calls a Cache makes, as token buckets read
// with Options.Now. STS quotas belong to the platform's account, so without a
// bound one busy or broken tenant could spend every tenant's share.
//
// Every call takes a token from the platform-wide bucket (PerSecond, Burst)
// and one from its key's own bucket (KeyShare of both), so one key can never
// use more than KeyShare of the budget, whatever its callers do. A call
// either bucket refuses is not made and not queued: the caller gets a
// [*RateLimitError] at once (wrapping [ErrRateLimited]) saying when a token
// will be there. Still-valid credentials keep being served meanwhile.
//
// A RateLimit is a plain value; NewCache copies it.
type RateLimit struct {
	// PerSecond is the sustained rate of AssumeRole calls, platform-wide.
	// Zero or negative disables the limit (the default). Optional.
	PerSecond float64
	// Burst is how many calls may go at once after a quiet period. Default:
	// PerSecond rounded up, at least 1. Optional.
	Burst int
	// KeyShare is the fraction, above 0 and at most 1, of PerSecond and of
	// Burst that one key may use: its own bucket fills at
	// KeyShare*PerSecond and holds max(1, KeyShare*Burst) tokens. Default
	// DefaultKeyShare (0.1). Optional.
	KeyShare float64
}

func (r *RateLimit) enabled() bool { return r.PerSecond > 0 && !math.IsInf(r.PerSecond, 1) }

func (r *RateLimit) setDefaults() {
	if !r.enabled() {
		*r = RateLimit{}
		return
	}
	if r.Burst <= 0 {
		r.Burst = max(1, int(math.Ceil(r.PerSecond)))
	}
	if r.KeyShare <= 0 || r.KeyShare > 1 || math.IsNaN(r.KeyShare) {
		r.KeyShare = DefaultKeyShare
	}
}

// newGlobalLimiter returns the platform-wide bucket, nil when unlimited.
func (r *RateLimit) newGlobalLimiter(now time.Time) *rate.Limiter {
	if !r.enabled() {
		return nil
	}
	l := rate.NewLimiter(rate.Limit(r.PerSecond), r.Burst)
	l.SetLimitAt(now, rate.Limit(r.PerSecond)) // start the bucket on the cache's clock
	return l
}

// newKeyLimiter returns one key's bucket, nil when unlimited.
func (r *RateLimit) newKeyLimiter(now time.Time) *rate.Limiter {
	if !r.enabled() {
		return nil
	}
	l := rate.NewLimiter(rate.Limit(r.PerSecond*r.KeyShare), max(1, int(float64(r.Burst)*r.KeyShare)))
	l.SetLimitAt(now, rate.Limit(r.PerSecond*r.KeyShare))
	return l
}

// take takes one token from the key's bucket and one from the platform's at
// now, or neither. It returns zero when the call may go, else how long until
// it could, and which bucket refused.
func take(global, perKey *rate.Limiter, now time.Time) (wait time.Duration, platformWide bool) {
	if perKey != nil {
		r := perKey.ReserveN(now, 1)
		if d := r.DelayFrom(now); d > 0 {
			r.CancelAt(now)
			return d, false
		}
		if global != nil {
			g := global.ReserveN(now, 1)
			if d := g.DelayFrom(now); d > 0 {
				g.CancelAt(now)
				r.CancelAt(now)
				return d, true
			}
		}
	}
	return 0, false
}

// keyLimiterFull reports whether a key's bucket has refilled, so that
// forgetting it loses nothing.
func keyLimiterFull(l *rate.Limiter, now time.Time) bool {
	return l == nil || l.TokensAt(now) >= float64(l.Burst())
}
