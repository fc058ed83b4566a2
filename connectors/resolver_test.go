package connectors

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

func TestResolverConfigDerivesTheExternalIDOfTheModeInForce(t *testing.T) {
	tests := []struct {
		mode    scope.Mode
		project string
		wantExt string
	}{
		{scope.WorkspaceMode, "6789", "acme_iam_external_id_12345"},
		{scope.WorkspaceMode, "", "acme_iam_external_id_12345"},
		{scope.ProjectMode, "6789", "acme_iam_external_id_12345_6789"},
		{scope.ProjectMode, "42", "acme_iam_external_id_12345_42"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode)+"/"+tt.project, func(t *testing.T) {
			f := &fakeSTS{want: map[string]bool{tt.wantExt: true}}
			r, _ := newTestResolver(t, f, testRegistry(nil), tt.mode)
			c := roleConn()
			c.ProjectID = tt.project
			c.Endpoint = "https://vpce-1.s3.eu-west-1.vpce.amazonaws.com"
			cfg, err := r.Config(context.Background(), c)
			require.NoError(t, err)
			require.Equal(t, "eu-west-1", cfg.Region)
			require.Equal(t, c.Endpoint, aws.ToString(cfg.BaseEndpoint))
			require.NotNil(t, cfg.Retryer)
			require.Empty(t, f.snapshot(), "Config itself does not call STS")

			creds, err := cfg.Credentials.Retrieve(context.Background())
			require.NoError(t, err)
			require.Equal(t, "ASIATEMP"+tt.wantExt, creds.AccessKeyID)
			calls := f.snapshot()
			require.Len(t, calls, 1)
			require.Equal(t, tt.wantExt, aws.ToString(calls[0].ExternalId))
			require.Equal(t, testRoleARN, aws.ToString(calls[0].RoleArn))
		})
	}
}

func TestResolverNeverSharesCredentialsAcrossExternalIDs(t *testing.T) {
	f := &fakeSTS{want: map[string]bool{"acme_iam_external_id_12345_1": true, "acme_iam_external_id_12345_2": true}}
	r, _ := newTestResolver(t, f, testRegistry(nil), scope.ProjectMode)
	ctx := context.Background()
	got := map[string]string{}
	for _, project := range []string{"1", "2", "1", "2"} {
		c := roleConn()
		c.ProjectID = project
		cfg, err := r.Config(ctx, c)
		require.NoError(t, err)
		creds, err := cfg.Credentials.Retrieve(ctx)
		require.NoError(t, err)
		got[project] = creds.AccessKeyID
	}
	require.Equal(t, "ASIATEMPacme_iam_external_id_12345_1", got["1"])
	require.Equal(t, "ASIATEMPacme_iam_external_id_12345_2", got["2"])
	require.Len(t, f.snapshot(), 2, "one AssumeRole per external ID, then cache hits")
}

func TestResolverConfigSharesOneHTTPClient(t *testing.T) {
	f := &fakeSTS{want: map[string]bool{"acme_iam_external_id_12345": true}}
	r, _ := newTestResolver(t, f, testRegistry(nil), scope.WorkspaceMode)
	a, err := r.Config(context.Background(), roleConn())
	require.NoError(t, err)
	b, err := r.Config(context.Background(), keyConn())
	require.NoError(t, err)
	require.NotNil(t, a.HTTPClient)
	require.Same(t, a.HTTPClient, b.HTTPClient)
}

func TestResolverConfigAccessKey(t *testing.T) {
	r, _ := newTestResolver(t, &fakeSTS{}, testRegistry(nil), scope.WorkspaceMode)
	cfg, err := r.Config(context.Background(), keyConn())
	require.NoError(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "AKIAIOSFODNN7EXAMPLE", creds.AccessKeyID)
	require.Equal(t, keyConn().Auth.SecretAccessKey.Reveal(), creds.SecretAccessKey)
	require.Equal(t, "us-east-1", cfg.Region)
}

func TestResolverConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		mode   scope.Mode
		change func(c *Connection)
		is     error
		msg    string
	}{
		{name: "invalid connection", mode: scope.WorkspaceMode, change: func(c *Connection) { c.Region = "us-east-9" }, is: ErrInvalidConnection, msg: "region"},
		{name: "project mode without project", mode: scope.ProjectMode, change: func(c *Connection) { c.ProjectID = "" }, is: ErrInvalidConnection, msg: "project-scoped"},
		{name: "mode that is neither", mode: "Project", change: func(c *Connection) { c.ProjectID = "" }, is: scope.ErrInvalidMode, msg: `scope mode of workspace "12345"`},
		{name: "unknown workspace", mode: scope.WorkspaceMode, change: func(c *Connection) { c.WorkspaceID = "other" }, msg: `unknown workspace "other"`},
		{name: "workspace ID that cannot be in an external ID", mode: scope.WorkspaceMode, change: func(c *Connection) { c.WorkspaceID = "a_b" }, is: scope.ErrInvalidTenantID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeSTS{}
			r, _ := newTestResolver(t, f, testRegistry(nil), tt.mode)
			r.mode = func(_ context.Context, ws string) (scope.Mode, error) {
				if ws == "other" {
					return "", errors.New(`unknown workspace "other"`)
				}
				return tt.mode, nil
			}
			c := roleConn()
			tt.change(&c)
			_, err := r.Config(context.Background(), c)
			require.Error(t, err)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
			require.ErrorContains(t, err, tt.msg)
			require.Empty(t, f.snapshot())
		})
	}
}

func TestResolverWithoutCacheRefusesRoles(t *testing.T) {
	r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, modes(map[string]scope.Mode{"12345": scope.WorkspaceMode}), nil,
		func(o *Options) { o.Registry = testRegistry(nil); o.STS = &fakeSTS{} })
	_, err := r.Config(context.Background(), roleConn())
	require.ErrorIs(t, err, ErrNoRoleCache)
	_, err = r.Config(context.Background(), keyConn())
	require.NoError(t, err)
}

func TestFixedMode(t *testing.T) {
	for _, m := range []scope.Mode{scope.WorkspaceMode, scope.ProjectMode} {
		got, err := FixedMode(m)(t.Context(), "any-workspace")
		require.NoError(t, err)
		require.Equal(t, m, got)
	}
}

func TestResolverConfigKeepsThePlatformsEndpointToItself(t *testing.T) {
	f := &fakeSTS{want: map[string]bool{"acme_iam_external_id_12345": true}}
	cache := role.NewCache(f)
	t.Cleanup(func() { _ = cache.Close() })
	base := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("https://vpce-0abc.sts.us-east-1.vpce.amazonaws.com")}
	r := NewResolver(base, scope.Deriver{Prefix: "acme_iam_external_id"}, FixedMode(scope.WorkspaceMode), cache,
		func(o *Options) { o.Registry = testRegistry(nil); o.STS = f })
	for _, c := range []Connection{roleConn(), keyConn()} {
		cfg, err := r.Config(context.Background(), c)
		require.NoError(t, err)
		require.Nil(t, cfg.BaseEndpoint, "%s must reach its service's own endpoint, not the platform's STS endpoint", c.ID)
		c.Endpoint = "https://bucket.vpce-1.s3.eu-west-1.vpce.amazonaws.com"
		cfg, err = r.Config(context.Background(), c)
		require.NoError(t, err)
		require.Equal(t, c.Endpoint, aws.ToString(cfg.BaseEndpoint))
	}
}
