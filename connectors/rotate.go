package connectors

import (
	"context"
	"fmt"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/scope"
)

// PlanRotation plans the rotation of workspaceID's external IDs to the
// deriver next, stored under version, keeping the workspace's mode. It is the
// switch workflow with another commit: Verify, Commit (which persists version
// through [DeriverStore].SetDeriverVersion, after which the Resolver's
// [Options].Deriver must answer next for the workspace) and Finish are the
// same steps. conns are all the workspace's stored connections, as for
// [Switcher.PlanSwitch], with the same errors; next deriving the IDs in use
// is [ErrNothingToRotate].
//
// # When to rotate
//
// External IDs are not secrets, but a platform rotates them:
//   - after a leak of the deriver's secret ([scope.Deriver].Secret), or of
//     the derivation scheme when tenant IDs must not be predictable: every
//     workspace, at once;
//   - when another system starts deriving IDs in the same format (change
//     the prefix);
//   - on a schedule, if the platform's compliance asks for one (yearly is
//     plenty: the ID alone grants nothing).
//
// Rotation never happens as a side effect: it needs each customer to paste a
// new trust policy, so a platform rotates one workspace at a time, with
// notice.
//
// # What the customer sees
//
// A notice that the platform's external ID changes, and per role the
// transitional trust policy to paste, listing the old and the new ID; the
// connection keeps working throughout. Once the platform committed (the
// console shows "rotation committed"), the final policy, which lists only
// the new ID; until they paste it the old ID stays in their policy, harmless
// since the platform never sends it again (Finish retires it), and Finish
// reports the role as not yet cleaned up.
func (w *Switcher) PlanRotation(ctx context.Context, workspaceID, version string, next scope.Deriver, conns []Connection) (Switch, error) {
	if w.opts.Derivers == nil {
		return Switch{}, fmt.Errorf("%w: rotation of workspace %s: the Switcher has no DeriverStore (SwitcherOptions.Derivers)", ErrInvalidSwitch, echo.Quote(workspaceID))
	}
	mode, err := w.r.modeOf(ctx, workspaceID)
	if err != nil {
		return Switch{}, fmt.Errorf("connectors: rotation of workspace %s: %w; nothing was changed", echo.Quote(workspaceID), err)
	}
	from, err := w.opts.Derivers.DeriverVersion(ctx, workspaceID)
	if err != nil {
		return Switch{}, fmt.Errorf("connectors: rotation of workspace %s: reading its deriver version: %w; nothing was changed", echo.Quote(workspaceID), err)
	}
	if version == "" || version == from {
		return Switch{}, fmt.Errorf("%w: rotation of workspace %s: version %s must be new (the workspace uses %s); name the new deriver's version",
			ErrInvalidSwitch, echo.Quote(workspaceID), echo.Quote(version), echo.Quote(from))
	}
	d, err := w.r.deriverFor(ctx, workspaceID)
	if err != nil {
		return Switch{}, err
	}
	sc, unchanged, err := w.scopeConnections(ctx, workspaceID, mode, mode, d, conns)
	if err != nil {
		return Switch{}, err
	}
	plan, err := d.PlanRotation(next, mode, sc)
	if err != nil {
		return Switch{}, fmt.Errorf("%w: rotation of workspace %s: %w", ErrInvalidSwitch, echo.Quote(workspaceID), err)
	}
	if plan.Empty() && len(sc) > 0 {
		return Switch{}, fmt.Errorf("%w: rotation of workspace %s to version %s: change the deriver's secret or prefix", ErrNothingToRotate, echo.Quote(workspaceID), echo.Quote(version))
	}
	sw := Switch{Kind: Rotation, WorkspaceID: workspaceID, FromMode: mode, ToMode: mode, FromDeriverVersion: from, ToDeriverVersion: version}
	return w.fromPlan(ctx, sw, plan, conns, unchanged)
}
