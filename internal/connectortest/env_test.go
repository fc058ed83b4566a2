package connectortest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/scope"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestEnv(t *testing.T) {
	listAll := s3c.Requirements([]s3c.Operation{s3c.OpListBuckets}, "", "")
	tests := []struct {
		name        string
		opts        []func(*connectortest.Options)
		wantProject string
		want        []string
	}{
		{name: "project scope, no permissions", wantProject: connectortest.ProjectID,
			want: []string{"fields_valid=passed", "role_assumed=passed", "external_id_required=passed", "service_reachable=failed"}},
		{name: "workspace scope with permissions", opts: []func(*connectortest.Options){
			connectortest.WithPermissions(listAll...), func(o *connectortest.Options) { o.Mode = scope.WorkspaceMode }},
			want: []string{"fields_valid=passed", "role_assumed=passed", "external_id_required=passed", "service_reachable=passed"}},
		{name: "trust for another external ID", wantProject: connectortest.ProjectID, opts: []func(*connectortest.Options){
			func(o *connectortest.Options) {
				o.Trust, _ = policy.TrustPolicy(localaws.DefaultPlatformAccountID, "someone_else")
			}},
			want: []string{"fields_valid=passed", "role_assumed=failed", "external_id_required=skipped", "service_reachable=skipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := connectortest.New(t, s3c.KindName, tt.opts...)
			require.Equal(t, tt.wantProject, e.Conn.ProjectID)
			require.Equal(t, e.RoleARN, e.Conn.Auth.RoleARN)
			require.Contains(t, e.ExternalID, connectortest.WorkspaceID)
			rep := e.Resolver.Check(context.Background(), e.Conn)
			require.Equal(t, tt.want, connectortest.Statuses(rep), "%s", rep)
		})
	}
}

func TestGrantAndSetup(t *testing.T) {
	var setUp *localaws.Account
	e := connectortest.New(t, s3c.KindName, connectortest.WithFields(map[string]string{"bucket": "bucket-1"}),
		func(o *connectortest.Options) {
			o.Setup = func(a *localaws.Account) error { setUp = a; return a.CreateBucket("bucket-1") }
		})
	require.Same(t, e.Customer, setUp)
	before := e.Resolver.Check(context.Background(), e.Conn)
	require.Equal(t, connectors.Failed, connectortest.StepStatuses(before)[3], "%s", before)

	e.Grant(t, s3c.Requirements([]s3c.Operation{s3c.OpListBuckets}, "bucket-1", "")...)
	rep := e.Resolver.Check(context.Background(), e.Conn)
	require.True(t, rep.OK(), "%s", rep)

	cfg := e.ConfigOf(t, e.Connection(nil))
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, creds.SessionToken, "the role's temporary credentials")
}
