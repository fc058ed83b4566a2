package localaws

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/stretchr/testify/require"
)

func sesFixture(t *testing.T, g grants) (*Server, *sesv2.Client) {
	t.Helper()
	s, cfg := svcServer(t, g)
	a := s.Platform()
	a.VerifyEmailIdentity("example.com")
	a.VerifyEmailIdentity("solo@other.org")
	a.CreateEmailTemplate("welcome", EmailTemplate{Subject: "Hi {{name}}", Text: "Welcome, {{name}}! Plan: {{plan}}", HTML: "<p>{{ name }}</p>"})
	return s, sesv2.NewFromConfig(cfg)
}

var allSES = grants{"ses:SendEmail": {"**"}, "ses:SendRawEmail": {"**"}, "ses:GetAccount": {"*"}}

func simple(from string, to ...string) *sesv2.SendEmailInput {
	return &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(from),
		Destination:      &types.Destination{ToAddresses: to},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String("Report")},
			Body:    &types.Body{Text: &types.Content{Data: aws.String("text body")}, Html: &types.Content{Data: aws.String("<b>html</b>")}},
		}},
	}
}

func TestSESSendSimple(t *testing.T) {
	s, client := sesFixture(t, allSES)
	in := simple("Ops <ops@example.com>", "a@customer.net")
	in.Destination.CcAddresses = []string{"c@customer.net"}
	in.Destination.BccAddresses = []string{"b@customer.net"}
	in.ReplyToAddresses = []string{"reply@example.com"}
	in.ConfigurationSetName = aws.String("tracking")
	in.EmailTags = []types.MessageTag{{Name: aws.String("campaign"), Value: aws.String("q4")}}
	s.ResetRequests()
	out, err := client.SendEmail(context.Background(), in)
	require.NoError(t, err)
	require.NotEmpty(t, aws.ToString(out.MessageId))

	sent := s.SentEmails()
	require.Len(t, sent, 1)
	m := sent[0]
	require.Equal(t, aws.ToString(out.MessageId), m.MessageID)
	require.Equal(t, "Ops <ops@example.com>", m.From)
	require.Equal(t, []string{"a@customer.net"}, m.To)
	require.Equal(t, []string{"c@customer.net"}, m.Cc)
	require.Equal(t, []string{"b@customer.net"}, m.Bcc)
	require.Equal(t, []string{"reply@example.com"}, m.ReplyTo)
	require.Equal(t, "Report", m.Subject)
	require.Equal(t, "text body", m.Text)
	require.Equal(t, "<b>html</b>", m.HTML)
	require.Equal(t, "tracking", m.ConfigurationSet)
	require.Equal(t, map[string]string{"campaign": "q4"}, m.Tags)

	var resources []string
	for _, e := range s.Requests() {
		resources = append(resources, e.Resource)
	}
	acct := s.PlatformAccountID()
	// The log keeps the last authorisation of the call: the configuration set.
	require.Equal(t, []string{"arn:aws:ses:us-east-1:" + acct + ":configuration-set/tracking"}, resources)
}

func TestSESIdentityAuthorisation(t *testing.T) {
	acct := "111122223333"
	s, client := sesFixture(t, grants{"ses:SendEmail": {"arn:aws:ses:us-east-1:" + acct + ":identity/solo@other.org"}})
	_, err := client.SendEmail(context.Background(), simple("solo@other.org", "x@y.com"))
	require.NoError(t, err, "the address identity is granted")
	_, err = client.SendEmail(context.Background(), simple("ops@example.com", "x@y.com"))
	ae := requireAPIError(t, err, "AccessDeniedException")
	require.Contains(t, ae.ErrorMessage(), "ses:SendEmail on resource: arn:aws:ses:us-east-1:"+acct+":identity/example.com", "authorised on the verified domain identity")
	require.Len(t, s.SentEmails(), 1)
}

func TestSESSendRejections(t *testing.T) {
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("r%d@customer.net", i)
	}
	tests := []struct {
		name     string
		in       *sesv2.SendEmailInput
		code     string
		mentions string
	}{
		{"unverified sender", simple("someone@unverified.io", "a@customer.net"), "MessageRejected", "Email address is not verified. The following identities failed the check in region US-EAST-1: someone@unverified.io"},
		{"unverified address of a verified address's domain", simple("other@other.org", "a@customer.net"), "MessageRejected", "other@other.org"},
		{"bad sender", simple("not-an-address", "a@customer.net"), "BadRequestException", "Illegal address"},
		{"bad recipient", simple("ops@example.com", "a@"), "BadRequestException", "Illegal address: a@"},
		{"IDN not in Punycode", simple("ops@example.com", "a@bücher.de"), "BadRequestException", "Illegal address: a@bücher.de"},
		{"raw non-ASCII display name", simple("Jürgen <ops@example.com>", "a@customer.net"), "BadRequestException", "Illegal address"},
		{"no recipient", simple("ops@example.com"), "BadRequestException", "recipient"},
		{"51 recipients", simple("ops@example.com", many...), "MessageRejected", "Recipient count exceeds 50"},
		{"no content", &sesv2.SendEmailInput{FromEmailAddress: aws.String("ops@example.com"), Destination: &types.Destination{ToAddresses: []string{"a@b.com"}}, Content: &types.EmailContent{}}, "BadRequestException", "exactly one"},
		{"unknown template", &sesv2.SendEmailInput{FromEmailAddress: aws.String("ops@example.com"), Destination: &types.Destination{ToAddresses: []string{"a@b.com"}},
			Content: &types.EmailContent{Template: &types.Template{TemplateName: aws.String("nope")}}}, "NotFoundException", "Template nope does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, client := sesFixture(t, allSES)
			_, err := client.SendEmail(context.Background(), tt.in)
			ae := requireAPIError(t, err, tt.code)
			require.Contains(t, ae.ErrorMessage(), tt.mentions)
			require.Empty(t, s.SentEmails())
		})
	}
}

func TestSESSandboxAndPaused(t *testing.T) {
	s, client := sesFixture(t, allSES)
	s.Platform().SetSESAccount(SESAccount{SendingEnabled: true, ProductionAccess: false, Max24HourSend: 200, MaxSendRate: 1})
	_, err := client.SendEmail(context.Background(), simple("ops@example.com", "a@customer.net"))
	ae := requireAPIError(t, err, "MessageRejected")
	require.Contains(t, ae.ErrorMessage(), "a@customer.net", "the sandbox requires verified recipients")
	_, err = client.SendEmail(context.Background(), simple("ops@example.com", "b@example.com"))
	require.NoError(t, err, "a recipient of a verified domain is fine in the sandbox")

	s.Platform().SetSESAccount(SESAccount{SendingEnabled: false, ProductionAccess: true})
	_, err = client.SendEmail(context.Background(), simple("ops@example.com", "a@customer.net"))
	requireAPIError(t, err, "SendingPausedException")
}

func TestSESSendRawAndTemplate(t *testing.T) {
	s, client := sesFixture(t, allSES)
	raw := "From: Ops <ops@example.com>\r\nTo: a@customer.net, b@customer.net\r\nCc: c@customer.net\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
	_, err := client.SendEmail(context.Background(), &sesv2.SendEmailInput{Content: &types.EmailContent{Raw: &types.RawMessage{Data: []byte(raw)}}})
	require.NoError(t, err, "sender and recipients come from the headers")

	_, err = client.SendEmail(context.Background(), &sesv2.SendEmailInput{
		FromEmailAddress: aws.String("ops@example.com"),
		Destination:      &types.Destination{ToAddresses: []string{"a@customer.net"}},
		Content:          &types.EmailContent{Template: &types.Template{TemplateName: aws.String("welcome"), TemplateData: aws.String(`{"name":"Ann","plan":"pro"}`)}},
	})
	require.NoError(t, err)

	_, err = client.SendEmail(context.Background(), &sesv2.SendEmailInput{
		FromEmailAddress: aws.String("ops@example.com"),
		Destination:      &types.Destination{ToAddresses: []string{"a@customer.net"}},
		Content:          &types.EmailContent{Template: &types.Template{TemplateArn: aws.String("arn:aws:ses:us-east-1:111122223333:template/welcome"), TemplateData: aws.String(`[1]`)}},
	})
	requireAPIError(t, err, "BadRequestException")

	sent := s.SentEmails()
	require.Len(t, sent, 2)
	require.Equal(t, "Ops <ops@example.com>", sent[0].From)
	require.Equal(t, []string{"a@customer.net", "b@customer.net"}, sent[0].To)
	require.Equal(t, []string{"c@customer.net"}, sent[0].Cc)
	require.Equal(t, "Grüße", sent[0].Subject)
	require.Equal(t, raw, string(sent[0].Raw))

	require.Equal(t, "Hi Ann", sent[1].Subject)
	require.Equal(t, "Welcome, Ann! Plan: pro", sent[1].Text)
	require.Equal(t, "<p>Ann</p>", sent[1].HTML)
	require.Equal(t, "welcome", sent[1].Template)
}

func TestSESGetAccount(t *testing.T) {
	s, client := sesFixture(t, allSES)
	_, err := client.SendEmail(context.Background(), simple("ops@example.com", "a@customer.net"))
	require.NoError(t, err)
	out, err := client.GetAccount(context.Background(), &sesv2.GetAccountInput{})
	require.NoError(t, err)
	require.True(t, out.SendingEnabled)
	require.True(t, out.ProductionAccessEnabled)
	require.Equal(t, 50000.0, out.SendQuota.Max24HourSend)
	require.Equal(t, 14.0, out.SendQuota.MaxSendRate)
	require.Equal(t, 1.0, out.SendQuota.SentLast24Hours)

	setGrants(t, s, grants{})
	_, err = client.GetAccount(context.Background(), &sesv2.GetAccountInput{})
	ae := requireAPIError(t, err, "AccessDeniedException")
	require.Contains(t, ae.ErrorMessage(), "ses:GetAccount on resource: *")
}
