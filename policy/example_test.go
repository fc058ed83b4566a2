package policy_test

import (
	"fmt"

	"github.com/awsconnect/awsconnect/policy"
)

// The trust policy a customer pastes into the role the platform assumes.
func ExampleTrustPolicy() {
	trust, err := policy.TrustPolicy("111122223333", "acme_iam_external_id_12345_6789")
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := trust.Indented()
	fmt.Println(string(b))

	platform := "arn:aws:iam::111122223333:role/platform"
	fmt.Println(trust.Admits(platform, "acme_iam_external_id_12345_6789"))
	fmt.Println(trust.AdmitsWithoutExternalID(platform))
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "PlatformAssumeRoleWithExternalID",
	//       "Effect": "Allow",
	//       "Principal": {
	//         "AWS": "arn:aws:iam::111122223333:root"
	//       },
	//       "Action": "sts:AssumeRole",
	//       "Condition": {
	//         "StringEquals": {
	//           "sts:ExternalId": "acme_iam_external_id_12345_6789"
	//         }
	//       }
	//     }
	//   ]
	// }
	// true
	// false
}

// Checking a trust policy the customer pasted: this one forgot the external
// ID, so anyone who learns the role ARN could make the platform assume it.
func ExampleDocument_CheckTrust() {
	pasted := `{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Effect": "Allow",
	    "Principal": {"AWS": "111122223333"},
	    "Action": "sts:AssumeRole"
	  }]
	}`
	trust, err := policy.Parse([]byte(pasted))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(trust.CheckTrust("arn:aws:iam::111122223333:role/platform", "acme_iam_external_id_12345"))
	// Output:
	// policy: trust policy admits the caller without an external ID: arn:aws:iam::111122223333:role/platform can assume the role with no external ID; add to its Allow statement the condition {"StringEquals": {"sts:ExternalId": "acme_iam_external_id_12345"}}
}

// Parse names the statement and element at fault.
func ExampleParse() {
	_, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"allow","Action":"s3:GetObject"}]}`))
	fmt.Println(err)
	// Output:
	// policy: Statement[0] (Sid "S3"): Effect: must be "Allow" or "Deny" (case-sensitive), got "allow"
}

// Evaluating a request with AWS's logic: an explicit deny wins.
func ExampleDocument_Evaluate() {
	d, _ := policy.Parse([]byte(`{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"},
	    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
	  ]
	}`))
	fmt.Println(d.Evaluate(policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/q1.csv"}))
	fmt.Println(d.Evaluate(policy.Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/q1.csv"}))
	fmt.Println(d.Evaluate(policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::other/q1.csv"}))
	// Output:
	// Allow
	// ExplicitDeny
	// ImplicitDeny
}
