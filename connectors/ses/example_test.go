package ses_test

import (
	"fmt"

	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/policy"
)

func ExampleValidateAddress() {
	for _, s := range []string{"Ann Lee <ann@example.com>", "ann@", "ann@localhost"} {
		a, err := ses.ValidateAddress("To[0]", s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(a.Address)
	}
	// Output:
	// ann@example.com
	// ses: invalid email address: To[0]: "ann@": missing '@' or angle-addr; write it as name@example.com or "Name <name@example.com>"
	// ses: invalid email address: To[0]: "ann@localhost": the domain "localhost" has no dot; SES delivers only to fully qualified domains
}

func ExampleRequirements() {
	reqs, err := ses.Requirements(ses.Target{Region: "eu-west-1", AccountID: "444455556666", Identity: "shop.example"}, ses.OpSend, ses.OpSendRaw, ses.OpGetAccount)
	if err != nil {
		panic(err)
	}
	doc, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		panic(err)
	}
	fmt.Println(doc)
	// Output:
	// {"Version":"2012-10-17","Statement":[{"Sid":"SESAllResources","Effect":"Allow","Action":"ses:GetAccount","Resource":"*"},{"Sid":"SESIdentity","Effect":"Allow","Action":["ses:SendEmail","ses:SendRawEmail"],"Resource":"arn:aws:ses:eu-west-1:444455556666:identity/shop.example"}]}
}
