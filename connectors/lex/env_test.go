package lex_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/scope"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const botID = "FLOWERSBOT"

var flowers = localaws.LexBot{
	ID: botID,
	Intents: []localaws.LexIntent{
		{Name: "OrderFlowers", Utterances: []string{"I would like to order flowers", "I want {Count} {FlowerType}"},
			Slots:       []localaws.LexSlot{{Name: "FlowerType", Prompt: "What type of flowers?"}, {Name: "Count", Prompt: "How many?"}},
			Fulfillment: "Ordered {Count} {FlowerType}."},
	},
}

// env is a workspace-scoped Lex connection to the flowers bot, whose role
// may make every Lex operation on the bot's test alias.
type env struct{ *connectortest.Env }

// newEnv builds the env; optFns change the defaults (permissions, trust,
// Setup = nil for an account without the bot).
func newEnv(t *testing.T, optFns ...func(*connectortest.Options)) *env {
	t.Helper()
	defaults := func(o *connectortest.Options) {
		o.Mode = scope.WorkspaceMode
		o.Fields = map[string]string{"bot_id": botID}
		o.Permissions = allOperations("us-east-1")
		o.Setup = func(a *localaws.Account) error { return a.CreateLexBot(flowers) }
	}
	return &env{connectortest.New(t, lex.KindName, append([]func(*connectortest.Options){defaults}, optFns...)...)}
}

// allOperations is every Lex operation on the bot's test alias in region.
func allOperations(region string) []policy.Requirement {
	return lex.Requirements(lex.AllOperations(), region, connectortest.CustomerAccountID, botID, lex.DefaultAliasID)
}

// connector is the Lex connector over the role, as the platform builds it.
func (e *env) connector(t *testing.T) *lex.Connector {
	t.Helper()
	return lex.New(e.Config(t), func(o *lex.Options) { o.BotID = botID; o.AccountID = connectortest.CustomerAccountID })
}
