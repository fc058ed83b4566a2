package connectors

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// SwitchKind says what a [Switch] changes.
type SwitchKind string

const (
	// ModeSwitch changes a workspace's scope mode (workspace ⇄ project).
	ModeSwitch SwitchKind = "mode_switch"
	// Rotation changes a workspace's deriver (secret or prefix) and keeps
	// its mode.
	Rotation SwitchKind = "rotation"
)

// SwitchStep is how far a [Switch] has come. Steps only move forward.
type SwitchStep string

// The steps of a switch, in order.
const (
	// SwitchPlanned: the plan is made; nothing has changed anywhere.
	SwitchPlanned SwitchStep = "planned"
	// SwitchVerified: every connection was tried with its new ID; see
	// each [SwitchConnection].Readiness.
	SwitchVerified SwitchStep = "verified"
	// SwitchCommitted: the workspace uses the new IDs.
	SwitchCommitted SwitchStep = "committed"
	// SwitchFinished: every role refuses the old IDs and admits the new
	// ones; the old IDs are retired.
	SwitchFinished SwitchStep = "finished"
	// SwitchCancelled: [Switcher.Cancel] abandoned the switch before it
	// finished; the workspace uses the old IDs, and the switch takes no
	// further step.
	SwitchCancelled SwitchStep = "cancelled"
)

// stepOrder ranks the steps that move forward; SwitchCancelled is outside
// the order, refused by every step but Cancel.
var stepOrder = map[SwitchStep]int{SwitchPlanned: 1, SwitchVerified: 2, SwitchCommitted: 3, SwitchFinished: 4, SwitchCancelled: 5}

// Readiness says whether a connection's role admits its new external ID.
type Readiness string

const (
	// Unverified: Verify has not run (or not since the plan).
	Unverified Readiness = "unverified"
	// Ready: the role was assumed with the new ID.
	Ready Readiness = "ready"
	// NotReady: the role refused the new ID, or could not be tried; the
	// connection breaks if the switch is committed now.
	NotReady Readiness = "not_ready"
)

// Cleanup is where a role stands after [Switcher.Finish].
type Cleanup string

const (
	// CleanupPending: Finish has not checked the role yet.
	CleanupPending Cleanup = "pending"
	// CleanupDone: the role refuses every old ID and admits the new ones.
	CleanupDone Cleanup = "done"
	// CleanupOldIDTrusted: the role still admits an old ID; the customer
	// should paste the final trust policy.
	CleanupOldIDTrusted Cleanup = "old_id_trusted"
	// CleanupNewIDRefused: the role refuses a new ID; its connections are
	// broken until the customer pastes the final trust policy.
	CleanupNewIDRefused Cleanup = "new_id_refused"
	// CleanupUnknown: STS gave no answer (network, throttling); run Finish
	// again.
	CleanupUnknown Cleanup = "unknown"
)

// SwitchConnection is one connection whose external ID changes.
type SwitchConnection struct {
	// ConnectionID is the connection.
	ConnectionID string `json:"connection_id"`
	// ProjectID is the connection's project.
	ProjectID string `json:"project_id,omitempty"`
	// Kind is the connection's connector kind.
	Kind string `json:"kind,omitempty"`
	// RoleARN is the role the connection assumes.
	RoleARN string `json:"role_arn"`
	// OldExternalID is the ID the connection uses before the commit.
	OldExternalID string `json:"old_external_id"`
	// NewExternalID is the ID it uses after.
	NewExternalID string `json:"new_external_id"`
	// Readiness is Verify's verdict.
	Readiness Readiness `json:"readiness"`
	// Message says what Verify saw.
	Message string `json:"message,omitempty"`
	// Hint says what to change when not ready.
	Hint string `json:"hint,omitempty"`
	// VerifiedAt is when Verify tried the connection.
	VerifiedAt time.Time `json:"verified_at,omitzero"`
}

// SwitchRole is one role whose trust policy must change, with the policies
// the customer pastes: the transitional one before the commit, the final one
// after.
type SwitchRole struct {
	// RoleARN is the role.
	RoleARN string `json:"role_arn"`
	// ConnectionIDs are the connections that assume it, sorted.
	ConnectionIDs []string `json:"connection_ids"`
	// TransitionalExternalIDs is old ∪ new: trusting them keeps every
	// connection working across the commit. Sorted.
	TransitionalExternalIDs []string `json:"transitional_external_ids"`
	// FinalExternalIDs is what the role trusts once the switch is done.
	FinalExternalIDs []string `json:"final_external_ids"`
	// OldExternalIDs are the IDs the role must stop trusting. Sorted.
	OldExternalIDs []string `json:"old_external_ids"`
	// TransitionalTrustPolicy admits the platform with
	// TransitionalExternalIDs.
	TransitionalTrustPolicy *policy.Document `json:"transitional_trust_policy"`
	// FinalTrustPolicy admits the platform with FinalExternalIDs.
	FinalTrustPolicy *policy.Document `json:"final_trust_policy"`
	// SharedAcrossProjects is set when connections of several projects
	// share the role in project mode; Warning says what that means.
	SharedAcrossProjects bool `json:"shared_across_projects"`
	// Warning explains what a shared role means for isolation; "" if none.
	Warning string `json:"warning,omitempty"`
	// Cleanup is Finish's verdict.
	Cleanup Cleanup `json:"cleanup"`
	// Message says what Finish saw.
	Message string `json:"message,omitempty"`
	// Hint says what the customer should do next.
	Hint string `json:"hint,omitempty"`
	// CheckedAt is when Finish checked the role.
	CheckedAt time.Time `json:"checked_at,omitzero"`
}

// Switch is the state of one switch or rotation of a workspace: plan →
// verify → commit → finish. It is a plain value with stable snake_case JSON,
// made to be persisted between steps (and shown by a console): every step
// takes the Switch its predecessor returned, so a half-done switch resumes
// from its saved state at any step, and repeating a step is harmless.
type Switch struct {
	// Kind is ModeSwitch or Rotation.
	Kind SwitchKind `json:"kind"`
	// WorkspaceID is the workspace switched.
	WorkspaceID string `json:"workspace_id"`
	// FromMode is the mode before the switch.
	FromMode scope.Mode `json:"from_mode"`
	// ToMode is the mode after it; FromMode for a rotation.
	ToMode scope.Mode `json:"to_mode"`
	// FromDeriverVersion is the deriver version before a rotation.
	FromDeriverVersion string `json:"from_deriver_version,omitempty"`
	// ToDeriverVersion is the deriver version a rotation commits.
	ToDeriverVersion string `json:"to_deriver_version,omitempty"`
	// Step is how far the switch has come.
	Step SwitchStep `json:"step"`
	// Connections are the connections whose ID changes, in the order given
	// to the plan.
	Connections []SwitchConnection `json:"connections"`
	// Roles are the roles to update, sorted by ARN.
	Roles []SwitchRole `json:"roles"`
	// Unchanged lists the connections the switch does not touch: access-key
	// connections, and those whose ID is the same in both.
	Unchanged []string `json:"unchanged_connection_ids"`
	// RetiredExternalIDs are the old IDs no connection uses after the
	// commit: Commit drops their cached credentials, Finish retires them
	// in the role cache. A platform with several instances persists them
	// and answers them from role.Options.Retired. Sorted.
	RetiredExternalIDs []string `json:"retired_external_ids"`
	// Warnings are sentences about shared roles, for the confirm dialog.
	Warnings []string `json:"warnings,omitempty"`
	// PlannedAt is when the plan was made.
	PlannedAt time.Time `json:"planned_at,omitzero"`
	// VerifiedAt is when Verify last ran.
	VerifiedAt time.Time `json:"verified_at,omitzero"`
	// CommittedAt is when Commit completed.
	CommittedAt time.Time `json:"committed_at,omitzero"`
	// FinishedAt is when Finish found every role done.
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// CancelledAt is when Cancel abandoned the switch.
	CancelledAt time.Time `json:"cancelled_at,omitzero"`
}

// Ready reports whether every connection's role admitted its new ID in the
// last Verify, so the platform can offer "confirm" without caveat.
func (s Switch) Ready() bool { return len(s.NotReady()) == 0 }

// NotReady returns the connections that are not ready (or not verified):
// those that break if the switch is committed now.
func (s Switch) NotReady() []SwitchConnection {
	var out []SwitchConnection
	for _, c := range s.Connections {
		if c.Readiness != Ready {
			out = append(out, c)
		}
	}
	return out
}

// Errors of the switch workflow. Each is wrapped with the workspace and the
// connections it concerns.
var (
	// ErrAlreadyInMode: the switch is to the mode already in force.
	ErrAlreadyInMode = errors.New("connectors: the workspace already uses that mode")
	// ErrNothingToRotate: the new deriver derives the IDs in use.
	ErrNothingToRotate = errors.New("connectors: the new deriver derives the external IDs already in use")
	// ErrInvalidSwitch: a connection or a saved Switch cannot be used.
	ErrInvalidSwitch = errors.New("connectors: invalid switch")
	// ErrSwitchOrder: a step was called before the one it needs.
	ErrSwitchOrder = errors.New("connectors: switch step out of order")
	// ErrNotReady: Commit without AllowNotReady while connections are not
	// ready.
	ErrNotReady = errors.New("connectors: connections are not ready for the switch")
	// ErrScopeChanged: the workspace's mode or deriver version is neither
	// the switch's old nor its new one: someone changed it meanwhile.
	ErrScopeChanged = errors.New("connectors: the workspace's scope changed since the switch was planned")
	// ErrSwitchStale: connections were saved after the plan, so the plan
	// does not cover them and the commit would break them; plan again.
	ErrSwitchStale = errors.New("connectors: connections were added since the switch was planned")
)

// SwitcherOptions configures a [Switcher]. NewSwitcher reads it once.
type SwitcherOptions struct {
	// Modes persists the mode a ModeSwitch commits. Required for mode
	// switches.
	Modes ModeStore
	// Derivers persists the deriver version a Rotation commits, and says
	// the version in force. Required for rotations.
	Derivers DeriverStore
	// Now is the clock of the steps' timestamps. Default time.Now.
	// Optional.
	Now func() time.Time
	// Connections lists the platform's stored connections (those of other
	// workspaces are ignored), as the Monitor's source does. Commit reads
	// it just before it changes the store and refuses, with
	// [ErrSwitchStale] naming them, when a role connection of the
	// workspace is in neither Switch.Connections nor Switch.Unchanged: one
	// saved after the plan, whose role was never asked to trust its new
	// ID. Optional, but without it such a connection breaks at the commit
	// unless the platform re-plans whenever a connection is saved mid-switch.
	Connections ConnectionSource
}

// Switcher runs the switch of a workspace's external-ID scope mode, and the
// rotation of its external IDs, as a workflow of four steps, each safe to
// repeat and to resume from a saved [Switch]:
//
//  1. Plan ([Switcher.PlanSwitch], [Switcher.PlanRotation]) lists, from the
//     platform's stored connections, every connection whose ID changes and
//     every role to update, with its transitional (old ∪ new) and final
//     trust policy. Nothing changes.
//  2. Verify assumes each connection's role with its new ID, fresh, and
//     marks it ready or not ready with the hint. The customer pastes the
//     transitional policies meanwhile; Verify may be run until all are
//     ready.
//  3. Commit persists the new mode (or deriver version) through the
//     platform's store, checks the Resolver now derives the new IDs, and
//     drops credentials cached for the old ones. Connections use the new
//     IDs from now on.
//  4. Finish checks, per role, that the old IDs are refused and the new
//     ones admitted (the customer has pasted the final policy), and retires
//     the old IDs in the role cache.
//
// [Switcher.Cancel] abandons the workflow at any step before Finish.
//
// A Switcher is safe for concurrent use; two workflows of one workspace at
// once are the platform's to prevent (the saved Switch is its lock).
type Switcher struct {
	s    *Settings
	r    *Resolver
	opts SwitcherOptions
}

// NewSwitcher returns the Switcher of s's Resolver.
func NewSwitcher(s *Settings, optFns ...func(*SwitcherOptions)) *Switcher {
	var o SwitcherOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Switcher{s: s, r: s.r, opts: o}
}

// PlanSwitch plans the switch of workspaceID to mode to. conns are the
// platform's stored connections of the workspace, all of them (a connection
// left out would break at the commit); access-key connections are listed
// as unchanged. It fails, naming each offending connection and changing
// nothing, for the mode already in force, a connection of another workspace
// or without an ID, a role ARN that does not parse, a missing project in
// project mode, or a ModeFunc that fails.
func (w *Switcher) PlanSwitch(ctx context.Context, workspaceID string, to scope.Mode, conns []Connection) (Switch, error) {
	if err := to.Validate(); err != nil {
		return Switch{}, fmt.Errorf("connectors: switch of workspace %s: %w", echo.Quote(workspaceID), err)
	}
	from, err := w.r.modeOf(ctx, workspaceID)
	if err != nil {
		return Switch{}, fmt.Errorf("connectors: switch of workspace %s: %w; nothing was changed", echo.Quote(workspaceID), err)
	}
	if from == to {
		return Switch{}, fmt.Errorf("%w: workspace %s is in %s (%s) already; choose %s, or resume a committed switch from its saved state with Finish",
			ErrAlreadyInMode, echo.Quote(workspaceID), echo.Quote(to), to.Title(), echo.Quote(other(to)))
	}
	d, err := w.r.deriverFor(ctx, workspaceID)
	if err != nil {
		return Switch{}, err
	}
	sc, unchanged, err := w.scopeConnections(ctx, workspaceID, from, to, d, conns)
	if err != nil {
		return Switch{}, err
	}
	plan, err := d.PlanSwitch(to, sc)
	if err != nil {
		return Switch{}, fmt.Errorf("%w: workspace %s: %w", ErrInvalidSwitch, echo.Quote(workspaceID), err)
	}
	sw := Switch{Kind: ModeSwitch, WorkspaceID: workspaceID, FromMode: from, ToMode: to}
	return w.fromPlan(ctx, sw, plan, conns, unchanged)
}

// other is the mode that is not m.
func other(m scope.Mode) scope.Mode {
	if m == scope.WorkspaceMode {
		return scope.ProjectMode
	}
	return scope.WorkspaceMode
}

// scopeConnections validates conns for a switch of workspaceID from mode
// from (deriver d) and returns them as scope.Connections with the ID in use
// today, and the IDs of the access-key connections. Every problem is
// reported, each naming its connection.
func (w *Switcher) scopeConnections(ctx context.Context, workspaceID string, from, to scope.Mode, d scope.Deriver, conns []Connection) ([]scope.Connection, []string, error) {
	var (
		out       []scope.Connection
		unchanged []string
		errs      []error
		seen      = map[string]bool{}
	)
	for i, c := range conns {
		name := fmt.Sprintf("connection %d (%q)", i, c.ID)
		switch {
		case c.ID == "":
			errs = append(errs, fmt.Errorf("%s has no ID; give every stored connection its ID", name))
			continue
		case seen[c.ID]:
			errs = append(errs, fmt.Errorf("%s is listed twice; list each connection once", name))
			continue
		case c.WorkspaceID != workspaceID:
			errs = append(errs, fmt.Errorf("%s belongs to workspace %s, not %s; pass only the connections of the workspace switched", name, echo.Quote(c.WorkspaceID), echo.Quote(workspaceID)))
			continue
		}
		seen[c.ID] = true
		switch c.Auth.Type {
		case AuthAccessKey:
			unchanged = append(unchanged, c.ID)
			continue
		case AuthIAMRole:
		default:
			errs = append(errs, fmt.Errorf("%s has authorization type %s; use %q or %q", name, echo.Quote(c.Auth.Type), AuthIAMRole, AuthAccessKey))
			continue
		}
		if _, err := role.ParseRoleARN(c.Auth.RoleARN); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if c.ProjectID == "" && (from == scope.ProjectMode || to == scope.ProjectMode) {
			errs = append(errs, fmt.Errorf("%s has no project; in project mode every connection needs one: assign it a project first", name))
			continue
		}
		project := c.ProjectID
		if from == scope.WorkspaceMode {
			project = ""
		}
		old, err := d.ExternalID(from, workspaceID, project)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: external ID in use: %w", name, err))
			continue
		}
		out = append(out, scope.Connection{ID: c.ID, WorkspaceID: workspaceID, ProjectID: c.ProjectID, RoleARN: c.Auth.RoleARN, ExternalID: old})
	}
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("%w: workspace %s; nothing was changed: %w", ErrInvalidSwitch, echo.Quote(workspaceID), errors.Join(errs...))
	}
	return out, unchanged, nil
}

// fromPlan fills sw from a scope plan: connections, roles with their trust
// policies, retired IDs.
func (w *Switcher) fromPlan(ctx context.Context, sw Switch, plan scope.Plan, conns []Connection, unchanged []string) (Switch, error) {
	byID := make(map[string]Connection, len(conns))
	for _, c := range conns {
		byID[c.ID] = c
	}
	changed := map[string]bool{}
	newIDs := map[string]bool{}
	oldIDs := map[string]bool{}
	for _, ch := range plan.Changes {
		c := byID[ch.ConnectionID]
		changed[c.ID] = true
		oldIDs[ch.OldExternalID] = true
		newIDs[ch.NewExternalID] = true
		sw.Connections = append(sw.Connections, SwitchConnection{
			ConnectionID: c.ID, ProjectID: c.ProjectID, Kind: c.Kind, RoleARN: ch.RoleARN,
			OldExternalID: ch.OldExternalID, NewExternalID: ch.NewExternalID, Readiness: Unverified,
		})
	}
	sw.Unchanged = unchanged
	for _, c := range conns {
		if c.Auth.Type == AuthIAMRole && !changed[c.ID] {
			sw.Unchanged = append(sw.Unchanged, c.ID)
		}
	}
	slices.Sort(sw.Unchanged)
	if sw.Unchanged == nil {
		sw.Unchanged = []string{}
	}
	warnings := map[string]string{}
	for _, msg := range plan.Warnings() {
		for _, r := range plan.Roles {
			if strings.Contains(msg, r.RoleARN+" ") {
				warnings[r.RoleARN] = msg
			}
		}
	}
	sw.Roles = []SwitchRole{}
	for _, r := range plan.Roles {
		trans, err := w.s.trustPolicy(ctx, r.RoleARN, r.Transitional...)
		if err != nil {
			return Switch{}, fmt.Errorf("connectors: switch of workspace %s: role of connections %s: %w", echo.Quote(sw.WorkspaceID), strings.Join(r.ConnectionIDs, ", "), err)
		}
		final, err := w.s.trustPolicy(ctx, r.RoleARN, r.Final...)
		if err != nil {
			return Switch{}, fmt.Errorf("connectors: switch of workspace %s: role of connections %s: %w", echo.Quote(sw.WorkspaceID), strings.Join(r.ConnectionIDs, ", "), err)
		}
		sw.Roles = append(sw.Roles, SwitchRole{
			RoleARN: r.RoleARN, ConnectionIDs: r.ConnectionIDs,
			TransitionalExternalIDs: r.Transitional, FinalExternalIDs: r.Final,
			OldExternalIDs:          minus(r.Transitional, r.Final),
			TransitionalTrustPolicy: trans, FinalTrustPolicy: final,
			SharedAcrossProjects: r.SharedAcrossProjects, Warning: warnings[r.RoleARN],
			Cleanup: CleanupPending,
		})
	}
	if sw.Connections == nil {
		sw.Connections = []SwitchConnection{}
	}
	sw.RetiredExternalIDs = []string{}
	for id := range oldIDs {
		if !newIDs[id] {
			sw.RetiredExternalIDs = append(sw.RetiredExternalIDs, id)
		}
	}
	slices.Sort(sw.RetiredExternalIDs)
	sw.Warnings = plan.Warnings()
	sw.Step = SwitchPlanned
	sw.PlannedAt = w.opts.Now()
	return sw, nil
}

// minus returns the elements of a not in b, in a's order.
func minus(a, b []string) []string {
	out := []string{}
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// validate checks a Switch given back by the platform (perhaps read from
// JSON) before a step acts on it.
func (w *Switcher) validate(sw Switch) error {
	var problems []string
	if sw.WorkspaceID == "" {
		problems = append(problems, "workspace_id is empty")
	}
	if stepOrder[sw.Step] == 0 {
		problems = append(problems, fmt.Sprintf("step %s is none of planned, verified, committed, finished", echo.Quote(sw.Step)))
	}
	switch sw.Kind {
	case ModeSwitch:
		if sw.FromMode.Validate() != nil || sw.ToMode.Validate() != nil || sw.FromMode == sw.ToMode {
			problems = append(problems, fmt.Sprintf("a mode switch needs two different valid modes, has from_mode %s and to_mode %s", echo.Quote(sw.FromMode), echo.Quote(sw.ToMode)))
		}
	case Rotation:
		if sw.ToMode.Validate() != nil || sw.ToDeriverVersion == "" || sw.ToDeriverVersion == sw.FromDeriverVersion {
			problems = append(problems, fmt.Sprintf("a rotation needs a valid mode and a new deriver version, has mode %s and versions %s -> %s", echo.Quote(sw.ToMode), echo.Quote(sw.FromDeriverVersion), echo.Quote(sw.ToDeriverVersion)))
		}
	default:
		problems = append(problems, fmt.Sprintf("kind %s is neither %q nor %q", echo.Quote(sw.Kind), ModeSwitch, Rotation))
	}
	roles := map[string]bool{}
	for _, r := range sw.Roles {
		roles[r.RoleARN] = true
	}
	for _, c := range sw.Connections {
		if c.ConnectionID == "" || !roles[c.RoleARN] {
			problems = append(problems, fmt.Sprintf("connection %q has no role in the plan", c.ConnectionID))
		}
		if scope.ValidateExternalID(c.OldExternalID) != nil || scope.ValidateExternalID(c.NewExternalID) != nil {
			problems = append(problems, fmt.Sprintf("connection %q has an invalid old or new external ID", c.ConnectionID))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: the saved switch of workspace %s cannot be used (%s); plan it again", ErrInvalidSwitch, echo.Quote(sw.WorkspaceID), strings.Join(problems, "; "))
	}
	return nil
}

// validateLive is validate for the steps a cancelled switch may not take.
func (w *Switcher) validateLive(sw Switch, step string) error {
	if err := w.validate(sw); err != nil {
		return err
	}
	if sw.Step == SwitchCancelled {
		return fmt.Errorf("%w: the switch of workspace %s was cancelled, so %s cannot run on it; plan a new switch", ErrSwitchOrder, echo.Quote(sw.WorkspaceID), step)
	}
	return nil
}

// spec is the role.Spec a switch connection assumes with externalID under
// the switch's target mode.
func (w *Switcher) spec(sw Switch, c SwitchConnection, externalID string) role.Spec {
	project := c.ProjectID
	if sw.ToMode == scope.WorkspaceMode {
		project = ""
	}
	spec := role.Spec{RoleARN: c.RoleARN, ExternalID: externalID, WorkspaceID: sw.WorkspaceID, ProjectID: project, ConnectionID: c.ConnectionID}
	if w.r.opts.Spec != nil {
		w.r.opts.Spec(Connection{ID: c.ConnectionID, WorkspaceID: sw.WorkspaceID, ProjectID: c.ProjectID, Kind: c.Kind,
			Auth: Auth{Type: AuthIAMRole, RoleARN: c.RoleARN}}, &spec)
		spec.RoleARN, spec.ExternalID = c.RoleARN, externalID
	}
	return spec
}

// Verify assumes each connection's role with its NEW external ID, fresh
// (never from cache: the customer may just have pasted the transitional
// policy), and records per connection ready, or not ready with the message
// and hint. A successful assumption leaves its credentials in the role cache,
// so the first call after the commit needs no STS call. New IDs that an
// earlier switch retired (a switch back) are unretired first.
//
// Verify may run at any step and as often as wanted; it moves a planned
// switch to verified, whatever the verdicts. The platform offers "confirm"
// when [Switch.Ready], or "confirm anyway" listing [Switch.NotReady]. On
// error (a cancelled ctx, a bad saved switch) it returns sw unchanged.
func (w *Switcher) Verify(ctx context.Context, sw Switch) (Switch, error) {
	if err := w.validateLive(sw, "Verify"); err != nil {
		return sw, err
	}
	if w.r.cache == nil {
		return sw, ErrNoRoleCache
	}
	out := cloneSwitch(sw)
	for _, c := range out.Connections {
		w.r.cache.UnretireExternalID(c.NewExternalID)
	}
	for i := range out.Connections {
		c := &out.Connections[i]
		_, err := w.r.cache.RetrieveFresh(ctx, w.spec(sw, *c, c.NewExternalID))
		if ctx.Err() != nil {
			return sw, fmt.Errorf("connectors: verify of the switch of workspace %s stopped at connection %q: %w", echo.Quote(sw.WorkspaceID), c.ConnectionID, ctx.Err())
		}
		c.VerifiedAt = w.opts.Now()
		if err == nil {
			c.Readiness, c.Message, c.Hint = Ready, fmt.Sprintf("the role %s admits the new external ID %s", c.RoleARN, c.NewExternalID), ""
			continue
		}
		c.Readiness, c.Message = NotReady, err.Error()
		c.Hint = "Paste the role's transitional trust policy into its trust relationships, then verify again."
		var are *role.AssumeRoleError
		if errors.As(err, &are) && are.Reason != role.ReasonTrustPolicy {
			c.Hint = are.Hint()
		}
	}
	if stepOrder[out.Step] < stepOrder[SwitchVerified] {
		out.Step = SwitchVerified
	}
	out.VerifiedAt = w.opts.Now()
	return out, nil
}

// CommitOptions adjusts [Switcher.Commit].
type CommitOptions struct {
	// AllowNotReady commits although connections are not ready: the
	// administrator confirmed knowing that those connections break until
	// their role trusts the new ID. Default false. Optional.
	AllowNotReady bool
}

// Commit makes the workspace use the new external IDs: it persists the new
// mode (ModeStore.SetMode) or deriver version (DeriverStore
// .SetDeriverVersion), checks that the Resolver now derives every
// connection's new ID (undoing the change when it does not, so nothing is
// half applied), and drops the credentials the role cache holds for the
// retired IDs. It needs a verified switch with every connection ready,
// unless AllowNotReady; since a role may have changed after Verify, it
// verifies every connection again first (one fresh AssumeRole each, whose
// credentials the first calls after the commit use) and refuses when one
// is no longer ready. With SwitcherOptions.Connections it also refuses a
// connection saved after the plan ([ErrSwitchStale]). Committing a committed switch again re-checks and
// re-drops, and resuming after a crash between the store's write and the
// platform saving the Switch finds the store already changed and goes on.
func (w *Switcher) Commit(ctx context.Context, sw Switch, optFns ...func(*CommitOptions)) (Switch, error) {
	var o CommitOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if err := w.validateLive(sw, "Commit"); err != nil {
		return sw, err
	}
	if stepOrder[sw.Step] < stepOrder[SwitchVerified] {
		return sw, fmt.Errorf("%w: the switch of workspace %s is %s; run Verify before Commit", ErrSwitchOrder, echo.Quote(sw.WorkspaceID), sw.Step)
	}
	if stepOrder[sw.Step] < stepOrder[SwitchCommitted] && !o.AllowNotReady {
		if nr := sw.NotReady(); len(nr) > 0 {
			return sw, notReadyError(sw.WorkspaceID, nr, "")
		}
		// The verdicts are as old as the last Verify, and the customer
		// may have edited a role since: ask STS again, fresh, so that
		// the commit never breaks a connection it was told is ready.
		fresh, err := w.Verify(ctx, sw)
		if err != nil {
			return sw, err
		}
		if nr := fresh.NotReady(); len(nr) > 0 {
			return sw, notReadyError(sw.WorkspaceID, nr, " (they were ready when Verify last ran, and their roles changed since)")
		}
		sw = fresh
	}
	undo, err := w.flip(ctx, sw)
	if err != nil {
		return sw, err
	}
	if err := w.checkDerivation(ctx, sw); err != nil {
		if undo != nil {
			if uerr := undo(); uerr != nil {
				return sw, fmt.Errorf("%w; undoing the change failed too, so the workspace is half switched: %w", err, uerr)
			}
			return sw, fmt.Errorf("%w; the change was undone", err)
		}
		return sw, err
	}
	for _, id := range sw.RetiredExternalIDs {
		w.r.cache.InvalidateExternalID(id)
	}
	out := cloneSwitch(sw)
	if stepOrder[out.Step] < stepOrder[SwitchCommitted] {
		out.Step = SwitchCommitted
		out.CommittedAt = w.opts.Now()
	}
	return out, nil
}

// notReadyError is Commit's refusal of the connections nr of workspace ws.
func notReadyError(ws string, nr []SwitchConnection, why string) error {
	names := make([]string, len(nr))
	for i, c := range nr {
		names[i] = fmt.Sprintf("%q (role %s, %s)", c.ConnectionID, c.RoleARN, c.Readiness)
	}
	return fmt.Errorf("%w: workspace %s: %s would break%s; update their roles and verify again, or commit with AllowNotReady; nothing was changed",
		ErrNotReady, echo.Quote(ws), strings.Join(names, ", "), why)
}

// flip persists the switch's new mode or deriver version unless the store
// already holds it, and returns how to undo the write (nil when none was
// made).
func (w *Switcher) flip(ctx context.Context, sw Switch) (func() error, error) {
	ws := sw.WorkspaceID
	if w.r.cache == nil {
		return nil, ErrNoRoleCache
	}
	if sw.Kind == Rotation && w.opts.Derivers == nil {
		return nil, fmt.Errorf("%w: the Switcher has no DeriverStore (SwitcherOptions.Derivers) to commit the rotation of workspace %s with; nothing was changed", ErrInvalidSwitch, echo.Quote(ws))
	}
	if sw.Kind == ModeSwitch && w.opts.Modes == nil {
		return nil, fmt.Errorf("%w: the Switcher has no ModeStore (SwitcherOptions.Modes) to commit the switch of workspace %s with; nothing was changed", ErrInvalidSwitch, echo.Quote(ws))
	}
	if sw.Kind == Rotation {
		cur, err := w.opts.Derivers.DeriverVersion(ctx, ws)
		if err != nil {
			return nil, fmt.Errorf("connectors: commit of the rotation of workspace %s: reading its deriver version: %w; nothing was changed", echo.Quote(ws), err)
		}
		switch cur {
		case sw.ToDeriverVersion:
			return nil, nil
		case sw.FromDeriverVersion:
		default:
			return nil, fmt.Errorf("%w: workspace %s uses deriver version %s, neither %s nor %s; plan the rotation again", ErrScopeChanged, echo.Quote(ws), echo.Quote(cur), echo.Quote(sw.FromDeriverVersion), echo.Quote(sw.ToDeriverVersion))
		}
		if err := w.checkCovered(ctx, sw); err != nil {
			return nil, err
		}
		if err := w.opts.Derivers.SetDeriverVersion(ctx, ws, sw.ToDeriverVersion); err != nil {
			return nil, fmt.Errorf("connectors: commit of the rotation of workspace %s: storing deriver version %s: %w; nothing was changed", echo.Quote(ws), echo.Quote(sw.ToDeriverVersion), err)
		}
		return func() error {
			return w.opts.Derivers.SetDeriverVersion(context.WithoutCancel(ctx), ws, sw.FromDeriverVersion)
		}, nil
	}
	cur, err := w.r.modeOf(ctx, ws)
	if err != nil {
		return nil, fmt.Errorf("connectors: commit of the switch of workspace %s: %w; nothing was changed", echo.Quote(ws), err)
	}
	switch cur {
	case sw.ToMode:
		return nil, nil
	case sw.FromMode:
	default:
		return nil, fmt.Errorf("%w: workspace %s is in %s", ErrScopeChanged, echo.Quote(ws), echo.Quote(cur))
	}
	if err := w.checkCovered(ctx, sw); err != nil {
		return nil, err
	}
	if err := w.opts.Modes.SetMode(ctx, ws, sw.ToMode); err != nil {
		return nil, fmt.Errorf("connectors: commit of the switch of workspace %s: storing mode %s: %w; nothing was changed", echo.Quote(ws), echo.Quote(sw.ToMode), err)
	}
	return func() error { return w.opts.Modes.SetMode(context.WithoutCancel(ctx), ws, sw.FromMode) }, nil
}

// checkCovered refuses a commit that would break a role connection the
// plan does not list (saved after it), when SwitcherOptions.Connections
// says which connections exist.
func (w *Switcher) checkCovered(ctx context.Context, sw Switch) error {
	if w.opts.Connections == nil {
		return nil
	}
	conns, err := w.opts.Connections(ctx)
	if err != nil {
		return fmt.Errorf("connectors: commit of workspace %s: listing its connections: %w; nothing was changed", echo.Quote(sw.WorkspaceID), err)
	}
	known := make(map[string]bool, len(sw.Connections)+len(sw.Unchanged))
	for _, c := range sw.Connections {
		known[c.ConnectionID] = true
	}
	for _, id := range sw.Unchanged {
		known[id] = true
	}
	var missing []string
	for _, c := range conns {
		if c.WorkspaceID == sw.WorkspaceID && c.Auth.Type == AuthIAMRole && !known[c.ID] {
			missing = append(missing, fmt.Sprintf("%q (role %s)", c.ID, c.Auth.RoleARN))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: workspace %s: %s saved after the plan, so no role was asked to trust its new external ID and the commit would break it; plan the switch again with every stored connection, have the customer paste the policies and verify; nothing was changed",
			ErrSwitchStale, echo.Quote(sw.WorkspaceID), strings.Join(missing, ", "))
	}
	return nil
}

// checkDerivation checks that the Resolver derives each connection's new
// ID: that the platform's ModeFunc (or Deriver) reads what its store wrote.
func (w *Switcher) checkDerivation(ctx context.Context, sw Switch) error {
	return w.checkDerives(ctx, sw, func(c SwitchConnection) string { return c.NewExternalID })
}

// checkDerives checks that the Resolver derives want(c) for each
// connection c of sw.
func (w *Switcher) checkDerives(ctx context.Context, sw Switch, want func(SwitchConnection) string) error {
	for _, sc := range sw.Connections {
		c := sc
		c.NewExternalID = want(sc)
		spec, err := w.r.Spec(ctx, Connection{ID: c.ConnectionID, WorkspaceID: sw.WorkspaceID, ProjectID: c.ProjectID,
			Auth: Auth{Type: AuthIAMRole, RoleARN: c.RoleARN}})
		if err != nil {
			return fmt.Errorf("connectors: commit of workspace %s: connection %q after the store's write: %w", echo.Quote(sw.WorkspaceID), c.ConnectionID, err)
		}
		if spec.ExternalID != c.NewExternalID {
			return fmt.Errorf("connectors: commit of workspace %s: after the store's write the resolver still derives %s for connection %q, not %s; make the Resolver's ModeFunc (or Options.Deriver) read what the ModeStore (or DeriverStore) writes",
				echo.Quote(sw.WorkspaceID), spec.ExternalID, c.ConnectionID, c.NewExternalID)
		}
	}
	return nil
}

// finishProbeSessionName names the sessions of Finish's trust checks in the
// customer's CloudTrail.
const finishProbeSessionName = "awsconnect-switch-finish"

// Finish checks, per role, that STS now refuses the old IDs and admits the
// new ones (the customer pasted the final trust policy and may remove the
// old IDs), and retires the old IDs in the role cache so that no Provider
// still bound to one re-assumes with it. The checks go to STS directly, with
// a session policy that denies every action, and drop the credentials they
// get. The switch is finished when every role is done; otherwise each role
// says what is left, and Finish may be run again.
func (w *Switcher) Finish(ctx context.Context, sw Switch) (Switch, error) {
	if err := w.validateLive(sw, "Finish"); err != nil {
		return sw, err
	}
	if stepOrder[sw.Step] < stepOrder[SwitchCommitted] {
		return sw, fmt.Errorf("%w: the switch of workspace %s is %s; Commit it before Finish", ErrSwitchOrder, echo.Quote(sw.WorkspaceID), sw.Step)
	}
	if w.r.cache == nil {
		return sw, ErrNoRoleCache
	}
	out := cloneSwitch(sw)
	done := true
	for i := range out.Roles {
		r := &out.Roles[i]
		r.Cleanup, r.Message, r.Hint = w.cleanup(ctx, *r)
		if ctx.Err() != nil {
			return sw, fmt.Errorf("connectors: finish of the switch of workspace %s stopped at role %s: %w", echo.Quote(sw.WorkspaceID), r.RoleARN, ctx.Err())
		}
		r.CheckedAt = w.opts.Now()
		done = done && r.Cleanup == CleanupDone
	}
	for _, id := range out.RetiredExternalIDs {
		w.r.cache.RetireExternalID(id)
	}
	if done && out.Step != SwitchFinished {
		out.Step = SwitchFinished
		out.FinishedAt = w.opts.Now()
	}
	return out, nil
}

// cleanup checks one role: every new ID admitted, every old ID refused.
func (w *Switcher) cleanup(ctx context.Context, r SwitchRole) (Cleanup, string, string) {
	finalJSON := ""
	if r.FinalTrustPolicy != nil {
		if j, err := r.FinalTrustPolicy.JSON(); err == nil {
			finalJSON = string(j)
		}
	}
	paste := "In the customer's account, set the role's trust policy to its final trust policy: " + finalJSON
	for _, id := range r.FinalExternalIDs {
		err := w.r.assumeProbe(ctx, r.RoleARN, id, finishProbeSessionName)
		switch {
		case IsAccessDenied(err):
			return CleanupNewIDRefused, fmt.Sprintf("the role %s refuses the new external ID %s: its connections are broken", r.RoleARN, id), paste
		case err != nil:
			return CleanupUnknown, fmt.Sprintf("could not tell whether the role %s admits %s: %v", r.RoleARN, id, err), "Run Finish again."
		}
	}
	for _, id := range r.OldExternalIDs {
		err := w.r.assumeProbe(ctx, r.RoleARN, id, finishProbeSessionName)
		switch {
		case err == nil:
			return CleanupOldIDTrusted, fmt.Sprintf("the role %s still admits the old external ID %s, which no connection uses any more", r.RoleARN, id), paste
		case !IsAccessDenied(err):
			return CleanupUnknown, fmt.Sprintf("could not tell whether the role %s refuses %s: %v", r.RoleARN, id, err), "Run Finish again."
		}
	}
	return CleanupDone, fmt.Sprintf("the role %s admits only the new external IDs", r.RoleARN), ""
}

// cloneSwitch deep-copies the slices a step modifies, so that the caller's
// Switch is never changed and an error returns it intact.
func cloneSwitch(sw Switch) Switch {
	sw.Connections = slices.Clone(sw.Connections)
	sw.Roles = slices.Clone(sw.Roles)
	return sw
}
