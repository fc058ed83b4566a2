package s3_test

import (
	"fmt"

	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/policy"
)

func ExampleRequirements() {
	reqs := s3c.Requirements([]s3c.Operation{s3c.OpListObjects, s3c.OpGetObject, s3c.OpUpload}, "acme-reports", "reports/")
	doc, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		panic(err)
	}
	out, _ := doc.Indented()
	fmt.Println(string(out))
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "S3BucketWithCondition",
	//       "Effect": "Allow",
	//       "Action": "s3:ListBucket",
	//       "Resource": "arn:aws:s3:::acme-reports",
	//       "Condition": {
	//         "StringLike": {
	//           "s3:prefix": "reports/*"
	//         }
	//       }
	//     },
	//     {
	//       "Sid": "S3Object",
	//       "Effect": "Allow",
	//       "Action": [
	//         "s3:AbortMultipartUpload",
	//         "s3:GetObject",
	//         "s3:PutObject"
	//       ],
	//       "Resource": "arn:aws:s3:::acme-reports/reports/*"
	//     }
	//   ]
	// }
}
