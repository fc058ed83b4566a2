package s3

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrInvalidBucketName is wrapped by [ValidateBucketName]'s errors.
var ErrInvalidBucketName = errors.New("s3: invalid bucket name")

// ValidateBucketName applies S3's general-purpose bucket naming rules: 3-63
// characters of lower-case letters, digits, dots and hyphens, beginning and
// ending with a letter or digit, no two adjacent dots, not an IP address, and
// none of the prefixes and suffixes S3 reserves. The error says which rule.
func ValidateBucketName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w %s: %s", ErrInvalidBucketName, echo.Quote(name), why) }
	if n := len(name); n < 3 || n > 63 {
		return bad(fmt.Sprintf("must be 3-63 characters, got %d", n))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '.' && c != '-' {
			return bad(fmt.Sprintf("character %s at position %d is not a lower-case letter, digit, dot or hyphen", strconv.QuoteRune(rune(c)), i+1))
		}
	}
	if !alnum(name[0]) || !alnum(name[len(name)-1]) {
		return bad("must begin and end with a letter or digit")
	}
	if strings.Contains(name, "..") {
		return bad("must not contain two adjacent dots")
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return bad("must not be formatted as an IP address")
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return bad(fmt.Sprintf("the prefix %s is reserved", echo.Quote(p)))
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return bad(fmt.Sprintf("the suffix %s is reserved", echo.Quote(s)))
		}
	}
	return nil
}

func alnum(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') }

// ErrInvalidKey is wrapped by [ValidateKey]'s errors.
var ErrInvalidKey = errors.New("s3: invalid object key")

// ValidateKey checks an object key: 1-1,024 bytes of UTF-8.
func ValidateKey(key string) error {
	switch n := len(key); {
	case n == 0:
		return fmt.Errorf("%w: the key is empty", ErrInvalidKey)
	case n > 1024:
		return fmt.Errorf("%w: the key is %d bytes; S3 allows 1024", ErrInvalidKey, n)
	}
	if !utf8.ValidString(key) {
		return fmt.Errorf("%w %s: not valid UTF-8", ErrInvalidKey, echo.Quote(key))
	}
	return nil
}
