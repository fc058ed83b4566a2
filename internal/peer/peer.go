package peer

import (
	"os"
	"strings"
	"testing"
)

// StrictEnv is the variable scripts/integration sets to "1" so that a
// missing peer fails the test instead of skipping it.
const StrictEnv = "AWSCONNECT_IT_STRICT"

// Strict reports whether the suite runs under scripts/integration.
func Strict() bool { return os.Getenv(StrictEnv) == "1" }

// Require returns the values of the named environment variables, in order.
// When one is empty the test skips (outside the suite) or fails (under
// scripts/integration), naming every missing variable and how to run the
// test.
func Require(tb testing.TB, howToRun string, names ...string) []string {
	tb.Helper()
	vals := make([]string, len(names))
	var missing []string
	for i, n := range names {
		vals[i] = os.Getenv(n)
		if vals[i] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return vals
	}
	msg := strings.Join(missing, ", ") + " not set; " + howToRun
	if Strict() {
		tb.Fatalf("peer: %s (scripts/integration set %s=1, so a missing peer is a failure: its scripts/integration.d script must export the variable)", msg, StrictEnv)
		return nil
	}
	tb.Skip("peer: " + msg)
	return nil
}
