package scope

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// ErrInvalidConnection is returned (wrapped) by [Deriver.PlanSwitch] for a
// connection it cannot plan for.
var ErrInvalidConnection = errors.New("scope: invalid connection")

// Connection is what a switch plan needs to know of one active connection.
type Connection struct {
	// ID identifies the connection. Required; unique within one plan.
	ID string `json:"id"`
	// WorkspaceID is the workspace the connection belongs to. Required.
	WorkspaceID string `json:"workspace_id"`
	// ProjectID is the project the connection belongs to. Required when the
	// switch is to ProjectMode.
	ProjectID string `json:"project_id,omitempty"`
	// RoleARN is the customer's role the connection assumes. Required.
	RoleARN string `json:"role_arn"`
	// ExternalID is the external ID the role trusts today. Required.
	ExternalID string `json:"external_id"`
}

// Change is one connection whose role must be updated.
type Change struct {
	// ConnectionID is the connection that changes.
	ConnectionID string `json:"connection_id"`
	// RoleARN is the role the connection assumes.
	RoleARN string `json:"role_arn"`
	// OldExternalID is the ID the role trusts for it today.
	OldExternalID string `json:"old_external_id"`
	// NewExternalID is the ID the connection uses after the switch.
	NewExternalID string `json:"new_external_id"`
}

// RoleUpdate is what one role's trust policy must admit.
type RoleUpdate struct {
	// RoleARN is the role whose trust policy must change.
	RoleARN string `json:"role_arn"`
	// ConnectionIDs are the connections that assume this role, sorted.
	ConnectionIDs []string `json:"connection_ids"`
	// Transitional is old ∪ new: trusting these keeps every connection of
	// the role working while the switch is under way. Sorted.
	Transitional []string `json:"transitional_external_ids"`
	// Final is what the role must trust once the switch is done. Sorted.
	Final []string `json:"final_external_ids"`
	// SharedAcrossProjects is set when, in ProjectMode, connections of
	// different projects share this role: it must then trust several IDs,
	// and any of those projects can use it, which defeats project isolation.
	// Give each project its own role.
	SharedAcrossProjects bool `json:"shared_across_projects"`
	// SharedAcrossWorkspaces is set when connections of different workspaces
	// share this role: one customer's role is reachable from two tenants.
	SharedAcrossWorkspaces bool `json:"shared_across_workspaces"`
}

// Plan is the work a switch to another mode needs. The zero value is an
// empty plan; it marshals with "to" empty and empty lists.
type Plan struct {
	// To is the mode switched to.
	To Mode `json:"to"`
	// Changes lists, in the order given, the connections whose external ID
	// changes.
	Changes []Change `json:"changes"`
	// Roles lists, sorted by ARN, every role that must be updated: each role
	// of a changed connection.
	Roles []RoleUpdate `json:"roles"`
}

// MarshalJSON writes the plan with empty lists rather than null, so a screen
// iterates them without a check, and with its "warnings" ([Plan.Warnings]),
// which decoding ignores since they follow from the roles.
func (p Plan) MarshalJSON() ([]byte, error) {
	type plain Plan // no methods: no recursion
	q := plain(p)
	if q.Changes == nil {
		q.Changes = []Change{}
	}
	if q.Roles == nil {
		q.Roles = []RoleUpdate{}
	}
	warnings := p.Warnings()
	if warnings == nil {
		warnings = []string{}
	}
	return json.Marshal(struct {
		plain
		Warnings []string `json:"warnings"`
	}{q, warnings})
}

// Empty reports whether the switch changes nothing: every connection already
// uses the ID of the target mode.
func (p Plan) Empty() bool { return len(p.Changes) == 0 }

// Warnings returns one sentence for each role that is shared in a way that
// weakens isolation, sorted by role ARN.
func (p Plan) Warnings() []string {
	var out []string
	for _, r := range p.Roles {
		if r.SharedAcrossWorkspaces {
			out = append(out, fmt.Sprintf("role %s is shared by connections of different workspaces; give each workspace its own role", r.RoleARN))
		}
		if r.SharedAcrossProjects {
			out = append(out, fmt.Sprintf("role %s is shared by connections of different projects, so it must trust %d external IDs and any of those projects can use it; give each project its own role", r.RoleARN, len(r.Final)))
		}
	}
	return out
}

// PlanSwitch plans the switch of the given active connections to mode to. A
// connection changes when the ID derived for it under to differs from the ID
// its role trusts today, so a switch to the mode already in force, or one
// already completed, is an empty plan; a half-finished switch plans only what
// is left. Every invalid connection is reported, joined in one error.
func (d Deriver) PlanSwitch(to Mode, conns []Connection) (Plan, error) {
	return d.plan(d, to, conns)
}

// plan lists the connections whose external ID under (target, to) differs
// from the one their role trusts today, and what each of their roles must
// trust during and after the move. PlanSwitch keeps the deriver and changes
// the mode; PlanRotation keeps the mode and changes the deriver.
func (d Deriver) plan(target Deriver, to Mode, conns []Connection) (Plan, error) {
	if err := to.Validate(); err != nil {
		return Plan{}, err
	}
	type roleState struct {
		conns      []string
		old, final map[string]bool
		workspaces map[string]bool
		projects   map[string]bool
		changed    bool
	}
	plan := Plan{To: to}
	roles := map[string]*roleState{}
	seen := map[string]bool{}
	var errs []error
	for i, c := range conns {
		newID, err := target.planConnection(to, c, seen)
		if err != nil {
			errs = append(errs, fmt.Errorf("connection %d (%q): %w", i, c.ID, err))
			continue
		}
		r := roles[c.RoleARN]
		if r == nil {
			r = &roleState{old: map[string]bool{}, final: map[string]bool{}, workspaces: map[string]bool{}, projects: map[string]bool{}}
			roles[c.RoleARN] = r
		}
		r.conns = append(r.conns, c.ID)
		r.old[c.ExternalID] = true
		r.final[newID] = true
		r.workspaces[c.WorkspaceID] = true
		r.projects[c.WorkspaceID+Separator+c.ProjectID] = true
		if newID != c.ExternalID {
			r.changed = true
			plan.Changes = append(plan.Changes, Change{
				ConnectionID: c.ID, RoleARN: c.RoleARN,
				OldExternalID: c.ExternalID, NewExternalID: newID,
			})
		}
	}
	if len(errs) > 0 {
		return Plan{}, errors.Join(errs...)
	}
	for _, roleARN := range sortedKeys(roles) {
		r := roles[roleARN]
		if !r.changed {
			continue
		}
		transitional := maps.Clone(r.old)
		maps.Copy(transitional, r.final)
		slices.Sort(r.conns)
		plan.Roles = append(plan.Roles, RoleUpdate{
			RoleARN:                roleARN,
			ConnectionIDs:          r.conns,
			Transitional:           sortedKeys(transitional),
			Final:                  sortedKeys(r.final),
			SharedAcrossProjects:   to == ProjectMode && len(r.projects) > 1,
			SharedAcrossWorkspaces: len(r.workspaces) > 1,
		})
	}
	return plan, nil
}

// planConnection validates c and returns its external ID under mode to.
func (d Deriver) planConnection(to Mode, c Connection, seen map[string]bool) (string, error) {
	switch {
	case c.ID == "":
		return "", fmt.Errorf("%w: ID is empty", ErrInvalidConnection)
	case seen[c.ID]:
		return "", fmt.Errorf("%w: ID %q appears twice; list each connection once", ErrInvalidConnection, c.ID)
	}
	seen[c.ID] = true
	if a, err := arn.Parse(c.RoleARN); err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return "", fmt.Errorf("%w: role ARN %q is not an IAM role ARN like arn:aws:iam::111122223333:role/name", ErrInvalidConnection, c.RoleARN)
	}
	if err := ValidateExternalID(c.ExternalID); err != nil {
		return "", fmt.Errorf("%w: the external ID its role trusts today: %w", ErrInvalidConnection, err)
	}
	project := c.ProjectID
	if to == WorkspaceMode {
		project = ""
	}
	return d.ExternalID(to, c.WorkspaceID, project)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
