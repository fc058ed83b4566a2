package ses

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrInvalidAddress is returned (wrapped) when an email address does not
// parse as an RFC 5322 address or has no domain.
var ErrInvalidAddress = errors.New("ses: invalid email address")

// ErrTooManyRecipients is returned (wrapped) when a message has more than
// MaxRecipients recipients across To, Cc and Bcc.
var ErrTooManyRecipients = errors.New("ses: too many recipients")

// ErrInvalidMessage is returned (wrapped) when a message lacks a part SES
// requires (a sender, a recipient, a subject or a body).
var ErrInvalidMessage = errors.New("ses: invalid message")

// MaxRecipients is SES's limit on the recipients of one message, counted
// across To, Cc and Bcc.
const MaxRecipients = 50

// ValidateAddress checks one address as SES will see it: an RFC 5322 address,
// optionally with a display name ("Ann <ann@example.com>"), whose domain part
// is present. field names the address in the error ("To[2]").
//
// SES takes addresses as 7-bit ASCII: a non-ASCII domain (an IDN) must be
// given in Punycode ("ann@xn--bcher-kva.de"), and a non-ASCII local part is
// refused. A non-ASCII display name is allowed; the connector sends it
// MIME-encoded, as SES requires. Control characters are refused outright:
// a CR or LF would end the header SES writes the address into.
func ValidateAddress(field, addr string) (*mail.Address, error) {
	if i := strings.IndexFunc(addr, isControl); i >= 0 {
		return nil, fmt.Errorf("%w: %s: %s contains the control character %s; an address is one line without control characters", ErrInvalidAddress, field, echo.Quote(addr), strconv.QuoteRune(rune(addr[i])))
	}
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s: %v; write it as name@example.com or \"Name <name@example.com>\"", ErrInvalidAddress, field, echo.Quote(addr), strings.TrimPrefix(err.Error(), "mail: "))
	}
	local, domain, ok := strings.Cut(a.Address, "@")
	if !ok || local == "" || domain == "" {
		return nil, fmt.Errorf("%w: %s: %s has no domain; write it as name@example.com", ErrInvalidAddress, field, echo.Quote(addr))
	}
	if !isASCII(local) {
		return nil, fmt.Errorf("%w: %s: %s: the local part %s is not ASCII; SES accepts only ASCII before the '@'", ErrInvalidAddress, field, echo.Quote(addr), echo.Quote(local))
	}
	if !isASCII(domain) {
		return nil, fmt.Errorf("%w: %s: %s: the domain %s is not ASCII; give an internationalised domain in Punycode (IDNA, \"xn--...\"), as SES requires", ErrInvalidAddress, field, echo.Quote(addr), echo.Quote(domain))
	}
	if !strings.Contains(domain, ".") && !strings.HasPrefix(domain, "[") {
		return nil, fmt.Errorf("%w: %s: %s: the domain %s has no dot; SES delivers only to fully qualified domains", ErrInvalidAddress, field, echo.Quote(addr), echo.Quote(domain))
	}
	return a, nil
}

// isControl reports the characters that have no place in a header line:
// C0 controls (CR and LF among them), DEL and C1 controls.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }

// isASCII reports whether s is 7-bit.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// wireAddress is addr as SES takes it: unchanged when it is ASCII, else with
// its display name MIME-encoded (RFC 2047), which SES requires of non-ASCII
// names. addr has passed ValidateAddress.
func wireAddress(addr string) string {
	if isASCII(addr) {
		return addr
	}
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return addr
	}
	return a.String()
}

// wireList is wireAddress of every address.
func wireList(addrs []string) []string {
	if addrs == nil {
		return nil
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = wireAddress(a)
	}
	return out
}

// validateList checks every address of a list.
func validateList(field string, addrs []string) error {
	for i, a := range addrs {
		if _, err := ValidateAddress(fmt.Sprintf("%s[%d]", field, i), a); err != nil {
			return err
		}
	}
	return nil
}

// validateEnvelope checks the sender, recipients and reply-to addresses of a
// message and the recipient count.
func validateEnvelope(from string, to, cc, bcc, replyTo []string) error {
	if from == "" {
		return fmt.Errorf("%w: From is empty; set it to a verified identity (an address or one of a verified domain)", ErrInvalidMessage)
	}
	if _, err := ValidateAddress("From", from); err != nil {
		return err
	}
	n := len(to) + len(cc) + len(bcc)
	if n == 0 {
		return fmt.Errorf("%w: no recipients; set To, Cc or Bcc", ErrInvalidMessage)
	}
	if n > MaxRecipients {
		return fmt.Errorf("%w: %d recipients across To, Cc and Bcc; SES accepts at most %d per message, send several messages", ErrTooManyRecipients, n, MaxRecipients)
	}
	for _, l := range []struct {
		field string
		addrs []string
	}{{"To", to}, {"Cc", cc}, {"Bcc", bcc}, {"ReplyTo", replyTo}} {
		if err := validateList(l.field, l.addrs); err != nil {
			return err
		}
	}
	return nil
}
