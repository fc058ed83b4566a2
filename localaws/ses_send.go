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
)

// SendEmail: the request, SES's checks in its order, templates and raw
// messages.

// sesMaxRecipients is SES's limit across To, Cc and Bcc of one message.
const sesMaxRecipients = 50

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

// sesBadRequest is SES v2's 400 for a malformed or invalid request.
// sesAddress parses an address as SES takes it: 7-bit ASCII without
// control characters (an IDN domain in Punycode, a non-ASCII display name
// MIME-encoded), with an @.
func sesAddress(s string) (*mail.Address, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return nil, false
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || !strings.Contains(a.Address, "@") {
		return nil, false
	}
	return a, true
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
	from, ok := sesAddress(msg.From)
	if !ok {
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
		if _, ok := sesAddress(a); !ok {
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
