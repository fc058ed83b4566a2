package role

import (
	"context"
	"fmt"
	"hash/maphash"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"golang.org/x/time/rate"
)

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
	now    func() time.Time // Options.Now
	seed   maphash.Seed
	_      [64]byte // keeps the fields above, read on every hit, off the first shard's lock
	shards [shardCount]shard

	keysMu  sync.Mutex               // guards keys, every keyState and tenants
	keys    map[key]*keyState        // per-key call and failure state; see flight.go
	tenants map[string]*rate.Limiter // each tenant's share of Options.RateLimit; see ratelimit.go
	global  *rate.Limiter            // Options.RateLimit's platform-wide bucket; nil when unlimited

	retiredMu sync.Mutex                          // serialises writers of retired
	retired   atomic.Pointer[map[string]struct{}] // external IDs RetireExternalID retired; copied on write

	lruMu     sync.Mutex // guards ring, the idx field of every entry, lastSweep
	ring      []*entry   // every live entry, in no order; sampled for eviction
	lastSweep time.Time

	ctx    context.Context // cancelled by Close; parent of every AssumeRole call
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and wg.Add
	closed bool
	wg     sync.WaitGroup // goroutines started by goTracked
	stop   chan struct{}  // closed by Close to stop the ticker
	ticked chan struct{}  // closed by the ticker when it exits

	stats   counters
	metrics *metrics // nil without Options.MeterProvider
}

// shard is one of the cache's hash partitions. Lookups read it without a
// lock, so Cache.Retrieve(spec) writes no shared memory on a hit (a read
// lock would write the lock's reader count on every call); writers, which
// insert and remove entries, serialise on mu.
type shard struct {
	shardFields
	_ [(cacheLine - unsafe.Sizeof(shardFields{})%cacheLine) % cacheLine]byte // writers lock mu: shards sit on separate cache lines
}

type shardFields struct {
	mu sync.Mutex // serialises writers of m and of the next field of its entries
	m  sync.Map   // hash -> *entry, the head of the chain of entries with that hash
}

// head returns the first entry with hash h, or nil. It takes no lock.
func (sh *shard) head(h uint64) *entry {
	if v, ok := sh.m.Load(h); ok {
		return v.(*entry)
	}
	return nil
}

// setHead makes e the first entry with hash h; nil removes h. The caller
// holds mu.
func (sh *shard) setHead(h uint64, e *entry) {
	if e == nil {
		sh.m.Delete(h)
	} else {
		sh.m.Store(h, e)
	}
}

// NewCache returns a Cache that calls AssumeRole through client, usually an
// *sts.Client built from the platform's own aws.Config.
func NewCache(client stscreds.AssumeRoleAPIClient, optFns ...func(*Options)) *Cache {
	o := Options{}
	for _, fn := range optFns {
		fn(&o)
	}
	o.setDefaults()
	now := o.Now()
	c := &Cache{
		client:    client,
		opts:      o,
		now:       o.Now,
		seed:      maphash.MakeSeed(),
		keys:      make(map[key]*keyState),
		global:    o.RateLimit.newGlobalLimiter(now),
		lastSweep: now,
		stop:      make(chan struct{}),
		ticked:    make(chan struct{}),
	}
	c.retired.Store(&map[string]struct{}{})
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if o.MeterProvider != nil {
		c.metrics = newMetrics(o.MeterProvider, c)
	}
	go runTicker(weak.Make(c), c.stop, c.ticked)
	return c
}

// Retrieve returns credentials for spec, assuming the role when the cache
// holds none that are fresh. Concurrent calls for one key share one
// AssumeRole call; a caller whose ctx ends stops waiting without cancelling
// that call. While the key's last call failed and its negative cache or
// backoff holds, Retrieve returns that failure at once (an *AssumeRoleError
// with FromNegativeCache set). A spec without PolicyARNs, Tags or
// TransitiveTagKeys is looked up without allocating and without a lock; for
// the others, and for the fastest path in general, hold a Provider.
func (c *Cache) Retrieve(ctx context.Context, spec Spec) (aws.Credentials, error) {
	k := keyOf(&spec, DefaultDuration)
	e, err := c.lookupOrInsert(&k, &spec)
	if err != nil {
		return aws.Credentials{}, err
	}
	return e.retrieve(ctx)
}

// RetrieveFresh calls STS now for spec, as a Connect check must: it never
// answers from cached credentials and ignores the key's negative cache and
// retry backoff (the customer may just have fixed the role), but
// Options.RateLimit still applies (a refusal is a *RateLimitError) and
// concurrent RetrieveFresh calls for one key share one AssumeRole call. It
// never runs beside another call for the key: one already in flight that is
// not fresh is waited for first. On success the new credentials replace the
// key's cache entry, so the next Retrieve returns exactly them; on failure
// the key's cached credentials are dropped and the *AssumeRoleError is
// returned. A retired external ID is refused.
func (c *Cache) RetrieveFresh(ctx context.Context, spec Spec) (aws.Credentials, error) {
	k := keyOf(&spec, DefaultDuration)
	e, err := c.lookupOrInsert(&k, &spec)
	if err != nil {
		return aws.Credentials{}, err
	}
	return e.fresh(ctx)
}

// Provider validates spec once and returns an aws.CredentialsProvider bound
// to its key, for aws.Config.Credentials. Its Retrieve is the cache's fastest
// path: no lookup, no lock, no allocation. Do not wrap it in
// aws.NewCredentialsCache (config.WithCredentialsProvider does): that adds a
// second copy of the credentials which Invalidate, InvalidateRole and
// InvalidateExternalID cannot reach, kept until the Expires this cache set
// (the start of its mandatory window, so at least the copy is never stale).
//
// The Provider stays valid after its entry is evicted or invalidated: its next
// Retrieve re-creates the entry. It is safe for concurrent use, and it prints
// (fmt, slog) as its role ARN, external ID and session name only.
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

// hash returns the shard-and-map hash of k. It covers every field, as a
// map keyed by key would hash it (each string with its length, so moving a
// boundary between fields changes it), seeded per cache, so keys that share
// a role and external ID (thousands of connections with their own session
// names, policies or tags) spread over the map instead of sharing one chain
// that every lookup walks. It is the runtime's own hash of the struct, one
// call, not a Hash fed field by field: Cache.Retrieve computes it on every
// call.
func (c *Cache) hash(k *key) uint64 { return maphash.Comparable(c.seed, *k) }

// lookup returns the live entry for k, or nil. It takes no lock.
func (c *Cache) lookup(k *key, h uint64) *entry {
	e := c.shards[h%shardCount].head(h)
	for e != nil && e.key != *k {
		e = e.next.Load()
	}
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
	return c.insert(k, h, &in)
}

// insert adds an entry for k unless one exists, then evicts beyond
// MaxEntries. It refuses a retired external ID; the check comes after the
// entry is in the ring, so a RetireExternalID running at the same time
// either is seen here or sees the entry and removes it.
func (c *Cache) insert(k *key, h uint64, in *assumeInput) (*entry, error) {
	if c.isRetired(k.externalID) {
		return nil, c.retiredError(k)
	}
	e := c.insertEntry(k, h, in)
	if c.isRetired(k.externalID) {
		c.remove(e)
		return nil, c.retiredError(k)
	}
	return e, nil
}

func (c *Cache) insertEntry(k *key, h uint64, in *assumeInput) *entry {
	sh := &c.shards[h%shardCount]
	sh.mu.Lock()
	head := sh.head(h)
	for e := head; e != nil; e = e.next.Load() {
		if e.key == *k {
			sh.mu.Unlock()
			return e
		}
	}
	e := &entry{entryHot: entryHot{c: c}, entryCold: entryCold{key: *k, hash: h, in: *in, idx: -1}}
	e.next.Store(head)
	e.touch(c.now().UnixNano())
	sh.setHead(h, e)
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

// Close stops background refreshes and sweeps, cancels AssumeRole calls in
// flight and waits for them to return. Afterwards, credentials already
// cached and fresh are still served (checked against Options.Now on every
// call, as always), and anything that would call STS fails with ErrClosed.
// Close is idempotent.
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
	c.metrics.close()
	return nil
}

// goTracked runs f in a goroutine Close waits for; false once closed. It is
// the only way the cache starts a goroutine besides the ticker, which Close
// also waits for; it is called only to run one key's AssumeRole call (see
// startCall), so at most one such goroutine exists per key.
func (c *Cache) goTracked(f func()) bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	c.wg.Add(1)
	c.mu.Unlock()
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
