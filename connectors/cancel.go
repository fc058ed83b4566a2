package connectors

import (
	"context"
	"fmt"
	"strings"
)

// cancelProbeSessionName names the sessions of Cancel's trust checks in
// the customer's CloudTrail.
const cancelProbeSessionName = "awsconnect-switch-cancel"

// Cancel abandons a switch or rotation that has not finished, from its saved
// state at any step, in this process or a fresh one, and moves it to
// [SwitchCancelled]; no other step runs on it afterwards.
//
// Before the store was changed (planned, verified, or a commit that never
// wrote), nothing is rolled back: Cancel drops the credentials Verify cached
// for the new IDs. After the store was changed (committed, or a crash
// between the store's write and the platform saving the Switch), Cancel
// first checks with STS that every role still admits its old IDs (the
// customer may already have pasted the final policy) and refuses with
// [ErrNotReady], naming the connections that would break and changing
// nothing, when one does not; then it writes the old mode or deriver
// version back through the store, checks that the Resolver derives the old
// IDs again (undoing its write when not), brings the old IDs back from
// retirement and drops the new IDs' credentials. The customer may then
// remove the new IDs from their trust policies.
//
// A finished switch cannot be cancelled: its roles may no longer trust the
// old IDs. Plan a switch back instead. Repeating Cancel is harmless.
func (w *Switcher) Cancel(ctx context.Context, sw Switch) (Switch, error) {
	if err := w.validate(sw); err != nil {
		return sw, err
	}
	if sw.Step == SwitchCancelled {
		return sw, nil
	}
	if sw.Step == SwitchFinished {
		back := fmt.Sprintf("PlanSwitch to %q", sw.FromMode)
		if sw.Kind == Rotation {
			back = fmt.Sprintf("PlanRotation back to deriver version %q", sw.FromDeriverVersion)
		}
		return sw, fmt.Errorf("%w: the switch of workspace %q is finished and its roles may no longer trust the old external IDs, so it cannot be cancelled; plan a switch back (%s)",
			ErrSwitchOrder, sw.WorkspaceID, back)
	}
	if w.r.cache == nil {
		return sw, ErrNoRoleCache
	}
	changed, err := w.storeChanged(ctx, sw)
	if err != nil {
		return sw, err
	}
	if changed {
		if err := w.oldIDsAdmitted(ctx, sw); err != nil {
			return sw, err
		}
		for _, id := range sw.RetiredExternalIDs {
			w.r.cache.UnretireExternalID(id)
		}
		if err := w.rollBack(ctx, sw); err != nil {
			for _, id := range sw.RetiredExternalIDs {
				w.r.cache.RetireExternalID(id)
			}
			return sw, err
		}
	}
	for _, c := range sw.Connections {
		w.r.cache.InvalidateExternalID(c.NewExternalID)
	}
	out := cloneSwitch(sw)
	out.Step = SwitchCancelled
	out.CancelledAt = w.opts.Now()
	return out, nil
}

// storeChanged reports whether the workspace's store holds the switch's new
// mode or deriver version (true) or still its old one (false); anything
// else is [ErrScopeChanged].
func (w *Switcher) storeChanged(ctx context.Context, sw Switch) (bool, error) {
	ws := sw.WorkspaceID
	if sw.Kind == Rotation {
		if w.opts.Derivers == nil {
			return false, fmt.Errorf("%w: the Switcher has no DeriverStore (SwitcherOptions.Derivers) to cancel the rotation of workspace %q with; nothing was changed", ErrInvalidSwitch, ws)
		}
		cur, err := w.opts.Derivers.DeriverVersion(ctx, ws)
		if err != nil {
			return false, fmt.Errorf("connectors: cancel of the rotation of workspace %q: reading its deriver version: %w; nothing was changed", ws, err)
		}
		switch cur {
		case sw.ToDeriverVersion:
			return true, nil
		case sw.FromDeriverVersion:
			return false, nil
		}
		return false, fmt.Errorf("%w: workspace %q uses deriver version %q, neither %q nor %q; nothing was changed", ErrScopeChanged, ws, cur, sw.FromDeriverVersion, sw.ToDeriverVersion)
	}
	cur, err := w.r.modeOf(ctx, ws)
	if err != nil {
		return false, fmt.Errorf("connectors: cancel of the switch of workspace %q: %w; nothing was changed", ws, err)
	}
	switch cur {
	case sw.ToMode:
		if w.opts.Modes == nil {
			return false, fmt.Errorf("%w: the Switcher has no ModeStore (SwitcherOptions.Modes) to cancel the switch of workspace %q with; nothing was changed", ErrInvalidSwitch, ws)
		}
		return true, nil
	case sw.FromMode:
		return false, nil
	}
	return false, fmt.Errorf("%w: workspace %q is in %q; nothing was changed", ErrScopeChanged, ws, cur)
}

// oldIDsAdmitted asks STS, per role, whether it still admits each old ID,
// and refuses with ErrNotReady naming the connections of the roles that do
// not.
func (w *Switcher) oldIDsAdmitted(ctx context.Context, sw Switch) error {
	var broken []string
	for _, r := range sw.Roles {
		for _, id := range r.OldExternalIDs {
			err := w.r.assumeProbe(ctx, r.RoleARN, id, cancelProbeSessionName)
			if err == nil {
				continue
			}
			if !IsAccessDenied(err) {
				return fmt.Errorf("connectors: cancel of the switch of workspace %q: could not tell whether role %s admits %s: %w; nothing was changed, run Cancel again",
					sw.WorkspaceID, r.RoleARN, id, err)
			}
			broken = append(broken, fmt.Sprintf("%s (role %s refuses %s)", quoteAll(r.ConnectionIDs), r.RoleARN, id))
			break
		}
	}
	if len(broken) > 0 {
		return fmt.Errorf("%w: cancel of the switch of workspace %q: %s would break on the old external IDs; have the customer paste the transitional trust policy back, or go on with Finish; nothing was changed",
			ErrNotReady, sw.WorkspaceID, strings.Join(broken, ", "))
	}
	return nil
}

// rollBack writes the old mode or deriver version and checks the Resolver
// derives the old IDs again, undoing its write when not.
func (w *Switcher) rollBack(ctx context.Context, sw Switch) error {
	ws := sw.WorkspaceID
	var set, undo func(context.Context) error
	if sw.Kind == Rotation {
		set = func(ctx context.Context) error {
			return w.opts.Derivers.SetDeriverVersion(ctx, ws, sw.FromDeriverVersion)
		}
		undo = func(ctx context.Context) error {
			return w.opts.Derivers.SetDeriverVersion(ctx, ws, sw.ToDeriverVersion)
		}
	} else {
		set = func(ctx context.Context) error { return w.opts.Modes.SetMode(ctx, ws, sw.FromMode) }
		undo = func(ctx context.Context) error { return w.opts.Modes.SetMode(ctx, ws, sw.ToMode) }
	}
	if err := set(ctx); err != nil {
		return fmt.Errorf("connectors: cancel of the switch of workspace %q: writing the old scope back: %w; nothing was changed", ws, err)
	}
	if err := w.checkDerives(ctx, sw, func(c SwitchConnection) string { return c.OldExternalID }); err != nil {
		if uerr := undo(context.WithoutCancel(ctx)); uerr != nil {
			return fmt.Errorf("connectors: cancel: %w; undoing the write failed too, so the workspace is half switched: %w", err, uerr)
		}
		return fmt.Errorf("connectors: cancel: %w; the write was undone", err)
	}
	return nil
}
