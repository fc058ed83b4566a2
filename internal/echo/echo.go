package echo

import (
	"strconv"
	"unicode/utf8"
)

// Max is how many bytes of a caller's input an error quotes; the rest is
// counted, not copied, so that a megabyte of garbage in a form field, a
// request body or a stored row makes a short error and a short log line.
const Max = 64

// Quote quotes s (a string of any string type) as strconv.Quote does, cut to Max bytes (on a rune
// boundary) and followed by "…(N bytes)" when longer.
func Quote[S ~string](s S) string {
	shown, cut := Cut(string(s))
	if !cut {
		return strconv.Quote(string(s))
	}
	return strconv.Quote(shown) + "…(" + strconv.Itoa(len(s)) + " bytes)"
}

// Cut returns the part of s that Quote shows, and whether it is shorter
// than s: what a redaction must also look for, since a message quoting a
// secret with Quote holds its first Max bytes, not the whole secret.
func Cut(s string) (shown string, cut bool) {
	if len(s) <= Max {
		return s, false
	}
	n := Max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}
