package connectors_test

import (
	"errors"
	"fmt"

	"github.com/awsconnect/awsconnect/connectors"
)

func ExampleConnection_Validate() {
	c := connectors.Connection{
		WorkspaceID: "12345",
		Kind:        "", // not chosen yet
		Region:      "us-east-9",
		Auth:        connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws:iam::12345678901:role/Connector"},
	}
	var ve *connectors.ValidationError
	if errors.As(c.Validate(), &ve) {
		for _, f := range ve.Fields {
			fmt.Printf("%s (%s): %s\n", f.Path, f.Label, f.Message)
		}
	}
	// Output:
	// kind (Connector kind): Connector kind is required; choose one of the registered connector kinds.
	// region (Region): "us-east-9" is not a known region; did you mean us-east-1 or us-east-2?
	// auth.role_arn (Role ARN): Invalid role ARN "arn:aws:iam::12345678901:role/Connector": account ID must be 12 digits, got 11.
}

func ExampleSecret() {
	auth := connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	fmt.Println(auth)
	fmt.Printf("%+v\n", auth.SecretAccessKey)
	// Output:
	// auth access_key AKIAIOSFODNN7EXAMPLE secret [REDACTED]
	// [REDACTED]
}

func ExampleResourceARN() {
	// The partition follows the region; an empty account means any.
	fmt.Println(connectors.ResourceARN("", "lambda", "eu-west-1", "", "function:orders"))
	fmt.Println(connectors.ResourceARN("", "logs", "cn-north-1", "111122223333", "log-group:app:*"))
	// Output:
	// arn:aws:lambda:eu-west-1:*:function:orders
	// arn:aws-cn:logs:cn-north-1:111122223333:log-group:app:*
}
