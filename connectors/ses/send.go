package ses

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrOutsideRestriction is returned (wrapped) when a message's sender is not
// the identity the connector is restricted to.
var ErrOutsideRestriction = errors.New("ses: sender outside the connector's restriction")

// Email is a message to send. From and at least one recipient are required,
// and a subject with a text or HTML body (or both). When Attachments is not
// empty the message is sent as raw MIME (see [BuildMIME]).
//
// Email is a plain value, safe for concurrent reads.
type Email struct {
	From             string            // sender, a verified identity ("Ann <ann@example.com>" allowed)
	To, Cc, Bcc      []string          // recipients, at most MaxRecipients in all
	ReplyTo          []string          // Reply-To addresses
	Subject          string            // subject, one line (CR, LF and other controls are refused)
	Text, HTML       string            // bodies; at least one
	Attachments      []Attachment      // files; force a raw MIME message
	ConfigurationSet string            // overrides Options.ConfigurationSet
	Tags             map[string]string // message tags for event publishing
}

// Attachment is a file attached to an [Email].
//
// Attachment is a plain value, safe for concurrent reads.
type Attachment struct {
	Name        string // file name shown to the recipient
	ContentType string // MIME type; default "application/octet-stream"
	Data        []byte // content
}

// TemplatedEmail is a message rendered by SES from a stored template.
//
// TemplatedEmail is a plain value, safe for concurrent reads.
type TemplatedEmail struct {
	From             string            // sender, a verified identity
	To, Cc, Bcc      []string          // recipients, at most MaxRecipients in all
	ReplyTo          []string          // Reply-To addresses
	Template         string            // template name or ARN
	Data             any               // replacement values, marshalled to JSON; nil means {}
	ConfigurationSet string            // overrides Options.ConfigurationSet
	Tags             map[string]string // message tags for event publishing
}

// tagRE is SES's rule for message tag names and values.
var tagRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Send validates and sends e, returning the message ID SES assigned.
func (c *Connector) Send(ctx context.Context, e Email) (string, error) {
	if err := c.checkSender(e.From); err != nil {
		return "", err
	}
	if err := validateEnvelope(e.From, e.To, e.Cc, e.Bcc, e.ReplyTo); err != nil {
		return "", err
	}
	if err := validateSubject(e.Subject); err != nil {
		return "", err
	}
	if e.Text == "" && e.HTML == "" {
		return "", fmt.Errorf("%w: no body; set Text, HTML or both", ErrInvalidMessage)
	}
	in, err := c.input(e.From, e.To, e.Cc, e.Bcc, e.ReplyTo, e.ConfigurationSet, e.Tags)
	if err != nil {
		return "", err
	}
	if len(e.Attachments) > 0 {
		raw, err := BuildMIME(e)
		if err != nil {
			return "", err
		}
		in.Content = &types.EmailContent{Raw: &types.RawMessage{Data: raw}}
	} else {
		body := &types.Body{}
		if e.Text != "" {
			body.Text = &types.Content{Data: aws.String(e.Text), Charset: aws.String("UTF-8")}
		}
		if e.HTML != "" {
			body.Html = &types.Content{Data: aws.String(e.HTML), Charset: aws.String("UTF-8")}
		}
		in.Content = &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(e.Subject), Charset: aws.String("UTF-8")},
			Body:    body,
		}}
	}
	return c.send(ctx, in, "email")
}

// SendRaw sends a MIME message the caller built. from must name the same
// address as the message's one From header (ErrInvalidMessage otherwise), so
// the identity restriction holds for what SES sends as. recipients are the
// envelope destinations (an empty list lets SES take them from the To, Cc
// and Bcc headers).
func (c *Connector) SendRaw(ctx context.Context, from string, recipients []string, raw []byte) (string, error) {
	if err := c.checkSender(from); err != nil {
		return "", err
	}
	if _, err := ValidateAddress("From", from); err != nil {
		return "", err
	}
	if len(recipients) > MaxRecipients {
		return "", fmt.Errorf("%w: %d recipients; SES accepts at most %d per message", ErrTooManyRecipients, len(recipients), MaxRecipients)
	}
	if err := validateList("To", recipients); err != nil {
		return "", err
	}
	if err := rawFromMatches(from, raw); err != nil {
		return "", err
	}
	in, err := c.input(from, recipients, nil, nil, nil, "", nil)
	if err != nil {
		return "", err
	}
	if len(recipients) == 0 {
		in.Destination = nil
	}
	in.Content = &types.EmailContent{Raw: &types.RawMessage{Data: raw}}
	return c.send(ctx, in, "raw email")
}

// SendTemplate sends a message rendered from a stored SES template.
func (c *Connector) SendTemplate(ctx context.Context, e TemplatedEmail) (string, error) {
	if err := c.checkSender(e.From); err != nil {
		return "", err
	}
	if err := validateEnvelope(e.From, e.To, e.Cc, e.Bcc, e.ReplyTo); err != nil {
		return "", err
	}
	if e.Template == "" {
		return "", fmt.Errorf("%w: Template is empty; give the template's name or ARN", ErrInvalidMessage)
	}
	data := []byte("{}")
	if e.Data != nil {
		var err error
		if data, err = json.Marshal(e.Data); err != nil {
			return "", fmt.Errorf("%w: template data does not marshal to JSON: %v", ErrInvalidMessage, err)
		}
	}
	in, err := c.input(e.From, e.To, e.Cc, e.Bcc, e.ReplyTo, e.ConfigurationSet, e.Tags)
	if err != nil {
		return "", err
	}
	t := &types.Template{TemplateData: aws.String(string(data))}
	if len(e.Template) > 4 && e.Template[:4] == "arn:" {
		t.TemplateArn = aws.String(e.Template)
	} else {
		t.TemplateName = aws.String(e.Template)
	}
	in.Content = &types.EmailContent{Template: t}
	return c.send(ctx, in, "templated email")
}

// rawFromMatches requires the raw message's From header to name the same
// address as from. The connector's identity restriction and the caller's
// validation are applied to from, so a different From header would send as
// an identity neither of them saw.
func rawFromMatches(from string, raw []byte) error {
	if len(raw) == 0 {
		return fmt.Errorf("%w: the raw message is empty", ErrInvalidMessage)
	}
	want, err := mail.ParseAddress(from)
	if err != nil {
		return fmt.Errorf("%w: From: %s: %v", ErrInvalidAddress, echo.Quote(from), err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("%w: the raw message's headers do not parse: %v; build it with BuildMIME", ErrInvalidMessage, err)
	}
	header := m.Header["From"]
	if len(header) != 1 {
		return fmt.Errorf("%w: the raw message has %d From headers; it needs exactly one, naming %s", ErrInvalidMessage, len(header), want.Address)
	}
	got, err := mail.ParseAddressList(header[0])
	if err != nil || len(got) != 1 || !strings.EqualFold(got[0].Address, want.Address) {
		return fmt.Errorf("%w: the raw message's From header %s is not %s, the sender given; make them the same", ErrInvalidMessage, echo.Quote(header[0]), want.Address)
	}
	return nil
}

// validateSubject requires a subject.
func validateSubject(subject string) error {
	if subject == "" {
		return fmt.Errorf("%w: Subject is empty", ErrInvalidMessage)
	}
	return subjectOneLine(subject)
}

// subjectOneLine refuses control characters other than tab in a subject: a
// CR or LF would let the text after it be read as headers of its own (a
// Bcc, say) wherever the subject is written into a header unencoded.
func subjectOneLine(subject string) error {
	if i := strings.IndexFunc(subject, func(r rune) bool { return r != '\t' && isControl(r) }); i >= 0 {
		return fmt.Errorf("%w: Subject contains the control character %s; a subject is one line", ErrInvalidMessage, strconv.QuoteRune(rune(subject[i])))
	}
	return nil
}

func (c *Connector) input(from string, to, cc, bcc, replyTo []string, configSet string, tags map[string]string) (*sesv2.SendEmailInput, error) {
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(wireAddress(from)),
		Destination:      &types.Destination{ToAddresses: wireList(to), CcAddresses: wireList(cc), BccAddresses: wireList(bcc)},
		ReplyToAddresses: wireList(replyTo),
	}
	if configSet == "" {
		configSet = c.opts.ConfigurationSet
	}
	if configSet != "" {
		in.ConfigurationSetName = aws.String(configSet)
	}
	names := make([]string, 0, len(tags))
	for k := range tags {
		names = append(names, k)
	}
	sort.Strings(names) // a stable request for a given message
	for _, k := range names {
		v := tags[k]
		if !tagRE.MatchString(k) || !tagRE.MatchString(v) {
			return nil, fmt.Errorf("%w: tag %s=%s: names and values must be 1-256 ASCII letters, digits, '_' or '-'", ErrInvalidMessage, echo.Quote(k), echo.Quote(v))
		}
		in.EmailTags = append(in.EmailTags, types.MessageTag{Name: aws.String(k), Value: aws.String(v)})
	}
	return in, nil
}

func (c *Connector) send(ctx context.Context, in *sesv2.SendEmailInput, what string) (string, error) {
	out, err := c.client.SendEmail(ctx, in)
	if err != nil {
		return "", fmt.Errorf("ses: send %s from %s: %w", what, aws.ToString(in.FromEmailAddress), err)
	}
	return aws.ToString(out.MessageId), nil
}
