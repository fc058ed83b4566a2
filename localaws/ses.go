package localaws

import (
	"net/http"
	"strings"
	"sync"
)

func init() {
	registerService(serviceSpec{
		name:     "ses",
		protocol: protocolRESTJSON,
		newHandler: func(s *Server) serviceHandler {
			return &sesService{server: s, identities: map[string]bool{}, templates: map[string]EmailTemplate{}, accounts: map[string]*SESAccount{}}
		},
	})
}

// SESAccount is the SES sending state of one account in one region.
//
// SESAccount is a plain value, safe for concurrent reads.
type SESAccount struct {
	// SendingEnabled false makes every send fail with
	// SendingPausedException.
	SendingEnabled bool
	// ProductionAccess false is the sandbox, where recipients must be
	// verified identities too.
	ProductionAccess bool
	// Max24HourSend is GetAccount's daily quota.
	Max24HourSend float64
	// MaxSendRate is GetAccount's per-second quota.
	MaxSendRate float64
	// SentLast24Hours counts the messages accepted so far.
	SentLast24Hours float64
}

// EmailTemplate is a stored SES template; {{name}} placeholders are filled
// from the TemplateData of a send.
//
// EmailTemplate is a plain value, safe for concurrent reads.
type EmailTemplate struct {
	// Subject is the subject line's template.
	Subject string
	// Text is the plain-text body's template.
	Text string
	// HTML is the HTML body's template.
	HTML string
}

// SentEmail is one message SES accepted, as the outbox keeps it.
//
// SentEmail is a plain value, safe for concurrent reads.
type SentEmail struct {
	// MessageID is the ID SendEmail answered.
	MessageID string
	// AccountID is the sending account.
	AccountID string
	// Region is the region the message was sent in.
	Region string
	// From is FromEmailAddress, or the raw message's From header.
	From string
	// To is the envelope's To: Destination, or the raw message's header.
	To []string
	// Cc is the envelope's Cc, as To.
	Cc []string
	// Bcc is the envelope's Bcc, as To.
	Bcc []string
	// ReplyTo is ReplyToAddresses.
	ReplyTo []string
	// Subject is the subject; for raw messages decoded from the header.
	Subject string
	// Text is the plain-text body of a simple or templated message.
	Text string
	// HTML is the HTML body of a simple or templated message.
	HTML string
	// Raw is a raw message as sent; nil for the other kinds.
	Raw []byte
	// Template is the template name of a templated message.
	Template string
	// TemplateData is a templated message's JSON data, as sent.
	TemplateData string
	// ConfigurationSet is ConfigurationSetName, "" when none.
	ConfigurationSet string
	// Tags are the message's EmailTags, name to value.
	Tags map[string]string
}

// sesService serves Amazon SES API v2 (restJson1) for one server.
type sesService struct {
	server *Server

	mu         sync.Mutex               // guards the fields below
	identities map[string]bool          // account/region/identity (lower case) -> verified
	templates  map[string]EmailTemplate // account/region/name
	accounts   map[string]*SESAccount   // account/region
	outbox     []SentEmail
	sent       int // message ID counter
}

func sesOf(s *Server) *sesService { return s.routes["ses"].handler.(*sesService) }

// sesKey keys the SES state of account a in the server's region, or in the
// region given.
func (a *Account) sesKey(region []string) string {
	r := a.server.opts.Region
	if len(region) > 0 && region[0] != "" {
		r = region[0]
	}
	return a.id + "/" + r
}

// VerifyEmailIdentity marks an email address or a domain as a verified SES
// identity of the account (in the server's region, or the one given), as
// completing SES's verification would. A verified domain verifies every
// address in it.
func (a *Account) VerifyEmailIdentity(identity string, region ...string) {
	h := sesOf(a.server)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.identities[a.sesKey(region)+"/"+strings.ToLower(identity)] = true
}

// CreateEmailTemplate stores a template SendEmail can name.
func (a *Account) CreateEmailTemplate(name string, t EmailTemplate, region ...string) {
	h := sesOf(a.server)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.templates[a.sesKey(region)+"/"+name] = t
}

// SetSESAccount replaces the account's SES sending state.
func (a *Account) SetSESAccount(state SESAccount, region ...string) {
	h := sesOf(a.server)
	h.mu.Lock()
	defer h.mu.Unlock()
	st := state
	h.accounts[a.sesKey(region)] = &st
}

// SentEmails returns the messages SES accepted, oldest first.
func (s *Server) SentEmails() []SentEmail {
	h := sesOf(s)
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]SentEmail(nil), h.outbox...)
}

// account returns the state of key, created with the defaults of an account
// out of the sandbox. Called with h.mu held.
func (h *sesService) account(key string) *SESAccount {
	st, ok := h.accounts[key]
	if !ok {
		st = &SESAccount{SendingEnabled: true, ProductionAccess: true, Max24HourSend: 50000, MaxSendRate: 14}
		h.accounts[key] = st
	}
	return st
}

func (h *sesService) operation(r *http.Request, _ []byte) string {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v2/email/outbound-emails":
		return "SendEmail"
	case r.Method == http.MethodGet && r.URL.Path == "/v2/email/account":
		return "GetAccount"
	}
	return ""
}

func (h *sesService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	switch c.operation {
	case "SendEmail":
		h.sendEmail(w, r, c)
	case "GetAccount":
		h.getAccount(w, r, c)
	default:
		c.writeError(w, r, newError(http.StatusNotFound, "NotFoundException", "Unknown operation "+r.Method+" "+r.URL.Path))
	}
}

func (h *sesService) getAccount(w http.ResponseWriter, r *http.Request, c *call) {
	if err := c.authorize("ses:GetAccount", "*", nil); err != nil {
		c.writeError(w, r, err)
		return
	}
	h.mu.Lock()
	st := *h.account(c.caller.AccountID + "/" + c.region)
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"SendQuota":                    map[string]float64{"Max24HourSend": st.Max24HourSend, "MaxSendRate": st.MaxSendRate, "SentLast24Hours": st.SentLast24Hours},
		"SendingEnabled":               st.SendingEnabled,
		"ProductionAccessEnabled":      st.ProductionAccess,
		"EnforcementStatus":            "HEALTHY",
		"DedicatedIpAutoWarmupEnabled": false,
	})
}
