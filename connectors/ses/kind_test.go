package ses_test

import (
	"context"
	"testing"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

var sesCall = connectortest.CallOn(ses.NewFromConnection)

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
	connectortest.ProveAll(t, ses.Kind, map[string]connectortest.Proof{
		"restricted, no operation: the check's own permissions pass Connect": {Fields: map[string]string{ses.FieldIdentity: "example.com"}, Setup: setup,
			Order: []connectors.Operation{}, Ops: map[connectors.Operation]connectortest.Call{},
			OutsideAction: "ses:SendEmail", Outside: send},
		"restricted to a domain": {Fields: map[string]string{ses.FieldIdentity: "example.com"}, Setup: setup,
			Order: []connectors.Operation{ses.OpSend}, Ops: map[connectors.Operation]connectortest.Call{ses.OpSend: send},
			OutsideAction: "ses:SendRawEmail", Outside: sendRaw},
		"any identity": {Setup: setup,
			Order: []connectors.Operation{ses.OpSendRaw}, Ops: map[connectors.Operation]connectortest.Call{ses.OpSendRaw: sendRaw},
			OutsideAction: "ses:SendEmail", Outside: send},
	})
}

// TestKindConformance: what every kind promises, the misspelt "identiy"
// field and an IAM action given as an operation.
func TestKindConformance(t *testing.T) {
	connectortest.KindConformance(t, ses.Kind, connectortest.Conformance{
		New:      connectors.Constructor(ses.NewFromConnection),
		Conn:     connectors.Connection{Region: "us-east-1"},
		Misspelt: map[string]string{"identiy": "example.com"},
		Operations: []connectortest.OperationCase{{In: "SendEmail",
			Refused: &connectortest.Refusal{Contains: []string{"valid operations: Send, SendRaw, GetAccount"}}}},
	})
}
