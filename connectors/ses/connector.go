package ses

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// Options configures a [Connector].
//
// Options is a plain value, safe for concurrent reads.
type Options struct {
	// Identity restricts sending to one SES identity: an email address, or a
	// domain whose addresses may all be used as From. A message from another
	// sender fails before it is sent, with ErrOutsideRestriction. Optional;
	// default "" (any sender the role's policy allows).
	Identity string

	// ConfigurationSet is used for messages that name none. Optional;
	// default "" (the account's default configuration set, if any).
	ConfigurationSet string

	// ClientOptions are applied to the SDK SES v2 client after the
	// connector's own. Optional; default none.
	ClientOptions []func(*sesv2.Options)
}

// Connector sends email through Amazon SES (API v2) with one connection's
// aws.Config.
//
// A Connector is safe for concurrent use by multiple goroutines; it holds no
// mutable state besides the SDK client, which is itself concurrency-safe.
type Connector struct {
	client *sesv2.Client
	opts   Options
	err    error // invalid Options.Identity, reported by every call
}

// New returns a Connector that calls SES with cfg. Retries on SES's
// TooManyRequestsException and throttling go through the retryer in cfg.
func New(cfg aws.Config, optFns ...func(*Options)) *Connector {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	c := &Connector{client: sesv2.NewFromConfig(cfg, o.ClientOptions...), opts: o}
	if o.Identity != "" {
		if err := validateIdentity(o.Identity); err != nil {
			c.err = fmt.Errorf("ses: Options.Identity: %w", err)
		}
	}
	return c
}

// Client returns the underlying SDK client, for operations this package does
// not wrap. Calls made through it bypass the connector's restriction.
func (c *Connector) Client() *sesv2.Client { return c.client }

func validateIdentity(id string) error {
	if strings.Contains(id, "@") {
		_, err := ValidateAddress("identity", id)
		return err
	}
	if !strings.Contains(id, ".") || strings.ContainsAny(id, " <>") {
		return fmt.Errorf("%w: identity %s is neither an email address nor a domain name", ErrInvalidAddress, echo.Quote(id))
	}
	return nil
}

// IdentityOf returns the identities that may authorise a sender, most
// specific first: the address itself and its domain. SES accepts a message
// when either is verified.
func IdentityOf(from string) (address, domain string, err error) {
	a, err := ValidateAddress("From", from)
	if err != nil {
		return "", "", err
	}
	_, d, _ := strings.Cut(a.Address, "@")
	return a.Address, strings.ToLower(d), nil
}

// checkSender enforces Options.Identity.
func (c *Connector) checkSender(from string) error {
	if c.err != nil {
		return c.err
	}
	if c.opts.Identity == "" {
		return nil
	}
	addr, domain, err := IdentityOf(from)
	if err != nil {
		return err
	}
	id := strings.ToLower(c.opts.Identity)
	if strings.EqualFold(addr, id) || domain == id {
		return nil
	}
	return fmt.Errorf("%w: sender %s is not identity %s; send from that identity or use a connection for this one", ErrOutsideRestriction, echo.Quote(from), echo.Quote(c.opts.Identity))
}

// Account is the sending state of the account in the connection's region.
//
// Account is a plain value, safe for concurrent reads.
type Account struct {
	SendingEnabled   bool    `json:"sending_enabled"`    // false when SES has paused sending
	ProductionAccess bool    `json:"production_access"`  // false while the account is in the sandbox
	Max24HourSend    float64 `json:"max_24_hour_send"`   // messages per 24 hours
	MaxSendRate      float64 `json:"max_send_rate"`      // messages per second
	SentLast24Hours  float64 `json:"sent_last_24_hours"` // messages sent in the last 24 hours
	EnforcementState string  `json:"enforcement_state"`  // "HEALTHY", "PROBATION" or "SHUTDOWN"
}

// GetAccount reads the account's sending quota and whether sending is enabled.
func (c *Connector) GetAccount(ctx context.Context) (*Account, error) {
	out, err := c.client.GetAccount(ctx, &sesv2.GetAccountInput{})
	if err != nil {
		return nil, fmt.Errorf("ses: get account: %w", err)
	}
	a := &Account{
		SendingEnabled:   out.SendingEnabled,
		ProductionAccess: out.ProductionAccessEnabled,
		EnforcementState: aws.ToString(out.EnforcementStatus),
	}
	if q := out.SendQuota; q != nil {
		a.Max24HourSend, a.MaxSendRate, a.SentLast24Hours = q.Max24HourSend, q.MaxSendRate, q.SentLast24Hours
	}
	return a, nil
}
