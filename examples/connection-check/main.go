package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
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
	prefix          = "exports/"
	botID           = "FLOWERSBOT"
)

func main() { demo.Main("connection-check", run) }

func run(ctx context.Context, out io.Writer) error {
	local, p, err := demo.Start(out, "awsconnect connection checks")
	if err != nil {
		return err
	}
	defer local.Close()

	// The platform: its base config, the external-ID deriver, the workspace's
	// scope mode and the role cache, wired into a Resolver.
	base := local.Config(nil)
	var deriver scope.Deriver
	mode := connectors.FixedMode(scope.WorkspaceMode)
	cache := role.NewCache(sts.NewFromConfig(base), func(o *role.Options) { o.PlatformAccountID = local.PlatformAccountID() })
	defer cache.Close()
	resolver := connectors.NewResolver(base, deriver, mode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
		// The local AWS listens on 127.0.0.1, which the endpoint policy
		// refuses by default; allow it explicitly.
		o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
	})
	externalID, err := deriver.ExternalID(scope.WorkspaceMode, workspaceID, "")
	if err != nil {
		return err
	}
	p.Line("workspace %s's external ID: %s", workspaceID, externalID)

	// The customer's account, bucket and bot.
	cust, err := demo.NewCustomer(local, customerAccount, externalID)
	if err != nil {
		return err
	}
	if err := cust.Account.CreateBucket(bucket); err != nil {
		return err
	}
	err = cust.Account.CreateLexBot(localaws.LexBot{ID: botID, Intents: []localaws.LexIntent{
		{Name: "OrderFlowers", Utterances: []string{"I want flowers"}, Fulfillment: "Done."}}})
	if err != nil {
		return err
	}
	s3Reqs := s3conn.Requirements(s3conn.AllOperations(), bucket, prefix)
	healthy, err := cust.CreateRole("healthy", nil, s3Reqs...)
	if err != nil {
		return err
	}
	openTrust, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::` + local.PlatformAccountID() + `:root"},"Action":"sts:AssumeRole"}]}`))
	if err != nil {
		return err
	}
	open, err := cust.CreateRole("no-external-id", openTrust, s3Reqs...)
	if err != nil {
		return err
	}
	otherTrust, err := policy.TrustPolicy(local.PlatformAccountID(), "another_platform_tenant")
	if err != nil {
		return err
	}
	foreign, err := cust.CreateRole("other-external-id", otherTrust, s3Reqs...)
	if err != nil {
		return err
	}
	getOnly, err := cust.CreateRole("get-only", nil, s3conn.Requirements([]s3conn.Operation{s3conn.OpGetObject}, bucket, prefix)...)
	if err != nil {
		return err
	}
	lexRole, err := cust.CreateRole("lex", nil, lex.Requirements(lex.AllOperations(), "us-east-1", customerAccount, botID, lex.DefaultAliasID)...)
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
		p.Step(i+1, "%s", c.title)
		last = resolver.Check(ctx, c.conn)
		p.Block(last.String())
	}

	// A report is a value a UI renders; this is its JSON.
	j, err := json.MarshalIndent(last.Steps[len(last.Steps)-1], "", "  ")
	if err != nil {
		return err
	}
	p.Step(len(cases)+1, "the last step as JSON, for a UI")
	p.Block(string(j))
	return nil
}
