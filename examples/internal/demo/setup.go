package demo

import (
	"io"

	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// Start starts the embedded local AWS that an example runs against and
// prints the example's title on out: what, then the server's address. The
// caller closes the server.
func Start(out io.Writer, what string) (*localaws.Server, Printer, error) {
	p := NewPrinter(out)
	local, err := localaws.Start()
	if err != nil {
		return nil, p, err
	}
	p.Title(what + ", against the embedded local AWS at " + local.URL())
	return local, p, nil
}

// Customer is the customer's side of an example: its account in the local
// AWS, where it creates the roles the platform assumes, pasting in the
// policies the platform generated for it.
//
// A Customer is safe for concurrent use as far as its Account is.
type Customer struct {
	// Account is the customer's account in the local AWS. Required.
	Account *localaws.Account
	// PlatformAccountID is the account the roles trust. Required.
	PlatformAccountID string
	// ExternalID is the external ID the platform derived for the customer,
	// which the generated trust policy requires. Required.
	ExternalID string
}

// NewCustomer creates account accountID in local, for a customer to whom the
// platform gave externalID.
func NewCustomer(local *localaws.Server, accountID, externalID string) (Customer, error) {
	a, err := local.CreateAccount(accountID)
	if err != nil {
		return Customer{}, err
	}
	return Customer{Account: a, PlatformAccountID: local.PlatformAccountID(), ExternalID: externalID}, nil
}

// CreateRole creates role name, with trust as its trust policy (nil for the
// one policy.TrustPolicy generates for the platform's account and the
// customer's external ID) and the policy.LeastPrivilege permissions policy
// for reqs. It returns the role's ARN.
func (c Customer) CreateRole(name string, trust *policy.Document, reqs ...policy.Requirement) (string, error) {
	var err error
	if trust == nil {
		if trust, err = policy.TrustPolicy(c.PlatformAccountID, c.ExternalID); err != nil {
			return "", err
		}
	}
	perms, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		return "", err
	}
	return c.Account.CreateRole(name, trust, localaws.WithPolicy("connector", perms))
}
