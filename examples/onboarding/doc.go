// Command onboarding shows the one-click onboarding of the quickstart's
// connection (S3 listing and uploading under s3://acme-reports/exports/ for
// workspace 12345, project 6789), with no AWS account:
//
//  1. the platform derives the connection's external ID and builds the
//     onboarding kit from the S3 connector's requirements;
//  2. it prints what the customer may use to create the role: the
//     CloudFormation quick-create link, the template, the Terraform, the
//     AWS CLI script and the console steps;
//  3. the customer launches the stack (in the embedded local AWS), and the
//     platform fills the connection form from the customer's account ID
//     alone: the predicted role ARN passes Connect.
//
// Run it with:
//
//	go run ./examples/onboarding
package main
