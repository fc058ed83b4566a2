package role

import "log/slog"

// Stats is a snapshot of a Cache's counters, all counted since NewCache.
// It is a plain value, safe to copy and share.
type Stats struct {
	// Hits counts retrievals served from the cache without waiting.
	Hits uint64
	// Misses counts retrievals that had to wait for an AssumeRole call
	// (their own or one in flight).
	Misses uint64
	// Refreshes counts successful AssumeRole calls.
	Refreshes uint64
	// RefreshFailures counts failed AssumeRole calls.
	RefreshFailures uint64
	// InFlight is the number of AssumeRole calls in progress now.
	InFlight int64
	// Entries is the number of cached keys now.
	Entries int
	// Evictions counts entries dropped to stay within MaxEntries.
	Evictions uint64
	// IdleExpirations counts entries dropped after IdleTimeout unused.
	IdleExpirations uint64
}

// Stats returns the cache's counters. It reads every entry's hit counter, so
// it costs time proportional to the number of entries.
func (c *Cache) Stats() Stats {
	c.lruMu.Lock()
	hits := c.stats.retiredHits.Load()
	for _, e := range c.ring {
		hits += e.hits.Load()
	}
	n := len(c.ring)
	c.lruMu.Unlock()
	return Stats{
		Hits:            hits,
		Misses:          c.stats.misses.Load(),
		Refreshes:       c.stats.refreshes.Load(),
		RefreshFailures: c.stats.failures.Load(),
		InFlight:        c.stats.inFlight.Load(),
		Entries:         n,
		Evictions:       c.stats.evictions.Load(),
		IdleExpirations: c.stats.idle.Load(),
	}
}

// LogValue logs the counters as a group.
func (s Stats) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Uint64("hits", s.Hits),
		slog.Uint64("misses", s.Misses),
		slog.Uint64("refreshes", s.Refreshes),
		slog.Uint64("refresh_failures", s.RefreshFailures),
		slog.Int64("in_flight", s.InFlight),
		slog.Int("entries", s.Entries),
		slog.Uint64("evictions", s.Evictions),
		slog.Uint64("idle_expirations", s.IdleExpirations),
	)
}
