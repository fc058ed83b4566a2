package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/awsconnect/awsconnect/internal/golden"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const (
	wsID     = swPrefix + "_" + swWorkspace
	proj6789 = wsID + "_6789"
	proj6790 = wsID + "_6790"
)

func TestSwitchWorkspaceToProject(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ctx := context.Background()
	require.Equal(t, map[string]string{"c-devops": "works with " + wsID, "c-reports": "works with " + wsID,
		"c-shared-a": "works with " + wsID, "c-shared-b": "works with " + wsID}, e.works(t))

	sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
	require.NoError(t, err)
	require.Equal(t, SwitchPlanned, sw.Step)
	require.Equal(t, scope.WorkspaceMode, sw.FromMode)
	require.Equal(t, []string{"c-key"}, sw.Unchanged, "access-key connections use no external ID")
	require.Len(t, sw.Connections, 4)
	require.Equal(t, SwitchConnection{ConnectionID: "c-devops", ProjectID: "6789", Kind: "test", RoleARN: e.roles["devops"],
		OldExternalID: wsID, NewExternalID: proj6789, Readiness: Unverified}, sw.Connections[0])
	require.Equal(t, []string{wsID}, sw.RetiredExternalIDs)
	require.Len(t, sw.Roles, 3)
	shared := sw.Roles[2]
	require.Equal(t, e.roles["shared"], shared.RoleARN)
	require.True(t, shared.SharedAcrossProjects)
	require.Contains(t, shared.Warning, "any of those projects can use it")
	require.Equal(t, []string{wsID, proj6789, proj6790}, shared.TransitionalExternalIDs)
	require.Equal(t, []string{proj6789, proj6790}, shared.FinalExternalIDs)
	require.Equal(t, []string{wsID}, shared.OldExternalIDs)
	platform := "arn:aws:iam::" + e.srv.PlatformAccountID() + ":root"
	for _, id := range shared.TransitionalExternalIDs {
		require.True(t, shared.TransitionalTrustPolicy.Admits(platform, id))
	}
	require.False(t, shared.FinalTrustPolicy.Admits(platform, wsID))
	require.True(t, shared.FinalTrustPolicy.Admits(platform, proj6790))
	require.False(t, sw.Roles[0].SharedAcrossProjects)
	require.Len(t, sw.Warnings, 1)

	// Verify before the customer changed anything: nobody is ready.
	sw, err = e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	require.Equal(t, SwitchVerified, sw.Step)
	require.False(t, sw.Ready())
	require.Len(t, sw.NotReady(), 4)
	for _, c := range sw.Connections {
		require.Equal(t, NotReady, c.Readiness)
		require.Contains(t, c.Message, c.NewExternalID)
		require.Contains(t, c.Hint, "transitional trust policy")
		require.Equal(t, e.clock, c.VerifiedAt)
	}
	_, err = e.sw.Commit(ctx, sw)
	require.ErrorIs(t, err, ErrNotReady)
	for _, id := range []string{"c-devops", "c-reports", "c-shared-a", "c-shared-b"} {
		require.Contains(t, err.Error(), id)
	}
	mode, _ := e.scopes.Mode(ctx, swWorkspace)
	require.Equal(t, scope.WorkspaceMode, mode, "a refused commit changes nothing")

	// The customer pastes the transitional policy into two roles of three.
	e.paste(t, sw.Roles[0].RoleARN, sw.Roles[0].TransitionalTrustPolicy)
	e.paste(t, sw.Roles[2].RoleARN, sw.Roles[2].TransitionalTrustPolicy)
	sw, err = e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	notReady := sw.NotReady()
	require.Len(t, notReady, 1)
	require.Equal(t, "c-reports", notReady[0].ConnectionID)
	require.Equal(t, map[string]string{"c-devops": "works with " + wsID, "c-reports": "works with " + wsID,
		"c-shared-a": "works with " + wsID, "c-shared-b": "works with " + wsID}, e.works(t), "nothing changed for the connections yet")

	e.paste(t, sw.Roles[1].RoleARN, sw.Roles[1].TransitionalTrustPolicy)
	sw, err = e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	require.True(t, sw.Ready())

	// Finish before Commit is out of order.
	_, err = e.sw.Finish(ctx, sw)
	require.ErrorIs(t, err, ErrSwitchOrder)

	e.srv.ResetRequests()
	sw, err = e.sw.Commit(ctx, sw)
	require.NoError(t, err)
	require.Equal(t, SwitchCommitted, sw.Step)
	require.Len(t, e.srv.Requests(), 4, "Commit verified each connection again, fresh")
	e.srv.ResetRequests()
	mode, _ = e.scopes.Mode(ctx, swWorkspace)
	require.Equal(t, scope.ProjectMode, mode)
	require.Equal(t, map[string]string{"c-devops": "works with " + proj6789, "c-reports": "works with " + proj6790,
		"c-shared-a": "works with " + proj6789, "c-shared-b": "works with " + proj6790}, e.works(t))
	require.Empty(t, e.srv.Requests(), "Commit's verification left the new IDs' credentials in the cache: no STS call after the commit")

	// Finish while the roles still trust the old ID: reported, not done.
	sw, err = e.sw.Finish(ctx, sw)
	require.NoError(t, err)
	require.Equal(t, SwitchCommitted, sw.Step)
	for _, r := range sw.Roles {
		require.Equal(t, CleanupOldIDTrusted, r.Cleanup, r.RoleARN)
		require.Contains(t, r.Message, wsID)
		require.Contains(t, r.Hint, "final trust policy")
	}
	// The old ID is retired in the cache nonetheless: nothing uses it.
	_, err = e.cache.Retrieve(ctx, role.Spec{RoleARN: e.roles["devops"], ExternalID: wsID})
	requireRetiredOrRefused(t, err)

	// The customer pastes the final policy into one role, wrongly into
	// another (the old ID only), correctly into the last.
	e.paste(t, sw.Roles[0].RoleARN, sw.Roles[0].FinalTrustPolicy)
	e.paste(t, sw.Roles[1].RoleARN, sw.Roles[1].TransitionalTrustPolicy)
	wrong, err := e.settings.trustPolicy(ctx, sw.Roles[2].RoleARN, wsID)
	require.NoError(t, err)
	e.paste(t, sw.Roles[2].RoleARN, wrong)
	sw, err = e.sw.Finish(ctx, sw)
	require.NoError(t, err)
	require.Equal(t, []Cleanup{CleanupDone, CleanupOldIDTrusted, CleanupNewIDRefused},
		[]Cleanup{sw.Roles[0].Cleanup, sw.Roles[1].Cleanup, sw.Roles[2].Cleanup})
	require.Contains(t, sw.Roles[2].Message, "broken")

	e.pasteAll(t, sw, true)
	sw, err = e.sw.Finish(ctx, sw)
	require.NoError(t, err)
	require.Equal(t, SwitchFinished, sw.Step)
	for _, r := range sw.Roles {
		require.Equal(t, CleanupDone, r.Cleanup)
	}
	require.Equal(t, map[string]string{"c-devops": "works with " + proj6789, "c-reports": "works with " + proj6790,
		"c-shared-a": "works with " + proj6789, "c-shared-b": "works with " + proj6790}, e.works(t))
}

// requireRetiredOrRefused: a Retrieve with a retired ID is refused by the
// cache's retirement, without calling STS.
func requireRetiredOrRefused(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, role.ErrExternalIDRetired)
	require.NotContains(t, err.Error(), "AccessDenied", "refused by the cache, without calling STS")
}

func TestSwitchProjectToWorkspace(t *testing.T) {
	e := newSwitchEnv(t, scope.ProjectMode)
	ctx := context.Background()
	sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.WorkspaceMode, e.conns)
	require.NoError(t, err)
	require.Equal(t, []string{proj6789, proj6790}, sw.RetiredExternalIDs)
	shared := sw.Roles[2]
	require.False(t, shared.SharedAcrossProjects, "in workspace mode one ID serves every project")
	require.Equal(t, []string{wsID}, shared.FinalExternalIDs)
	sw = runToEnd(t, e, sw)
	require.Equal(t, SwitchFinished, sw.Step)
	require.Equal(t, map[string]string{"c-devops": "works with " + wsID, "c-reports": "works with " + wsID,
		"c-shared-a": "works with " + wsID, "c-shared-b": "works with " + wsID}, e.works(t))

	// And back: the workspace ID is retired no longer once verified again.
	sw, err = e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
	require.NoError(t, err)
	sw = runToEnd(t, e, sw)
	require.Equal(t, SwitchFinished, sw.Step)
	require.Equal(t, map[string]string{"c-devops": "works with " + proj6789, "c-reports": "works with " + proj6790,
		"c-shared-a": "works with " + proj6789, "c-shared-b": "works with " + proj6790}, e.works(t))
}

// runToEnd runs a planned switch to the end as a cooperative customer would.
func runToEnd(t *testing.T, e *switchEnv, sw Switch) Switch {
	t.Helper()
	ctx := context.Background()
	e.pasteAll(t, sw, false)
	sw, err := e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	require.True(t, sw.Ready(), "%+v", sw.NotReady())
	sw, err = e.sw.Commit(ctx, sw)
	require.NoError(t, err)
	e.pasteAll(t, sw, true)
	sw, err = e.sw.Finish(ctx, sw)
	require.NoError(t, err)
	return sw
}

// TestSwitchInterruptedAndResumed stops the switch after each step, saves
// its state as JSON, restarts the platform process (new cache, resolver and
// switcher over the same stores) and resumes from the saved state, repeating
// the step it stopped after; every run ends with every connection working on
// its new ID.
func TestSwitchInterruptedAndResumed(t *testing.T) {
	steps := []string{"plan", "verify", "commit", "finish"}
	for stop := range steps {
		t.Run("after "+steps[stop], func(t *testing.T) {
			e := newSwitchEnv(t, scope.WorkspaceMode)
			ctx := context.Background()
			var saved []byte
			var sw Switch
			save := func() {
				var err error
				saved, err = json.Marshal(sw)
				require.NoError(t, err)
			}
			resume := func() {
				e.restart(t)
				sw = Switch{}
				require.NoError(t, json.Unmarshal(saved, &sw))
			}
			run := func(i int) {
				var err error
				switch steps[i] {
				case "plan":
					sw, err = e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
					require.NoError(t, err)
					e.pasteAll(t, sw, false)
				case "verify":
					sw, err = e.sw.Verify(ctx, sw)
					require.NoError(t, err)
					require.True(t, sw.Ready())
				case "commit":
					sw, err = e.sw.Commit(ctx, sw)
					require.NoError(t, err)
					e.pasteAll(t, sw, true)
				case "finish":
					sw, err = e.sw.Finish(ctx, sw)
					require.NoError(t, err)
				}
			}
			for i := 0; i <= stop; i++ {
				run(i)
			}
			save()
			resume()
			run(stop) // repeating the step is harmless
			for i := stop + 1; i < len(steps); i++ {
				save()
				resume()
				run(i)
			}
			require.Equal(t, SwitchFinished, sw.Step)
			require.Equal(t, map[string]string{"c-devops": "works with " + proj6789, "c-reports": "works with " + proj6790,
				"c-shared-a": "works with " + proj6789, "c-shared-b": "works with " + proj6790}, e.works(t))
		})
	}
}

// TestSwitchCommitCrashBeforeSave: the platform crashed after the store's
// write but before it saved the committed Switch; committing the verified
// state again finds the store changed and completes.
func TestSwitchCommitCrashBeforeSave(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ctx := context.Background()
	sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
	require.NoError(t, err)
	e.pasteAll(t, sw, false)
	verified, err := e.sw.Verify(ctx, sw)
	require.NoError(t, err)
	_, err = e.sw.Commit(ctx, verified) // the result is lost
	require.NoError(t, err)
	e.restart(t)
	committed, err := e.sw.Commit(ctx, verified)
	require.NoError(t, err)
	require.Equal(t, SwitchCommitted, committed.Step)
	require.Equal(t, SwitchVerified, verified.Step, "a step never changes the Switch it was given")
}

// failingModes is a ModeStore whose SetMode fails, or writes somewhere the
// Resolver's ModeFunc does not read.
type failingModes struct {
	err    error
	writes int
}

func (f *failingModes) SetMode(context.Context, string, scope.Mode) error {
	f.writes++
	return f.err
}

func TestSwitchCommitStoreFailures(t *testing.T) {
	ctx := context.Background()
	prepare := func(t *testing.T) (*switchEnv, Switch) {
		e := newSwitchEnv(t, scope.WorkspaceMode)
		sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
		require.NoError(t, err)
		e.pasteAll(t, sw, false)
		sw, err = e.sw.Verify(ctx, sw)
		require.NoError(t, err)
		return e, sw
	}
	t.Run("SetMode fails", func(t *testing.T) {
		e, sw := prepare(t)
		store := &failingModes{err: errors.New("database is read-only")}
		e.restart(t, func(o *SwitcherOptions) { o.Modes = store })
		out, err := e.sw.Commit(ctx, sw)
		require.ErrorContains(t, err, "database is read-only")
		require.ErrorContains(t, err, "nothing was changed")
		require.ErrorContains(t, err, swWorkspace)
		require.Equal(t, sw, out)
		require.Equal(t, map[string]string{"c-devops": "works with " + wsID, "c-reports": "works with " + wsID,
			"c-shared-a": "works with " + wsID, "c-shared-b": "works with " + wsID}, e.works(t))
	})
	t.Run("ModeFunc does not read the store", func(t *testing.T) {
		e, sw := prepare(t)
		store := &failingModes{}
		e.restart(t, func(o *SwitcherOptions) { o.Modes = store })
		out, err := e.sw.Commit(ctx, sw)
		require.ErrorContains(t, err, "make the Resolver's ModeFunc")
		require.ErrorContains(t, err, "undone")
		require.Equal(t, 2, store.writes, "the new mode, then the old one back")
		require.Equal(t, sw, out)
	})
	t.Run("ModeFunc fails", func(t *testing.T) {
		e, sw := prepare(t)
		sw.WorkspaceID = "nobody"
		_, err := e.sw.Commit(ctx, sw)
		require.ErrorIs(t, err, ErrUnknownWorkspace)
		require.ErrorContains(t, err, "nothing was changed")
	})
	t.Run("deriver version changed meanwhile", func(t *testing.T) {
		e := newSwitchEnv(t, scope.WorkspaceMode)
		e.scopes.AddDeriver("v2", scope.Deriver{Prefix: "acme2"})
		e.scopes.AddDeriver("v3", scope.Deriver{Prefix: "acme3"})
		sw, err := e.sw.PlanRotation(ctx, swWorkspace, "v2", scope.Deriver{Prefix: "acme2"}, e.conns)
		require.NoError(t, err)
		e.pasteAll(t, sw, false)
		sw, err = e.sw.Verify(ctx, sw)
		require.NoError(t, err)
		require.NoError(t, e.scopes.SetDeriverVersion(ctx, swWorkspace, "v3"))
		_, err = e.sw.Commit(ctx, sw)
		require.ErrorIs(t, err, ErrScopeChanged)
		require.ErrorContains(t, err, `"v3"`)
		v, _ := e.scopes.DeriverVersion(ctx, swWorkspace)
		require.Equal(t, "v3", v)
	})
	t.Run("not verified", func(t *testing.T) {
		e := newSwitchEnv(t, scope.WorkspaceMode)
		sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
		require.NoError(t, err)
		_, err = e.sw.Commit(ctx, sw)
		require.ErrorIs(t, err, ErrSwitchOrder)
	})
	t.Run("confirm anyway", func(t *testing.T) {
		e := newSwitchEnv(t, scope.WorkspaceMode)
		sw, err := e.sw.PlanSwitch(ctx, swWorkspace, scope.ProjectMode, e.conns)
		require.NoError(t, err)
		e.paste(t, sw.Roles[0].RoleARN, sw.Roles[0].TransitionalTrustPolicy)
		sw, err = e.sw.Verify(ctx, sw)
		require.NoError(t, err)
		sw, err = e.sw.Commit(ctx, sw, func(o *CommitOptions) { o.AllowNotReady = true })
		require.NoError(t, err)
		works := e.works(t)
		require.Equal(t, "works with "+proj6789, works["c-devops"])
		require.Equal(t, "broken with "+proj6790, works["c-reports"], "the administrator was told this one breaks")
	})
}

func TestPlanSwitchBadInput(t *testing.T) {
	ctx := context.Background()
	e := newSwitchEnv(t, scope.WorkspaceMode)
	with := func(f func(c *Connection)) []Connection {
		conns := append([]Connection(nil), e.conns...)
		f(&conns[1])
		return conns
	}
	tests := []struct {
		name      string
		workspace string
		to        scope.Mode
		conns     []Connection
		is        error
		want      []string
	}{
		{name: "mode already in force", workspace: swWorkspace, to: scope.WorkspaceMode, conns: e.conns, is: ErrAlreadyInMode,
			want: []string{`workspace "12345" is in "workspace"`, `choose "project"`}},
		{name: "invalid mode", workspace: swWorkspace, to: "team", conns: e.conns, is: scope.ErrInvalidMode, want: []string{`"team"`}},
		{name: "unknown workspace", workspace: "99999", to: scope.ProjectMode, conns: e.conns, is: ErrUnknownWorkspace,
			want: []string{`"99999"`, "nothing was changed"}},
		{name: "connection of another workspace", workspace: swWorkspace, to: scope.ProjectMode,
			conns: with(func(c *Connection) { c.WorkspaceID = "777" }), is: ErrInvalidSwitch,
			want: []string{`"c-reports"`, `belongs to workspace "777"`}},
		{name: "role ARN does not parse", workspace: swWorkspace, to: scope.ProjectMode,
			conns: with(func(c *Connection) { c.Auth.RoleARN = "arn:aws:iam::12:role/x" }), is: role.ErrInvalidRoleARN,
			want: []string{`"c-reports"`, "arn:aws:iam::12:role/x"}},
		{name: "no project", workspace: swWorkspace, to: scope.ProjectMode,
			conns: with(func(c *Connection) { c.ProjectID = "" }), is: ErrInvalidSwitch, want: []string{`"c-reports"`, "has no project"}},
		{name: "no ID", workspace: swWorkspace, to: scope.ProjectMode,
			conns: with(func(c *Connection) { c.ID = "" }), is: ErrInvalidSwitch, want: []string{"connection 1", "has no ID"}},
		{name: "listed twice", workspace: swWorkspace, to: scope.ProjectMode,
			conns: append(append([]Connection(nil), e.conns...), e.conns[0]), is: ErrInvalidSwitch, want: []string{`("c-devops") is listed twice`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.srv.ResetRequests()
			_, err := e.sw.PlanSwitch(ctx, tt.workspace, tt.to, tt.conns)
			require.ErrorIs(t, err, tt.is)
			for _, w := range tt.want {
				require.ErrorContains(t, err, w)
			}
			mode, _ := e.scopes.Mode(ctx, swWorkspace)
			require.Equal(t, scope.WorkspaceMode, mode)
			require.Empty(t, e.srv.Requests(), "planning calls no AWS")
		})
	}
}

func TestSwitchSavedStateInvalid(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ctx := context.Background()
	for _, doc := range []string{
		`{}`,
		`{"kind":"mode_switch","workspace_id":"12345","from_mode":"workspace","to_mode":"workspace","step":"planned"}`,
		`{"kind":"mode_switch","workspace_id":"12345","from_mode":"workspace","to_mode":"project","step":"planned","connections":[{"connection_id":"c1","role_arn":"arn:aws:iam::444455556666:role/x","old_external_id":"aa","new_external_id":"bb"}]}`,
	} {
		var sw Switch
		require.NoError(t, json.Unmarshal([]byte(doc), &sw))
		_, err := e.sw.Verify(ctx, sw)
		require.ErrorIs(t, err, ErrInvalidSwitch, doc)
		require.ErrorContains(t, err, "plan it again")
	}
	// A step or kind this version does not know fails to decode, naming it.
	for doc, bad := range map[string]string{
		`{"kind":"mode_switch","workspace_id":"12345","from_mode":"workspace","to_mode":"project","step":"half"}`: "half",
		`{"kind":"swap","workspace_id":"12345","from_mode":"workspace","to_mode":"project","step":"planned"}`:     "swap",
	} {
		var sw Switch
		err := json.Unmarshal([]byte(doc), &sw)
		var ee *EnumError
		require.ErrorAs(t, err, &ee, doc)
		require.Equal(t, bad, ee.Value)
		require.ErrorContains(t, err, "use one of")
	}
}

func TestRotation(t *testing.T) {
	e := newSwitchEnv(t, scope.ProjectMode)
	ctx := context.Background()
	next := scope.Deriver{Prefix: swPrefix, Secret: []byte("after the leak of March")}
	e.scopes.AddDeriver("v2", next)

	_, err := e.sw.PlanRotation(ctx, swWorkspace, "v1", next, e.conns)
	require.ErrorIs(t, err, ErrInvalidSwitch, "the version in force")
	_, err = e.sw.PlanRotation(ctx, swWorkspace, "v2", scope.Deriver{Prefix: swPrefix}, e.conns)
	require.ErrorIs(t, err, ErrNothingToRotate)

	sw, err := e.sw.PlanRotation(ctx, swWorkspace, "v2", next, e.conns)
	require.NoError(t, err)
	require.Equal(t, Rotation, sw.Kind)
	require.Equal(t, scope.ProjectMode, sw.ToMode)
	require.Equal(t, "v1", sw.FromDeriverVersion)
	require.Equal(t, "v2", sw.ToDeriverVersion)
	want6789, err := next.ExternalID(scope.ProjectMode, swWorkspace, "6789")
	require.NoError(t, err)
	require.Equal(t, want6789, sw.Connections[0].NewExternalID)
	require.Equal(t, []string{proj6789, proj6790}, sw.RetiredExternalIDs)

	sw = runToEnd(t, e, sw)
	require.Equal(t, SwitchFinished, sw.Step)
	v, _ := e.scopes.DeriverVersion(ctx, swWorkspace)
	require.Equal(t, "v2", v)
	mode, _ := e.scopes.Mode(ctx, swWorkspace)
	require.Equal(t, scope.ProjectMode, mode, "a rotation keeps the mode")
	works := e.works(t)
	require.Equal(t, "works with "+want6789, works["c-devops"])
	for _, w := range works {
		require.True(t, strings.HasPrefix(w, "works with "+swPrefix), w)
		require.NotContains(t, []string{"works with " + proj6789, "works with " + proj6790}, w)
	}
}

// TestSwitchGolden pins the JSON a console reads and a platform persists.
func TestSwitchGolden(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	sw, err := e.sw.PlanSwitch(context.Background(), swWorkspace, scope.ProjectMode, e.conns[:2])
	require.NoError(t, err)
	got := golden.JSON(t, "switch_planned.golden", sw)

	var back Switch
	require.NoError(t, json.Unmarshal(got, &back))
	again, err := json.MarshalIndent(back, "", "  ")
	require.NoError(t, err)
	require.Equal(t, string(got), string(again)+"\n", "a saved switch reads back as it was")
}
