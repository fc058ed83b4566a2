//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// The scope switch workflow against MinIO's STS, as far as MinIO allows.
// MinIO's AssumeRole ignores ExternalId (and trust policies: it admits any
// role ARN for its root user), so every role "trusts" every external ID:
// Verify finds every connection ready, and Finish cannot see an old ID
// refused, so the switch stays committed with each role reported as still
// admitting its old ID. Both refusals are covered against localaws, which
// evaluates trust policies (connectors' switch tests). What MinIO proves is
// the rest on a real STS and S3: the AssumeRole calls carry the new IDs,
// the commit moves every connection to its new ID, and the connections'
// checks pass on it.
func TestScopeSwitchAgainstMinIO(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-switch-")
	const ws = "12345"
	scopes := &connectors.MemoryScopes{DefaultVersion: "v1"}
	scopes.AddDeriver("v1", scope.Deriver{Prefix: "acme_iam_external_id"})
	require.NoError(t, scopes.SetMode(ctx, ws, scope.WorkspaceMode))
	counting := newCountingSTS(p.STS())
	cache := role.NewCache(counting)
	t.Cleanup(func() { require.NoError(t, cache.Close()) })
	r := connectors.NewResolver(p.PlatformConfig(), scope.Deriver{}, scopes.Mode, cache, func(o *connectors.Options) {
		o.Deriver = scopes.Deriver
		o.STS = counting
		// MinIO has no GetCallerIdentity to discover the principal with.
		o.PlatformAccountID = "111122223333"
	})
	sw := connectors.NewSwitcher(connectors.NewSettings(r), func(o *connectors.SwitcherOptions) { o.Modes = scopes })
	conns := []connectors.Connection{p.s3Connection(map[string]string{"bucket": bucket}), p.s3Connection(map[string]string{"bucket": bucket})}
	conns[1].ID, conns[1].ProjectID = "conn-s3-b", "6790"

	plan, err := sw.PlanSwitch(ctx, ws, scope.ProjectMode, conns)
	require.NoError(t, err)
	require.Zero(t, counting.total(), "planning calls no STS")
	require.Len(t, plan.Roles, 1)
	require.True(t, plan.Roles[0].SharedAcrossProjects, "both connections use the one integration role")

	verified, err := sw.Verify(ctx, plan)
	require.NoError(t, err)
	require.True(t, verified.Ready(), "%+v", verified.NotReady())
	require.Equal(t, 1, counting.count("acme_iam_external_id_12345_6789"), "Verify assumed with the new ID")
	require.Equal(t, 1, counting.count("acme_iam_external_id_12345_6790"))

	committed, err := sw.Commit(ctx, verified)
	require.NoError(t, err)
	require.Equal(t, connectors.SwitchCommitted, committed.Step)
	for _, c := range conns {
		rep := r.Check(ctx, c)
		require.True(t, rep.OK(), "%s", rep)
		step, _ := rep.Step(connectors.StepRoleAssumed)
		require.Contains(t, step.Message, "acme_iam_external_id_12345_"+c.ProjectID)
	}

	finished, err := sw.Finish(ctx, committed)
	require.NoError(t, err)
	require.Equal(t, connectors.SwitchCommitted, finished.Step, "MinIO admits the old ID too: it ignores ExternalId")
	require.Equal(t, connectors.CleanupOldIDTrusted, finished.Roles[0].Cleanup)
	require.Equal(t, 1, counting.count("acme_iam_external_id_12345"), "Finish asked STS about the old ID once")

	// The monitor sees the same thing: MinIO's role does not require the
	// external ID at all.
	events := make(chan connectors.DriftEvent, 4)
	m := connectors.NewMonitor(r, func(context.Context) ([]connectors.Connection, error) { return conns[:1], nil },
		func(ev connectors.DriftEvent) { events <- ev },
		func(o *connectors.MonitorOptions) { o.Interval, o.Jitter = time.Minute, -1 })
	mctx, cancel := context.WithTimeout(ctx, time.Minute)
	done := make(chan error, 1)
	go func() { done <- m.Run(mctx) }()
	var ev connectors.DriftEvent
	select {
	case ev = <-events:
	case err := <-done:
		t.Fatalf("the monitor stopped before reporting: %v", err)
	}
	cancel()
	<-done
	require.Equal(t, connectors.DriftExternalIDNotRequired, ev.Drift)
	require.Equal(t, s3conn.KindName, ev.Kind)
}
