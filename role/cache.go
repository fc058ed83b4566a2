package role

import (
	"context"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
)

// Defaults for Options. Each says why it is that number.
const (
	// DefaultRefreshWindow: five minutes before expiry a background refresh
	// starts. Long enough to ride out a few failed attempts with backoff
	// before the mandatory window, short enough to keep one AssumeRole per
	// key per session lifetime.
	DefaultRefreshWindow = 5 * time.Minute
	// DefaultRefreshJitter spreads the start of background refreshes over
	// the last half of the refresh window, so keys created together (after a
	// deploy) do not refresh together and trip STS's rate limit.
	DefaultRefreshJitter = 0.5
	// DefaultMandatoryWindow: in the last minute callers wait for fresh
	// credentials. A request signed with credentials that have a minute left
	// still completes; long transfers take a new Provider.Retrieve per part.
	DefaultMandatoryWindow = time.Minute
	// DefaultMaxEntries bounds memory (well under 10 MiB at 10,000 entries)
	// while covering the connections a large platform keeps hot.
	DefaultMaxEntries = 10000
	// DefaultIdleTimeout drops entries unused for an hour: by then their
	// credentials (default lifetime one hour) are worthless anyway.
	DefaultIdleTimeout = time.Hour
	// DefaultRetryBackoff is the first wait after a failed refresh; it
	// doubles per consecutive failure up to DefaultMaxRetryBackoff, so a
	// five-minute refresh window holds about five attempts.
	DefaultRetryBackoff = 5 * time.Second
	// DefaultMaxRetryBackoff bounds the wait between attempts.
	DefaultMaxRetryBackoff = 2 * time.Minute
	// DefaultRefreshTimeout bounds one shared AssumeRole call, which no
	// caller's context cancels.
	DefaultRefreshTimeout = 30 * time.Second

	// minMandatoryWindow keeps the mandatory window far above the lag of the
	// hit path's coarse clock (clockResolution).
	minMandatoryWindow = 10 * time.Second
	// clockResolution is how often the hit path's clock is read: reading the
	// system clock on every hit would cost more than the rest of the hit.
	clockResolution = time.Second
	shardCount      = 64
)

// Options configure a Cache. Zero values mean the documented default.
type Options struct {
	// RefreshWindow is how long before expiry a single background refresh
	// starts while callers keep receiving the current credentials. Optional;
	// default DefaultRefreshWindow (5 minutes). Raised to MandatoryWindow if
	// smaller.
	RefreshWindow time.Duration
	// RefreshJitter is the fraction of RefreshWindow by which the start of a
	// refresh is randomly moved later, between 0 and 1. Optional; default
	// DefaultRefreshJitter (0.5); a negative value means no jitter.
	RefreshJitter float64
	// MandatoryWindow is how long before expiry callers stop receiving the
	// current credentials and wait for a refresh. Optional; default
	// DefaultMandatoryWindow (1 minute); at least 10 seconds.
	MandatoryWindow time.Duration
	// MaxEntries bounds the number of cached keys; the least recently used
	// entry is evicted beyond it. Optional; default DefaultMaxEntries (10,000).
	MaxEntries int
	// IdleTimeout drops entries not used for this long. Optional; default
	// DefaultIdleTimeout (1 hour).
	IdleTimeout time.Duration
	// RetryBackoff is the first wait after a failed refresh, doubled per
	// consecutive failure and jittered. Optional; default DefaultRetryBackoff
	// (5 seconds).
	RetryBackoff time.Duration
	// MaxRetryBackoff bounds the wait between failed refreshes. Optional;
	// default DefaultMaxRetryBackoff (2 minutes).
	MaxRetryBackoff time.Duration
	// RefreshTimeout bounds one AssumeRole call. Optional; default
	// DefaultRefreshTimeout (30 seconds).
	RefreshTimeout time.Duration
	// SessionNamePrefix starts derived session names (see
	// DeriveSessionName). Optional; default "awsconnect".
	SessionNamePrefix string
	// PlatformAccountID is the platform's AWS account, named in
	// AssumeRoleError hints. Optional; default "" (taken from STS's
	// AccessDenied message when it names the caller).
	PlatformAccountID string
	// Logger records refresh failures (role ARN, external ID, reason; never
	// secrets). Optional; default discards.
	Logger *slog.Logger
	// Now is the clock. Optional; default time.Now. Tests pass a fake.
	Now func() time.Time

	rand func() float64 // jitter source; tests make it deterministic
}

// Cache assumes customer roles with their external IDs and caches the
// temporary credentials per key: role ARN, external ID and every session
// option (see Spec). It refreshes them before they expire, de-duplicates
// concurrent AssumeRole calls for a key, bounds its size and never returns
// credentials assumed for one key to a caller that asked for another.
//
// A Cache is safe for concurrent use by any number of goroutines. Call Close
// when done to stop its background work; a Cache that is dropped without
// Close stops it when garbage collected.
type Cache struct {
	client stscreds.AssumeRoleAPIClient
	opts   Options
	clk    *coarseClock
	seed   maphash.Seed
	shards [shardCount]shard

	lruMu     sync.Mutex // guards ring, the idx field of every entry, lastSweep
	ring      []*entry   // every live entry, in no order; sampled for eviction
	lastSweep int64

	ctx    context.Context // cancelled by Close; parent of every refresh
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and wg.Add
	closed bool
	wg     sync.WaitGroup // refreshes in flight
	stop   chan struct{}  // closed by Close to stop the ticker
	ticked chan struct{}  // closed by the ticker when it exits

	stats counters
}

type shard struct {
	mu sync.RWMutex // guards m and the next field of its entries
	m  map[uint64]*entry
	_  [40]byte // keeps shards on separate cache lines
}

// NewCache returns a Cache that calls AssumeRole through client, usually an
// *sts.Client built from the platform's own aws.Config.
func NewCache(client stscreds.AssumeRoleAPIClient, optFns ...func(*Options)) *Cache {
	o := Options{}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.MandatoryWindow <= 0 {
		o.MandatoryWindow = DefaultMandatoryWindow
	}
	o.MandatoryWindow = max(o.MandatoryWindow, minMandatoryWindow)
	if o.RefreshWindow <= 0 {
		o.RefreshWindow = DefaultRefreshWindow
	}
	o.RefreshWindow = max(o.RefreshWindow, o.MandatoryWindow)
	if o.RefreshJitter == 0 {
		o.RefreshJitter = DefaultRefreshJitter
	}
	o.RefreshJitter = min(max(o.RefreshJitter, 0), 1)
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = DefaultRetryBackoff
	}
	if o.MaxRetryBackoff <= 0 {
		o.MaxRetryBackoff = DefaultMaxRetryBackoff
	}
	o.MaxRetryBackoff = max(o.MaxRetryBackoff, o.RetryBackoff)
	if o.RefreshTimeout <= 0 {
		o.RefreshTimeout = DefaultRefreshTimeout
	}
	if o.SessionNamePrefix == "" {
		o.SessionNamePrefix = defaultSessionName
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.rand == nil {
		o.rand = rand.Float64
	}
	c := &Cache{
		client: client,
		opts:   o,
		clk:    newCoarseClock(o.Now),
		seed:   maphash.MakeSeed(),
		stop:   make(chan struct{}),
		ticked: make(chan struct{}),
	}
	for i := range c.shards {
		c.shards[i].m = make(map[uint64]*entry)
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.lastSweep = c.clk.nanos.Load()
	go runTicker(weak.Make(c), c.clk, c.stop, c.ticked)
	return c
}

// Retrieve returns credentials for spec, assuming the role when the cache
// holds none that are fresh. Concurrent calls for one key share one
// AssumeRole call; a caller whose ctx ends stops waiting without cancelling
// that call. A spec without PolicyARNs, Tags or TransitiveTagKeys is looked up
// without allocating; for the others, and for the fastest path in general,
// hold a Provider.
func (c *Cache) Retrieve(ctx context.Context, spec Spec) (aws.Credentials, error) {
	k := keyOf(&spec, DefaultDuration)
	e, err := c.lookupOrInsert(&k, &spec)
	if err != nil {
		return aws.Credentials{}, err
	}
	return e.retrieve(ctx)
}

// Provider validates spec once and returns an aws.CredentialsProvider bound
// to its key, for aws.Config.Credentials. Its Retrieve is the cache's fastest
// path: no lookup, no lock, no allocation. Do not wrap it in
// aws.NewCredentialsCache: that cache would keep serving credentials past
// this cache's mandatory window.
//
// The Provider stays valid after its entry is evicted or invalidated: its next
// Retrieve re-creates the entry.
func (c *Cache) Provider(spec Spec) (aws.CredentialsProvider, error) {
	k := keyOf(&spec, DefaultDuration)
	e, err := c.lookupOrInsert(&k, &spec)
	if err != nil {
		return nil, err
	}
	p := &provider{c: c}
	p.e.Store(e)
	return p, nil
}

// hash returns the shard-and-map hash of k. Every field is length-delimited so
// distinct keys do not collide by construction (only by chance, which the
// full comparison in lookup handles).
func (c *Cache) hash(k *key) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	for _, s := range [...]string{k.roleARN, k.externalID, k.sessionName, k.workspaceID, k.projectID,
		k.connectionID, k.policy, k.policyARNs, k.tags, k.transitive, k.sourceIdentity} {
		var n [8]byte
		for i, l := 0, uint64(len(s)); i < 8; i, l = i+1, l>>8 {
			n[i] = byte(l)
		}
		h.Write(n[:])
		h.WriteString(s)
	}
	d := uint64(k.duration)
	var n [8]byte
	for i := 0; i < 8; i, d = i+1, d>>8 {
		n[i] = byte(d)
	}
	h.Write(n[:])
	return h.Sum64()
}

// lookup returns the live entry for k, or nil. It takes only a shared lock.
func (c *Cache) lookup(k *key, h uint64) *entry {
	sh := &c.shards[h%shardCount]
	sh.mu.RLock()
	e := sh.m[h]
	for e != nil && e.key != *k {
		e = e.next
	}
	sh.mu.RUnlock()
	return e
}

// lookupOrInsert returns the entry for k, validating spec and creating the
// entry on a miss. Concurrent misses for one key create one entry.
func (c *Cache) lookupOrInsert(k *key, spec *Spec) (*entry, error) {
	h := c.hash(k)
	if e := c.lookup(k, h); e != nil {
		return e, nil
	}
	in, err := validate(spec, DefaultDuration, c.opts.SessionNamePrefix)
	if err != nil {
		return nil, err
	}
	return c.insert(k, h, &in), nil
}

// insert adds an entry for k unless one exists, then evicts beyond MaxEntries.
func (c *Cache) insert(k *key, h uint64, in *assumeInput) *entry {
	sh := &c.shards[h%shardCount]
	sh.mu.Lock()
	head := sh.m[h]
	for e := head; e != nil; e = e.next {
		if e.key == *k {
			sh.mu.Unlock()
			return e
		}
	}
	e := &entry{c: c, key: *k, hash: h, in: *in, idx: -1, next: head}
	e.used.Store(c.clk.nanos.Load())
	sh.m[h] = e
	sh.mu.Unlock()

	c.lruMu.Lock()
	if !e.dead.Load() {
		e.idx = len(c.ring)
		c.ring = append(c.ring, e)
	}
	over := len(c.ring) > c.opts.MaxEntries
	c.lruMu.Unlock()
	if over {
		c.evict()
	}
	return e
}

// evict removes least recently used entries until the cache is within
// MaxEntries. It compares up to evictionSample entries, which is exact for
// small caches and a close approximation of LRU for large ones, at a cost
// that does not grow with the cache.
func (c *Cache) evict() {
	const evictionSample = 64
	for {
		c.lruMu.Lock()
		n := len(c.ring)
		if n <= c.opts.MaxEntries {
			c.lruMu.Unlock()
			return
		}
		var victim *entry
		if n <= evictionSample {
			for _, e := range c.ring {
				if victim == nil || e.used.Load() < victim.used.Load() {
					victim = e
				}
			}
		} else {
			for range evictionSample {
				e := c.ring[rand.IntN(n)]
				if victim == nil || e.used.Load() < victim.used.Load() {
					victim = e
				}
			}
		}
		c.lruMu.Unlock()
		if c.remove(victim) {
			c.stats.evictions.Add(1)
		}
	}
}

// remove unlinks e from its shard and the ring and marks it dead, so
// Providers bound to it re-resolve. It reports whether this call removed it.
func (c *Cache) remove(e *entry) bool {
	if !e.dead.CompareAndSwap(false, true) {
		return false
	}
	sh := &c.shards[e.hash%shardCount]
	sh.mu.Lock()
	if head := sh.m[e.hash]; head == e {
		if e.next == nil {
			delete(sh.m, e.hash)
		} else {
			sh.m[e.hash] = e.next
		}
	} else {
		for p := head; p != nil; p = p.next {
			if p.next == e {
				p.next = e.next
				break
			}
		}
	}
	sh.mu.Unlock()

	c.lruMu.Lock()
	if i := e.idx; i >= 0 {
		last := len(c.ring) - 1
		c.ring[i] = c.ring[last]
		c.ring[i].idx = i
		c.ring[last] = nil
		c.ring = c.ring[:last]
		e.idx = -1
	}
	c.lruMu.Unlock()
	c.stats.retiredHits.Add(e.hits.Load())
	return true
}

// removeIf removes every entry for which match is true and returns how many.
func (c *Cache) removeIf(match func(*key) bool) int {
	c.lruMu.Lock()
	var victims []*entry
	for _, e := range c.ring {
		if match(&e.key) {
			victims = append(victims, e)
		}
	}
	c.lruMu.Unlock()
	n := 0
	for _, e := range victims {
		if c.remove(e) {
			n++
		}
	}
	return n
}

// Invalidate drops the cached credentials for spec, so the next Retrieve
// assumes the role again. It reports whether an entry was dropped.
func (c *Cache) Invalidate(spec Spec) bool {
	k := keyOf(&spec, DefaultDuration)
	e := c.lookup(&k, c.hash(&k))
	return e != nil && c.remove(e)
}

// InvalidateRole drops every entry for roleARN, whatever its external ID or
// session options, and returns how many it dropped. Use it when the
// customer changed the role (trust or permissions policy).
func (c *Cache) InvalidateRole(roleARN string) int {
	return c.removeIf(func(k *key) bool { return k.roleARN == roleARN })
}

// InvalidateExternalID drops every entry assumed with externalID and returns
// how many it dropped. Use it after a scope switch retires an external ID.
func (c *Cache) InvalidateExternalID(externalID string) int {
	return c.removeIf(func(k *key) bool { return k.externalID == externalID })
}

// Close stops background refreshes and the cache's clock, cancels AssumeRole
// calls in flight and waits for them to return. Afterwards, credentials
// already cached and fresh are still served, and anything that would call
// STS fails with ErrClosed. Close is idempotent.
func (c *Cache) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	close(c.stop)
	<-c.ticked
	c.wg.Wait()
	return nil
}

// track registers a refresh so Close waits for it; false once closed.
func (c *Cache) track() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	return true
}

// goTracked runs f in a goroutine Close waits for; false once closed.
func (c *Cache) goTracked(f func()) bool {
	if !c.track() {
		return false
	}
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// String describes the cache without any credentials.
func (c *Cache) String() string {
	return fmt.Sprintf("role.Cache{entries: %d}", c.Len())
}

// GoString is String, so %#v never prints credentials.
func (c *Cache) GoString() string { return c.String() }

// LogValue logs the cache's statistics, never credentials.
func (c *Cache) LogValue() slog.Value { return c.Stats().LogValue() }

// Len returns the number of cached entries.
func (c *Cache) Len() int {
	c.lruMu.Lock()
	defer c.lruMu.Unlock()
	return len(c.ring)
}

type counters struct {
	misses, refreshes, failures, evictions, idle, retiredHits atomic.Uint64
	inFlight                                                  atomic.Int64
}
