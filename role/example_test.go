package role_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/role"
)

func ExampleParseRoleARN() {
	r, err := role.ParseRoleARN("arn:aws:iam::123456789012:role/service-role/Connector")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Partition, r.AccountID, r.Path, r.Name)

	_, err = role.ParseRoleARN("arn:aws:iam::12345678901:role/Connector")
	fmt.Println(errors.Is(err, role.ErrInvalidRoleARN))
	fmt.Println(err)
	// Output:
	// aws 123456789012 /service-role/ Connector
	// true
	// role: invalid role ARN "arn:aws:iam::12345678901:role/Connector": account ID must be 12 digits, got 11
}

func ExampleDeriveSessionName() {
	fmt.Println(role.DeriveSessionName("acme", "12345", "6789", ""))
	fmt.Println(role.DeriveSessionName("", "workspace 1", "", "conn/7"))
	// Output:
	// acme-12345-6789
	// awsconnect-workspace_1-conn_7
}

// ExampleCache shows the platform wiring: one Cache over the platform's STS
// client, one Provider per connection. It is compiled, not run: it needs AWS.
func ExampleCache() {
	ctx := context.Background()
	platformCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		panic(err)
	}
	cache := role.NewCache(sts.NewFromConfig(platformCfg), func(o *role.Options) {
		o.PlatformAccountID = "111122223333"
		o.Logger = slog.Default()
	})
	defer cache.Close()

	creds, err := cache.Provider(role.Spec{
		RoleARN:     "arn:aws:iam::123456789012:role/Connector",
		ExternalID:  "acme_iam_external_id_12345",
		WorkspaceID: "12345",
	})
	if err != nil {
		panic(err) // an invalid spec: errors.Is(err, role.ErrMissingExternalID), ...
	}
	cfg := platformCfg.Copy()
	cfg.Credentials = creds
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		var are *role.AssumeRoleError
		if errors.As(err, &are) {
			fmt.Println(are.Reason, are.Hint())
		}
	}
}
