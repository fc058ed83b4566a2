// Command quickstart runs awsconnect's whole flow against the embedded local
// AWS, so it needs no AWS account:
//
//  1. the platform derives the external ID of one project;
//  2. the customer creates a role with the generated trust policy and a
//     least-privilege permissions policy for the S3 connector;
//  3. the platform checks the connection (the Connect button), assumes the
//     role through role.Cache and uploads and lists S3 objects;
//  4. it shows, with the library's own hints, what a wrong external ID and a
//     missing permission look like.
//
// Run it with:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/localaws"
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

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := run(ctx, os.Stdout)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	local, err := localaws.Start()
	if err != nil {
		return err
	}
	defer local.Close()
	p := printer{out}
	p.title("awsconnect quickstart, against the embedded local AWS at " + local.URL())
	p.line("platform account: %s", local.PlatformAccountID())

	// 1. The platform derives the project's external ID.
	p.step(1, "The platform derives the external ID of workspace %s, project %s", workspaceID, projectID)
	var deriver scope.Deriver // zero value: prefix scope.DefaultPrefix
	externalID, err := deriver.ExternalID(scope.ProjectMode, workspaceID, projectID)
	if err != nil {
		return err
	}
	p.line("external ID: %s", externalID)

	// 2. The customer creates the role the platform will assume.
	p.step(2, "The customer creates role %s in account %s", roleName, customerAccount)
	trust, err := policy.TrustPolicy(local.PlatformAccountID(), externalID)
	if err != nil {
		return err
	}
	ops := []s3conn.Operation{s3conn.OpListObjects, s3conn.OpPutObject}
	permissions, err := policy.LeastPrivilege(s3conn.Requirements(ops, bucket, prefix)...)
	if err != nil {
		return err
	}
	p.json("trust policy (pasted into the role's trust relationships):", trust)
	p.json("permissions policy (least privilege for listing and uploading under s3://"+bucket+"/"+prefix+"):", permissions)
	customer := local.CreateAccount(customerAccount)
	if err := customer.CreateBucket(bucket); err != nil {
		return err
	}
	roleARN, err := customer.CreateRole(roleName, trust, localaws.WithPolicy("awsconnect-s3", permissions))
	if err != nil {
		return err
	}
	p.line("role ARN: %s", roleARN)

	// 3. The platform connects: check, assume through role.Cache, use S3.
	p.step(3, "The platform checks the connection, assumes the role through role.Cache and uses S3")
	platform := local.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(platform), func(o *role.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
	})
	defer cache.Close()
	projectMode := func(context.Context, string) (scope.Mode, error) { return scope.ProjectMode, nil }
	resolver := connectors.NewResolver(platform, deriver, projectMode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
	})
	conn := connectors.Connection{
		ID: "reports", WorkspaceID: workspaceID, ProjectID: projectID, Kind: s3conn.KindName,
		Region: "us-east-1", Endpoint: local.URL(),
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: roleARN},
		Fields: map[string]string{"bucket": bucket, "prefix": prefix},
	}
	report := resolver.Check(ctx, conn)
	p.report("Connect check:", report)
	if !report.OK() {
		return errors.New("the connection check failed")
	}
	cfg, err := resolver.Config(ctx, conn)
	if err != nil {
		return err
	}
	s3 := s3conn.New(cfg, func(o *s3conn.Options) { o.Bucket, o.Prefix = bucket, prefix })
	for _, name := range []string{"2026-11-27.csv", "2026-11-28.csv"} {
		body := "date,orders\n" + strings.TrimSuffix(name, ".csv") + ",42\n"
		if _, err := s3.PutObject(ctx, "", prefix+name, strings.NewReader(body)); err != nil {
			return fmt.Errorf("upload %s: %w", name, err)
		}
		p.line("uploaded s3://%s/%s%s (%d bytes)", bucket, prefix, name, len(body))
	}
	p.line("s3://%s/%s holds:", bucket, prefix)
	for e, err := range s3.ListObjects(ctx, "", s3conn.ListOptions{}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		p.line("  %-24s %3d bytes", e.Key, e.Size)
	}
	p.line("session: %s", sessionARN(local.Requests()))

	// 4. A wrong external ID: the connection moves to another project, whose
	// external ID the role does not trust.
	p.step(4, "What a wrong external ID looks like: the connection is moved to project %s", otherProjectID)
	moved := conn
	moved.ProjectID = otherProjectID
	report = resolver.Check(ctx, moved)
	p.report("Connect check:", report)
	if report.OK() {
		return errors.New("the role was assumed with another project's external ID")
	}
	p.wrap("note: ", "the role belongs to project "+projectID+", so here the fix is on the platform's side: "+
		"keep the connection in that project (external ID "+externalID+"), or have the customer add the new ID as the hint says.")

	// 5. A missing permission: the policy grants no s3:GetObject.
	key := prefix + "2026-11-28.csv"
	p.step(5, "What a missing permission looks like: GetObject, which the policy does not grant")
	_, err = s3.GetObject(ctx, "", key)
	if err == nil {
		return errors.New("GetObject succeeded, but the permissions policy does not grant s3:GetObject")
	}
	need := s3conn.Requirements([]s3conn.Operation{s3conn.OpGetObject}, bucket, prefix)[0]
	p.report("", connectors.CheckReport{Steps: []connectors.CheckStep{connectors.ServiceStep("Amazon S3 GetObject", need, err)}})

	fmt.Fprintln(out)
	p.line("done: %d requests served by the local AWS, each signed, verified and checked against IAM policies.", len(local.Requests()))
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

// printer writes the demo's output: numbered steps, indented lines, JSON.
type printer struct{ w io.Writer }

func (p printer) title(s string) {
	fmt.Fprintf(p.w, "%s\n%s\n", s, strings.Repeat("=", len(s)))
}

func (p printer) step(n int, format string, args ...any) {
	fmt.Fprintf(p.w, "\n%d. %s\n", n, fmt.Sprintf(format, args...))
}

func (p printer) line(format string, args ...any) {
	fmt.Fprintf(p.w, "   %s\n", fmt.Sprintf(format, args...))
}

// wrap prints a long text after label, wrapped at 100 columns.
func (p printer) wrap(label, text string) {
	const width = 100
	indent := strings.Repeat(" ", len(label))
	line := label
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > width && strings.TrimSpace(line) != strings.TrimSpace(label) {
			p.line("%s", line)
			line = indent
		}
		if line != label && line != indent {
			line += " "
		}
		line += word
	}
	p.line("%s", line)
}

// report prints a check report's steps, with the hint and policy of each
// failed one.
func (p printer) report(label string, r connectors.CheckReport) {
	if label != "" {
		p.line("%s", label)
	}
	for _, st := range r.Steps {
		p.line("  [%s] %s", st.Status, st.Title)
		if st.Status == connectors.Passed || st.Status == connectors.Skipped {
			continue
		}
		p.wrap("      message: ", st.Message)
		p.wrap("      hint:    ", st.Hint)
		if st.PolicyToAdd != nil {
			p.json("      policy to add: ", st.PolicyToAdd)
		}
	}
}

// json prints a policy under label, indented one level deeper than it.
func (p printer) json(label string, d *policy.Document) {
	b, err := d.Indented()
	if err != nil {
		p.line("%s (cannot print: %v)", label, err)
		return
	}
	p.line("%s", strings.TrimRight(label, " "))
	indent := strings.Repeat(" ", len(label)-len(strings.TrimLeft(label, " "))+2)
	for _, l := range strings.Split(string(b), "\n") {
		p.line("%s%s", indent, l)
	}
}
