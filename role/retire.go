package role

import (
	"fmt"
	"maps"
)

// RetireExternalID drops every entry assumed with externalID and, from then
// on, refuses every Retrieve, Provider.Retrieve and RetrieveFresh with it
// (the error wraps ErrExternalIDRetired) without calling STS, so no Provider
// handed out earlier ever assumes a role with it again. A call already in
// flight with it completes, but its credentials are never returned or
// cached. It returns how many entries it dropped. Use it when a scope
// switch or a rotation has replaced the ID; InvalidateExternalID only
// drops the credentials. Retirement is per Cache and not persisted: for a
// fleet, also answer Options.Retired.
func (c *Cache) RetireExternalID(externalID string) int {
	c.retiredMu.Lock()
	old := *c.retired.Load()
	if _, ok := old[externalID]; !ok {
		m := maps.Clone(old)
		m[externalID] = struct{}{}
		c.retired.Store(&m)
	}
	c.retiredMu.Unlock()
	// After the set is published: an insert that missed it has put its
	// entry in the ring already, and this finds it (see Cache.insert).
	return c.removeIf(func(k *key) bool { return k.externalID == externalID })
}

// UnretireExternalID undoes RetireExternalID (a rolled-back switch): the ID
// may be assumed again, starting with an empty cache for it. It reports
// whether the ID was retired. It does not override Options.Retired.
func (c *Cache) UnretireExternalID(externalID string) bool {
	c.retiredMu.Lock()
	defer c.retiredMu.Unlock()
	old := *c.retired.Load()
	if _, ok := old[externalID]; !ok {
		return false
	}
	m := maps.Clone(old)
	delete(m, externalID)
	c.retired.Store(&m)
	return true
}

// isRetired reports whether externalID is retired, by RetireExternalID or
// by Options.Retired. It is called when a key is added and before every
// AssumeRole call, never on the hit path.
func (c *Cache) isRetired(externalID string) bool {
	if _, ok := (*c.retired.Load())[externalID]; ok {
		return true
	}
	return c.opts.Retired != nil && c.opts.Retired(externalID)
}

func (c *Cache) retiredError(k *key) error {
	c.stats.retiredRefusals.Add(1)
	return fmt.Errorf("%w: role %s with external ID %s is no longer assumed; resolve the connection again so it uses its current external ID, or UnretireExternalID to roll back",
		ErrExternalIDRetired, k.roleARN, k.externalID)
}
