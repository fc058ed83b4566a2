package lambda_test

import (
	"fmt"

	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/policy"
)

func ExampleParseFunction() {
	for _, s := range []string{"orders", "orders:live", "444455556666:function:orders:3", "arn:aws:lambda:eu-west-1:444455556666:function:orders"} {
		f, err := lambda.ParseFunction(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-55s name=%s qualifier=%q -> %s\n", s, f.Name, f.Qualifier, f.ARN("aws", "us-east-1", "444455556666"))
	}
	_, err := lambda.ParseFunction("orders:bad*alias")
	fmt.Println(err)
	// Output:
	// orders                                                  name=orders qualifier="" -> arn:aws:lambda:us-east-1:444455556666:function:orders
	// orders:live                                             name=orders qualifier="live" -> arn:aws:lambda:us-east-1:444455556666:function:orders:live
	// 444455556666:function:orders:3                          name=orders qualifier="3" -> arn:aws:lambda:us-east-1:444455556666:function:orders:3
	// arn:aws:lambda:eu-west-1:444455556666:function:orders   name=orders qualifier="" -> arn:aws:lambda:eu-west-1:444455556666:function:orders
	// lambda: invalid function: "orders:bad*alias": qualifier "bad*alias" must be a version number, $LATEST or an alias (1-128 letters, digits, '-' or '_')
}

func ExampleRequirements() {
	reqs, err := lambda.Requirements(lambda.Target{Region: "us-east-1", AccountID: "444455556666", Function: "orders:live"},
		lambda.OpInvoke, lambda.OpListFunctions)
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
	//       "Sid": "LambdaAllResources",
	//       "Effect": "Allow",
	//       "Action": "lambda:ListFunctions",
	//       "Resource": "*"
	//     },
	//     {
	//       "Sid": "LambdaFunction",
	//       "Effect": "Allow",
	//       "Action": "lambda:InvokeFunction",
	//       "Resource": "arn:aws:lambda:us-east-1:444455556666:function:orders:live"
	//     }
	//   ]
	// }
}
