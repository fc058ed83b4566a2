package cloudwatch_test

import (
	"fmt"

	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/policy"
)

func ExampleRequirements() {
	reqs, err := cloudwatch.Requirements(cloudwatch.Target{Region: "us-east-1", AccountID: "444455556666", Namespace: "Shop", LogGroup: "/shop/orders"},
		cloudwatch.OpPutMetricData, cloudwatch.OpCreateLogStream, cloudwatch.OpPutLogEvents)
	if err != nil {
		panic(err)
	}
	doc, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		panic(err)
	}
	b, _ := doc.Indented()
	fmt.Println(string(b))
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "CloudWatchAllResourcesWithCondition",
	//       "Effect": "Allow",
	//       "Action": "cloudwatch:PutMetricData",
	//       "Resource": "*",
	//       "Condition": {
	//         "StringEquals": {
	//           "cloudwatch:namespace": "Shop"
	//         }
	//       }
	//     },
	//     {
	//       "Sid": "LogsLogStream",
	//       "Effect": "Allow",
	//       "Action": [
	//         "logs:CreateLogStream",
	//         "logs:PutLogEvents"
	//       ],
	//       "Resource": "arn:aws:logs:us-east-1:444455556666:log-group:/shop/orders:log-stream:*"
	//     }
	//   ]
	// }
}
