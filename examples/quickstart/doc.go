// Command quickstart runs awsconnect's whole flow against the embedded local
// AWS, so it needs no AWS account:
//
//  1. the platform derives the external ID of one project;
//  2. the customer creates a role with the generated trust policy and a
//     least-privilege permissions policy for the S3 connector;
//  3. the platform checks the connection (the Connect button), assumes the
//     role through role.Cache and uploads and lists S3 objects;
//  4. it shows, with the library's own hints, what a wrong external ID and a
//     missing permission look like;
//  5. it prints the cache's OpenTelemetry metrics, as the platform's
//     monitoring would read them.
//
// Run it with:
//
//	go run ./examples/quickstart
package main
