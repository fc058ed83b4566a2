// Command localaws serves the embedded local AWS (package
// github.com/awsconnect/awsconnect/localaws) as a program of its own, for
// clients in any language: the AWS CLI, another SDK, a platform's dev server
// or its CI job. Every request's SigV4 signature is verified and every call
// authorised against the caller's IAM policies, as AWS does.
//
//	go run ./examples/localaws                       # on 127.0.0.1:4566
//	go run ./examples/localaws -addr 127.0.0.1:0 \
//	    -seed seed.json -env-file localaws.env       # a free port; seeded
//
// It prints the environment a client needs (AWS_ENDPOINT_URL,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_DEFAULT_REGION)
// as shell export lines, and writes them to -env-file when given, once the
// server is listening, so that a script can wait for that file and source
// it. The credentials are those of -user: by default the platform account's
// user, whose policy may assume any role (trust policies decide); a seeded
// user's first seeded key, or a new key for a user the seed gave none.
//
// The seed file (-seed) creates accounts, users with fixed keys, managed
// policies, roles and resources before the server starts; see
// localaws.Seed for its JSON. A malformed seed file stops the program
// before it listens, with the file, line, column and field at fault.
//
// SIGINT or SIGTERM stops it: in-flight requests finish, then it exits 0.
//
// The local AWS is for tests: its keys are printed and anyone who can reach
// -addr can use them, so keep it on loopback.
package main
