package localaws

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// testSeed is a seed file as a platform would write one: a customer admin
// with a fixed key, a role the platform may assume, and resources.
const testSeed = `{
  "accounts": [
    {
      "id": "111122223333",
      "users": [{"name": "platform", "access_keys": [{"access_key_id": "AKIAPLATFORMSEED0001", "secret_access_key": "platform-secret-0123456789"}]}]
    },
    {
      "id": "444455556666",
      "users": [
        {"name": "admin",
         "policies": {"all": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
         "access_keys": [{"access_key_id": "AKIACUSTOMERSEED0001", "secret_access_key": "customer-secret-0123456789"}]}
      ],
      "policies": [{"name": "reports", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::reports"}]}}],
      "roles": [
        {"name": "awsconnect", "path": "/integrations/",
         "trust_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "awsconnect_iam_external_id_12345_6789"}}}]},
         "policies": {"invoke": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:444455556666:function:*"}]}},
         "managed_policies": ["reports"],
         "max_session_duration_seconds": 7200,
         "tags": {"team": "data"}}
      ],
      "buckets": ["reports"],
      "functions": [{"name": "echo"}, {"name": "hello", "response": {"greeting": "hello"}}],
      "log_groups": ["/platform/app"],
      "email_identities": ["example.com"]
    }
  ]
}`

// TestSeed: a seeded server answers to the seed's keys and holds its
// roles and resources.
func TestSeed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "seed.json")
	require.NoError(t, os.WriteFile(path, []byte(testSeed), 0o600))
	seed, err := LoadSeed(path)
	require.NoError(t, err)
	s := startServer(t, func(o *Options) { o.Seed = seed })
	ctx := t.Context()

	platform := s.Config(credentials.NewStaticCredentialsProvider("AKIAPLATFORMSEED0001", "platform-secret-0123456789", ""))
	out, err := sts.NewFromConfig(platform).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::444455556666:role/integrations/awsconnect"), RoleSessionName: aws.String("seeded"),
		ExternalId: aws.String(externalID), DurationSeconds: aws.Int32(7200),
	})
	require.NoError(t, err, "the seeded platform key assumes the seeded role for its seeded maximum")
	session := s.Config(static(sessionCreds(out)))

	_, err = s3.NewFromConfig(session, func(o *s3.Options) { o.UsePathStyle = true }).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("reports")})
	require.NoError(t, err, "the managed policy is attached and the bucket exists")
	inv, err := lambda.NewFromConfig(session).Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"a":1}`)})
	require.NoError(t, err)
	require.JSONEq(t, `{"a":1}`, string(inv.Payload))
	inv, err = lambda.NewFromConfig(session).Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("hello"), Payload: []byte(`{}`)})
	require.NoError(t, err)
	require.JSONEq(t, `{"greeting":"hello"}`, string(inv.Payload))

	admin := s.Config(credentials.NewStaticCredentialsProvider("AKIACUSTOMERSEED0001", "customer-secret-0123456789", ""))
	tags, err := iam.NewFromConfig(admin).ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("awsconnect")})
	require.NoError(t, err)
	require.Equal(t, "data", *tags.Tags[0].Value)
	groups, err := cloudwatchlogs.NewFromConfig(admin).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	require.NoError(t, err)
	require.Equal(t, "/platform/app", *groups.LogGroups[0].LogGroupName)

	// The platform user keeps its generated key too.
	_, err = sts.NewFromConfig(s.Config(nil)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
}

// TestSeedErrors: a malformed seed is refused with the file, line, column
// and field, and Start creates nothing from a seed it refuses.
func TestSeedErrors(t *testing.T) {
	cases := []struct {
		name, seed, want string
	}{
		{"syntax", "{\n  \"accounts\": [\n    {\"id\": \"444455556666\",}\n  ]\n}", `seed.json:3:27: accounts[0]: malformed JSON: invalid character '}'`},
		{"unknown field", "{\"accounts\": [\n  {\"id\": \"444455556666\",\n   \"rolez\": []}]}",
			`seed.json:3:4: accounts[0]: unknown field "rolez"; the fields are buckets, email_identities, functions, id, log_groups, policies, roles, users`},
		{"wrong type", "{\"accounts\": [{\"id\": 444455556666}]}", `seed.json:1:22: accounts[0].id: must be a string, not the number 444455556666`},
		{"not a list", "{\"accounts\": {}}", `seed.json:1:14: accounts: must be a list, not an object`},
		{"bad policy", "{\"accounts\": [{\"id\": \"444455556666\", \"users\": [{\"name\": \"u\",\n \"policies\": {\"p\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resourcez\": \"*\"}]}}}]}]}",
			`seed.json:2:20: accounts[0].users[0].policies.p: policy: `},
		{"duplicate field", "{\"accounts\": [], \"accounts\": []}", `seed.json:1:18: field "accounts" appears twice`},
		{"truncated", "{\"accounts\": [", `seed.json:1:15: accounts: the file ends in the middle of the JSON`},
		{"trailing data", "{\"accounts\": []} {}", `seed.json:1:18: unexpected data after`},
		{"account ID", "{\"accounts\": [\n {\"id\": \"4444\"}]}", `seed.json:2:9: accounts[0].id: account ID "4444" must be 12 digits`},
		{"unknown managed policy", "{\"accounts\": [{\"id\": \"444455556666\", \"users\": [{\"name\": \"u\",\n  \"managed_policies\": [\"nosuch\"]}]}]}",
			`seed.json:2:24: accounts[0].users[0].managed_policies[0]: no managed policy arn:aws:iam::444455556666:policy/nosuch`},
		{"duplicate key", `{"accounts": [{"id": "444455556666", "users": [{"name": "u", "access_keys": [{"access_key_id": "AKIAPLATFORMSEED0001", "secret_access_key": "0123456789abcdefgh"}]},
			{"name": "v", "access_keys": [{"access_key_id": "AKIAPLATFORMSEED0001", "secret_access_key": "0123456789abcdefgh"}]}]}]}`,
			`seed.json:2:34: accounts[0].users[1].access_keys[0]: access key ID AKIAPLATFORMSEED0001 is already in use`},
		{"role without trust", `{"accounts": [{"id": "444455556666", "roles": [{"name": "r"}]}]}`, `seed.json:1:48: accounts[0].roles[0]: role "r" needs a trust_policy`},
		{"trust naming nobody", `{"accounts": [{"id": "444455556666", "roles": [{"name": "r", "trust_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/nobody"}, "Action": "sts:AssumeRole"}]}}]}]}`,
			`seed.json:1:48: accounts[0].roles[0]: api error MalformedPolicyDocument: Invalid principal in policy`},
		// A value the file leaves out is located at its nearest parent.
		{"null account", `{"accounts": [null]}`, `seed.json:1:15: accounts[0].id: account ID "" must be 12 digits`},
		{"account without id", "{\"accounts\": [\n  {\"buckets\": []}]}", `seed.json:2:3: accounts[0].id: account ID "" must be 12 digits`},
		{"account listed twice", "{\"accounts\": [{\"id\": \"444455556666\"},\n {\"id\": \"444455556666\"}]}", `seed.json:2:9: accounts[1].id: account 444455556666 is already accounts[0]; list each account once`},
		{"bucket name S3 refuses", `{"accounts": [{"id": "444455556666", "buckets": ["Bad_Bucket"]}]}`, `seed.json:1:50: accounts[0].buckets[0]: bucket name "Bad_Bucket" is not one S3 accepts`},
		{"second bucket", `{"accounts": [{"id": "444455556666", "buckets": ["reports", "reports"]}]}`, `seed.json:1:61: accounts[0].buckets[1]: bucket "reports" already exists`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seed, err := ParseSeed("seed.json", []byte(tc.seed))
			if err == nil {
				var s *Server
				s, err = Start(func(o *Options) { o.Seed = seed })
				require.Nil(t, s, "a refused seed starts no server")
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), "localaws: "+tc.want)
		})
	}
}

// TestSeedSecretsNotPrinted: a seed printed with fmt or slog shows key IDs,
// never their secrets.
func TestSeedSecretsNotPrinted(t *testing.T) {
	seed, err := ParseSeed("seed.json", []byte(testSeed))
	require.NoError(t, err)
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("seed", "key", seed.Accounts[1].Users[0].AccessKeys[0])
	for _, out := range []string{fmt.Sprintf("%v", seed), fmt.Sprintf("%+v", *seed), fmt.Sprintf("%#v", seed.Accounts), logged.String()} {
		require.NotContains(t, out, "customer-secret")
		require.NotContains(t, out, "platform-secret")
	}
	require.Contains(t, logged.String(), "AKIACUSTOMERSEED0001")
}

// FuzzParseSeed: no input makes the seed reader panic, and every refusal
// names the file and a position.
func FuzzParseSeed(f *testing.F) {
	f.Add([]byte(testSeed))
	f.Add([]byte(`{"accounts":[{"id":"444455556666","roles":[{"name":"r","tags":{"a":"b"}}]}]}`))
	f.Add([]byte(`{"accounts":[{"id":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ParseSeed("seed.json", data)
		if err != nil && !strings.HasPrefix(err.Error(), "localaws: seed.json:") {
			t.Fatalf("error without a position: %v", err)
		}
	})
}

// TestSeedWithByteOrderMark: a seed saved by an editor that writes a UTF-8
// byte-order mark reads as the same seed, as policy.Parse reads such a
// policy.
func TestSeedWithByteOrderMark(t *testing.T) {
	seed, err := ParseSeed("seed.json", []byte("\xef\xbb\xbf{\"accounts\": [{\"id\": \"444455556666\", \"buckets\": [\"reports\"]}]}"))
	require.NoError(t, err)
	require.Len(t, seed.Accounts, 1)
	require.Equal(t, []string{"reports"}, seed.Accounts[0].Buckets)
}

// TestCreateBucketRefusesNamesS3Refuses: the Go API applies the rules S3's
// CreateBucket applies on the wire, so no test builds a bucket a client
// could not.
func TestCreateBucketRefusesNamesS3Refuses(t *testing.T) {
	s := startServer(t)
	a := account(t, s, customerAccount)
	for _, name := range []string{"Bad_Bucket", "ab", "UPPER", "-leading", "192.168.1.1", strings.Repeat("a", 64)} {
		err := a.CreateBucket(name)
		require.Error(t, err, name)
		require.Contains(t, err.Error(), "is not one S3 accepts", name)
	}
	require.NoError(t, a.CreateBucket("fine-bucket.name"))
}
