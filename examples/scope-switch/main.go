package main

import (
	"context"
	"errors"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/examples/internal/demo"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const (
	workspaceID     = "12345"
	customerAccount = "444455556666"
)

func main() { demo.Main("scope-switch", run) }

func run(ctx context.Context, out io.Writer) error {
	local, p, err := demo.Start(out, "awsconnect scope switch")
	if err != nil {
		return err
	}
	defer local.Close()
	platform := local.PlatformAccountID()
	customer, err := local.CreateAccount(customerAccount)
	if err != nil {
		return err
	}
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
	byID := map[string]scope.Connection{}
	for i, name := range []string{"devops-queue", "reports"} {
		if active[i].RoleARN, err = customer.CreateRole(name, trust); err != nil {
			return err
		}
		byID[active[i].ID] = active[i]
	}
	p.Step(1, "Workspace %s uses %s: every role trusts %s", workspaceID, scope.WorkspaceMode.Title(), oldID)

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
	p.Step(2, "Switching to %s changes %d connections:", scope.ProjectMode.Title(), len(plan.Changes))
	for _, c := range plan.Changes {
		p.Line("%-10s %s -> %s", c.ConnectionID, c.OldExternalID, c.NewExternalID)
	}
	for _, w := range plan.Warnings() {
		p.Wrap("warning: ", w)
	}
	// admissions prints whether each changed connection's role admits its
	// old and its new external ID.
	admissions := func() {
		for _, c := range plan.Changes {
			conn := byID[c.ConnectionID]
			p.Line("%-10s old ID %s, new ID %s", c.ConnectionID, assume(conn, c.OldExternalID), assume(conn, c.NewExternalID))
		}
	}

	// 3. The customer pastes the transitional trust policy into each role.
	p.Step(3, "Each role gets its transitional trust policy")
	if err := applyTrust(p, customer, platform, plan, func(r scope.RoleUpdate) []string { return r.Transitional }); err != nil {
		return err
	}
	admissions()

	// 4. The platform switches the mode: connections now use the new IDs,
	// and what it cached under the old one is dropped.
	dropped := cache.InvalidateExternalID(oldID)
	p.Step(4, "The platform switches to %s and drops %d cached sessions of %s", scope.ProjectMode, dropped, oldID)

	// 5. The customer pastes the final trust policy.
	p.Step(5, "Each role gets its final trust policy")
	if err := applyTrust(p, customer, platform, plan, func(r scope.RoleUpdate) []string { return r.Final }); err != nil {
		return err
	}
	admissions()
	return nil
}

// applyTrust gives each role of the plan a trust policy admitting the IDs ids
// picks, as the customer would in the IAM console.
func applyTrust(p demo.Printer, customer *localaws.Account, platform string, plan scope.Plan, ids func(scope.RoleUpdate) []string) error {
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
		p.Line("%s trusts %v", arn.Name, ids(r))
	}
	return nil
}
