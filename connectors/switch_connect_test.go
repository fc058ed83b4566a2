package connectors

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

// connects runs Connect (Resolver.Check) on every connection of the
// workspace and fails the test naming each that does not pass, and each
// whose role step is not a fresh assumption.
func (e *switchEnv) connects(t *testing.T, when string) {
	t.Helper()
	for _, c := range e.conns {
		rep := e.r.Check(context.Background(), c)
		require.True(t, rep.OK(), "%s: connection %s fails Connect:\n%s", when, c.ID, rep)
		if c.Auth.Type == AuthIAMRole {
			step, _ := rep.Step(StepRoleAssumed)
			require.Equal(t, Passed, step.Status, "%s: %s", when, c.ID)
			require.False(t, step.CredentialsObtainedAt.IsZero(), "%s: %s: fresh credentials", when, c.ID)
			probe, _ := rep.Step(StepExternalIDRequired)
			require.Equal(t, Passed, probe.Status, "%s: %s: the transitional policy still requires an external ID:\n%s", when, c.ID, rep)
		}
	}
}

// TestConnectPassesThroughTheWholeSwitch: a customer who pastes the
// transitional policies when asked, and the final ones after the commit,
// never sees a connection fail Connect: not between any two steps, not in a
// fresh platform process resumed from the saved Switch, in either
// direction and for a rotation.
func TestConnectPassesThroughTheWholeSwitch(t *testing.T) {
	for _, tt := range []struct {
		name string
		from scope.Mode
		plan func(ctx context.Context, e *switchEnv) (Switch, error)
	}{
		{"workspace to project", scope.WorkspaceMode, func(ctx context.Context, e *switchEnv) (Switch, error) {
			return e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
		}},
		{"project to workspace", scope.ProjectMode, func(ctx context.Context, e *switchEnv) (Switch, error) {
			return e.sw.PlanSwitch(ctx, swWorkspace, scope.WorkspaceMode, e.conns)
		}},
		{"rotation", scope.ProjectMode, func(ctx context.Context, e *switchEnv) (Switch, error) {
			next := scope.Deriver{Prefix: swPrefix, Secret: []byte("rotated")}
			e.scopes.AddDeriver("v2", next)
			return e.sw.PlanRotation(ctx, swWorkspace, "v2", next, e.conns)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSwitchEnv(t, tt.from)
			ctx := context.Background()
			e.connects(t, "before the plan")
			sw, err := tt.plan(ctx, e)
			require.NoError(t, err)
			e.connects(t, "planned")
			e.pasteAll(t, sw, false)
			e.connects(t, "transitional policies pasted")
			resume := func(step string) {
				j, err := json.Marshal(sw)
				require.NoError(t, err)
				e.restart(t)
				sw = Switch{}
				require.NoError(t, json.Unmarshal(j, &sw))
				e.connects(t, step+", in a fresh process")
			}
			sw, err = e.sw.Verify(ctx, sw)
			require.NoError(t, err)
			require.True(t, sw.Ready(), "%+v", sw.NotReady())
			e.connects(t, "verified")
			resume("verified")
			sw, err = e.sw.Commit(ctx, sw)
			require.NoError(t, err)
			e.connects(t, "committed")
			resume("committed")
			for _, c := range sw.Connections {
				spec, err := e.r.Spec(ctx, e.conn(c.ConnectionID))
				require.NoError(t, err)
				require.Equal(t, c.NewExternalID, spec.ExternalID, "Connect proves the new ID after the commit")
			}
			e.pasteAll(t, sw, true)
			e.connects(t, "final policies pasted")
			sw, err = e.sw.Finish(ctx, sw)
			require.NoError(t, err)
			require.Equal(t, SwitchFinished, sw.Step)
			e.connects(t, "finished")
			resume("finished")
		})
	}
}

// conn returns the stored connection with that ID.
func (e *switchEnv) conn(id string) Connection {
	for _, c := range e.conns {
		if c.ID == id {
			return c
		}
	}
	panic("no connection " + id)
}

// TestSwitchConnectionAddedMidSwitch: a connection saved after the plan
// (its role trusting what the settings screen showed) is not in the
// Switch. Committing without it would break it; the Switcher, which reads
// the workspace's connections through SwitcherOptions.Connections, refuses
// to commit and names it, and a new plan covers it.
func TestSwitchConnectionAddedMidSwitch(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ctx := context.Background()
	e.restart(t, func(o *SwitcherOptions) {
		o.Connections = func(context.Context) ([]Connection, error) { return e.conns, nil }
	})
	sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
	require.NoError(t, err)
	e.pasteAll(t, sw, false)

	// A user adds a connection of project 6791, with the trust policy the
	// settings screen shows for it now.
	trust, err := e.settings.TrustPolicy(ctx, swWorkspace, "6791", "arn:aws:iam::"+swCustomer+":role/late")
	require.NoError(t, err)
	lateARN, err := e.customer.CreateRole("late", trust)
	require.NoError(t, err)
	late := Connection{ID: "c-late", WorkspaceID: swWorkspace, ProjectID: "6791", Kind: "test", Region: "us-east-1",
		Auth: Auth{Type: AuthIAMRole, RoleARN: lateARN}, Fields: map[string]string{"bucket": "reports"}}
	e.conns = append(e.conns, late)
	e.connects(t, "a connection added mid-switch")

	sw, err = e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	require.True(t, sw.Ready(), "the planned connections are ready")
	_, err = e.sw.Commit(ctx, sw)
	require.ErrorIs(t, err, ErrSwitchStale)
	require.Contains(t, err.Error(), `"c-late"`)
	mode, _ := e.scopes.Mode(ctx, swWorkspace)
	require.Equal(t, scope.WorkspaceMode, mode, "nothing was changed")
	e.connects(t, "after the refused commit")

	// Planning again lists it; once its role trusts its new ID too, the
	// switch commits and every connection keeps passing Connect.
	sw, err = e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
	require.NoError(t, err)
	require.Len(t, sw.Connections, 5)
	e.pasteAll(t, sw, false)
	sw, err = e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	require.True(t, sw.Ready(), "%+v", sw.NotReady())
	sw, err = e.sw.Commit(ctx, sw)
	require.NoError(t, err)
	e.connects(t, "committed with the added connection")

	// A connection added after the commit gets the new ID at once and
	// changes nothing of the switch.
	trust, err = e.settings.TrustPolicy(ctx, swWorkspace, "6792", "arn:aws:iam::"+swCustomer+":role/later")
	require.NoError(t, err)
	laterARN, err := e.customer.CreateRole("later", trust)
	require.NoError(t, err)
	e.conns = append(e.conns, Connection{ID: "c-later", WorkspaceID: swWorkspace, ProjectID: "6792", Kind: "test", Region: "us-east-1",
		Auth: Auth{Type: AuthIAMRole, RoleARN: laterARN}, Fields: map[string]string{"bucket": "reports"}})
	sw, err = e.sw.Commit(ctx, sw)
	require.NoError(t, err, "repeating the commit after a connection was added under the new mode")
	e.pasteAll(t, sw, true)
	sw, err = e.sw.Finish(ctx, sw)
	require.NoError(t, err)
	require.Equal(t, SwitchFinished, sw.Step)
	e.connects(t, "finished")
}

// TestConcurrentSwitchesOfOneWorkspace: a rotation and a mode switch of the
// same workspace planned side by side; whichever commits second finds the
// workspace changed under it and leaves nothing half applied, and every
// connection keeps passing Connect.
func TestConcurrentSwitchesOfOneWorkspace(t *testing.T) {
	for _, rotationFirst := range []bool{true, false} {
		name := map[bool]string{true: "rotation commits first", false: "mode switch commits first"}[rotationFirst]
		t.Run(name, func(t *testing.T) {
			e := newSwitchEnv(t, scope.WorkspaceMode)
			ctx := context.Background()
			next := scope.Deriver{Prefix: swPrefix, Secret: []byte("rotated")}
			e.scopes.AddDeriver("v2", next)
			modeSw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
			require.NoError(t, err)
			rot, err := e.sw.PlanRotation(ctx, swWorkspace, "v2", next, e.conns)
			require.NoError(t, err)
			// The customer trusts every ID either plan names.
			for _, r := range modeSw.Roles {
				ids := r.TransitionalExternalIDs
				for _, rr := range rot.Roles {
					if rr.RoleARN == r.RoleARN {
						ids = append(ids, rr.TransitionalExternalIDs...)
					}
				}
				doc, err := e.settings.trustPolicy(ctx, r.RoleARN, ids...)
				require.NoError(t, err)
				e.paste(t, r.RoleARN, doc)
			}
			modeSw, err = e.sw.Verify(ctx, modeSw)
			require.NoError(t, err)
			rot, err = e.sw.Verify(ctx, rot)
			require.NoError(t, err)
			require.True(t, modeSw.Ready() && rot.Ready())

			first, second := modeSw, rot
			if rotationFirst {
				first, second = rot, modeSw
			}
			_, err = e.sw.Commit(ctx, first)
			require.NoError(t, err)
			mode, _ := e.scopes.Mode(ctx, swWorkspace)
			version, _ := e.scopes.DeriverVersion(ctx, swWorkspace)
			_, err = e.sw.Commit(ctx, second)
			require.Error(t, err, "the second commit was planned against a scope that no longer holds")
			mode2, _ := e.scopes.Mode(ctx, swWorkspace)
			version2, _ := e.scopes.DeriverVersion(ctx, swWorkspace)
			require.Equal(t, []any{mode, version}, []any{mode2, version2}, "nothing half applied: %v", err)
			e.connects(t, "after the refused second commit")
		})
	}
}

// TestSwitchCancel: a switch is cancelled at each step before Finish; the
// workspace goes back to deriving the old IDs, every connection passes
// Connect (the customer's roles still trust the old IDs), and a cancelled
// switch takes no further step.
func TestSwitchCancel(t *testing.T) {
	for _, stop := range []SwitchStep{SwitchPlanned, SwitchVerified, SwitchCommitted} {
		t.Run("after "+string(stop), func(t *testing.T) {
			e := newSwitchEnv(t, scope.WorkspaceMode)
			ctx := context.Background()
			sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
			require.NoError(t, err)
			e.pasteAll(t, sw, false)
			if stop != SwitchPlanned {
				sw, err = e.sw.Verify(ctx, sw)
				require.NoError(t, err)
			}
			if stop == SwitchCommitted {
				sw, err = e.sw.Commit(ctx, sw)
				require.NoError(t, err)
				// Finish ran once, before the customer pasted anything
				// final: it retired the old ID in the cache.
				sw, err = e.sw.Finish(ctx, sw)
				require.NoError(t, err)
				require.Equal(t, SwitchCommitted, sw.Step)
			}
			// The platform crashed; a fresh process cancels from the saved state.
			j, err := json.Marshal(sw)
			require.NoError(t, err)
			e.restart(t)
			var saved Switch
			require.NoError(t, json.Unmarshal(j, &saved))
			if stop == SwitchCommitted {
				// Not in this process, but in the one that ran Finish.
				e.cache.RetireExternalID(wsID)
			}
			cancelled, err := e.sw.Cancel(ctx, saved)
			require.NoError(t, err)
			require.Equal(t, SwitchCancelled, cancelled.Step)
			again, err := e.sw.Cancel(ctx, cancelled)
			require.NoError(t, err, "repeating Cancel is harmless")
			require.Equal(t, SwitchCancelled, again.Step)
			mode, _ := e.scopes.Mode(ctx, swWorkspace)
			require.Equal(t, scope.WorkspaceMode, mode)
			for _, c := range cancelled.Connections {
				spec, err := e.r.Spec(ctx, e.conn(c.ConnectionID))
				require.NoError(t, err)
				require.Equal(t, c.OldExternalID, spec.ExternalID)
			}
			e.connects(t, "cancelled")
			for _, step := range []func(context.Context, Switch) (Switch, error){e.sw.Verify, e.sw.Finish,
				func(ctx context.Context, sw Switch) (Switch, error) { return e.sw.Commit(ctx, sw) }} {
				_, err := step(ctx, cancelled)
				require.ErrorIs(t, err, ErrSwitchOrder, "a cancelled switch takes no step")
			}
		})
	}
	t.Run("after finish", func(t *testing.T) {
		e := newSwitchEnv(t, scope.WorkspaceMode)
		sw := runToEnd(t, e, mustPlan(t, e))
		_, err := e.sw.Cancel(context.Background(), sw)
		require.ErrorIs(t, err, ErrSwitchOrder)
		require.Contains(t, err.Error(), "plan a switch back")
	})
	t.Run("a committed switch whose roles no longer trust the old IDs", func(t *testing.T) {
		e := newSwitchEnv(t, scope.WorkspaceMode)
		ctx := context.Background()
		sw := mustPlan(t, e)
		e.pasteAll(t, sw, false)
		sw, err := e.sw.Verify(ctx, sw)
		require.NoError(t, err)
		sw, err = e.sw.Commit(ctx, sw)
		require.NoError(t, err)
		e.paste(t, sw.Roles[0].RoleARN, sw.Roles[0].FinalTrustPolicy)
		_, err = e.sw.Cancel(ctx, sw)
		require.ErrorIs(t, err, ErrNotReady)
		require.Contains(t, err.Error(), sw.Roles[0].ConnectionIDs[0])
		mode, _ := e.scopes.Mode(ctx, swWorkspace)
		require.Equal(t, scope.ProjectMode, mode, "a refused cancel changes nothing")
	})
}

// mustPlan plans the switch of the test workspace to project mode.
func mustPlan(t *testing.T, e *switchEnv) Switch {
	t.Helper()
	sw, err := e.sw.PlanSwitch(context.Background(), swWorkspace, scope.ProjectMode, e.conns)
	require.NoError(t, err)
	return sw
}

// TestSwitchCommitAfterTheCustomerUndidTheTransitionalPolicy: Verify found
// every role ready, then the customer put one role's old trust policy
// back. Commit asks STS again rather than trusting the earlier verdict, so
// it refuses, naming the connection, and changes nothing; Connect, asked
// mid-switch, still passes on the old ID.
func TestSwitchCommitAfterTheCustomerUndidTheTransitionalPolicy(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ctx := context.Background()
	sw := mustPlan(t, e)
	e.pasteAll(t, sw, false)
	sw, err := e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	require.True(t, sw.Ready())

	old, err := e.settings.trustPolicy(ctx, e.roles["devops"], wsID)
	require.NoError(t, err)
	e.paste(t, e.roles["devops"], old)
	e.connects(t, "the transitional policy undone before the commit")
	_, err = e.sw.Commit(ctx, sw)
	require.ErrorIs(t, err, ErrNotReady)
	require.Contains(t, err.Error(), `"c-devops"`)
	mode, _ := e.scopes.Mode(ctx, swWorkspace)
	require.Equal(t, scope.WorkspaceMode, mode, "nothing was changed")

	e.pasteAll(t, sw, false)
	sw, err = e.sw.Commit(ctx, sw)
	require.NoError(t, err)
	require.Equal(t, SwitchCommitted, sw.Step)
	e.connects(t, "committed")
}

// TestSwitchCancelAfterACrashInTheCommit: the platform crashed after the
// store's write but before it saved the committed Switch; cancelling the
// saved, verified Switch finds the store changed and rolls it back.
func TestSwitchCancelAfterACrashInTheCommit(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ctx := context.Background()
	sw := mustPlan(t, e)
	e.pasteAll(t, sw, false)
	verified, err := e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	_, err = e.sw.Commit(ctx, verified)
	require.NoError(t, err)
	e.restart(t)
	cancelled, err := e.sw.Cancel(ctx, verified)
	require.NoError(t, err)
	require.Equal(t, SwitchCancelled, cancelled.Step)
	mode, _ := e.scopes.Mode(ctx, swWorkspace)
	require.Equal(t, scope.WorkspaceMode, mode)
	e.connects(t, "cancelled after a crash in the commit")
}
