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
// Every call takes a token from the platform-wide bucket (PerSecond, Burst),
// one from its key's own bucket (KeyShare of both) and one from its tenant's
// (TenantShare of both), so one key can never use more than KeyShare of the
// budget and one tenant, however many connections, projects or roles it
// has, never more than TenantShare, whatever its callers do. The tenant is
// the Spec's WorkspaceID, or its ExternalID when WorkspaceID is empty (so a
// platform that leaves WorkspaceID unset gets one share per external ID:
// per workspace or per project, as its scope mode derives them). A call
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
	// TenantShare is the fraction, above 0 and at most 1, of PerSecond and
	// of Burst that all the keys of one tenant may use together. Default
	// DefaultTenantShare (0.25). Optional.
	TenantShare float64
}

// DefaultTenantShare is the largest fraction of the platform-wide rate
// limit one tenant's keys may use together by default.
const DefaultTenantShare = 0.25

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
	if r.TenantShare <= 0 || r.TenantShare > 1 || math.IsNaN(r.TenantShare) {
		r.TenantShare = DefaultTenantShare
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
func (r *RateLimit) newKeyLimiter(now time.Time) *rate.Limiter { return r.newShare(now, r.KeyShare) }

// newShare returns a bucket holding share of the limit, nil when unlimited.
func (r *RateLimit) newShare(now time.Time, share float64) *rate.Limiter {
	if !r.enabled() {
		return nil
	}
	l := rate.NewLimiter(rate.Limit(r.PerSecond*share), max(1, int(float64(r.Burst)*share)))
	l.SetLimitAt(now, rate.Limit(r.PerSecond*share))
	return l
}

// bucket names the bucket of the rate limit that refused a call.
type bucket int

const (
	keyBucket bucket = iota
	tenantBucket
	platformBucket
)

// take takes one token from each of the key's, the tenant's and the
// platform's buckets at now, or none. It returns zero when the call may go,
// else how long until it could, and which bucket refused.
func take(now time.Time, perKey, tenant, global *rate.Limiter) (wait time.Duration, refused bucket) {
	var taken [3]*rate.Reservation
	for i, l := range [3]*rate.Limiter{keyBucket: perKey, tenantBucket: tenant, platformBucket: global} {
		if l == nil {
			continue
		}
		taken[i] = l.ReserveN(now, 1)
		if d := taken[i].DelayFrom(now); d > 0 {
			for _, r := range taken[:i+1] {
				if r != nil {
					r.CancelAt(now)
				}
			}
			return d, bucket(i)
		}
	}
	return 0, keyBucket
}

// takeTokenLocked takes a token for a call of e's key, whose state is ks, from
// the key's, the tenant's and the platform's buckets, or returns the
// *RateLimitError of the bucket that refused. The caller holds keysMu.
func (c *Cache) takeTokenLocked(e *entry, ks *keyState, now time.Time) error {
	if ks.limiter == nil {
		ks.limiter = c.opts.RateLimit.newKeyLimiter(now)
	}
	tl := c.tenants[e.in.tenant]
	if tl == nil {
		if c.tenants == nil {
			c.tenants = map[string]*rate.Limiter{}
		}
		tl = c.opts.RateLimit.newShare(now, c.opts.RateLimit.TenantShare)
		c.tenants[e.in.tenant] = tl
	}
	d, refused := take(now, ks.limiter, tl, c.global)
	if d == 0 {
		return nil
	}
	c.stats.rateLimited.Add(1)
	return &RateLimitError{RoleARN: e.key.roleARN, ExternalID: e.key.externalID,
		PlatformWide: refused == platformBucket, TenantWide: refused == tenantBucket, RetryAfter: d}
}

// keyLimiterFull reports whether a key's bucket has refilled, so that
// forgetting it loses nothing.
func keyLimiterFull(l *rate.Limiter, now time.Time) bool {
	return l == nil || l.TokensAt(now) >= float64(l.Burst())
}
