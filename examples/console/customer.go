package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
)

// The demo customer's account in the local AWS and what it holds, so that
// every connector kind has something to connect to.
const (
	customerAccountID = "444455556666"
	customerAdmin     = "admin"
	demoBucket        = "acme-reports"
	demoFunction      = "orders"
	demoIdentity      = "notifications@example.com"
	demoLogGroup      = "/acme/orders"
	// permissionsPolicyName is the inline policy the demo puts on a role.
	permissionsPolicyName = "awsconnect-connector"
)

// customer stands in for the customer in their IAM console: it creates,
// repairs and breaks roles in the demo account of the local AWS through the
// IAM API (the SDK's iam client, signed with the account administrator's
// key), as `aws iam update-assume-role-policy` would. It is part of the demo,
// not of the platform: a real platform never holds a customer's keys.
type customer struct {
	accountID string
	iam       *iam.Client
}

// newCustomer creates the demo customer's account in local with its
// administrator and the resources the connector kinds reach.
func newCustomer(local *localaws.Server) (*customer, error) {
	acct, err := local.CreateAccount(customerAccountID)
	if err != nil {
		return nil, err
	}
	if _, err := acct.CreateUser(customerAdmin); err != nil {
		return nil, err
	}
	admin, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	if err != nil {
		return nil, err
	}
	if err := acct.PutUserPolicy(customerAdmin, "administrator", admin); err != nil {
		return nil, err
	}
	key, err := acct.CreateAccessKey(customerAdmin)
	if err != nil {
		return nil, err
	}
	if err := acct.CreateBucket(demoBucket); err != nil {
		return nil, err
	}
	if _, err := acct.CreateFunction(demoFunction, func(_ context.Context, in map[string]any) (map[string]any, error) {
		return map[string]any{"ok": true, "echo": in}, nil
	}); err != nil {
		return nil, err
	}
	acct.VerifyEmailIdentity(demoIdentity)
	if err := acct.CreateLogGroup(demoLogGroup); err != nil {
		return nil, err
	}
	cfg := local.Config(aws.NewCredentialsCache(staticKey(key)))
	return &customer{accountID: acct.ID(), iam: iam.NewFromConfig(cfg)}, nil
}

// staticKey serves one fixed access key.
type staticKey aws.Credentials

func (k staticKey) Retrieve(context.Context) (aws.Credentials, error) { return aws.Credentials(k), nil }

// owns reports whether roleARN is a role of the demo account, and its name.
func (c *customer) owns(roleARN string) (string, bool) {
	r, err := role.ParseRoleARN(roleARN)
	if err != nil || r.AccountID != c.accountID {
		return "", false
	}
	return r.Name, true
}

// putRole creates the role with trust and permissions, or, when it exists,
// replaces both: what the customer does when they follow the console's setup
// steps, or repair a role.
func (c *customer) putRole(ctx context.Context, roleARN string, trust, permissions *policy.Document) error {
	name, ok := c.owns(roleARN)
	if !ok {
		return fmt.Errorf("role %s is not in the demo customer's account %s of the local AWS", roleARN, c.accountID)
	}
	r, _ := role.ParseRoleARN(roleARN)
	trustJSON, err := trust.JSON()
	if err != nil {
		return err
	}
	_, err = c.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), Path: aws.String(r.Path),
		AssumeRolePolicyDocument: aws.String(string(trustJSON))})
	var exists *iamtypes.EntityAlreadyExistsException
	switch {
	case errors.As(err, &exists):
		if err := c.setTrust(ctx, name, trust); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("create role %s: %w", name, err)
	}
	if permissions == nil {
		return nil
	}
	permJSON, err := permissions.JSON()
	if err != nil {
		return err
	}
	if _, err := c.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name),
		PolicyName: aws.String(permissionsPolicyName), PolicyDocument: aws.String(string(permJSON))}); err != nil {
		return fmt.Errorf("put the permissions policy of role %s: %w", name, err)
	}
	return nil
}

// setTrustOf replaces the trust policy of an existing role of the account.
func (c *customer) setTrustOf(ctx context.Context, roleARN string, trust *policy.Document) error {
	name, ok := c.owns(roleARN)
	if !ok {
		return fmt.Errorf("role %s is not in the demo customer's account %s of the local AWS", roleARN, c.accountID)
	}
	return c.setTrust(ctx, name, trust)
}

func (c *customer) setTrust(ctx context.Context, name string, trust *policy.Document) error {
	b, err := trust.JSON()
	if err != nil {
		return err
	}
	if _, err := c.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(name),
		PolicyDocument: aws.String(string(b))}); err != nil {
		return fmt.Errorf("update the trust policy of role %s: %w", name, err)
	}
	return nil
}

// brokenExternalID is what "break the role" writes into its trust policy:
// an external ID the platform never sends, as when the customer mistypes it.
const brokenExternalID = "acme_iam_external_id_typo"
