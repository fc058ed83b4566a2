// Package integration holds awsconnect's integration suite: tests that run
// the library against real implementations of the AWS APIs written by others,
// on loopback, so that a misunderstanding shared by the library and our own
// embedded AWS (localaws) cannot cancel out.
//
// The peers are MinIO, which implements STS AssumeRole (with session
// policies) and S3 and verifies the SigV4 signature of every request with the
// temporary credentials it issued, and AWS's Lambda Runtime Interface
// Emulator (RIE), which serves the Lambda Invoke API in front of the Go
// function in testdata/lambdafn.
//
// # Running
//
// The tests are behind the "integration" build tag. scripts/integration
// installs the pinned peers, builds the function, starts both peers on
// 127.0.0.1 with credentials generated for the run, and runs
//
//	go test -tags integration -count=1 ./...
//
// with these variables set:
//
//	AWSCONNECT_IT_MINIO_URL         MinIO's S3 and STS endpoint, http://127.0.0.1:PORT
//	AWSCONNECT_IT_MINIO_ACCESS_KEY  MinIO's root user (the "platform" identity)
//	AWSCONNECT_IT_MINIO_SECRET_KEY  its password
//	AWSCONNECT_IT_LAMBDA_URL        the RIE, http://127.0.0.1:PORT
//	AWSCONNECT_IT_REGION            the region both peers use (us-east-1)
//
// Each scripts/integration.d/NN-name.sh starts one more peer and exports
// its own variables; 20-awscli.sh serves examples/localaws with a platform
// and a customer account and names Debian's AWS CLI, for awscli_test.go
// (the role flow with the CLI as a second client) and onboarding_cli_test.go
// (the onboarding kit's CLI script run for real):
//
//	AWSCONNECT_IT_AWSCLI                       the AWS CLI v2 (/usr/bin/aws)
//	AWSCONNECT_IT_LOCALAWS_ENV                 the endpoint, region and platform key localaws printed
//	AWSCONNECT_IT_LOCALAWS_CUSTOMER_ACCESS_KEY the customer's administrator key
//	AWSCONNECT_IT_LOCALAWS_CUSTOMER_SECRET_KEY its secret
//
// Run with the tag but without those variables, the tests skip and say so.
//
// # What the peers do not do
//
// MinIO accepts any RoleArn and ignores ExternalId (the role.Cache still
// requires and sends it, which the tests check on the wire); the session
// policy is what it enforces. The RIE runs one invocation at a time and does
// not forward a function error's type header; see lambda_test.go.
package integration
