package lex_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

func lexCall(f func(ctx context.Context, c *lex.Connector) error) connectortest.Call {
	return func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error {
		c, err := lex.NewFromConnection(cfg, conn)
		if err != nil {
			return err
		}
		return f(ctx, c)
	}
}

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

func TestKindAPIBadInput(t *testing.T) {
	conn := connectors.Connection{Kind: lex.KindName, Region: "us-east-1", Fields: map[string]string{"bot": botID}}
	_, err := lex.Kind.Requirements(conn, nil)
	require.ErrorIs(t, err, connectors.ErrUnknownField)
	require.ErrorContains(t, err, `its fields are "bot_id", "bot_alias_id", "locale_id"`)
	conn.Fields = nil
	_, err = lex.Kind.Requirements(conn, nil)
	require.ErrorContains(t, err, "bot_id field is required")
	_, err = lex.Kind.ParseOperation("RecognizeUtterance")
	require.ErrorIs(t, err, connectors.ErrUnknownOperation)
}

// TestImportRegistersOnlyLex: the Lex connector is built on the signing
// transport, which registers no kind, so importing it registers lex alone.
func TestImportRegistersOnlyLex(t *testing.T) {
	require.Equal(t, []string{lex.KindName}, connectors.DefaultRegistry.Names())
}
