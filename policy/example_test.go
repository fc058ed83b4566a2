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
// Trusting the platform's own role, here in AWS GovCloud (US), admits that
// role's sessions and no other principal of the platform account.
func ExampleTrustPolicy_role() {
	platformRole := "arn:aws-us-gov:iam::111122223333:role/platform"
	trust, err := policy.TrustPolicy(platformRole, "acme_iam_external_id_12345")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(trust.Statement[0].Principal.AWS)
	fmt.Println(trust.Admits("arn:aws-us-gov:sts::111122223333:assumed-role/platform/awsconnect", "acme_iam_external_id_12345"))
	fmt.Println(trust.Admits("arn:aws-us-gov:iam::111122223333:role/intern", "acme_iam_external_id_12345"))
	// Output:
	// [arn:aws-us-gov:iam::111122223333:role/platform]
	// true
	// false
}

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

// The least-privilege policy for an S3 connector that reads and writes one
// bucket's objects: bucket-level and object-level actions land in separate
// statements, and "*" only for ListAllMyBuckets, which supports no
// resource-level permission.
func ExampleLeastPrivilege() {
	d, err := policy.LeastPrivilege(
		policy.Requirement{Action: "s3:ListAllMyBuckets"},
		policy.Requirement{Action: "s3:ListBucket", Resource: "arn:aws:s3:::reports"},
		policy.Requirement{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*"},
		policy.Requirement{Action: "s3:PutObject", Resource: "arn:aws:s3:::reports/*"},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := d.Indented()
	fmt.Println(string(b))
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "S3AllResources",
	//       "Effect": "Allow",
	//       "Action": "s3:ListAllMyBuckets",
	//       "Resource": "*"
	//     },
	//     {
	//       "Sid": "S3Bucket",
	//       "Effect": "Allow",
	//       "Action": "s3:ListBucket",
	//       "Resource": "arn:aws:s3:::reports"
	//     },
	//     {
	//       "Sid": "S3Object",
	//       "Effect": "Allow",
	//       "Action": [
	//         "s3:GetObject",
	//         "s3:PutObject"
	//       ],
	//       "Resource": "arn:aws:s3:::reports/*"
	//     }
	//   ]
	// }
}

// Lint findings for a hand-written policy with three classic mistakes.
func ExampleLint() {
	d, _ := policy.Parse([]byte(`{
	  "Statement": [
	    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports"},
	    {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}
	  ]
	}`))
	for _, f := range policy.Lint(d, policy.IdentityPolicyKind) {
		fmt.Println(f)
	}
	// Output:
	// WARNING MISSING_VERSION document: no Version element, so IAM reads the policy as 2008-10-17 and policy variables such as ${aws:username} stay literal text; add "Version": "2012-10-17"
	// ERROR RESOURCE_TYPE_MISMATCH Statement[0]: s3:GetObject acts on accesspointobject ARNs (arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}) or object ARNs (arn:${Partition}:s3:::${BucketName}/${ObjectName}), and none of this statement's resources is one, so the grant has no effect; instead of arn:aws:s3:::reports use arn:aws:s3:::reports/*
	// WARNING RESOURCE_MATCHES_NO_ACTION Statement[0]: resource arn:aws:s3:::reports is of no type that this statement's actions act on, so it grants nothing; remove it or move it to a statement with the right actions
	// SECURITY_WARNING STAR_RESOURCE_FOR_RESOURCE_LEVEL_ACTION Statement[1]: "Resource": "*" grants lambda:InvokeFunction on every resource, though it supports resource-level permissions; list the ARNs instead
}

// Which resource type an action needs, and its ARN for one bucket.
func ExampleLookupAction() {
	a, _ := policy.LookupAction("s3:GetObject")
	for _, rt := range a.ResourceTypes() {
		fmt.Println(a, a.Access, rt.Name, rt.ARN())
	}
	rt, _ := policy.LookupResourceType("s3", "object")
	arn, _ := rt.Format(map[string]string{"BucketName": "reports", "ObjectName": "*"})
	fmt.Println(arn)
	// Output:
	// s3:GetObject Read accesspointobject arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}
	// s3:GetObject Read object arn:${Partition}:s3:::${BucketName}/${ObjectName}
	// arn:aws:s3:::reports/*
}

// How the embedded AWS authorises a call made with role credentials whose
// AssumeRole passed a session policy: the identity policy allows S3 reads
// and writes, the session policy narrows the session to reads.
func ExampleEvaluateAll() {
	identity, _ := policy.Parse([]byte(`{"Version": "2012-10-17", "Statement": [
	  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}]}`))
	session, _ := policy.Parse([]byte(`{"Version": "2012-10-17", "Statement": [
	  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`))
	get := policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/q1.csv"}
	put := policy.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::reports/q1.csv"}
	fmt.Println(policy.EvaluateAll(get, session, identity))
	fmt.Println(policy.EvaluateAll(put, session, identity))
	fmt.Println(policy.EvaluateAll(put, nil, identity))
	// Output:
	// Allow
	// ImplicitDeny
	// Allow
}
