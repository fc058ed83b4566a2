package role

import (
	"math"
	"sync/atomic"
	"time"
	"weak"
)

// coarseClock is the hit path's clock: the Unix time in nanoseconds, read
// from Options.Now at most clockResolution ago. Reading the system clock
// costs more than the rest of a cache hit (tens of nanoseconds on virtual
// machines); loading one word that changes once a second costs almost
// nothing. The lag is harmless because the hit path stops serving at least
// minMandatoryWindow (10 s) before expiry (see snapshot.setSoft), the slow
// path always reads the precise clock, and stop sends every call to the slow
// path once nothing advances the coarse clock.
type coarseClock struct {
	_     [64]byte // keeps nanos off the cache line of whatever precedes it
	nanos atomic.Int64
	_     [56]byte
	now   func() time.Time
}

func newCoarseClock(now func() time.Time) *coarseClock {
	c := &coarseClock{now: now}
	c.nanos.Store(now().UnixNano())
	return c
}

// read returns the precise time and advances the coarse one with it.
func (c *coarseClock) read() int64 {
	n := c.now().UnixNano()
	for {
		old := c.nanos.Load()
		if n <= old || c.nanos.CompareAndSwap(old, n) {
			return n
		}
	}
}

// stop makes the hit path fall through to the precise clock for good. Close
// calls it once the ticker has exited: a coarse clock nobody advances would
// otherwise keep serving cached credentials past their expiry.
func (c *coarseClock) stop() { c.nanos.Store(math.MaxInt64) }

// at converts a clock reading back to a time.Time.
func (c *coarseClock) at(n int64) time.Time { return time.Unix(0, n) }

// runTicker advances clk every clockResolution and sweeps idle entries. It
// holds the Cache only weakly, so a Cache dropped without Close is still
// collected, after which the ticker exits.
func runTicker(wc weak.Pointer[Cache], clk *coarseClock, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(clockResolution)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := clk.read()
		c := wc.Value()
		if c == nil {
			return
		}
		c.sweepIdle(now)
	}
}
