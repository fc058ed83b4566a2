package ses

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
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
func ValidateAddress(field, addr string) (*mail.Address, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %q: %v; write it as name@example.com or \"Name <name@example.com>\"", ErrInvalidAddress, field, addr, strings.TrimPrefix(err.Error(), "mail: "))
	}
	local, domain, ok := strings.Cut(a.Address, "@")
	if !ok || local == "" || domain == "" {
		return nil, fmt.Errorf("%w: %s: %q has no domain; write it as name@example.com", ErrInvalidAddress, field, addr)
	}
	if !strings.Contains(domain, ".") && !strings.HasPrefix(domain, "[") {
		return nil, fmt.Errorf("%w: %s: %q: the domain %q has no dot; SES delivers only to fully qualified domains", ErrInvalidAddress, field, addr, domain)
	}
	return a, nil
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
