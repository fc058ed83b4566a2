package cloudwatch_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/internal/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// customerAccount is the customer's account in the tests.
const customerAccount = "444455556666"

// env is localaws with a customer role the platform assumes with its
// external ID, as a platform runs the connector.
type env struct {
	s        *localaws.Server
	customer *localaws.Account
	roleARN  string
	resolver *connectors.Resolver
	conn     connectors.Connection
}

// newEnv grants the role exactly perms (through policy.LeastPrivilege) and
// prepares a connection of kind with fields.
func newEnv(t *testing.T, kind string, fields map[string]string, perms ...policy.Requirement) *env {
	t.Helper()
	s, err := localaws.Start()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	deriver := scope.Deriver{}
	ext, err := deriver.ExternalID(scope.ProjectMode, "ws1", "p1")
	require.NoError(t, err)
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), ext)
	require.NoError(t, err)
	customer := s.CreateAccount(customerAccount)
	var opts []localaws.RoleOption
	if len(perms) > 0 {
		doc, err := policy.LeastPrivilege(perms...)
		require.NoError(t, err)
		opts = append(opts, localaws.WithPolicy("connector", doc))
	}
	roleARN, err := customer.CreateRole("awsconnect", trust, opts...)
	require.NoError(t, err)

	base := s.Config(nil)
	base.RetryMaxAttempts = 1 // each failure shape once
	cache := role.NewCache(sts.NewFromConfig(base))
	t.Cleanup(func() { _ = cache.Close() })
	resolver := connectors.NewResolver(base, deriver,
		func(context.Context, string) (scope.Mode, error) { return scope.ProjectMode, nil }, cache,
		func(o *connectors.Options) { o.PlatformAccountID = s.PlatformAccountID() })
	return &env{s: s, customer: customer, roleARN: roleARN, resolver: resolver, conn: connectors.Connection{
		ID: "c1", WorkspaceID: "ws1", ProjectID: "p1", Kind: kind, Region: "us-east-1", Endpoint: s.URL(),
		Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: roleARN}, Fields: fields,
	}}
}

// config resolves the connection as the platform does.
func (e *env) config(t *testing.T) aws.Config {
	t.Helper()
	cfg, err := e.resolver.Config(context.Background(), e.conn)
	require.NoError(t, err)
	return cfg
}
