package localaws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// sesMaxRecipients is SES's limit across To, Cc and Bcc of one message.
const sesMaxRecipients = 50

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

// sesSendRequest is a SendEmail request body, as the SDK serialises it.
type sesSendRequest struct {
	FromEmailAddress string
	Destination      *struct{ ToAddresses, CcAddresses, BccAddresses []string }
	ReplyToAddresses []string
	Content          struct {
		Simple *struct {
			Subject *struct{ Data string }
			Body    struct{ Text, Html *struct{ Data string } }
		}
		Raw      *struct{ Data []byte }
		Template *struct{ TemplateName, TemplateArn, TemplateData string }
	}
	ConfigurationSetName string
	EmailTags            []struct{ Name, Value string }
}

func sesBadRequest(msg string) *apiError {
	return newError(http.StatusBadRequest, "BadRequestException", msg)
}

// sendEmail checks a message as SES does — content, addresses, recipient
// count, the caller's permission on the sending identity, the identity's
// verification, the account's sending state — and files it in the outbox.
func (h *sesService) sendEmail(w http.ResponseWriter, r *http.Request, c *call) {
	var req sesSendRequest
	if err := json.Unmarshal(c.body, &req); err != nil {
		c.writeError(w, r, sesBadRequest("Invalid request body: "+err.Error()))
		return
	}
	region := c.region
	key := c.caller.AccountID + "/" + region
	msg := SentEmail{AccountID: c.caller.AccountID, Region: region, From: req.FromEmailAddress, ReplyTo: req.ReplyToAddresses,
		ConfigurationSet: req.ConfigurationSetName}
	if d := req.Destination; d != nil {
		msg.To, msg.Cc, msg.Bcc = d.ToAddresses, d.CcAddresses, d.BccAddresses
	}
	ct := req.Content
	kinds := 0
	for _, set := range []bool{ct.Simple != nil, ct.Raw != nil, ct.Template != nil} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		c.writeError(w, r, sesBadRequest("Content must contain exactly one of Simple, Raw or Template."))
		return
	}
	switch {
	case ct.Simple != nil:
		if ct.Simple.Subject == nil || (ct.Simple.Body.Text == nil && ct.Simple.Body.Html == nil) {
			c.writeError(w, r, sesBadRequest("A simple message needs a Subject and a Text or Html body."))
			return
		}
		msg.Subject = ct.Simple.Subject.Data
		if b := ct.Simple.Body.Text; b != nil {
			msg.Text = b.Data
		}
		if b := ct.Simple.Body.Html; b != nil {
			msg.HTML = b.Data
		}
	case ct.Raw != nil:
		msg.Raw = ct.Raw.Data
		m, err := mail.ReadMessage(bytes.NewReader(ct.Raw.Data))
		if err != nil {
			c.writeError(w, r, sesBadRequest("Raw message is not a valid MIME message: "+err.Error()))
			return
		}
		msg.Subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if msg.From == "" {
			msg.From = m.Header.Get("From")
		}
		if req.Destination == nil {
			msg.To, msg.Cc, msg.Bcc = sesHeaderList(m.Header, "To"), sesHeaderList(m.Header, "Cc"), sesHeaderList(m.Header, "Bcc")
		}
	case ct.Template != nil:
		msg.Template = ct.Template.TemplateName
		if arn := ct.Template.TemplateArn; arn != "" && msg.Template == "" {
			_, msg.Template, _ = strings.Cut(arn, ":template/")
		}
		msg.TemplateData = ct.Template.TemplateData
		if msg.Template == "" {
			c.writeError(w, r, sesBadRequest("A template message needs a TemplateName or TemplateArn."))
			return
		}
	}
	if msg.From == "" {
		c.writeError(w, r, sesBadRequest("Missing required parameter FromEmailAddress."))
		return
	}
	from, err := mail.ParseAddress(msg.From)
	if err != nil || !strings.Contains(from.Address, "@") {
		c.writeError(w, r, sesBadRequest("Illegal address: "+msg.From))
		return
	}
	all := append(append(append([]string{}, msg.To...), msg.Cc...), msg.Bcc...)
	if len(all) == 0 {
		c.writeError(w, r, sesBadRequest("Missing required parameter Destination: give at least one recipient."))
		return
	}
	if len(all) > sesMaxRecipients {
		c.writeError(w, r, newError(http.StatusBadRequest, "MessageRejected", fmt.Sprintf("Recipient count exceeds %d.", sesMaxRecipients)))
		return
	}
	for _, a := range append(all, msg.ReplyTo...) {
		if p, err := mail.ParseAddress(a); err != nil || !strings.Contains(p.Address, "@") {
			c.writeError(w, r, sesBadRequest("Illegal address: "+a))
			return
		}
	}
	msg.Tags = map[string]string{}
	for _, t := range req.EmailTags {
		if !sesTagRE.MatchString(t.Name) || !sesTagRE.MatchString(t.Value) {
			c.writeError(w, r, sesBadRequest("Invalid message tag "+t.Name+"="+t.Value+": names and values may only contain ASCII letters, digits, underscores and dashes."))
			return
		}
		msg.Tags[t.Name] = t.Value
	}

	address := strings.ToLower(from.Address)
	domain := address[strings.LastIndex(address, "@")+1:]
	h.mu.Lock()
	identity, verified := address, h.identities[key+"/"+address]
	if !verified && h.identities[key+"/"+domain] {
		identity, verified = domain, true
	}
	h.mu.Unlock()
	if !verified {
		// With no verified identity there is nothing to authorise against:
		// SES rejects the message whatever the caller's policies say.
		c.writeError(w, r, newError(http.StatusBadRequest, "MessageRejected",
			"Email address is not verified. The following identities failed the check in region "+strings.ToUpper(region)+": "+from.Address))
		return
	}

	// SES v2 authorises raw content as ses:SendRawEmail and the rest as
	// ses:SendEmail, on the identity and on the configuration set if any.
	action := "ses:SendEmail"
	if ct.Raw != nil {
		action = "ses:SendRawEmail"
	}
	arnBase := "arn:aws:ses:" + region + ":" + c.caller.AccountID + ":"
	resources := []string{arnBase + "identity/" + identity}
	if msg.ConfigurationSet != "" {
		resources = append(resources, arnBase+"configuration-set/"+msg.ConfigurationSet)
	}
	for _, res := range resources {
		if err := c.authorize(action, res, map[string][]string{"ses:FromAddress": {from.Address}, "ses:Recipients": all, "ses:ApiVersion": {"2"}}); err != nil {
			c.writeError(w, r, err)
			return
		}
	}

	if err := h.accept(key, &msg, all); err != nil {
		c.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"MessageId": msg.MessageID})
}

// accept applies the account-state checks (sandbox recipients, paused
// sending), renders a template, and files msg in the outbox.
func (h *sesService) accept(key string, msg *SentEmail, recipients []string) *apiError {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.account(key)
	var failed []string
	if !st.ProductionAccess {
		// In the sandbox every recipient must be verified as well.
		for _, a := range recipients {
			p, _ := mail.ParseAddress(a)
			ra := strings.ToLower(p.Address)
			if !h.identities[key+"/"+ra] && !h.identities[key+"/"+ra[strings.LastIndex(ra, "@")+1:]] {
				failed = append(failed, p.Address)
			}
		}
	}
	if len(failed) > 0 {
		region := key[strings.Index(key, "/")+1:]
		return newError(http.StatusBadRequest, "MessageRejected",
			"Email address is not verified. The following identities failed the check in region "+strings.ToUpper(region)+": "+strings.Join(failed, ", "))
	}
	if !st.SendingEnabled {
		return newError(http.StatusBadRequest, "SendingPausedException", "Sending is paused for this account.")
	}
	if msg.Template != "" {
		t, ok := h.templates[key+"/"+msg.Template]
		if !ok {
			return newError(http.StatusNotFound, "NotFoundException", "Template "+msg.Template+" does not exist.")
		}
		data := map[string]any{}
		if msg.TemplateData != "" {
			if err := json.Unmarshal([]byte(msg.TemplateData), &data); err != nil {
				return sesBadRequest("TemplateData is not a valid JSON object: " + err.Error())
			}
		}
		msg.Subject, msg.Text, msg.HTML = sesRender(t.Subject, data), sesRender(t.Text, data), sesRender(t.HTML, data)
	}
	h.sent++
	msg.MessageID = fmt.Sprintf("0100%012x-%s-000000", h.sent, newRequestID()) // SES's shape
	st.SentLast24Hours++
	h.outbox = append(h.outbox, *msg)
	return nil
}

// sesTagRE is SES's rule for message tag names and values.
var sesTagRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// sesPlaceholder is a template placeholder, {{name}}.
var sesPlaceholder = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}`)

// sesRender fills {{name}} placeholders from data; missing names render
// empty, as SES renders them.
func sesRender(text string, data map[string]any) string {
	return sesPlaceholder.ReplaceAllStringFunc(text, func(m string) string {
		v, ok := data[sesPlaceholder.FindStringSubmatch(m)[1]]
		if !ok || v == nil {
			return ""
		}
		return fmt.Sprint(v)
	})
}

// sesHeaderList returns the addresses of an address-list header.
func sesHeaderList(h mail.Header, key string) []string {
	list, err := h.AddressList(key)
	if err != nil {
		return nil
	}
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Address
	}
	sort.Strings(out)
	return out
}
