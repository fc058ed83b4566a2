// Command connection-check shows the Connect button's answer for a healthy
// connection and for each common way a connection goes wrong, against the
// embedded local AWS (no AWS account needed):
//
//   - a healthy S3 connection restricted to a bucket and prefix;
//   - a role whose trust policy does not require the external ID (warned);
//   - a role that trusts another external ID (failed, with the trust policy to set);
//   - a role without the permission the connector needs (failed, with the statement to add);
//   - a connection form with invalid fields;
//   - a Lex connection, and one pointed at an endpoint that does not answer.
//
// Run it with:
//
//	go run ./examples/connection-check
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const (
	workspaceID     = "12345"
	customerAccount = "444455556666"
	bucket          = "acme-reports"
	prefix          = "exports/"
	botID           = "FLOWERSBOT"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := run(ctx, os.Stdout)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "connection-check:", err)
		os.Exit(1)
	}
}

// customer is the customer's side: the roles it creates, as it would in the
// IAM console.
type customer struct {
	account    *localaws.Account
	platformID string
	externalID string
}

// role creates a role with the given trust policy (nil: the generated one,
// requiring the external ID) and permissions.
func (c customer) role(name string, trust *policy.Document, reqs ...policy.Requirement) (string, error) {
	var err error
	if trust == nil {
		if trust, err = policy.TrustPolicy(c.platformID, c.externalID); err != nil {
			return "", err
		}
	}
	perms, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		return "", err
	}
	return c.account.CreateRole(name, trust, localaws.WithPolicy("connector", perms))
}

func run(ctx context.Context, out io.Writer) error {
	local, err := localaws.Start()
	if err != nil {
		return err
	}
	defer local.Close()
	fmt.Fprintf(out, "connection checks against the embedded local AWS at %s\n", local.URL())

	// The platform: its base config, the external-ID deriver, the workspace's
	// scope mode and the role cache, wired into a Resolver.
	base := local.Config(nil)
	var deriver scope.Deriver
	mode := func(context.Context, string) (scope.Mode, error) { return scope.WorkspaceMode, nil }
	cache := role.NewCache(sts.NewFromConfig(base), func(o *role.Options) { o.PlatformAccountID = local.PlatformAccountID() })
	defer cache.Close()
	resolver := connectors.NewResolver(base, deriver, mode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
	})
	externalID, err := deriver.ExternalID(scope.WorkspaceMode, workspaceID, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "workspace %s's external ID: %s\n", workspaceID, externalID)

	// The customer's account, bucket and bot.
	cust := customer{account: local.CreateAccount(customerAccount), platformID: local.PlatformAccountID(), externalID: externalID}
	if err := cust.account.CreateBucket(bucket); err != nil {
		return err
	}
	err = cust.account.CreateLexBot(localaws.LexBot{ID: botID, Intents: []localaws.LexIntent{
		{Name: "OrderFlowers", Utterances: []string{"I want flowers"}, Fulfillment: "Done."}}})
	if err != nil {
		return err
	}
	s3Reqs := s3conn.Requirements(s3conn.AllOperations(), bucket, prefix)
	healthy, err := cust.role("healthy", nil, s3Reqs...)
	if err != nil {
		return err
	}
	openTrust, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::` + local.PlatformAccountID() + `:root"},"Action":"sts:AssumeRole"}]}`))
	if err != nil {
		return err
	}
	open, err := cust.role("no-external-id", openTrust, s3Reqs...)
	if err != nil {
		return err
	}
	otherTrust, err := policy.TrustPolicy(local.PlatformAccountID(), "another_platform_tenant")
	if err != nil {
		return err
	}
	foreign, err := cust.role("other-external-id", otherTrust, s3Reqs...)
	if err != nil {
		return err
	}
	getOnly, err := cust.role("get-only", nil, s3conn.Requirements([]s3conn.Operation{s3conn.OpGetObject}, bucket, prefix)...)
	if err != nil {
		return err
	}
	lexRole, err := cust.role("lex", nil, lex.Requirements(lex.AllOperations(), "us-east-1", customerAccount, botID, lex.DefaultAliasID)...)
	if err != nil {
		return err
	}

	s3Conn := func(id, roleARN string) connectors.Connection {
		return connectors.Connection{ID: id, WorkspaceID: workspaceID, Kind: s3conn.KindName, Region: "us-east-1",
			Endpoint: local.URL(), Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: roleARN},
			Fields: map[string]string{"bucket": bucket, "prefix": prefix}}
	}
	lexConn := connectors.Connection{ID: "lex-bot", WorkspaceID: workspaceID, Kind: lex.KindName, Region: "us-east-1",
		Endpoint: local.URL(), Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: lexRole},
		Fields: map[string]string{"bot_id": botID}}
	unreachable := lexConn
	unreachable.ID, unreachable.Endpoint = "lex-wrong-endpoint", "http://127.0.0.1:1"
	invalid := s3Conn("typos", "arn:aws:iam::44445555666:role/healthy")
	invalid.Region = "us-east-9"
	invalid.Fields = map[string]string{"bucket": "Acme_Reports"}

	cases := []struct {
		title string
		conn  connectors.Connection
	}{
		{"a healthy S3 connection", s3Conn("s3-healthy", healthy)},
		{"a role that does not require the external ID", s3Conn("s3-open", open)},
		{"a role that trusts another external ID", s3Conn("s3-foreign", foreign)},
		{"a role without the connector's permission", s3Conn("s3-get-only", getOnly)},
		{"a connection form with typos", invalid},
		{"a healthy Lex connection", lexConn},
		{"a Lex connection to an endpoint that does not answer", unreachable},
	}
	var last connectors.CheckReport
	for i, c := range cases {
		fmt.Fprintf(out, "\n%d. %s\n", i+1, c.title)
		last = resolver.Check(ctx, c.conn)
		fmt.Fprint(out, last)
	}

	// A report is a value a UI renders; this is its JSON.
	j, err := json.MarshalIndent(last.Steps[len(last.Steps)-1], "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nthe last step as JSON, for a UI:\n%s\n", j)
	return nil
}
