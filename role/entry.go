package role

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
)

// Hit counting without a shared write per hit (see Stats.Hits): an entry
// counts its first exactHits hits one by one, then adds hitSample with
// probability 1/hitSample, so a hot entry's counter is written once per
// hitSample hits on average and the cores serving it stop trading its cache
// line.
const (
	exactHits = 1024
	hitSample = 64
	// usedShift coarsens the last-use time the hit path records to units of
	// 2^26 ns (about 67 ms), so an entry in use writes it about 15 times a
	// second, not once per hit. Each such write is to the line every hit
	// reads, so the other cores serving the entry fetch it again; at 2^20
	// ns, a thousand keys in use meant a million such writes a second.
	// LRU order and IdleTimeout (minutes) need no finer clock.
	usedShift = 26
)

// cacheLine is the cache-line size the entry's layout is planned for (64
// bytes on amd64 and most arm64): its hot fields first, padded to a line,
// and the whole entry a multiple of lines, so that, allocated in a size
// class of whole lines, the fields a hit reads sit on one line that no
// frequent write shares.
const cacheLine = 64

// entry holds one key's credentials. The hit path reads entryHot and the
// clock and writes nothing shared on most hits (see hit), so it takes no
// lock and allocates nothing.
type entry struct {
	entryHot
	_ [(cacheLine - unsafe.Sizeof(entryHot{})%cacheLine) % cacheLine]byte
	entryCold
	// The hit counter is off the hot line, so its writes (every hit at
	// first, then one in hitSample) do not evict the fields the hit path
	// reads from other cores' caches; it shares a line only with fields
	// the hit path does not read.
	hits atomic.Uint64 // see Stats.Hits
	_    [(cacheLine - (unsafe.Sizeof(entryCold{})+8)%cacheLine) % cacheLine]byte
}

// entryHot is the part of an entry the hit path reads: one cache line.
type entryHot struct {
	c       *Cache
	snap    atomic.Pointer[snapshot] // nil until the first successful AssumeRole, and after a failed RetrieveFresh
	dead    atomic.Bool              // removed from the cache; Providers re-resolve
	sampled atomic.Bool              // hits beyond exactHits: counted by sampling
	bg      atomic.Pointer[flight]   // the call a background refresh started or joined
	// used is Options.Now at the last use, UnixNano >> usedShift, for LRU
	// and idle expiry. It shares the line the hit path reads because it is
	// written at most once per usedShift unit.
	used atomic.Int64
}

// entryCold is the part of an entry only the slow paths read.
type entryCold struct {
	key  key
	hash uint64
	in   assumeInput
	next atomic.Pointer[entry] // next entry with the same hash; written under the shard's mu, read without it
	idx  int                   // position in Cache.ring, -1 when not in it; guarded by Cache.lruMu
}

// snapshot is one immutable generation of an entry's credentials with the
// instants that govern it. Every instant is derived from the reading of
// Options.Now at which the credentials arrived, so it carries that
// reading's monotonic clock (see passed).
type snapshot struct {
	creds aws.Credentials
	// soft: the hit path serves while neither clock has reached it (see
	// setSoft); softWall is its wall clock in Unix nanoseconds.
	soft     time.Time
	softWall int64
	// refreshAt starts the single background refresh (jittered window).
	refreshAt time.Time
	// mandatoryAt: from here callers wait for a refresh.
	mandatoryAt time.Time
	// expiresAt: the credentials are never returned from here on.
	expiresAt time.Time
	// retryAt: after a failed or refused refresh, no AssumeRole call
	// before this; zero when none failed.
	retryAt time.Time
}

// late returns the credentials served after the mandatory window started
// (when refreshing failed and they still work), with their true expiry.
func (s *snapshot) late() aws.Credentials {
	c := s.creds
	c.Expires = time.Unix(0, s.expiresAt.UnixNano()).UTC()
	return c
}

func (s *snapshot) withRetry(retryAt time.Time) *snapshot {
	n := *s
	n.retryAt = retryAt
	n.setSoft()
	return &n
}

// usable reports whether the credentials may still be returned at now.
func (s *snapshot) usable(now time.Time) bool { return s != nil && !passed(now, s.expiresAt) }

// setSoft places soft: the hit path serves until a refresh is due (the
// refresh window, or the retry after a failure) and never inside the
// mandatory window.
func (s *snapshot) setSoft() {
	soft := s.refreshAt
	if s.retryAt.After(soft) {
		soft = s.retryAt
	}
	if s.mandatoryAt.Before(soft) {
		soft = s.mandatoryAt
	}
	s.soft, s.softWall = soft, soft.UnixNano()
}

// hot is the hit path: it returns the snapshot whose credentials the
// caller may return now, with the hit counted, or nil when the entry was
// removed or its credentials are not fresh (then the caller takes slow, or
// rebinds, with now). It returns a pointer, not the credentials, so its
// callers copy them once, straight into their own result.
func (e *entry) hot() (*snapshot, time.Time) {
	now := e.c.now()
	w := now.UnixNano()
	if s := e.snap.Load(); s != nil && w < s.softWall && now.Before(s.soft) && !e.dead.Load() {
		e.hit(w)
		return s, now
	}
	return nil, now
}

// retrieve returns e's credentials through the hit path or slow.
// Provider.Retrieve, the fastest path, has hot inline instead, which spares
// its result a copy through this frame.
func (e *entry) retrieve(ctx context.Context) (aws.Credentials, error) {
	s, now := e.hot()
	if s == nil {
		return e.slow(ctx, now)
	}
	return s.creds, nil
}

// hit records a use and counts a hit, writing shared memory on few calls:
// used changes once per usedShift unit (67 ms), and hits once per hitSample hits
// after the first exactHits.
func (e *entry) hit(wall int64) {
	e.touch(wall)
	if e.sampled.Load() {
		if rand.Uint32()%hitSample == 0 {
			e.hits.Add(hitSample)
		}
		return
	}
	if e.hits.Add(1) >= exactHits {
		e.sampled.Store(true)
	}
}

func (e *entry) touch(wall int64) {
	if u := wall >> usedShift; e.used.Load() != u {
		e.used.Store(u)
	}
}

// slow serves stale-but-usable credentials while starting a background
// refresh, or waits for the key's AssumeRole call.
func (e *entry) slow(ctx context.Context, now time.Time) (aws.Credentials, error) {
	c := e.c
	e.touch(now.UnixNano())
	s := e.snap.Load()
	if s != nil && !passed(now, s.mandatoryAt) {
		if passed(now, s.refreshAt) {
			c.stats.staleServed.Add(1)
			if passed(now, s.retryAt) {
				e.refreshInBackground(s, now)
			}
		}
		e.hit(now.UnixNano())
		return s.creds, nil
	}
	if s.usable(now) && !passed(now, s.retryAt) {
		// Inside the mandatory window, but the last refresh failed and is
		// backing off: the credentials still work, serve them.
		c.stats.staleServed.Add(1)
		e.hit(now.UnixNano())
		return s.late(), nil
	}
	f, until, err := c.startCall(e, s, now, false)
	if err != nil {
		if s.usable(now) {
			// Refused (backoff, negative cache, rate limit): the
			// credentials still work.
			e.deferRetry(s, until)
			c.stats.staleServed.Add(1)
			e.hit(now.UnixNano())
			return s.late(), nil
		}
		return aws.Credentials{}, err
	}
	c.stats.misses.Add(1)
	if err := e.wait(ctx, f); err != nil {
		return aws.Credentials{}, err
	}
	now = c.now()
	if n := f.snap; n.usable(now) {
		if !passed(now, n.mandatoryAt) {
			return n.creds, nil
		}
		return n.late(), nil
	}
	if s.usable(now) {
		c.stats.staleServed.Add(1)
		return s.late(), nil // the refresh failed; the credentials still work
	}
	if f.err != nil {
		return aws.Credentials{}, f.err
	}
	return aws.Credentials{}, fmt.Errorf("role: credentials for role %s (external ID %s) expired before they could be returned; check the platform clock",
		e.key.roleARN, e.key.externalID)
}

// wait waits for f to finish or ctx to end, whichever comes first. The
// caller's own goroutine waits: giving up leaves nothing behind.
func (e *entry) wait(ctx context.Context, f *flight) error {
	select {
	case <-f.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("role: gave up waiting for credentials for role %s (external ID %s): %w",
			e.key.roleARN, e.key.externalID, ctx.Err())
	}
}

// fresh is RetrieveFresh for e's key.
func (e *entry) fresh(ctx context.Context) (aws.Credentials, error) {
	c := e.c
	for {
		f, _, err := c.startCall(e, nil, c.now(), true)
		if err != nil {
			return aws.Credentials{}, err
		}
		c.stats.misses.Add(1)
		if err := e.wait(ctx, f); err != nil {
			return aws.Credentials{}, err
		}
		if !f.fresh {
			continue // a call that began before us: now make our own
		}
		if f.err != nil {
			return aws.Credentials{}, f.err
		}
		return f.snap.creds, nil
	}
}

// refreshInBackground starts (or joins) the key's call unless the one it
// started last is still running; no goroutine waits for it.
func (e *entry) refreshInBackground(s *snapshot, now time.Time) {
	if f := e.bg.Load(); f != nil && !f.finished() {
		return
	}
	f, until, err := e.c.startCall(e, s, now, false)
	if err != nil {
		e.deferRetry(s, until)
		return
	}
	e.bg.Store(f)
}

// deferRetry moves s's retry to until (when the negative cache, backoff or
// rate limit refused a call), so hits go back to the fast path until then
// instead of asking again on every call.
func (e *entry) deferRetry(s *snapshot, until time.Time) {
	if !until.IsZero() && until.After(s.retryAt) {
		e.snap.CompareAndSwap(s, s.withRetry(until))
	}
}

// assume calls AssumeRole through the SDK's stscreds provider, built for
// each call so nothing the SDK caches outlives the call. It is the only
// place the cache calls STS; startCall decides whether it may run, and run
// what its result does to the key.
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

// newSnapshot places the refresh and mandatory instants for creds obtained
// at now. Windows are scaled down for credentials that live less than
// twice (four times) the window, so short sessions still spend most of
// their life on the hit path.
func (c *Cache) newSnapshot(creds aws.Credentials, now time.Time) *snapshot {
	life := creds.Expires.Sub(now) // STS's expiry has no monotonic reading: wall clock
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
		refreshAt:   now.Add(life - window),
		mandatoryAt: now.Add(life - mandatory),
		expiresAt:   now.Add(life),
	}
	s.setSoft()
	return s
}
