package role

import (
	"math/rand/v2"
	"time"
)

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
	// A lookup walking the chain meanwhile sees it with e or without; one
	// that holds e still finds the rest of the chain through e.next.
	if head := sh.head(e.hash); head == e {
		sh.setHead(e.hash, e.next.Load())
	} else {
		for p := head; p != nil; p = p.next.Load() {
			if p.next.Load() == e {
				p.next.Store(e.next.Load())
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
// A call in flight for such a key goes on; its result reaches the entry
// that replaces the removed one, so removing never causes a second call.
func (c *Cache) removeIf(match func(*key) bool) int {
	c.lruMu.Lock()
	var victims []*entry
	for _, e := range c.ring {
		if match(&e.key) {
			victims = append(victims, e)
		}
	}
	c.lruMu.Unlock()
	n := c.removeAll(victims)
	if c.opts.Store != nil {
		keys := make([]StoreKey, len(victims))
		for i, e := range victims {
			keys[i] = newStoreKey(&e.key, &e.in)
		}
		c.storeDelete(keys)
	}
	return n
}

// removeAll removes the victims chosen under lruMu and returns how many this
// call removed (another may have removed some since).
func (c *Cache) removeAll(victims []*entry) int {
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
// It also clears the key's failure history, so a key held in the negative
// cache is tried again at once. With Options.Store, the key's entry there
// is deleted too (within StoreTimeout), so no worker reads it back.
func (c *Cache) Invalidate(spec Spec) bool {
	k := keyOf(&spec, DefaultDuration)
	e := c.lookup(&k, c.hash(&k))
	c.forgetFailures(func(o *key) bool { return *o == k })
	if c.opts.Store != nil {
		if sk, err := c.StoreKey(spec); err == nil {
			c.storeDelete([]StoreKey{sk})
		}
	}
	return e != nil && c.remove(e)
}

// InvalidateRole drops every entry for roleARN, whatever its external ID or
// session options, clears their failure history and returns how many
// entries it dropped. Use it when the customer changed the role (trust or
// permissions policy). With Options.Store, the store entries of the keys it
// dropped are deleted too; store entries of keys this cache did not hold
// stay until they expire (their names do not say which role they are for).
func (c *Cache) InvalidateRole(roleARN string) int {
	match := func(k *key) bool { return k.roleARN == roleARN }
	c.forgetFailures(match)
	return c.removeIf(match)
}

// InvalidateExternalID drops every entry assumed with externalID, clears
// their failure history and returns how many entries it dropped. The ID
// stays usable: the next Retrieve assumes the role with it again. To stop
// every use of a replaced ID, RetireExternalID. Store entries are deleted as
// by InvalidateRole.
func (c *Cache) InvalidateExternalID(externalID string) int {
	match := func(k *key) bool { return k.externalID == externalID }
	c.forgetFailures(match)
	return c.removeIf(match)
}

// sweepIdle drops entries unused for IdleTimeout. It scans the whole cache,
// so it runs at most every IdleTimeout/4: an entry is dropped between 1 and
// 1.25 IdleTimeouts after its last use.
func (c *Cache) sweepIdle(now time.Time) int {
	c.lruMu.Lock()
	if !waitOver(now, c.lastSweep, c.lastSweep.Add(c.opts.IdleTimeout/4)) {
		c.lruMu.Unlock()
		return 0
	}
	c.lastSweep = now
	cutoff := now.Add(-c.opts.IdleTimeout).UnixNano() >> usedShift
	var victims []*entry
	for _, e := range c.ring {
		if e.used.Load() <= cutoff {
			victims = append(victims, e)
		}
	}
	c.lruMu.Unlock()
	n := c.removeAll(victims)
	c.stats.idle.Add(uint64(n))
	return n
}
