package role

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"golang.org/x/sync/singleflight"
)

// entry holds one key's credentials. The hit path reads snap and the coarse
// clock and writes nothing but two counters, so it takes no lock and
// allocates nothing.
type entry struct {
	c    *Cache
	snap atomic.Pointer[snapshot] // nil until the first successful AssumeRole
	used atomic.Int64             // coarse clock at the last hit, for LRU and idle expiry
	hits atomic.Uint64
	dead atomic.Bool // removed from the cache; Providers re-resolve
	bg   atomic.Bool // a background refresh is scheduled or running

	id       uint64 // unique per entry: its singleflight key in Cache.sf
	failures int    // consecutive failed refreshes; guarded by Cache.sf (calls for one id never overlap)

	key  key
	hash uint64
	in   assumeInput
	next *entry // next entry with the same hash; guarded by the shard's mu
	idx  int    // position in Cache.ring, -1 when not in it; guarded by Cache.lruMu
}

// snapshot is one immutable generation of an entry's credentials with the
// instants (Unix nanoseconds) that govern it.
type snapshot struct {
	creds aws.Credentials
	// softAt: the hit path serves while the coarse clock is before it
	// (see setSoft).
	softAt int64
	// refreshAt starts the single background refresh (jittered window).
	refreshAt int64
	// mandatoryAt: from here callers wait for a refresh.
	mandatoryAt int64
	// expiresAt: the credentials are never returned from here on.
	expiresAt int64
	// retryAt: after a failed refresh, no AssumeRole call before this.
	retryAt int64
}

// late returns the credentials served after the mandatory window started
// (when refreshing failed and they still work), with their true expiry.
func (s *snapshot) late() aws.Credentials {
	c := s.creds
	c.Expires = time.Unix(0, s.expiresAt).UTC()
	return c
}

func (s *snapshot) withRetry(retryAt int64) *snapshot {
	n := *s
	n.retryAt = retryAt
	n.setSoft()
	return &n
}

// setSoft places softAt: the hit path serves until a refresh is due (the
// refresh window, or the retry after a failure) and never inside the
// mandatory window. It also stops minMandatoryWindow before expiry even when
// newSnapshot scaled the windows down for short-lived credentials, because
// the coarse clock the hit path reads may lag; the slow path, which reads the
// precise clock, serves such credentials instead.
func (s *snapshot) setSoft() {
	s.softAt = min(max(s.refreshAt, s.retryAt), s.mandatoryAt, s.expiresAt-int64(minMandatoryWindow))
}

// sfKey is e's key in Cache.sf. It is built per refresh, not stored, to keep
// entries small.
func (e *entry) sfKey() string { return strconv.FormatUint(e.id, 36) }

// retrieve is the hit path; everything else is in slow.
func (e *entry) retrieve(ctx context.Context) (aws.Credentials, error) {
	now := e.c.clk.nanos.Load()
	if s := e.snap.Load(); s != nil && now < s.softAt {
		if e.used.Load() != now {
			e.used.Store(now)
		}
		e.hits.Add(1)
		return s.creds, nil
	}
	return e.slow(ctx)
}

// slow serves stale-but-usable credentials while starting a background
// refresh, or waits for a refresh.
func (e *entry) slow(ctx context.Context) (aws.Credentials, error) {
	c := e.c
	for attempt := 0; ; attempt++ {
		now := c.clk.read()
		e.used.Store(now)
		s := e.snap.Load()
		if s != nil && now < s.mandatoryAt {
			if now >= s.refreshAt && now >= s.retryAt {
				e.refreshInBackground()
			}
			e.hits.Add(1)
			return s.creds, nil
		}
		if s != nil && now < s.expiresAt && now < s.retryAt {
			// Inside the mandatory window, but the last refresh failed and
			// is backing off: the credentials still work, serve them.
			e.hits.Add(1)
			return s.late(), nil
		}
		c.stats.misses.Add(1)
		// Not sf.DoChan: the goroutine it starts is not the cache's, so Close
		// could return before it does. Every waiter gets a goroutine Close
		// waits for; they share one AssumeRole call through sf.Do.
		ch := make(chan singleflight.Result, 1)
		if !c.goTracked(func() {
			v, err, shared := c.sf.Do(e.sfKey(), func() (any, error) { return e.refresh(false) })
			ch <- singleflight.Result{Val: v, Err: err, Shared: shared}
		}) {
			return aws.Credentials{}, ErrClosed
		}
		var res singleflight.Result
		select {
		case res = <-ch:
		case <-ctx.Done():
			return aws.Credentials{}, fmt.Errorf("role: gave up waiting for credentials for role %s (external ID %s): %w",
				e.key.roleARN, e.key.externalID, ctx.Err())
		}
		s, _ = res.Val.(*snapshot)
		now = c.clk.read()
		if s != nil && now < s.mandatoryAt {
			return s.creds, nil
		}
		if s != nil && now < s.expiresAt {
			// The refresh failed; the credentials still work.
			return s.late(), nil
		}
		if res.Err != nil {
			return aws.Credentials{}, res.Err
		}
		if attempt > 0 {
			return aws.Credentials{}, fmt.Errorf("role: role %s returned credentials that expire at once; check the platform clock", e.key.roleARN)
		}
	}
}

// refreshInBackground starts one refresh unless one is scheduled already.
func (e *entry) refreshInBackground() {
	if !e.bg.CompareAndSwap(false, true) {
		return
	}
	ok := e.c.goTracked(func() {
		defer e.bg.Store(false)
		_, _, _ = e.c.sf.Do(e.sfKey(), func() (any, error) { return e.refresh(true) })
	})
	if !ok {
		e.bg.Store(false)
	}
}

// refresh runs inside Cache.sf, so never twice at once for one entry, and
// always in a goroutine started by goTracked, so Close waits for it. It
// returns the snapshot to serve (possibly the old one, still valid, with
// its retry pushed back) and the refresh error, if any.
func (e *entry) refresh(background bool) (*snapshot, error) {
	c := e.c
	if c.ctx.Err() != nil {
		return nil, ErrClosed
	}

	now := c.clk.read()
	cur := e.snap.Load()
	if cur != nil {
		// Another refresh finished between our caller's check and now.
		if background && (now < cur.refreshAt || now < cur.retryAt) {
			return cur, nil
		}
		if !background && now < cur.mandatoryAt {
			return cur, nil
		}
	}

	ctx, cancel := context.WithTimeout(c.ctx, c.opts.RefreshTimeout)
	defer cancel()
	c.stats.inFlight.Add(1)
	creds, err := e.assume(ctx)
	c.stats.inFlight.Add(-1)
	now = c.clk.read()
	if err == nil && !creds.Expires.After(c.clk.at(now)) {
		err = fmt.Errorf("STS returned credentials that expire at %v, not after now (%v)", creds.Expires, c.clk.at(now))
	}
	if err != nil {
		c.stats.failures.Add(1)
		e.failures++
		var are *AssumeRoleError
		if !errors.As(err, &are) {
			are = newAssumeRoleError(e.key.roleARN, e.key.externalID, c.opts.PlatformAccountID, err)
		}
		attrs := []slog.Attr{
			slog.String("role_arn", are.RoleARN),
			slog.String("external_id", are.ExternalID),
			slog.String("reason", are.Reason.String()),
			slog.String("code", are.Code),
			slog.Int("consecutive_failures", e.failures),
			slog.String("error", are.Error()),
		}
		if cur == nil || now >= cur.expiresAt {
			// Nothing usable to serve: the next Retrieve tries again at once.
			c.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "role: refresh failed", attrs...)
			return nil, are
		}
		backoff := e.backoff()
		c.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "role: refresh failed", append(attrs, slog.Duration("retry_in", backoff))...)
		next := cur.withRetry(now + int64(backoff))
		e.snap.Store(next)
		return next, are
	}
	c.stats.refreshes.Add(1)
	e.failures = 0
	next := c.newSnapshot(creds, now)
	e.snap.Store(next)
	c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "role: assumed role",
		slog.String("role_arn", e.key.roleARN),
		slog.String("external_id", e.key.externalID),
		slog.Time("expires", creds.Expires),
	)
	return next, nil
}

// assume calls AssumeRole through the SDK's stscreds provider, built for
// each call so nothing the SDK caches outlives the call.
func (e *entry) assume(ctx context.Context) (aws.Credentials, error) {
	k, in := &e.key, &e.in
	if k.externalID == "" {
		// validate makes this unreachable; the check keeps it so if the
		// code around it changes.
		return aws.Credentials{}, ErrMissingExternalID
	}
	p := stscreds.NewAssumeRoleProvider(e.c.client, k.roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.ExternalID = aws.String(k.externalID)
		o.RoleSessionName = in.sessionName
		o.Duration = k.duration
		o.PolicyARNs = in.policyARNs
		o.Tags = in.tags
		o.TransitiveTagKeys = in.transitive
		if k.policy != "" {
			o.Policy = aws.String(k.policy)
		}
		if k.sourceIdentity != "" {
			o.SourceIdentity = aws.String(k.sourceIdentity)
		}
	})
	creds, err := p.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, newAssumeRoleError(k.roleARN, k.externalID, e.c.opts.PlatformAccountID, err)
	}
	// stscreds slices the account ID out of the assumed-role ARN; a copy
	// lets that ARN be collected.
	creds.AccountID = strings.Clone(creds.AccountID)
	return creds, nil
}

// backoff is the wait after the e.failures-th consecutive failure:
// exponential, bounded, with equal jitter (half fixed, half random) so
// entries that failed together do not retry together.
func (e *entry) backoff() time.Duration {
	o := &e.c.opts
	d := o.RetryBackoff
	for i := 1; i < e.failures && d < o.MaxRetryBackoff; i++ {
		d *= 2
	}
	d = min(d, o.MaxRetryBackoff)
	return d/2 + time.Duration(o.rand()*float64(d/2))
}

// newSnapshot places the refresh and mandatory instants for creds obtained
// at now. Windows are scaled down for credentials that live less than
// twice (four times) the window, so short sessions still spend most of
// their life on the hit path.
func (c *Cache) newSnapshot(creds aws.Credentials, now int64) *snapshot {
	exp := creds.Expires.UnixNano()
	life := time.Duration(exp - now)
	mandatory := min(c.opts.MandatoryWindow, life/4)
	window := min(c.opts.RefreshWindow, life/2)
	// Jitter moves the start later, never into the mandatory window.
	window -= time.Duration(c.opts.rand() * c.opts.RefreshJitter * float64(window))
	window = max(window, mandatory)
	// Expires tells consumers when to come back: the start of the mandatory
	// window, not STS's expiry. An outer cache (aws.CredentialsCache wraps
	// providers by default in config.LoadDefaultConfig) then asks again
	// before the credentials run out instead of at the last instant.
	creds.Expires = creds.Expires.Add(-mandatory)
	s := &snapshot{
		creds:       creds,
		refreshAt:   exp - int64(window),
		mandatoryAt: exp - int64(mandatory),
		expiresAt:   exp,
	}
	s.setSoft()
	return s
}
