package lex_test

import (
	"context"
	"testing"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

var lexCall = connectortest.CallOn(lex.NewFromConnection)

// TestRequirementsPassTheirOwnCheck: the generated policy passes Connect
// (lex:GetSession on the bot alias), talks to the bot and denies ending a
// conversation, which was not chosen.
func TestRequirementsPassTheirOwnCheck(t *testing.T) {
	ref := lex.Ref{SessionID: "user-1"}
	connectortest.Prove(t, connectortest.Proof{
		Kind:   lex.Kind,
		Fields: map[string]string{lex.FieldBotID: botID},
		Setup:  func(a *localaws.Account) error { return a.CreateLexBot(flowers) },
		Order:  []connectors.Operation{lex.OpRecognizeText},
		Ops: map[connectors.Operation]connectortest.Call{lex.OpRecognizeText: lexCall(func(ctx context.Context, c *lex.Connector) error {
			_, err := c.RecognizeText(ctx, ref, "I would like to order flowers")
			return err
		})},
		OutsideAction: "lex:DeleteSession",
		Outside:       lexCall(func(ctx context.Context, c *lex.Connector) error { return c.DeleteSession(ctx, ref) }),
	})
}

// TestCheckOnlyRequirementsPassConnect: with no operation chosen, the
// generated policy is the check's own, which passes Connect and denies
// talking to the bot.
func TestCheckOnlyRequirementsPassConnect(t *testing.T) {
	ref := lex.Ref{SessionID: "user-1"}
	connectortest.Prove(t, connectortest.Proof{
		Kind:          lex.Kind,
		Fields:        map[string]string{lex.FieldBotID: botID},
		Setup:         func(a *localaws.Account) error { return a.CreateLexBot(flowers) },
		Order:         []connectors.Operation{},
		Ops:           map[connectors.Operation]connectortest.Call{},
		OutsideAction: "lex:RecognizeText",
		Outside: lexCall(func(ctx context.Context, c *lex.Connector) error {
			_, err := c.RecognizeText(ctx, ref, "I would like to order flowers")
			return err
		}),
	})
}

// TestKindConformance: what every kind promises, the misspelt "bot" field,
// a missing bot and an operation the connector does not have.
func TestKindConformance(t *testing.T) {
	connectortest.KindConformance(t, lex.Kind, connectortest.Conformance{
		New:        connectors.Constructor(lex.NewFromConnection),
		Conn:       connectors.Connection{Region: "us-east-1", Fields: map[string]string{lex.FieldBotID: botID}},
		Misspelt:   map[string]string{"bot": botID},
		Operations: []connectortest.OperationCase{{In: "RecognizeUtterance", Refused: &connectortest.Refusal{}}},
		Refusals: []connectortest.RefusalCase{{Name: "no bot",
			Requirements: &connectortest.Refusal{Contains: []string{"bot_id field is required"}}}},
	})
}
