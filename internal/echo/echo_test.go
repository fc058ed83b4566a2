package echo

import (
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", `""`},
		{"us-east-1", `"us-east-1"`},
		{strings.Repeat("a", Max), `"` + strings.Repeat("a", Max) + `"`},
		{strings.Repeat("a", Max+1), `"` + strings.Repeat("a", Max) + `"…(65 bytes)`},
		{strings.Repeat("a", 1<<20), `"` + strings.Repeat("a", Max) + `"…(1048576 bytes)`},
		// A rune across the cut is left out whole, never split.
		{strings.Repeat("a", Max-1) + "é" + "b", `"` + strings.Repeat("a", Max-1) + `"…(66 bytes)`},
		{"a\"\n", `"a\"\n"`},
	} {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%.80q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
