package s3_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/scope"
)

// TestConnectUsesThePlatformsRegistry: a platform that builds its own
// Registry gets Connect and validation from it, not from the global one:
// with s3 in it, an S3 connection passes; without it (although importing
// the package put s3 in DefaultRegistry), the connection's kind is refused
// naming the registry's kinds, and nothing is assumed.
func TestConnectUsesThePlatformsRegistry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	resolver := func(reg *connectors.Registry) *connectors.Resolver {
		r := connectors.NewResolver(e.Server.Config(nil), scope.Deriver{}, connectors.FixedMode(scope.WorkspaceMode), e.Cache,
			func(o *connectors.Options) {
				o.Registry = reg
				o.PlatformAccountID = e.Server.PlatformAccountID()
				o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
			})
		t.Cleanup(r.CloseConnections)
		return r
	}
	conn := e.Connection(map[string]string{"bucket": bucket, "prefix": prefix})

	withS3, err := connectors.NewRegistry(s3c.Kind)
	require.NoError(t, err)
	rep := resolver(withS3).Check(ctx, conn)
	require.True(t, rep.OK(), "%s", rep)

	other := s3c.Kind
	other.Name, other.Title = "reports", "Reports"
	withoutS3, err := connectors.NewRegistry(other)
	require.NoError(t, err)
	require.Contains(t, connectors.DefaultRegistry.Names(), s3c.KindName)
	r := resolver(withoutS3)
	require.ErrorIs(t, r.Validate(conn), connectors.ErrUnknownKind)
	require.Contains(t, r.Validate(conn).Error(), "registered kinds: reports (add a kind to the platform's own registry with NewRegistry")
	e.Server.ResetRequests()
	rep = r.Check(ctx, conn)
	step, failed := rep.FirstFailure()
	require.True(t, failed, "%s", rep)
	require.Equal(t, connectors.StepFields, step.ID)
	require.Equal(t, []connectors.Status{connectors.Failed, connectors.Skipped, connectors.Skipped, connectors.Skipped}, connectortest.StepStatuses(rep))
	require.Empty(t, e.Server.Requests(), "nothing was assumed for a kind the platform does not offer")
}
