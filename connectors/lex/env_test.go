package lex_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/internal/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	customerID = "444455556666"
	workspace  = "ws1"
	botID      = "FLOWERSBOT"
)

var flowers = localaws.LexBot{
	ID: botID,
	Intents: []localaws.LexIntent{
		{Name: "OrderFlowers", Utterances: []string{"I would like to order flowers", "I want {Count} {FlowerType}"},
			Slots:       []localaws.LexSlot{{Name: "FlowerType", Prompt: "What type of flowers?"}, {Name: "Count", Prompt: "How many?"}},
			Fulfillment: "Ordered {Count} {FlowerType}."},
	},
}

type env struct {
	srv      *localaws.Server
	resolver *connectors.Resolver
	roleARN  string
	extID    string
}

type envOptions struct {
	perms, trust *policy.Document
	noBot        bool
}

func newEnv(t *testing.T, optFns ...func(*envOptions)) *env {
	t.Helper()
	srv, err := localaws.Start()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	ext, err := scope.Deriver{}.ExternalID(scope.WorkspaceMode, workspace, "")
	require.NoError(t, err)
	var o envOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.perms == nil {
		o.perms, err = policy.LeastPrivilege(lex.Requirements(lex.AllOperations(), "us-east-1", customerID, botID, lex.DefaultAliasID)...)
		require.NoError(t, err)
	}
	if o.trust == nil {
		o.trust, err = policy.TrustPolicy(srv.PlatformAccountID(), ext)
		require.NoError(t, err)
	}
	customer := srv.CreateAccount(customerID)
	roleARN, err := customer.CreateRole("LexConnector", o.trust, localaws.WithPolicy("lex", o.perms))
	require.NoError(t, err)
	if !o.noBot {
		require.NoError(t, customer.CreateLexBot(flowers))
	}
	base := srv.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(base), func(o *role.Options) { o.PlatformAccountID = srv.PlatformAccountID() })
	t.Cleanup(func() { _ = cache.Close() })
	mode := func(context.Context, string) (scope.Mode, error) { return scope.WorkspaceMode, nil }
	r := connectors.NewResolver(base, scope.Deriver{}, mode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = srv.PlatformAccountID()
	})
	return &env{srv: srv, resolver: r, roleARN: roleARN, extID: ext}
}

func (e *env) conn() connectors.Connection {
	return connectors.Connection{ID: "lex-1", WorkspaceID: workspace, Kind: lex.KindName, Region: "us-east-1", Endpoint: e.srv.URL(),
		Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: e.roleARN}, Fields: map[string]string{"bot_id": botID}}
}

func (e *env) connector(t *testing.T) *lex.Connector {
	t.Helper()
	cfg, err := e.resolver.Config(context.Background(), e.conn())
	require.NoError(t, err)
	return lex.New(cfg, func(o *lex.Options) { o.BotID = botID; o.AccountID = customerID })
}
