package s3_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const (
	customerID = "444455556666"
	workspace  = "ws1"
	bucket     = "acme-reports"
	prefix     = "reports/"
)

// env is a platform and one customer account on localaws, the customer's
// role trusting the platform with the workspace's external ID.
type env struct {
	srv      *localaws.Server
	customer *localaws.Account
	resolver *connectors.Resolver
	roleARN  string
	extID    string
}

type envOptions struct {
	perms *policy.Document // the role's permissions; default LeastPrivilege(Requirements(all ops, bucket, prefix))
	trust *policy.Document // the role's trust policy; default TrustPolicy(platform, extID)
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
		o.perms, err = policy.LeastPrivilege(s3c.Requirements(s3c.AllOperations(), bucket, prefix)...)
		require.NoError(t, err)
	}
	if o.trust == nil {
		o.trust, err = policy.TrustPolicy(srv.PlatformAccountID(), ext)
		require.NoError(t, err)
	}
	customer := srv.CreateAccount(customerID)
	roleARN, err := customer.CreateRole("Connector", o.trust, localaws.WithPolicy("connector", o.perms))
	require.NoError(t, err)
	require.NoError(t, customer.CreateBucket(bucket))
	require.NoError(t, customer.CreateBucket("other-bucket"))

	base := srv.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(base), func(o *role.Options) { o.PlatformAccountID = srv.PlatformAccountID() })
	t.Cleanup(func() { _ = cache.Close() })
	mode := func(context.Context, string) (scope.Mode, error) { return scope.WorkspaceMode, nil }
	r := connectors.NewResolver(base, scope.Deriver{}, mode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = srv.PlatformAccountID()
	})
	return &env{srv: srv, customer: customer, resolver: r, roleARN: roleARN, extID: ext}
}

// conn is the customer's S3 connection, restricted to bucket and prefix.
func (e *env) conn(fields map[string]string) connectors.Connection {
	return connectors.Connection{ID: "conn-1", WorkspaceID: workspace, Kind: s3c.KindName, Region: "us-east-1",
		Endpoint: e.srv.URL(), Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: e.roleARN}, Fields: fields}
}

func (e *env) config(t *testing.T, c connectors.Connection) aws.Config {
	t.Helper()
	cfg, err := e.resolver.Config(context.Background(), c)
	require.NoError(t, err)
	return cfg
}

// connector is a restricted S3 connector over the role.
func (e *env) connector(t *testing.T, optFns ...func(*s3c.Options)) *s3c.Connector {
	t.Helper()
	cfg := e.config(t, e.conn(map[string]string{"bucket": bucket, "prefix": prefix}))
	fns := append([]func(*s3c.Options){func(o *s3c.Options) { o.Bucket, o.Prefix = bucket, prefix }}, optFns...)
	return s3c.New(cfg, fns...)
}
