package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the -update flag of every test binary that imports golden.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the current output")

// Assert compares got with testdata/name, or writes it there under -update.
func Assert(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v; run the test with -update to create it", path, err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s changed; if on purpose, run the test with -update and review the diff\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// JSON marshals v indented, with a final newline, and compares it with
// testdata/name like [Assert]. It returns the JSON, for a test that also
// reads it back.
func JSON(t testing.TB, name string, v any) []byte {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("marshal %T for %s: %v", v, name, err)
	}
	got = append(got, '\n')
	Assert(t, name, got)
	return got
}
