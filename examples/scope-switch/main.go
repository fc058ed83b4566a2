package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/examples/internal/demo"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const (
	workspaceID     = "12345"
	customerAccount = "444455556666"
	bucket          = "acme-reports"
)

func main() { demo.Main("scope-switch", run) }

func run(ctx context.Context, out io.Writer) error {
	local, p, err := demo.Start(out, "awsconnect scope switch, rotation and drift monitor")
	if err != nil {
		return err
	}
	defer local.Close()

	// The platform's stores: each workspace's mode and deriver version. A
	// platform keeps these two values per workspace in its database.
	scopes := &connectors.MemoryScopes{DefaultVersion: "v1"}
	scopes.AddDeriver("v1", scope.Deriver{Prefix: "acme_iam_external_id"})
	if err := scopes.SetMode(ctx, workspaceID, scope.WorkspaceMode); err != nil {
		return err
	}
	base := local.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(base))
	defer cache.Close()
	resolver := connectors.NewResolver(base, scope.Deriver{}, scopes.Mode, cache,
		func(o *connectors.Options) {
			o.Deriver = scopes.Deriver
			// The local AWS listens on 127.0.0.1, which the endpoint
			// policy refuses by default; allow it explicitly.
			o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
		})
	settings := connectors.NewSettings(resolver)
	switcher := connectors.NewSwitcher(settings, func(o *connectors.SwitcherOptions) { o.Modes, o.Derivers = scopes, scopes })

	// 1. The settings screen.
	screen, err := settings.Screen(ctx, workspaceID)
	if err != nil {
		return err
	}
	p.Step(1, "Settings of workspace %s", workspaceID)
	p.Line("AWS account to trust:  %s (discovered: %t)", screen.Principal.AccountID, screen.Principal.Discovered)
	for _, m := range screen.Modes {
		mark := " "
		if m.Selected {
			mark = "x"
		}
		p.Line("[%s] %s", mark, m.Title)
	}
	p.Line("external ID:           %s", screen.ExternalIDs[0].ExternalID)

	// The customer's roles, created with the trust policy the screen shows.
	customer, err := local.CreateAccount(customerAccount)
	if err != nil {
		return err
	}
	if err := customer.CreateBucket(bucket); err != nil {
		return err
	}
	perms, err := policy.LeastPrivilege(s3conn.Requirements(s3conn.AllOperations(), bucket, "")...)
	if err != nil {
		return err
	}
	var conns []connectors.Connection
	for _, c := range []struct{ id, project, role string }{{"s3-devops", "6789", "devops"}, {"s3-reports", "6790", "reports"}} {
		trust, err := settings.TrustPolicy(ctx, workspaceID, c.project, "")
		if err != nil {
			return err
		}
		arn, err := customer.CreateRole(c.role, trust, localaws.WithPolicy("connector", perms))
		if err != nil {
			return err
		}
		conns = append(conns, connectors.Connection{ID: c.id, WorkspaceID: workspaceID, ProjectID: c.project, Kind: s3conn.KindName,
			Region: "us-east-1", Endpoint: local.URL(), Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: arn},
			Fields: map[string]string{"bucket": bucket}})
	}
	checkAll := func() {
		for _, c := range conns {
			rep := resolver.Check(ctx, c)
			step, _ := rep.Step(connectors.StepRoleAssumed)
			assumed, _, _ := strings.Cut(step.Message, ";") // the role and external ID, without the credentials' times
			p.Line("%-10s check %s: %s", c.ID, rep.Status(), assumed)
		}
	}
	checkAll()

	// 2. The administrator picks "Separate external ID for each project".
	sw, err := switcher.PlanSwitch(ctx, workspaceID, scope.ProjectMode, conns)
	if err != nil {
		return err
	}
	p.Step(2, "Confirm dialog: switch to %s", sw.ToMode.Title())
	showPlan(p, sw)

	// 3. Verify, before and after the customer pasted the transitional
	// policies.
	if sw, err = save(switcher.Verify(ctx, sw)); err != nil {
		return err
	}
	p.Step(3, "Verify before the customer updated the roles: ready %t", sw.Ready())
	for _, c := range sw.NotReady() {
		p.Line("%-10s %s", c.ConnectionID, c.Readiness)
		p.Wrap("  hint: ", c.Hint)
	}
	if err := paste(customer, sw, false); err != nil {
		return err
	}
	if sw, err = save(switcher.Verify(ctx, sw)); err != nil {
		return err
	}
	p.Line("the customer pasted the transitional policies; verify again: ready %t", sw.Ready())

	// 4. Commit.
	if sw, err = save(switcher.Commit(ctx, sw)); err != nil {
		return err
	}
	mode, _ := scopes.Mode(ctx, workspaceID)
	p.Step(4, "Committed: workspace %s is in %s mode; the connections use the new IDs", workspaceID, mode)
	checkAll()

	// 5. Finish, before and after the customer pasted the final policies.
	if sw, err = save(switcher.Finish(ctx, sw)); err != nil {
		return err
	}
	p.Step(5, "Finish before the customer removed the old ID: %s", sw.Step)
	for _, r := range sw.Roles {
		p.Line("%s: %s", roleName(r.RoleARN), r.Cleanup)
	}
	if err := paste(customer, sw, true); err != nil {
		return err
	}
	if sw, err = save(switcher.Finish(ctx, sw)); err != nil {
		return err
	}
	p.Line("the customer pasted the final policies; finish again: %s", sw.Step)
	for _, r := range sw.Roles {
		p.Line("%s: %s (%s)", roleName(r.RoleARN), r.Cleanup, r.Message)
	}
	p.Line("retired external IDs: %v", sw.RetiredExternalIDs)

	// 6. A rotation: the deriver's secret leaked; version v2 replaces it.
	next := scope.Deriver{Prefix: "acme_iam_external_id", Secret: []byte("v2 secret from the secret manager")}
	scopes.AddDeriver("v2", next)
	rot, err := switcher.PlanRotation(ctx, workspaceID, "v2", next, conns)
	if err != nil {
		return err
	}
	p.Step(6, "Rotation of workspace %s to deriver v2 (mode stays %s)", workspaceID, rot.ToMode)
	for _, c := range rot.Connections {
		p.Line("%-10s %s -> %s", c.ConnectionID, c.OldExternalID, c.NewExternalID)
	}
	if err := paste(customer, rot, false); err != nil {
		return err
	}
	if rot, err = save(switcher.Verify(ctx, rot)); err != nil {
		return err
	}
	if rot, err = save(switcher.Commit(ctx, rot)); err != nil {
		return err
	}
	if err := paste(customer, rot, true); err != nil {
		return err
	}
	if rot, err = save(switcher.Finish(ctx, rot)); err != nil {
		return err
	}
	p.Line("verify, commit, finish: %s", rot.Step)
	checkAll()

	// 7. The drift monitor. The customer drops the external ID condition
	// from one role's trust policy.
	open, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
		local.PlatformAccountID() + `:root"},"Action":"sts:AssumeRole"}]}`))
	if err != nil {
		return err
	}
	if err := customer.UpdateTrustPolicy("reports", open); err != nil {
		return err
	}
	events := make(chan connectors.DriftEvent, 8)
	monitor := connectors.NewMonitor(resolver,
		func(context.Context) ([]connectors.Connection, error) { return conns, nil },
		func(ev connectors.DriftEvent) { events <- ev },
		func(o *connectors.MonitorOptions) { o.Interval, o.Jitter = time.Minute, -1 })
	mctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- monitor.Run(mctx) }()
	var ev connectors.DriftEvent
	select {
	case ev = <-events:
	case <-ctx.Done():
		stop()
		<-done
		return ctx.Err()
	}
	stop()
	<-done
	p.Step(7, "Drift monitor: %s on connection %s", ev.Drift, ev.ConnectionID)
	p.Wrap("message: ", ev.Message)
	p.Wrap("hint:    ", ev.Hint)
	p.Done(len(local.Requests()))
	return nil
}

// save round-trips a step's Switch through JSON, as a platform persisting
// it between steps does.
func save(sw connectors.Switch, err error) (connectors.Switch, error) {
	if err != nil {
		return sw, err
	}
	b, err := json.Marshal(sw)
	if err != nil {
		return sw, err
	}
	var back connectors.Switch
	return back, json.Unmarshal(b, &back)
}

func showPlan(p demo.Printer, sw connectors.Switch) {
	for _, c := range sw.Connections {
		p.Line("%-10s %s -> %s", c.ConnectionID, c.OldExternalID, c.NewExternalID)
	}
	for _, w := range sw.Warnings {
		p.Wrap("warning: ", w)
	}
	for _, r := range sw.Roles {
		b, _ := r.TransitionalTrustPolicy.JSON()
		p.Wrap(roleName(r.RoleARN)+" transitional trust policy: ", string(b))
	}
}

// paste sets each role's transitional or final trust policy, as the
// customer does in the IAM console.
func paste(customer *localaws.Account, sw connectors.Switch, final bool) error {
	for _, r := range sw.Roles {
		doc := r.TransitionalTrustPolicy
		if final {
			doc = r.FinalTrustPolicy
		}
		if err := customer.UpdateTrustPolicy(roleName(r.RoleARN), doc); err != nil {
			return err
		}
	}
	return nil
}

func roleName(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }
