package awsconnect_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// The main flow, against the local AWS: a stored Connection, the Resolver
// that turns it into an aws.Config through the role cache, the Connect
// check, and a typed connector call.
func Example() {
	ctx := context.Background()
	local, err := localaws.Start()
	if err != nil {
		panic(err)
	}
	defer local.Close()

	// The customer's side: a role that trusts the platform with the
	// external ID the platform derived for workspace 12345, and may list
	// and write the bucket's exports/ prefix.
	var deriver scope.Deriver
	externalID, err := deriver.ExternalID(scope.WorkspaceMode, "12345", "")
	if err != nil {
		panic(err)
	}
	trust, err := policy.TrustPolicy(local.PlatformAccountID(), externalID)
	if err != nil {
		panic(err)
	}
	conn := connectors.Connection{
		ID: "reports", WorkspaceID: "12345", Kind: s3.KindName, Region: "us-east-1", Endpoint: local.URL(),
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws:iam::444455556666:role/awsconnect"},
		Fields: map[string]string{s3.FieldBucket: "acme-reports", s3.FieldPrefix: "exports/"},
	}
	ops, err := s3.Kind.ParseOperations([]string{"ListObjects", "PutObject"})
	if err != nil {
		panic(err)
	}
	reqs, err := s3.Kind.Requirements(conn, ops) // the operations, plus what Check needs
	if err != nil {
		panic(err)
	}
	permissions, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		panic(err)
	}
	customer, err := local.CreateAccount("444455556666")
	if err != nil {
		panic(err)
	}
	if err := customer.CreateBucket("acme-reports"); err != nil {
		panic(err)
	}
	if _, err := customer.CreateRole("awsconnect", trust, localaws.WithPolicy("s3", permissions)); err != nil {
		panic(err)
	}

	// The platform's side: Connection -> Resolver -> Check -> connector.
	platform := local.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(platform))
	defer cache.Close()
	resolver := connectors.NewResolver(platform, deriver, connectors.FixedMode(scope.WorkspaceMode), cache,
		func(o *connectors.Options) {
			o.PlatformAccountID = local.PlatformAccountID()
			o.AllowEndpoint = connectors.AllowHosts("127.0.0.1") // the local AWS listens on loopback
		})
	report := resolver.Check(ctx, conn)
	fmt.Println("check:", report.Status())
	for _, s := range report.Steps {
		fmt.Printf("  %s: %s\n", s.ID, s.Status)
	}
	cfg, err := resolver.Config(ctx, conn)
	if err != nil {
		panic(err)
	}
	bucket, err := s3.NewFromConnection(cfg, conn)
	if err != nil {
		panic(err)
	}
	if _, err := bucket.PutObject(ctx, "", "exports/2026-11-28.csv", strings.NewReader("date,orders\n2026-11-28,42\n")); err != nil {
		panic(err)
	}
	for e, err := range bucket.ListObjects(ctx, "", s3.ListOptions{}) {
		if err != nil {
			panic(err)
		}
		fmt.Println("listed:", e.Key, e.Size)
	}
	// Output:
	// check: passed
	//   fields_valid: passed
	//   role_assumed: passed
	//   external_id_required: passed
	//   service_reachable: passed
	// listed: exports/2026-11-28.csv 26
}
