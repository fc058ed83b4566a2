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

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/internal/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const (
	workspaceID     = "12345"
	customerAccount = "444455556666"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := run(ctx, os.Stdout)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "scope-switch:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	local, err := localaws.Start()
	if err != nil {
		return err
	}
	defer local.Close()
	platform := local.PlatformAccountID()
	customer := local.CreateAccount(customerAccount)
	deriver := scope.Deriver{Prefix: "acme_iam_external_id"}

	// 1. Today the workspace has one external ID, trusted by both roles.
	oldID, err := deriver.ExternalID(scope.WorkspaceMode, workspaceID, "")
	if err != nil {
		return err
	}
	trust, err := policy.TrustPolicy(platform, oldID)
	if err != nil {
		return err
	}
	active := []scope.Connection{
		{ID: "sqs-devops", WorkspaceID: workspaceID, ProjectID: "6789", ExternalID: oldID},
		{ID: "s3-reports", WorkspaceID: workspaceID, ProjectID: "6790", ExternalID: oldID},
	}
	for i, name := range []string{"devops-queue", "reports"} {
		if active[i].RoleARN, err = customer.CreateRole(name, trust); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "1. Workspace %s uses %s: every role trusts %s\n", workspaceID, scope.WorkspaceMode.Title(), oldID)

	cache := role.NewCache(sts.NewFromConfig(local.Config(nil)))
	defer cache.Close()
	// assume tells whether the role admits the connection with externalID.
	// It drops any cached session first, so that each answer is STS's
	// judgement of the trust policy as it is now.
	assume := func(c scope.Connection, externalID string) string {
		spec := role.Spec{RoleARN: c.RoleARN, ExternalID: externalID, WorkspaceID: c.WorkspaceID, ProjectID: c.ProjectID, ConnectionID: c.ID}
		cache.Invalidate(spec)
		_, err := cache.Retrieve(ctx, spec)
		var are *role.AssumeRoleError
		if errors.As(err, &are) {
			return "refused (" + are.Reason.String() + ")"
		} else if err != nil {
			return "error: " + err.Error()
		}
		return "admitted"
	}

	// 2. Plan the switch.
	plan, err := deriver.PlanSwitch(scope.ProjectMode, active)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n2. Switching to %s changes %d connections:\n", scope.ProjectMode.Title(), len(plan.Changes))
	for _, c := range plan.Changes {
		fmt.Fprintf(out, "   %-10s %s -> %s\n", c.ConnectionID, c.OldExternalID, c.NewExternalID)
	}
	for _, w := range plan.Warnings() {
		fmt.Fprintln(out, "   warning:", w)
	}

	// 3. The customer pastes the transitional trust policy into each role.
	fmt.Fprintln(out, "\n3. Each role gets its transitional trust policy")
	if err := applyTrust(customer, platform, plan, func(r scope.RoleUpdate) []string { return r.Transitional }, out); err != nil {
		return err
	}
	for _, c := range plan.Changes {
		conn := connection(active, c.ConnectionID)
		fmt.Fprintf(out, "   %-10s old ID %s, new ID %s\n", c.ConnectionID, assume(conn, c.OldExternalID), assume(conn, c.NewExternalID))
	}

	// 4. The platform switches the mode: connections now use the new IDs,
	// and what it cached under the old one is dropped.
	dropped := cache.InvalidateExternalID(oldID)
	fmt.Fprintf(out, "\n4. The platform switches to %s and drops %d cached sessions of %s\n", scope.ProjectMode, dropped, oldID)

	// 5. The customer pastes the final trust policy.
	fmt.Fprintln(out, "\n5. Each role gets its final trust policy")
	if err := applyTrust(customer, platform, plan, func(r scope.RoleUpdate) []string { return r.Final }, out); err != nil {
		return err
	}
	for _, c := range plan.Changes {
		conn := connection(active, c.ConnectionID)
		fmt.Fprintf(out, "   %-10s old ID %s, new ID %s\n", c.ConnectionID, assume(conn, c.OldExternalID), assume(conn, c.NewExternalID))
	}
	return nil
}

// applyTrust gives each role of the plan a trust policy admitting the IDs ids
// picks, as the customer would in the IAM console.
func applyTrust(customer *localaws.Account, platform string, plan scope.Plan, ids func(scope.RoleUpdate) []string, out io.Writer) error {
	for _, r := range plan.Roles {
		doc, err := policy.TrustPolicy(platform, ids(r)...)
		if err != nil {
			return err
		}
		arn, err := role.ParseRoleARN(r.RoleARN)
		if err != nil {
			return err
		}
		if err := customer.UpdateTrustPolicy(arn.Name, doc); err != nil {
			return err
		}
		fmt.Fprintf(out, "   %s trusts %v\n", arn.Name, ids(r))
	}
	return nil
}

func connection(conns []scope.Connection, id string) scope.Connection {
	for _, c := range conns {
		if c.ID == id {
			return c
		}
	}
	panic("scope-switch: no connection " + id)
}
