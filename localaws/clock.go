package localaws

import (
	"sync"
	"time"
)

// Clock is a clock for [Options].Now that a test moves by hand, so that
// expiry (presigned URLs, temporary credentials) and clock skew are tested
// without sleeping:
//
//	clock := localaws.NewClock(time.Now())
//	s, err := localaws.Start(func(o *localaws.Options) { o.Now = clock.Now })
//	...
//	clock.Add(2 * time.Hour) // the session has expired
//
// A Clock is safe for concurrent use; use NewClock to make one.
type Clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time; pass it as Options.Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d (backwards for a negative d).
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
