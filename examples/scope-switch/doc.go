// Command scope-switch walks a workspace from "Single external ID for the
// workspace" to "Separate external ID for each project" against the embedded
// local AWS, and proves that no connection breaks on the way:
//
//  1. two connections run on roles that trust the workspace's external ID;
//  2. scope.Deriver.PlanSwitch lists the connections and roles to update;
//  3. each role gets the transitional trust policy (old and new IDs), under
//     which both IDs are admitted;
//  4. the platform switches the mode and drops the credentials it cached for
//     the old ID;
//  5. each role gets its final trust policy, after which the old ID is refused.
//
// Run it with:
//
//	go run ./examples/scope-switch
package main
