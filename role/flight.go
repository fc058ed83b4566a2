package role

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"
)

// One AssumeRole call per key at a time, and at most one per backoff
// interval, whatever the callers, the entries and the evictions do: the
// per-key state lives in Cache.keys, keyed by the full key, not in the entry,
// so an entry evicted or invalidated while its call is in flight hands the
// call (and the key's failure history) to the entry that replaces it.
//
// This is what singleflight does, written out because the cache needs more
// than it offers: waiters that give up must leave no goroutine and no
// channel behind (singleflight.Do needs a goroutine per waiter to be
// abandonable, DoChan keeps a channel per waiter until the call ends), the
// one goroutine per call must be one Close waits for, and the decision to
// call (negative cache, backoff, rate limit, fresh calls that must not join
// an older one) must be taken under the same lock that registers the call.

// flight is one AssumeRole call for one key.
type flight struct {
	e     *entry // the entry that started it; its key is the call's key
	fresh bool   // started by RetrieveFresh
	done  chan struct{}
	// Set before done is closed, read only after.
	snap *snapshot // what to serve: new credentials, or still-valid old ones after a failure; nil if none
	err  error     // the call's error, nil on success
}

func (f *flight) finished() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// keyState is one key's call and failure state; guarded by Cache.keysMu.
type keyState struct {
	flight   *flight          // the call in flight, nil if none
	failures int              // consecutive failed calls
	err      *AssumeRoleError // the last call's failure, nil after a success
	setAt    time.Time        // when err was recorded
	until    time.Time        // no call before this while err is set (negative cache or backoff)
	limiter  *rate.Limiter    // the key's share of Options.RateLimit; nil when unlimited
}

// closedChan is the done channel of a flight that was never a call.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// startCall returns the key's call in flight or starts one, in which case
// it is the only goroutine the call needs: callers wait on its done channel
// in their own goroutines. A call that is not fresh is refused while the
// key's last failure holds (the error is the cached failure, until is when
// it stops holding); every call is refused by the rate limiter (until is
// when a token comes), for a retired external ID and after Close. For a
// fresh call it may return an older call still in flight, which the caller
// must wait out before asking again (flight.fresh tells them apart). seen
// is the snapshot the caller found in e; if e holds another one by now, a
// call has just ended and startCall returns its result as a finished
// flight instead of calling again.
func (c *Cache) startCall(e *entry, seen *snapshot, now time.Time, fresh bool) (f *flight, until time.Time, err error) {
	if c.isRetired(e.key.externalID) {
		c.remove(e)
		return nil, time.Time{}, c.retiredError(&e.key)
	}
	c.keysMu.Lock()
	defer c.keysMu.Unlock()
	ks := c.keys[e.key]
	if ks == nil {
		ks = &keyState{}
		c.keys[e.key] = ks
	}
	if ks.flight != nil {
		return ks.flight, time.Time{}, nil
	}
	if cur := e.snap.Load(); !fresh && cur != seen && cur.usable(now) {
		// A call finished between the caller's look at the entry and now:
		// its result is the answer, not another call.
		return &flight{e: e, done: closedChan, snap: cur}, time.Time{}, nil
	}
	if !fresh && ks.err != nil && !waitOver(now, ks.setAt, ks.until) {
		c.stats.negativeHits.Add(1)
		return nil, ks.until, ks.err.cached(ks.until)
	}
	if c.global != nil && c.opts.Store == nil {
		// With a Store, obtain takes the token after the store missed.
		if err := c.takeTokenLocked(e, ks, now); err != nil {
			return nil, now.Add(err.(*RateLimitError).RetryAfter), err
		}
	}
	f = &flight{e: e, fresh: fresh, done: make(chan struct{})}
	if !c.goTracked(func() { c.run(f) }) {
		return nil, time.Time{}, ErrClosed
	}
	ks.flight = f
	return f, time.Time{}, nil
}

// run makes f's call and records its outcome: in the key's state (failure
// count, negative cache or backoff), in the key's entries (the one that
// started the call, and the live one if eviction or invalidation replaced
// it), then releases the waiters. Entries are updated before the call is
// unregistered, so a caller arriving in between finds either the call or
// its result, never neither.
func (c *Cache) run(f *flight) {
	e := f.e
	ctx, cancel := context.WithTimeout(c.ctx, c.opts.RefreshTimeout)
	defer cancel()
	trigger := triggerBlocking
	switch {
	case f.fresh:
		trigger = triggerForced
	case e.snap.Load().usable(c.now()):
		trigger = triggerBackground
	}
	c.stats.inFlight.Add(1)
	creds, source, err := c.obtain(ctx, f)
	c.stats.inFlight.Add(-1)
	now := c.now()
	var rle *RateLimitError
	limited := errors.As(err, &rle)
	if err == nil && !creds.Expires.After(now) {
		are := newAssumeRoleError(e.key.roleARN, e.key.externalID, c.opts.PlatformAccountID,
			fmt.Errorf("STS returned credentials that expire at %v, not after the platform's now (%v)", creds.Expires, now))
		are.Reason = ReasonClockSkew
		err = are
	}
	retired := c.isRetired(e.key.externalID)
	if retired {
		// Retired while the call was in flight: its credentials are
		// never handed out.
		err = c.retiredError(&e.key)
		c.remove(e)
	}
	var are *AssumeRoleError
	if err != nil && !retired && !limited && !errors.As(err, &are) {
		are = newAssumeRoleError(e.key.roleARN, e.key.externalID, c.opts.PlatformAccountID, err)
		err = are
	}

	c.keysMu.Lock()
	ks := c.keys[e.key] // registered by startCall; only run removes a state with a call in flight
	var next *snapshot
	var wait time.Duration
	retryAt := ks.until
	switch {
	case err == nil:
		if source == sourceStore {
			c.stats.storeHits.Add(1)
		} else {
			c.stats.refreshes.Add(1)
		}
		c.metrics.refreshed(trigger, source)
		ks.failures, ks.err = 0, nil
		next = c.newSnapshot(creds, now)
	case limited:
		// Refused by the rate limit after a store miss (see obtain): not a
		// failure of the key, and nothing is dropped.
		retryAt = now.Add(rle.RetryAfter)
	case are != nil:
		c.stats.failures.Add(1)
		c.metrics.failed(trigger, are.Reason)
		ks.failures++
		wait = c.waitAfter(are.Reason, ks.failures)
		ks.err, ks.setAt, ks.until = are, now, now.Add(wait)
		retryAt = ks.until
	}
	failures := ks.failures
	var serve *snapshot
	for _, t := range c.entriesOf(e) {
		switch {
		case retired:
			t.snap.Store(nil)
		case next != nil:
			t.snap.Store(next) // replaces whatever was there: also what a fresh call must do
			serve = next
		case f.fresh && !limited:
			t.snap.Store(nil) // a failed fresh call drops the key's credentials
		default:
			if cur := t.snap.Load(); cur.usable(now) {
				r := cur.withRetry(retryAt)
				t.snap.Store(r)
				if t == e || serve == nil {
					serve = r
				}
			}
		}
	}
	ks.flight = nil
	if ks.err == nil && keyLimiterFull(ks.limiter, now) {
		delete(c.keys, e.key)
	}
	c.keysMu.Unlock()

	if are != nil {
		c.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "role: AssumeRole failed",
			slog.String("role_arn", are.RoleARN),
			slog.String("external_id", are.ExternalID),
			slog.String("reason", are.Reason.String()),
			slog.Bool("retryable", are.Reason.Retryable()),
			slog.String("code", are.Code),
			slog.Int("consecutive_failures", failures),
			slog.Duration("retry_in", wait),
			slog.Bool("still_valid_credentials", serve != nil),
			slog.String("error", are.Error()),
		)
	} else if err == nil {
		c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "role: assumed role",
			slog.String("role_arn", e.key.roleARN),
			slog.String("external_id", e.key.externalID),
			slog.String("source", sourceNames[source]),
			slog.Time("expires", creds.Expires),
		)
	}

	f.snap, f.err = serve, err
	close(f.done)
}

// entriesOf returns e and, if it is another entry, the live entry for e's
// key.
func (c *Cache) entriesOf(e *entry) []*entry {
	if live := c.lookup(&e.key, e.hash); live != nil && live != e {
		return []*entry{e, live}
	}
	return []*entry{e}
}

// waitAfter is how long a key waits after its failures-th consecutive
// failure for reason: the negative cache for failures retrying cannot fix,
// the retry backoff for the others. Both double per failure up to their
// maximum, with equal jitter (half fixed, half random) so keys that failed
// together do not retry together.
func (c *Cache) waitAfter(reason Reason, failures int) time.Duration {
	o := &c.opts
	d, limit := o.RetryBackoff, o.MaxRetryBackoff
	if !reason.Retryable() {
		d, limit = o.NegativeTTL, o.MaxNegativeTTL
	}
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d/2 + time.Duration(o.rand()*float64(d/2))
}

// forgetFailures clears the failure history of the keys match selects, so
// their next Retrieve calls STS at once (the customer changed the role).
func (c *Cache) forgetFailures(match func(*key) bool) {
	c.keysMu.Lock()
	defer c.keysMu.Unlock()
	for k, ks := range c.keys {
		if match(&k) {
			ks.failures, ks.err = 0, nil
		}
	}
}

// sweepKeys forgets the state of keys with no call in flight, a full rate
// bucket and no failure recent enough to matter: the failure count is kept
// for the longest wait after its wait ends, so a key failing steadily keeps
// doubling its wait instead of starting over.
func (c *Cache) sweepKeys(now time.Time) {
	keep := c.opts.MaxRetryBackoff + c.opts.MaxNegativeTTL
	c.keysMu.Lock()
	defer c.keysMu.Unlock()
	for k, ks := range c.keys {
		if ks.flight == nil && keyLimiterFull(ks.limiter, now) &&
			(ks.err == nil || waitOver(now, ks.setAt, ks.until.Add(keep))) {
			delete(c.keys, k)
		}
	}
	for t, l := range c.tenants {
		if keyLimiterFull(l, now) {
			delete(c.tenants, t) // a full bucket holds nothing a new one would not
		}
	}
}
