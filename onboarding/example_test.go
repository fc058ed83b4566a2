package onboarding_test

import (
	"fmt"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

// The platform builds the kit for a connection that lists and uploads S3
// objects under one prefix, then gives the customer a quick-create link
// and fills its connection form from the customer's account ID.
func Example() {
	reqs := []policy.Requirement{
		{Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-reports",
			Condition: policy.Conditions{"StringLike": {"s3:prefix": {"exports/*"}}}},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-reports/exports/*"},
	}
	kit, err := onboarding.NewFromRequirements("111122223333", "awsconnect_iam_external_id_12345_6789",
		"awsconnect-platform", reqs)
	if err != nil {
		panic(err)
	}
	link, err := kit.QuickCreateURL("https://acme-onboarding.s3.us-east-1.amazonaws.com/roles/reports.json")
	if err != nil {
		panic(err)
	}
	fmt.Println(link)
	arn, err := kit.RoleARN("444455556666")
	if err != nil {
		panic(err)
	}
	fmt.Println(arn)
	// Output:
	// https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/create/review?param_RoleName=awsconnect-platform&stackName=awsconnect-platform&templateURL=https%3A%2F%2Facme-onboarding.s3.us-east-1.amazonaws.com%2Froles%2Freports.json
	// arn:aws:iam::444455556666:role/awsconnect-platform
}

func ExampleNew_badRoleName() {
	perms, _ := policy.LeastPrivilege(policy.Requirement{Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-reports/exports/*"})
	_, err := onboarding.New("111122223333", "awsconnect_iam_external_id_12345", "acme platform", perms)
	fmt.Println(err)
	// Output:
	// onboarding: invalid role name: "acme platform" has " " at position 5; IAM takes only letters, digits and +=,.@_-
}
