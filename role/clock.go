package role

import (
	"time"
	"weak"
)

// The cache reads Options.Now on every call, the hit path included: a clock
// the cache advanced itself would let credentials out past their expiry when
// the wall clock jumps (a VM resumed, a container thawed, an NTP step) until
// it caught up. Reading the system clock costs about what the SDK's own
// credentials cache pays on its hit path.
//
// Instants are kept as time.Time values derived from a reading of
// Options.Now, so they carry its monotonic reading when it has one (time.Now
// does). An instant has passed when it has passed on either clock: the
// monotonic one (immune to wall-clock steps, but stopped while a VM is
// suspended) or the wall one (which AWS's expiry is written in). So a jump
// of the wall clock in either direction never makes credentials look younger
// than they are. A clock without a monotonic reading (a fake) is only the
// wall clock.

// passed reports whether instant t has come at now, on either clock.
func passed(now, t time.Time) bool {
	return !now.Before(t) || now.UnixNano() >= t.UnixNano()
}

// waitOver reports whether a wait set at setAt until until is over at now.
// A clock read before setAt has stepped backwards (only a clock with no
// monotonic reading can); how much real time passed is then unknown, and
// the wait counts as over rather than stretching by the size of the step:
// one attempt, and the next wait starts from the new time.
func waitOver(now, setAt, until time.Time) bool {
	return passed(now, until) || now.Before(setAt)
}

// runTicker sweeps idle entries and spent per-key state every
// sweepInterval. It holds the Cache only weakly, so a Cache dropped without
// Close is still collected, after which the ticker exits.
func runTicker(wc weak.Pointer[Cache], stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(sweepInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		c := wc.Value()
		if c == nil {
			return
		}
		now := c.now()
		c.sweepIdle(now)
		c.sweepKeys(now)
	}
}
