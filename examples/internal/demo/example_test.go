package demo_test

import (
	"os"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/examples/internal/demo"
	"github.com/awsconnect/awsconnect/policy"
)

func ExamplePrinter() {
	p := demo.NewPrinter(os.Stdout)
	p.Title("awsconnect demo")
	p.Step(1, "The platform derives the external ID of workspace %s", "12345")
	p.Line("external ID: %s", "awsconnect_iam_external_id_12345")
	p.Wrap("note: ", "the customer pastes the trust policy into the role's trust relationships, "+
		"and the platform never sees a long-lived key of the customer's account.")
	p.Block("check of connection \"reports\" (s3): passed\n  [passed] Connection fields valid\n")
	// Output:
	// awsconnect demo
	// ===============
	//
	// 1. The platform derives the external ID of workspace 12345
	//    external ID: awsconnect_iam_external_id_12345
	//    note: the customer pastes the trust policy into the role's trust relationships, and the platform
	//          never sees a long-lived key of the customer's account.
	//    check of connection "reports" (s3): passed
	//      [passed] Connection fields valid
}

func ExamplePrinter_Report() {
	need := policy.Requirement{Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-reports/exports/*"}
	report := connectors.CheckReport{Steps: []connectors.CheckStep{
		{Status: connectors.Passed, Title: "Role assumed with the external ID"},
		{Status: connectors.Failed, Title: "Amazon S3 GetObject", Message: "The credentials lack s3:GetObject.",
			Cause: connectors.CausePermissionMissing, Actor: connectors.ActorCustomer, Hint: "Add the statement below to the role's permissions policy.", PolicyToAdd: mustLeastPrivilege(need)},
	}}
	demo.NewPrinter(os.Stdout).Report("Connect check:", report)
	// Output:
	//    Connect check:
	//      [passed] Role assumed with the external ID
	//      [failed] Amazon S3 GetObject
	//          message: The credentials lack s3:GetObject.
	//          cause:   permission_missing (to act: customer)
	//          hint:    Add the statement below to the role's permissions policy.
	//          policy to add:
	//            {
	//              "Version": "2012-10-17",
	//              "Statement": [
	//                {
	//                  "Sid": "S3Object",
	//                  "Effect": "Allow",
	//                  "Action": "s3:GetObject",
	//                  "Resource": "arn:aws:s3:::acme-reports/exports/*"
	//                }
	//              ]
	//            }
}

func mustLeastPrivilege(reqs ...policy.Requirement) *policy.Document {
	d, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		panic(err)
	}
	return d
}
