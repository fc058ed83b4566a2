package ses_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

func sendPerms(t *testing.T, identity string) []policy.Requirement {
	t.Helper()
	reqs, err := ses.Requirements(ses.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Identity: identity}, ses.OpSend, ses.OpSendRaw, ses.OpGetAccount)
	require.NoError(t, err)
	return reqs
}

func sesEnv(t *testing.T, fields map[string]string, perms ...policy.Requirement) (*connectortest.Env, *ses.Connector) {
	t.Helper()
	e := connectortest.New(t, ses.KindName, connectortest.WithFields(fields), connectortest.WithPermissions(perms...))
	e.Customer.VerifyEmailIdentity("example.com")
	e.Customer.VerifyEmailIdentity("granted-not.example.org")
	e.Customer.CreateEmailTemplate("welcome", localaws.EmailTemplate{Subject: "Welcome {{name}}", Text: "Hello {{name}}, your plan is {{plan}}."})
	return e, ses.New(e.Config(t), func(o *ses.Options) {
		o.Identity = fields[ses.FieldIdentity]
		o.ConfigurationSet = fields[ses.FieldConfigurationSet]
	})
}

func TestSend(t *testing.T) {
	e, c := sesEnv(t, nil, sendPerms(t, "example.com")...)
	ctx := context.Background()
	id, err := c.Send(ctx, ses.Email{
		From: "Ops <ops@example.com>", To: []string{"a@customer.net"}, Cc: []string{"c@customer.net"}, Bcc: []string{"b@customer.net"},
		ReplyTo: []string{"help@example.com"}, Subject: "Weekly report", Text: "See attached.", HTML: "<p>See attached.</p>",
		Tags: map[string]string{"campaign": "weekly", "team": "ops"},
	})
	require.NoError(t, err)
	sent := e.Server.SentEmails()
	require.Len(t, sent, 1)
	m := sent[0]
	require.Equal(t, id, m.MessageID)
	require.Equal(t, []string{"a@customer.net"}, m.To)
	require.Equal(t, []string{"c@customer.net"}, m.Cc)
	require.Equal(t, []string{"b@customer.net"}, m.Bcc)
	require.Equal(t, []string{"help@example.com"}, m.ReplyTo)
	require.Equal(t, "Weekly report", m.Subject)
	require.Equal(t, "See attached.", m.Text)
	require.Equal(t, "<p>See attached.</p>", m.HTML)
	require.Equal(t, map[string]string{"campaign": "weekly", "team": "ops"}, m.Tags)
}

// TestSendInternationalAddresses: a Punycode domain goes as it is, and a
// non-ASCII display name goes MIME-encoded, as SES requires of both.
func TestSendInternationalAddresses(t *testing.T) {
	e, c := sesEnv(t, nil, sendPerms(t, "example.com")...)
	_, err := c.Send(context.Background(), ses.Email{From: "Jürgen Ops <ops@example.com>", To: []string{"ann@xn--bcher-kva.de"},
		Subject: "Grüße", Text: "t"})
	require.NoError(t, err)
	sent := e.Server.SentEmails()
	require.Len(t, sent, 1)
	require.Equal(t, "=?utf-8?q?J=C3=BCrgen_Ops?= <ops@example.com>", sent[0].From)
	require.Equal(t, []string{"ann@xn--bcher-kva.de"}, sent[0].To)
	require.Equal(t, "Grüße", sent[0].Subject)
}

func TestSendWithAttachmentsIsRawMIME(t *testing.T) {
	e, c := sesEnv(t, nil, sendPerms(t, "example.com")...)
	_, err := c.Send(context.Background(), ses.Email{
		From: "ops@example.com", To: []string{"a@customer.net"}, Bcc: []string{"hidden@customer.net"}, Subject: "Invoice", Text: "Attached.",
		Attachments: []ses.Attachment{{Name: "invoice.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7 ...")}},
	})
	require.NoError(t, err)
	sent := e.Server.SentEmails()
	require.Len(t, sent, 1)
	m := sent[0]
	require.NotEmpty(t, m.Raw)
	require.Equal(t, []string{"hidden@customer.net"}, m.Bcc, "Bcc travels in the envelope")
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	require.NoError(t, err)
	require.Empty(t, msg.Header.Get("Bcc"))
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	_, err = mr.NextPart() // the text
	require.NoError(t, err)
	att, err := mr.NextPart()
	require.NoError(t, err)
	require.Equal(t, "invoice.pdf", att.FileName())
	raw, err := io.ReadAll(att)
	require.NoError(t, err)
	require.Contains(t, string(raw), "JVBERi0xLjcgLi4u", "base64 of the attachment")

	// Raw content needs ses:SendRawEmail: without it the send is denied.
	perms, err := ses.Requirements(ses.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Identity: "example.com"}, ses.OpSend)
	require.NoError(t, err)
	e.Grant(t, perms...)
	_, err = c.Send(context.Background(), ses.Email{From: "ops@example.com", To: []string{"a@customer.net"}, Subject: "s", Text: "t",
		Attachments: []ses.Attachment{{Name: "a.txt", Data: []byte("x")}}})
	require.True(t, connectors.IsAccessDenied(err), "%v", err)
	require.Contains(t, err.Error(), "ses:SendRawEmail")
}

func TestSendRawAndTemplate(t *testing.T) {
	e, c := sesEnv(t, nil, sendPerms(t, "example.com")...)
	ctx := context.Background()
	raw, err := ses.BuildMIME(ses.Email{From: "ops@example.com", To: []string{"a@customer.net"}, Subject: "Built", Text: "body"})
	require.NoError(t, err)
	_, err = c.SendRaw(ctx, "ops@example.com", nil, raw)
	require.NoError(t, err, "recipients from the headers")
	_, err = c.SendTemplate(ctx, ses.TemplatedEmail{From: "ops@example.com", To: []string{"a@customer.net"}, Template: "welcome",
		Data: map[string]string{"name": "Ann", "plan": "pro"}})
	require.NoError(t, err)
	_, err = c.SendTemplate(ctx, ses.TemplatedEmail{From: "ops@example.com", To: []string{"a@customer.net"}, Template: "missing"})
	require.Equal(t, "NotFoundException", connectors.ErrorCode(err))

	sent := e.Server.SentEmails()
	require.Len(t, sent, 2)
	require.Equal(t, []string{"a@customer.net"}, sent[0].To)
	require.Equal(t, "Built", sent[0].Subject)
	require.Equal(t, "Welcome Ann", sent[1].Subject)
	require.Equal(t, "Hello Ann, your plan is pro.", sent[1].Text)
}

func TestSendRejections(t *testing.T) {
	e, c := sesEnv(t, nil, sendPerms(t, "example.com")...)
	ctx := context.Background()
	tests := []struct {
		name string
		mail ses.Email
		want error
		code string
	}{
		{name: "bad recipient", mail: ses.Email{From: "ops@example.com", To: []string{"a@customer.net", "nope"}, Subject: "s", Text: "t"}, want: ses.ErrInvalidAddress},
		{name: "no body", mail: ses.Email{From: "ops@example.com", To: []string{"a@customer.net"}, Subject: "s"}, want: ses.ErrInvalidMessage},
		{name: "no subject", mail: ses.Email{From: "ops@example.com", To: []string{"a@customer.net"}, Text: "t"}, want: ses.ErrInvalidMessage},
		{name: "CR LF in subject", mail: ses.Email{From: "ops@example.com", To: []string{"a@customer.net"}, Subject: "hi\r\nBcc: spy@evil.example", Text: "t"}, want: ses.ErrInvalidMessage},
		{name: "LF in subject with attachment", mail: ses.Email{From: "ops@example.com", To: []string{"a@customer.net"}, Subject: "hi\nBcc: spy@evil.example", Text: "t",
			Attachments: []ses.Attachment{{Name: "a.txt", Data: []byte("x")}}}, want: ses.ErrInvalidMessage},
		{name: "CR LF in recipient", mail: ses.Email{From: "ops@example.com", To: []string{"a@customer.net\r\nBcc: spy@evil.example"}, Subject: "s", Text: "t"}, want: ses.ErrInvalidAddress},
		{name: "LF in sender display name", mail: ses.Email{From: "Ops\nBcc: spy@evil.example <ops@example.com>", To: []string{"a@customer.net"}, Subject: "s", Text: "t"}, want: ses.ErrInvalidAddress},
		{name: "IDN domain not in Punycode", mail: ses.Email{From: "ops@example.com", To: []string{"ann@bücher.de"}, Subject: "s", Text: "t"}, want: ses.ErrInvalidAddress},
		{name: "non-ASCII local part", mail: ses.Email{From: "ops@example.com", To: []string{"änn@customer.net"}, Subject: "s", Text: "t"}, want: ses.ErrInvalidAddress},
		{name: "bad tag", mail: ses.Email{From: "ops@example.com", To: []string{"a@customer.net"}, Subject: "s", Text: "t", Tags: map[string]string{"a b": "c"}}, want: ses.ErrInvalidMessage},
		{name: "unverified sender", mail: ses.Email{From: "ops@unverified.io", To: []string{"a@customer.net"}, Subject: "s", Text: "t"}, code: "MessageRejected"},
		{name: "verified domain not granted", mail: ses.Email{From: "ops@granted-not.example.org", To: []string{"a@customer.net"}, Subject: "s", Text: "t"}, code: "AccessDeniedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.Server.Requests())
			_, err := c.Send(ctx, tt.mail)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
				require.Len(t, e.Server.Requests(), before, "validation fails before any call")
				return
			}
			require.Equal(t, tt.code, connectors.ErrorCode(err), "%v", err)
		})
	}
}

func TestIdentityRestriction(t *testing.T) {
	_, c := sesEnv(t, map[string]string{ses.FieldIdentity: "example.com"}, sendPerms(t, "example.com")...)
	_, err := c.Send(context.Background(), ses.Email{From: "x@other.org", To: []string{"a@customer.net"}, Subject: "s", Text: "t"})
	require.ErrorIs(t, err, ses.ErrOutsideRestriction)
	_, err = c.Send(context.Background(), ses.Email{From: "Ops <OPS@Example.com>", To: []string{"a@customer.net"}, Subject: "s", Text: "t"})
	require.NoError(t, err)

	// A raw message is checked on its From header too, which is what the
	// recipient sees and SES sends as.
	for name, head := range map[string]string{
		"another identity":   "From: ceo@other.org\r\n",
		"no From":            "",
		"two From headers":   "From: ops@example.com\r\nFrom: ceo@other.org\r\n",
		"two From mailboxes": "From: ops@example.com, ceo@other.org\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			raw := []byte(head + "To: a@customer.net\r\nSubject: s\r\n\r\nbody\r\n")
			_, err := c.SendRaw(context.Background(), "ops@example.com", []string{"a@customer.net"}, raw)
			require.ErrorIs(t, err, ses.ErrInvalidMessage)
		})
	}
	_, err = c.SendRaw(context.Background(), "ops@example.com", []string{"a@customer.net"},
		[]byte("From: Ops <OPS@example.com>\r\nTo: a@customer.net\r\nSubject: s\r\n\r\nbody\r\n"))
	require.NoError(t, err)
}

func TestGetAccountAndCheck(t *testing.T) {
	getAccount := policy.Requirement{Action: "ses:GetAccount"}
	tests := []struct {
		name     string
		perms    []policy.Requirement
		state    *localaws.SESAccount
		fault    bool
		want     connectors.Status
		mentions string
		cause    connectors.Cause
	}{
		{name: "passes", perms: []policy.Requirement{getAccount}, want: connectors.Passed, mentions: "50000 messages a day"},
		{name: "denied", perms: sendPerms(t, "example.com")[:1], want: connectors.Failed, mentions: "lack ses:GetAccount", cause: connectors.CausePermissionMissing},
		{name: "sandbox", perms: []policy.Requirement{getAccount}, state: &localaws.SESAccount{SendingEnabled: true, Max24HourSend: 200, MaxSendRate: 1}, want: connectors.Warned, mentions: "sandbox", cause: ses.CauseSandbox},
		{name: "paused", perms: []policy.Requirement{getAccount}, state: &localaws.SESAccount{ProductionAccess: true}, want: connectors.Warned, mentions: "paused", cause: ses.CauseSendingPaused},
		{name: "throttled", perms: []policy.Requirement{getAccount}, fault: true, want: connectors.Warned, mentions: "throttled", cause: connectors.CauseThrottled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, c := sesEnv(t, nil, tt.perms...)
			if tt.state != nil {
				e.Customer.SetSESAccount(*tt.state)
			}
			if tt.fault {
				remove, err := e.Server.InjectFault(localaws.Fault{Service: "ses", Operation: "GetAccount", Kind: localaws.Throttle})
				require.NoError(t, err)
				defer remove()
			}
			rep := e.Resolver.Check(context.Background(), e.Conn)
			s, ok := rep.Step(connectors.StepServiceReachable)
			require.True(t, ok)
			require.Equal(t, tt.want, s.Status, "%s", rep)
			require.Contains(t, s.Message, tt.mentions)
			require.Equal(t, tt.cause, s.Cause)
			if tt.want != connectors.Passed {
				require.NotEmpty(t, s.Hint)
			}
			if tt.name == "denied" {
				require.NotNil(t, s.PolicyToAdd)
				return
			}
			if !tt.fault {
				acct, err := c.GetAccount(context.Background())
				require.NoError(t, err)
				require.Equal(t, tt.state == nil || tt.state.SendingEnabled, acct.SendingEnabled)
			}
		})
	}
}

func TestRequirements(t *testing.T) {
	got, err := ses.Requirements(ses.Target{Region: "eu-west-1", AccountID: connectortest.CustomerAccountID, Identity: "Example.com", ConfigurationSet: "tracking"}, ses.OpSend, ses.OpGetAccount)
	require.NoError(t, err)
	require.Equal(t, []policy.Requirement{
		{Action: "ses:SendEmail", Resource: "arn:aws:ses:eu-west-1:" + connectortest.CustomerAccountID + ":identity/example.com"},
		{Action: "ses:SendEmail", Resource: "arn:aws:ses:eu-west-1:" + connectortest.CustomerAccountID + ":configuration-set/tracking"},
		{Action: "ses:GetAccount"},
	}, got)
	_, err = policy.LeastPrivilege(got...)
	require.NoError(t, err)
	for _, bad := range []ses.Target{{}, {Region: "us-east-1"}, {Region: "us-east-1", Identity: "no domain"}} {
		_, err := ses.Requirements(bad, ses.OpSend)
		require.Error(t, err)
	}
	_, err = ses.Requirements(ses.Target{Region: "us-east-1"}, "Bogus")
	require.Error(t, err)
}

func TestRegistryKind(t *testing.T) {
	k, ok := connectors.Lookup(ses.KindName)
	require.True(t, ok)
	f, ok := k.Field(ses.FieldIdentity)
	require.True(t, ok)
	require.NoError(t, f.Validate("example.com"))
	require.NoError(t, f.Validate("ops@example.com"))
	require.Error(t, f.Validate("ops@"))
	_, err := k.New(e2eConfig(), connectors.Connection{Fields: map[string]string{ses.FieldIdentity: "not a domain"}})
	require.Error(t, err)
}

func e2eConfig() aws.Config { return aws.Config{Region: "us-east-1"} }
