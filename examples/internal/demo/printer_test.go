package demo

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWrap(t *testing.T) {
	long := strings.Repeat("x", 120)
	for _, tc := range []struct {
		name, label, text string
		want              []string
	}{
		{"short text stays on the label's line", "hint: ", "add the condition", []string{"   hint: add the condition"}},
		{"empty text leaves the label", "hint: ", "", []string{"   hint:"}},
		{"spaces collapse", "note: ", "  a \n b  ", []string{"   note: a b"}},
		{
			"long text wraps at 100 columns under the text's start", "note: ",
			strings.Repeat("word ", 30),
			[]string{
				"   note: " + strings.TrimSpace(strings.Repeat("word ", 19)),
				"         " + strings.TrimSpace(strings.Repeat("word ", 11)),
			},
		},
		{"a word longer than the width stays after the label", "note: ", long + " tail", []string{"   note: " + long, "         tail"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			NewPrinter(&out).Wrap(tc.label, tc.text)
			require.Equal(t, strings.Join(tc.want, "\n")+"\n", out.String())
			for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				if !strings.Contains(l, long) {
					require.LessOrEqual(t, len(l), len("   ")+wrapWidth, "line %q", l)
				}
			}
		})
	}
}

func TestLineTrimsTrailingSpaces(t *testing.T) {
	var out bytes.Buffer
	NewPrinter(&out).Line("%s -> %d %s", "PUT /a", 200, "")
	require.Equal(t, "   PUT /a -> 200\n", out.String())
}

func TestDone(t *testing.T) {
	var out bytes.Buffer
	NewPrinter(&out).Done(8)
	require.Equal(t, "\n   done: 8 requests served by the local AWS, each signed, verified and checked against IAM policies.\n", out.String())
}
