package signedhttp_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/awsconnect/awsconnect/connectors/signedhttp"
)

func ExampleParseHost() {
	for _, host := range []string{
		"runtime-v2-lex.eu-west-2.amazonaws.com",
		"email.us-east-1.amazonaws.com",
		"reports.s3.dualstack.ap-southeast-2.amazonaws.com",
		"sts.amazonaws.com",
	} {
		ep, err := signedhttp.ParseHost(host)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: service %s, region %s, bucket %q, dual-stack %v\n", host, ep.Service, ep.Region, ep.Bucket, ep.DualStack)
	}
	// Output:
	// runtime-v2-lex.eu-west-2.amazonaws.com: service lex, region eu-west-2, bucket "", dual-stack false
	// email.us-east-1.amazonaws.com: service ses, region us-east-1, bucket "", dual-stack false
	// reports.s3.dualstack.ap-southeast-2.amazonaws.com: service s3, region ap-southeast-2, bucket "reports", dual-stack true
	// sts.amazonaws.com: service sts, region us-east-1, bucket "", dual-stack false
}

// ExampleNew signs requests to an API with no dedicated connector, with the
// credentials of a resolved connection (here static ones, for brevity).
func ExampleNew() {
	cfg := aws.Config{
		Region:      "eu-west-1",
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("AKIAEXAMPLE", "secret", "")),
	}
	client := signedhttp.New(cfg).Client() // service and region come from each host
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		"https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders", nil)
	if err != nil {
		panic(err)
	}
	_ = client // client.Do(req) would send it signed for execute-api in eu-west-1
	fmt.Println(req.URL.Host)
	// Output: abc123.execute-api.eu-west-1.amazonaws.com
}

func ExampleRequirements() {
	reqs := signedhttp.Requirements([]string{"execute-api:Invoke"},
		"arn:aws:execute-api:eu-west-1:444455556666:a1b2c3/prod/GET/orders",
		"arn:aws:execute-api:eu-west-1:444455556666:a1b2c3/prod/POST/orders")
	for _, r := range reqs {
		fmt.Println(r.Action, r.Resource)
	}
	// Output:
	// execute-api:Invoke arn:aws:execute-api:eu-west-1:444455556666:a1b2c3/prod/GET/orders
	// execute-api:Invoke arn:aws:execute-api:eu-west-1:444455556666:a1b2c3/prod/POST/orders
}
