package ses_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

func sesCall(f func(ctx context.Context, c *ses.Connector) error) connectortest.Call {
	return func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error {
		c, err := ses.NewFromConnection(cfg, conn)
		if err != nil {
			return err
		}
		return f(ctx, c)
	}
}

// TestRequirementsPassTheirOwnCheck: the generated policy passes Connect
// (ses:GetAccount), sends as chosen and denies the other kind of send.
func TestRequirementsPassTheirOwnCheck(t *testing.T) {
	setup := func(a *localaws.Account) error {
		a.VerifyEmailIdentity("example.com")
		a.SetSESAccount(localaws.SESAccount{SendingEnabled: true, ProductionAccess: true, Max24HourSend: 100, MaxSendRate: 1})
		return nil
	}
	send := sesCall(func(ctx context.Context, c *ses.Connector) error {
		_, err := c.Send(ctx, ses.Email{From: "ann@example.com", To: []string{"bob@example.org"}, Subject: "hi", Text: "hello"})
		return err
	})
	sendRaw := sesCall(func(ctx context.Context, c *ses.Connector) error {
		_, err := c.Send(ctx, ses.Email{From: "ann@example.com", To: []string{"bob@example.org"}, Subject: "hi", Text: "see attached",
			Attachments: []ses.Attachment{{Name: "a.txt", Data: []byte("a")}}})
		return err
	})
	for name, p := range map[string]connectortest.Proof{
		"restricted to a domain": {Fields: map[string]string{ses.FieldIdentity: "example.com"}, Setup: setup,
			Order: []connectors.Operation{ses.OpSend}, Ops: map[connectors.Operation]connectortest.Call{ses.OpSend: send},
			OutsideAction: "ses:SendRawEmail", Outside: sendRaw},
		"any identity": {Setup: setup,
			Order: []connectors.Operation{ses.OpSendRaw}, Ops: map[connectors.Operation]connectortest.Call{ses.OpSendRaw: sendRaw},
			OutsideAction: "ses:SendEmail", Outside: send},
	} {
		t.Run(name, func(t *testing.T) {
			p.Kind = ses.Kind
			connectortest.Prove(t, p)
		})
	}
}

func TestKindAPIBadInput(t *testing.T) {
	conn := connectors.Connection{Kind: ses.KindName, Region: "us-east-1", Fields: map[string]string{"identiy": "example.com"}}
	_, err := ses.Kind.Requirements(conn, []connectors.Operation{ses.OpSend})
	require.ErrorIs(t, err, connectors.ErrUnknownField)
	require.ErrorContains(t, err, `its fields are "identity", "configuration_set"`)
	_, err = ses.Kind.ParseOperation("SendEmail")
	require.ErrorIs(t, err, connectors.ErrUnknownOperation)
	require.ErrorContains(t, err, "valid operations: Send, SendRaw, GetAccount")
}

// TestImportRegistersOnlyses: importing this connector registers its kind
// and no other.
func TestImportRegistersOnlyses(t *testing.T) {
	require.Equal(t, []string{ses.KindName}, connectors.DefaultRegistry.Names())
}
