package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/examples/internal/demo"
	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// The quickstart's tenants, connection and customer.
const (
	workspaceID     = "12345"
	projectID       = "6789"
	customerAccount = "444455556666"
	roleName        = "awsconnect-platform"
	region          = "us-east-1"
	bucket          = "acme-reports"
	prefix          = "exports/"
	// templateURL is where the platform hosts the connection's template:
	// CloudFormation reads quick-create templates from Amazon S3 only.
	templateURL = "https://acme-platform-onboarding.s3.us-east-1.amazonaws.com/12345/6789/reports.json"
)

func main() { demo.Main("onboarding", run) }

func run(ctx context.Context, out io.Writer) error {
	local, p, err := demo.Start(out, "awsconnect onboarding")
	if err != nil {
		return err
	}
	defer local.Close()

	// 1. The platform builds the kit: the connection's external ID and the
	// least-privilege requirements of the operations the customer chose.
	p.Step(1, "The platform builds the onboarding kit of connection \"reports\" (workspace %s, project %s)", workspaceID, projectID)
	var deriver scope.Deriver
	externalID, err := deriver.ExternalID(scope.ProjectMode, workspaceID, projectID)
	if err != nil {
		return err
	}
	ops := []s3conn.Operation{s3conn.OpListObjects, s3conn.OpPutObject}
	kit, err := onboarding.NewFromRequirements(local.PlatformAccountID(), externalID, roleName,
		s3conn.RequirementsIn(region, ops, bucket, prefix), func(o *onboarding.Options) { o.Region = region })
	if err != nil {
		return err
	}
	p.Line("platform account: %s, external ID: %s, role: %s in %s", local.PlatformAccountID(), externalID, kit.RoleName(), kit.Partition())

	// 2. What the customer is offered.
	link, err := kit.QuickCreateURL(templateURL)
	if err != nil {
		return err
	}
	p.Step(2, "Launch Stack: the CloudFormation quick-create link (the platform uploads the template to %s)", templateURL)
	p.Line("%s", link)
	template, err := kit.TemplateYAML()
	if err != nil {
		return err
	}
	p.Step(3, "The CloudFormation template (YAML; TemplateJSON gives the same as JSON)")
	p.Block(string(template))
	tf, err := kit.Terraform()
	if err != nil {
		return err
	}
	p.Step(4, "Terraform (main.tf; `terraform fmt` leaves it unchanged)")
	p.Block(string(tf))
	script, err := kit.CLIScript()
	if err != nil {
		return err
	}
	p.Step(5, "The AWS CLI script (create-role.sh)")
	p.Block(string(script))
	guide, err := kit.ConsoleSteps(customerAccount)
	if err != nil {
		return err
	}
	p.Step(6, "The IAM console steps, as data the platform's UI renders (console_steps JSON)")
	for i, s := range guide.Steps {
		p.Line("%d) %s", i+1, s.Title)
		for _, v := range s.Values {
			if v.Format == "json" {
				p.Line("     paste into %q: the %s JSON (%d lines)", v.Label, strings.ReplaceAll(v.Name, "_", " "), strings.Count(v.Value, "\n")+1)
				continue
			}
			p.Line("     paste into %q: %s", v.Label, v.Value)
		}
		for _, c := range s.CopyBack {
			p.Line("     copy back %q: %s", c.Label, c.Expected)
		}
	}

	// 3. The customer launches the stack; the platform needs only the
	// account ID to fill in the role ARN, and Connect proves it.
	p.Step(7, "The customer launches the stack in account %s; the platform fills the form from the account ID alone", customerAccount)
	body, err := kit.TemplateJSON()
	if err != nil {
		return err
	}
	customer, err := demo.NewCustomer(local, customerAccount, externalID)
	if err != nil {
		return err
	}
	if err := customer.Account.CreateBucket(bucket); err != nil {
		return err
	}
	created, err := customer.LaunchStack(body)
	if err != nil {
		return err
	}
	predicted, err := kit.RoleARN(customerAccount)
	if err != nil {
		return err
	}
	p.Line("predicted role ARN: %s", predicted)
	p.Line("stack output RoleArn: %s", created)
	if created != predicted {
		return fmt.Errorf("the stack created %s, not the predicted %s", created, predicted)
	}
	platform := local.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(platform), func(o *role.Options) { o.PlatformAccountID = local.PlatformAccountID() })
	defer cache.Close()
	resolver := connectors.NewResolver(platform, deriver, connectors.FixedMode(scope.ProjectMode), cache, func(o *connectors.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
		// The local AWS listens on 127.0.0.1, which the endpoint policy
		// refuses by default; allow it explicitly.
		o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
	})
	conn := connectors.Connection{
		ID: "reports", WorkspaceID: workspaceID, ProjectID: projectID, Kind: s3conn.KindName,
		Region: region, Endpoint: local.URL(),
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: predicted},
		Fields: map[string]string{"bucket": bucket, "prefix": prefix},
	}
	report := resolver.Check(ctx, conn)
	p.Report("Connect check:", report)
	if !report.OK() {
		return errors.New("the connection check failed on the role the stack created")
	}
	p.Done(len(local.Requests()))
	return nil
}
