// Command quickstart runs awsconnect's whole flow against the embedded local
// AWS, so it needs no AWS account:
//
//  1. the platform derives the external ID of one project;
//  2. the customer creates a role with the generated trust policy and a
//     least-privilege permissions policy;
//  3. the platform assumes the role through role.Cache and uploads and lists
//     S3 objects with the temporary credentials;
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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
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
	permissions, err := policy.LeastPrivilege(
		policy.Requirement{Action: "s3:PutObject", Resource: "arn:aws:s3:::" + bucket + "/" + prefix + "*"},
		policy.Requirement{Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + bucket},
	)
	if err != nil {
		return err
	}
	p.json("trust policy (pasted into the role's trust relationships):", trust)
	p.json("permissions policy (least privilege: upload under "+prefix+" and list the bucket):", permissions)
	customer := local.CreateAccount(customerAccount)
	if err := customer.CreateBucket(bucket); err != nil {
		return err
	}
	roleARN, err := customer.CreateRole(roleName, trust, localaws.WithPolicy("awsconnect-s3", permissions))
	if err != nil {
		return err
	}
	p.line("role ARN: %s", roleARN)

	// 3. The platform assumes the role and uses S3.
	p.step(3, "The platform assumes the role through role.Cache and uses S3")
	cache := role.NewCache(sts.NewFromConfig(local.Config(nil)), func(o *role.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
	})
	defer cache.Close()
	spec := role.Spec{RoleARN: roleARN, ExternalID: externalID, WorkspaceID: workspaceID, ProjectID: projectID}
	creds, err := cache.Provider(spec)
	if err != nil {
		return err
	}
	client := s3.NewFromConfig(local.Config(creds), func(o *s3.Options) {
		o.UsePathStyle = true // bucket.127.0.0.1 does not resolve
		o.RetryMaxAttempts = 1
	})
	for _, name := range []string{"2026-11-27.csv", "2026-11-28.csv"} {
		key := prefix + name
		body := "date,orders\n" + strings.TrimSuffix(name, ".csv") + ",42\n"
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			return fmt.Errorf("upload %s: %w", key, err)
		}
		p.line("uploaded s3://%s/%s (%d bytes)", bucket, key, len(body))
	}
	listed, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	p.line("s3://%s holds:", bucket)
	for _, o := range listed.Contents {
		p.line("  %-24s %3d bytes", *o.Key, *o.Size)
	}
	last := local.Requests()
	for _, e := range last {
		if e.Operation == "AssumeRole" {
			p.line("session: %s (decided %s by the trust policy)", sessionARN(last), e.Decision)
			break
		}
	}

	// 4a. A wrong external ID: another project's.
	otherID, err := deriver.ExternalID(scope.ProjectMode, workspaceID, otherProjectID)
	if err != nil {
		return err
	}
	p.step(4, "What a wrong external ID looks like (project %s's ID on project %s's role)", otherProjectID, projectID)
	wrong := spec
	wrong.ExternalID = otherID
	wrong.ProjectID = otherProjectID
	_, err = cache.Retrieve(ctx, wrong)
	var are *role.AssumeRoleError
	if !errors.As(err, &are) {
		return fmt.Errorf("want an AssumeRoleError for a wrong external ID, got %v", err)
	}
	p.wrap("error:  ", are.Error())
	p.line("reason: %s", are.Reason)
	p.wrap("hint:   ", are.Hint())
	p.wrap("note:   ", "here the role is project "+projectID+"'s, so the fix is on the platform's side: use that project's external ID, "+externalID+".")

	// 4b. A missing permission: the policy grants no s3:GetObject.
	key := prefix + "2026-11-28.csv"
	p.step(5, "What a missing permission looks like (GetObject, which the policy does not grant)")
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil {
		return errors.New("GetObject succeeded, but the permissions policy does not grant s3:GetObject")
	}
	need := policy.Requirement{Action: "s3:GetObject", Resource: "arn:aws:s3:::" + bucket + "/" + key}
	check := connectors.ServiceStep("Amazon S3 GetObject", need, err)
	p.line("step:    %s: %s", check.Title, check.Status)
	p.wrap("message: ", check.Message)
	p.wrap("hint:    ", check.Hint)
	if check.PolicyToAdd != nil {
		p.json("statement to add:", check.PolicyToAdd)
	}
	fmt.Fprintln(out)
	p.line("done: %d requests served by the local AWS, every one signed, verified and authorised.", len(local.Requests()))
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

func (p printer) json(label string, d *policy.Document) {
	b, err := d.Indented()
	if err != nil {
		p.line("%s (cannot print: %v)", label, err)
		return
	}
	p.line("%s", label)
	for _, l := range strings.Split(string(b), "\n") {
		p.line("  %s", l)
	}
}
