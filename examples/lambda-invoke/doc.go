// Command lambda-invoke runs the Lambda, SES and CloudWatch connectors
// against the embedded local AWS, so it needs no AWS account: an order is
// processed by the customer's Lambda function, confirmed by email through
// SES, and recorded as a CloudWatch metric and log events.
//
//  1. the customer creates the role with the generated trust policy and one
//     least-privilege policy for the three connectors, and deploys the
//     function (a Go handler, with a version and a "live" alias);
//  2. the platform checks the three connections (the Connect button);
//  3. it invokes the function synchronously (with its log tail), shows a
//     function error as the typed error, and queues an asynchronous event;
//  4. it emails the confirmation through SES;
//  5. it records a metric and log events in CloudWatch and reads them back;
//  6. it shows, with the library's own hint, what a missing permission
//     looks like.
//
// Run it with:
//
//	go run ./examples/lambda-invoke
package main
