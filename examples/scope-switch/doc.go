// Command scope-switch walks a workspace through the settings screen's
// external-ID scope switch, then a rotation of its external IDs, then drift
// monitoring, against the embedded local AWS, printing what each screen of
// the platform would show:
//
//  1. the settings screen (connectors.Settings): the platform's principal,
//     discovered with GetCallerIdentity, the workspace's mode and its
//     external ID;
//  2. the confirm dialog of the switch to "Separate external ID for each
//     project" (Switcher.PlanSwitch): the connections whose ID changes and,
//     per role, the transitional trust policy to paste;
//  3. Verify before and after the customer pasted it: not ready with the
//     hint, then ready;
//  4. Commit: the mode flips through the platform's ModeStore and every
//     connection's check passes with its new ID;
//  5. Finish: the old ID is still trusted until the customer pastes the
//     final policy, then refused and retired;
//  6. a rotation to a new deriver secret (Switcher.PlanRotation), the same
//     four steps;
//  7. the drift monitor (connectors.Monitor) reporting a role that stopped
//     requiring the external ID.
//
// Between steps the switch's state is saved as JSON and read back, as a
// platform persists it.
//
// Run it with:
//
//	go run ./examples/scope-switch
package main
