package peer

import (
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skip and Fatal instead of stopping
// the goroutine, so Require's choice between them can be asserted.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skip(args ...any)                  { r.skipped = args[0].(string) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = format }

func TestRequire(t *testing.T) {
	t.Setenv("PEER_TEST_SET", "v")
	t.Setenv("PEER_TEST_UNSET", "")

	t.Run("all set", func(t *testing.T) {
		r := &recorder{TB: t}
		got := Require(r, "run it", "PEER_TEST_SET")
		if len(got) != 1 || got[0] != "v" || r.skipped != "" || r.failed != "" {
			t.Fatalf("Require = %q, skipped %q, failed %q; want [v] and neither", got, r.skipped, r.failed)
		}
	})
	t.Run("missing outside the suite skips", func(t *testing.T) {
		t.Setenv(StrictEnv, "")
		r := &recorder{TB: t}
		Require(r, "run it", "PEER_TEST_SET", "PEER_TEST_UNSET")
		if r.failed != "" || !strings.Contains(r.skipped, "PEER_TEST_UNSET not set; run it") {
			t.Fatalf("skipped %q, failed %q; want a skip naming PEER_TEST_UNSET", r.skipped, r.failed)
		}
	})
	t.Run("missing inside the suite fails", func(t *testing.T) {
		t.Setenv(StrictEnv, "1")
		r := &recorder{TB: t}
		Require(r, "run it", "PEER_TEST_UNSET")
		if r.skipped != "" || r.failed == "" {
			t.Fatalf("skipped %q, failed %q; want a failure", r.skipped, r.failed)
		}
	})
}
