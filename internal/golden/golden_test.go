package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Fatal(...any)          { r.failed = true }

func TestAssert(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "v.golden"), []byte("{\n  \"a\": 1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		file   string
		v      any
		update bool
		fail   bool
	}{
		{name: "same", file: "v.golden", v: map[string]int{"a": 1}},
		{name: "changed", file: "v.golden", v: map[string]int{"a": 2}, fail: true},
		{name: "missing", file: "none.golden", v: 1, fail: true},
		{name: "unmarshalable", file: "v.golden", v: func() {}, fail: true},
		{name: "update writes", file: "new/w.golden", v: []string{"x"}, update: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			*update = tt.update
			defer func() { *update = false }()
			r := &recorder{TB: t}
			JSON(r, tt.file, tt.v)
			if r.failed != tt.fail {
				t.Fatalf("failed = %v, want %v", r.failed, tt.fail)
			}
			if tt.update {
				b, err := os.ReadFile(filepath.Join("testdata", tt.file))
				if err != nil || string(b) != "[\n  \"x\"\n]\n" {
					t.Fatalf("update wrote %q, %v", b, err)
				}
			}
		})
	}
}
