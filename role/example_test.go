package role_test

import (
	"errors"
	"fmt"

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
