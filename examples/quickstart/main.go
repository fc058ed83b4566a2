package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/awsconnect/awsconnect/connectors"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/examples/internal/demo"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// The demo's tenants and the customer's resources.
const (
	workspaceID     = "12345"
	projectID       = "6789"
	otherProjectID  = "4242"
	customerAccount = "444455556666"
	roleName        = "awsconnect-platform"
	bucket          = "acme-reports"
	prefix          = "exports/"
)

func main() { demo.Main("quickstart", run) }

func run(ctx context.Context, out io.Writer) error {
	local, p, err := demo.Start(out, "awsconnect quickstart")
	if err != nil {
		return err
	}
	defer local.Close()
	p.Line("platform account: %s", local.PlatformAccountID())

	// 1. The platform derives the project's external ID.
	p.Step(1, "The platform derives the external ID of workspace %s, project %s", workspaceID, projectID)
	var deriver scope.Deriver // zero value: prefix scope.DefaultPrefix
	externalID, err := deriver.ExternalID(scope.ProjectMode, workspaceID, projectID)
	if err != nil {
		return err
	}
	p.Line("external ID: %s", externalID)

	// 2. The customer creates the role the platform will assume.
	p.Step(2, "The customer creates role %s in account %s", roleName, customerAccount)
	trust, err := policy.TrustPolicy(local.PlatformAccountID(), externalID)
	if err != nil {
		return err
	}
	// The connection the platform stores: the customer names the role it
	// will create, the user picks the bucket, prefix and operations.
	conn := connectors.Connection{
		ID: "reports", WorkspaceID: workspaceID, ProjectID: projectID, Kind: s3conn.KindName,
		Region: "us-east-1", Endpoint: local.URL(),
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws:iam::" + customerAccount + ":role/" + roleName},
		Fields: map[string]string{s3conn.FieldBucket: bucket, s3conn.FieldPrefix: prefix},
	}
	ops, err := s3conn.Kind.ParseOperations([]string{"ListObjects", "PutObject"})
	if err != nil {
		return err
	}
	// The chosen operations' permissions plus those Connect's check uses.
	reqs, err := s3conn.Kind.Requirements(conn, ops)
	if err != nil {
		return err
	}
	permissions, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		return err
	}
	p.Policy("trust policy (pasted into the role's trust relationships):", trust)
	p.Policy("permissions policy (least privilege for listing and uploading under s3://"+bucket+"/"+prefix+"):", permissions)
	customer, err := local.CreateAccount(customerAccount)
	if err != nil {
		return err
	}
	if err := customer.CreateBucket(bucket); err != nil {
		return err
	}
	roleARN, err := customer.CreateRole(roleName, trust, localaws.WithPolicy("awsconnect-s3", permissions))
	if err != nil {
		return err
	}
	p.Line("role ARN: %s", roleARN)

	// 3. The platform connects: check, assume through role.Cache, use S3.
	p.Step(3, "The platform checks the connection, assumes the role through role.Cache and uses S3")
	platform := local.Config(nil)
	// The cache reports to the platform's OpenTelemetry pipeline; here a
	// manual reader stands in for an exporter (see step 6).
	reader := sdkmetric.NewManualReader()
	meters := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = meters.Shutdown(context.Background()) }()
	cache := role.NewCache(sts.NewFromConfig(platform), func(o *role.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
		o.MeterProvider = meters
	})
	defer cache.Close()
	projectMode := connectors.FixedMode(scope.ProjectMode)
	resolver := connectors.NewResolver(platform, deriver, projectMode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
		// The local AWS listens on 127.0.0.1, which the endpoint policy
		// refuses by default (a customer's endpoint must not reach the
		// platform's own network); allow it explicitly.
		o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
	})
	report := resolver.Check(ctx, conn)
	p.Report("Connect check:", report)
	if !report.OK() {
		return errors.New("the connection check failed")
	}
	cfg, err := resolver.Config(ctx, conn)
	if err != nil {
		return err
	}
	// The typed connector honours the connection's bucket and prefix.
	s3, err := s3conn.NewFromConnection(cfg, conn)
	if err != nil {
		return err
	}
	for _, name := range []string{"2026-11-27.csv", "2026-11-28.csv"} {
		body := "date,orders\n" + strings.TrimSuffix(name, ".csv") + ",42\n"
		if _, err := s3.PutObject(ctx, "", prefix+name, strings.NewReader(body)); err != nil {
			return fmt.Errorf("upload %s: %w", name, err)
		}
		p.Line("uploaded s3://%s/%s%s (%d bytes)", bucket, prefix, name, len(body))
	}
	p.Line("s3://%s/%s holds:", bucket, prefix)
	for e, err := range s3.ListObjects(ctx, "", s3conn.ListOptions{}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		p.Line("  %-24s %3d bytes", e.Key, e.Size)
	}
	p.Line("session: %s", sessionARN(local.Requests()))

	// 4. A wrong external ID: the connection moves to another project, whose
	// external ID the role does not trust.
	p.Step(4, "What a wrong external ID looks like: the connection is moved to project %s", otherProjectID)
	moved := conn
	moved.ProjectID = otherProjectID
	report = resolver.Check(ctx, moved)
	p.Report("Connect check:", report)
	if report.OK() {
		return errors.New("the role was assumed with another project's external ID")
	}
	p.Wrap("note: ", "the role belongs to project "+projectID+", so here the fix is on the platform's side: "+
		"keep the connection in that project (external ID "+externalID+"), or have the customer add the new ID as the hint says.")

	// 5. A missing permission: the policy grants no s3:GetObject.
	key := prefix + "2026-11-28.csv"
	p.Step(5, "What a missing permission looks like: GetObject, which the policy does not grant")
	_, err = s3.GetObject(ctx, "", key)
	if err == nil {
		return errors.New("GetObject succeeded, but the permissions policy does not grant s3:GetObject")
	}
	getReqs, reqErr := s3conn.Kind.Requirements(conn, []connectors.Operation{s3conn.OpGetObject})
	if reqErr != nil {
		return reqErr
	}
	need := getReqs[0] // GetObject's; the rest is what Connect's check needs
	p.Report("", connectors.CheckReport{Steps: []connectors.CheckStep{connectors.ServiceStep("Amazon S3 GetObject", need, err)}})

	// 6. What the platform's monitoring sees: the cache's metrics, with no
	// role ARN or external ID among their attributes.
	p.Step(6, "What the platform's monitoring reads: role.Cache's OpenTelemetry metrics")
	lines, err := metricLines(ctx, reader)
	if err != nil {
		return err
	}
	for _, l := range lines {
		p.Line("%s", l)
	}

	p.Done(len(local.Requests()))
	return nil
}

// sessionARN finds the assumed-role ARN in the request log.
func sessionARN(log []localaws.LogEntry) string {
	for _, e := range log {
		if strings.Contains(e.Caller.ARN, ":assumed-role/") {
			return e.Caller.ARN
		}
	}
	return "(none)"
}
