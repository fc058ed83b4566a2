package localaws_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// The platform asks who it is; every SDK client takes the server's Config.
func ExampleStart() {
	s, err := localaws.Start()
	if err != nil {
		panic(err)
	}
	defer s.Close()

	out, err := sts.NewFromConfig(s.Config(nil)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(*out.Arn)
	// Output: arn:aws:iam::111122223333:user/platform
}

// A customer role that trusts the platform with an external ID: the right
// ID gets a session in the customer's account, a wrong one AccessDenied.
func ExampleAccount_CreateRole() {
	s, err := localaws.Start()
	if err != nil {
		panic(err)
	}
	defer s.Close()

	trust, err := policy.TrustPolicy(s.PlatformAccountID(), "awsconnect_iam_external_id_12345")
	if err != nil {
		panic(err)
	}
	customer, err := s.CreateAccount("444455556666")
	if err != nil {
		panic(err)
	}
	roleARN, err := customer.CreateRole("connector", trust)
	if err != nil {
		panic(err)
	}

	client := sts.NewFromConfig(s.Config(nil))
	for _, id := range []string{"awsconnect_iam_external_id_12345", "awsconnect_iam_external_id_99999"} {
		out, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{
			RoleArn: aws.String(roleARN), RoleSessionName: aws.String("demo"), ExternalId: aws.String(id),
		})
		var ae smithy.APIError
		switch {
		case err == nil:
			fmt.Println(id, "->", *out.AssumedRoleUser.Arn)
		case errors.As(err, &ae):
			fmt.Println(id, "->", ae.ErrorCode())
		default:
			panic(err)
		}
	}
	// Output:
	// awsconnect_iam_external_id_12345 -> arn:aws:sts::444455556666:assumed-role/connector/demo
	// awsconnect_iam_external_id_99999 -> AccessDenied
}

// Faults make the SDK's retries and the library's error handling testable:
// here the first GetCallerIdentity fails with a 500 and the SDK retries it.
func ExampleServer_InjectFault() {
	s, err := localaws.Start()
	if err != nil {
		panic(err)
	}
	defer s.Close()

	if _, err := s.InjectFault(localaws.Fault{Service: "sts", Operation: "GetCallerIdentity",
		Kind: localaws.ServerError, Times: 1}); err != nil {
		panic(err)
	}
	c := s.PlatformCredentials()
	cfg := s.Config(credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""))
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		panic(err)
	}
	for _, e := range s.Requests() {
		fmt.Println(e.Operation, e.Status, e.ErrorCode, e.Fault)
	}
	// Output:
	// GetCallerIdentity 500 InternalFailure ServerError
	// GetCallerIdentity 200
}

// A Clock moves the server's time, so a test sees temporary credentials
// expire without sleeping.
func ExampleClock() {
	clock := localaws.NewClock(time.Now())
	s, err := localaws.Start(func(o *localaws.Options) {
		o.Now = clock.Now
		// The SDK signs on the wall clock: allow the server's clock to run
		// ahead of it, so the request is judged on its credentials.
		o.MaxClockSkew = time.Hour
	})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	ctx := context.Background()
	token, err := sts.NewFromConfig(s.Config(nil)).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		panic(err)
	}
	c := token.Credentials
	session := sts.NewFromConfig(s.Config(credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)))
	for _, wait := range []time.Duration{0, 16 * time.Minute} {
		clock.Add(wait)
		_, err := session.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		var ae smithy.APIError
		switch {
		case err == nil:
			fmt.Println("after", wait, "-> OK")
		case errors.As(err, &ae):
			fmt.Println("after", wait, "->", ae.ErrorCode())
		default:
			panic(err)
		}
	}
	// Output:
	// after 0s -> OK
	// after 16m0s -> ExpiredToken
}

// A server seeded from JSON answers to the seed's keys; a malformed seed is
// refused with the line, column and field at fault.
func ExampleParseSeed() {
	seed, err := localaws.ParseSeed("seed.json", []byte(`{"accounts": [{"id": "444455556666",
  "users": [{"name": "ci", "access_keys": [{"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}]}]}]}`))
	if err != nil {
		panic(err)
	}
	s, err := localaws.Start(func(o *localaws.Options) { o.Seed = seed })
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ci := s.Config(credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""))
	out, err := sts.NewFromConfig(ci).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(*out.Arn)

	_, err = localaws.ParseSeed("seed.json", []byte(`{"accounts": [{"id": "444455556666",
  "rolls": []}]}`))
	fmt.Println(err)
	// Output:
	// arn:aws:iam::444455556666:user/ci
	// localaws: seed.json:2:3: accounts[0]: unknown field "rolls"; the fields are buckets, email_identities, functions, id, log_groups, policies, roles, users
}
