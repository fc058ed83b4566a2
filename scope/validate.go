package scope

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// AWS's limits on sts:AssumeRole's ExternalId parameter.
const (
	// MinExternalIDLen is the shortest external ID AWS accepts.
	MinExternalIDLen = 2
	// MaxExternalIDLen is the longest external ID AWS accepts.
	MaxExternalIDLen = 1224
)

// ErrInvalidExternalID is returned (wrapped) by [ValidateExternalID].
var ErrInvalidExternalID = errors.New("scope: invalid external ID")

// ValidateExternalID enforces AWS's rule for external IDs: 2 to 1,224
// characters, each a letter, digit, or one of _ + = , . @ : / -
// (the pattern [\w+=,.@:/-]+). The error names the first offending character
// and its 1-based position, or the length.
func ValidateExternalID(id string) error {
	if n := utf8.RuneCountInString(id); n < MinExternalIDLen || n > MaxExternalIDLen {
		return fmt.Errorf("%w: length %d is outside AWS's %d to %d characters",
			ErrInvalidExternalID, n, MinExternalIDLen, MaxExternalIDLen)
	}
	if i, r := firstInvalid(id, isExternalIDByte); i >= 0 {
		return fmt.Errorf("%w: character %s at position %d is not allowed; use letters, digits and _+=,.@:/-",
			ErrInvalidExternalID, strconv.QuoteRune(r), i+1)
	}
	return nil
}

// isExternalIDByte reports whether c may appear in an external ID. All allowed
// characters are ASCII, so a byte test is exact.
func isExternalIDByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '_', '+', '=', ',', '.', '@', ':', '/', '-':
		return true
	}
	return false
}

// firstInvalid returns the rune index and the rune of the first character of s
// that ok rejects, or -1. Positions count characters, not bytes, so that the
// error matches what the user sees.
func firstInvalid(s string, ok func(byte) bool) (int, rune) {
	pos := 0
	for _, r := range s {
		if r >= utf8.RuneSelf || !ok(byte(r)) {
			return pos, r
		}
		pos++
	}
	return -1, 0
}
