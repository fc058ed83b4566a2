package localaws

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

const bucket = "customer-exports"

// s3Session sets up the customer's bucket and a role whose permissions
// cover objects under exports/ and listing the bucket, assumes it, and
// returns an S3 client of the session.
func s3Session(t *testing.T, s *Server) *s3.Client {
	t.Helper()
	return s3Client(s, s3SessionCreds(t, s))
}

// s3SessionCreds is s3Session's setup; it returns the session's credentials.
func s3SessionCreds(t *testing.T, s *Server) aws.Credentials {
	t.Helper()
	customer := account(t, s, customerAccount)
	require.NoError(t, customer.CreateBucket(bucket))
	roleARN := customerRole(t, s, WithPolicy("s3", mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject","s3:DeleteObject","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],"Resource":"arn:aws:s3:::`+bucket+`/exports/*"},
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::`+bucket+`","Condition":{"StringLike":{"s3:prefix":"exports/*"}}}]}`)))
	out, err := sts.NewFromConfig(s.Config(nil)).AssumeRole(t.Context(), assumeInput(roleARN))
	require.NoError(t, err)
	return sessionCreds(out)
}

func s3Client(s *Server, creds aws.Credentials) *s3.Client {
	return s3.NewFromConfig(noRetry(s.Config(static(creds))), func(o *s3.Options) { o.UsePathStyle = true })
}

func TestS3Objects(t *testing.T) {
	s := startServer(t)
	client := s3Session(t, s)
	ctx := t.Context()
	key := "exports/2026/a b+c=d.txt" // characters S3 signs unescaped

	_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: strings.NewReader("hello"), ContentType: aws.String("text/plain")})
	require.NoError(t, err)
	got, err := s.Object(bucket, key)
	require.NoError(t, err)
	require.Equal(t, "hello", string(got))

	obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err)
	body, err := io.ReadAll(obj.Body)
	require.NoError(t, err)
	require.NoError(t, obj.Body.Close())
	require.Equal(t, "hello", string(body))
	require.Equal(t, "text/plain", aws.ToString(obj.ContentType))

	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err)

	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("exports/")})
	require.NoError(t, err)
	require.Len(t, list.Contents, 1)
	require.Equal(t, key, aws.ToString(list.Contents[0].Key))

	_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("exports/copy.txt"),
		CopySource: aws.String(bucket + "/exports/2026/a%20b%2Bc%3Dd.txt")})
	require.NoError(t, err)
	got, err = s.Object(bucket, "exports/copy.txt")
	require.NoError(t, err)
	require.Equal(t, "hello", string(got))

	_, err = client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{
		Objects: []s3types.ObjectIdentifier{{Key: aws.String("exports/copy.txt")}}}})
	require.NoError(t, err)
	_, err = client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err)
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	requireAPIError(t, err, "NoSuchKey")

	ops := map[string]Decision{}
	for _, e := range s.Requests() {
		if e.Service == "s3" {
			ops[e.Operation] = e.Decision
		}
	}
	for _, op := range []string{"PutObject", "GetObject", "HeadObject", "ListObjectsV2", "CopyObject", "DeleteObjects", "DeleteObject"} {
		require.Equal(t, Allowed, ops[op], op)
	}
}

func TestS3MultipartUpload(t *testing.T) {
	s := startServer(t)
	client := s3Session(t, s)
	ctx := t.Context()
	key := aws.String("exports/big.bin")
	part := bytes.Repeat([]byte("0123456789abcdef"), (5<<20)/16) // S3's minimum part size

	mpu, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: key})
	require.NoError(t, err)
	var parts []s3types.CompletedPart
	for i, body := range [][]byte{part, []byte("tail")} {
		n := aws.Int32(int32(i + 1))
		out, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: key,
			UploadId: mpu.UploadId, PartNumber: n, Body: bytes.NewReader(body)})
		require.NoError(t, err)
		parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: n})
	}
	listed, err := client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: key, UploadId: mpu.UploadId})
	require.NoError(t, err)
	require.Len(t, listed.Parts, 2)
	_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: key,
		UploadId: mpu.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
	require.NoError(t, err)
	got, err := s.Object(bucket, "exports/big.bin")
	require.NoError(t, err)
	require.Equal(t, sha256.Sum256(append(append([]byte{}, part...), "tail"...)), sha256.Sum256(got))

	aborted, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("exports/gone")})
	require.NoError(t, err)
	_, err = client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("exports/gone"), UploadId: aborted.UploadId})
	require.NoError(t, err)

	var ops []string
	for _, e := range s.Requests() {
		if e.Service == "s3" {
			require.Equal(t, Allowed, e.Decision, e.Operation)
			ops = append(ops, e.Operation)
		}
	}
	require.Equal(t, []string{"CreateMultipartUpload", "UploadPart", "UploadPart", "ListParts", "CompleteMultipartUpload",
		"CreateMultipartUpload", "AbortMultipartUpload"}, ops)
}

func TestS3AccessDenied(t *testing.T) {
	s := startServer(t)
	client := s3Session(t, s)
	other := account(t, s, "777788889999")
	require.NoError(t, other.CreateBucket("someone-elses"))

	cases := []struct {
		name   string
		call   func(context.Context) error
		action string
		msg    string
	}{
		{"object outside the granted prefix", func(ctx context.Context) error {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("secrets/x"), Body: strings.NewReader("x")})
			return err
		}, "s3:PutObject", `on resource: arn:aws:s3:::customer-exports/secrets/x because no identity-based policy allows the s3:PutObject action`},
		{"listing outside the prefix condition", func(ctx context.Context) error {
			_, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("secrets/")})
			return err
		}, "s3:ListBucket", "on resource: arn:aws:s3:::customer-exports because"},
		{"another account's bucket", func(ctx context.Context) error {
			_, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("someone-elses"), Key: aws.String("exports/x")})
			return err
		}, "s3:GetObject", "on resource: arn:aws:s3:::someone-elses/exports/x"},
		{"list buckets", func(ctx context.Context) error {
			_, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
			return err
		}, "s3:ListAllMyBuckets", "s3:ListAllMyBuckets on resource: *"},
		{"create bucket", func(ctx context.Context) error {
			_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("new-bucket")})
			return err
		}, "s3:CreateBucket", "on resource: arn:aws:s3:::new-bucket"},
		{"copy from an unreadable source", func(ctx context.Context) error {
			_, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("exports/c"),
				CopySource: aws.String(bucket + "/secrets/x")})
			return err
		}, "s3:GetObject", "s3:GetObject on resource: arn:aws:s3:::customer-exports/secrets/x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s.ResetRequests()
			err := tc.call(t.Context())
			ae := requireAPIError(t, err, "AccessDenied")
			require.Equal(t, http.StatusForbidden, statusOf(t, err))
			require.Contains(t, ae.ErrorMessage(), "User: arn:aws:sts::444455556666:assumed-role/awsconnect/test-session is not authorized to perform: "+tc.action)
			require.Contains(t, ae.ErrorMessage(), tc.msg)
			log := s.Requests()
			require.Len(t, log, 1)
			require.Equal(t, tc.action, log[0].Action)
			require.NotEqual(t, Allowed, log[0].Decision)
		})
	}
}

func TestS3BucketsPerAccount(t *testing.T) {
	s := startServer(t)
	admin := func(id string) *s3.Client {
		a := account(t, s, id)
		_, err := a.CreateUser("admin")
		require.NoError(t, err)
		require.NoError(t, a.PutUserPolicy("admin", "all", mustParse(t,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)))
		creds, err := a.CreateAccessKey("admin")
		require.NoError(t, err)
		return s3Client(s, creds)
	}
	one, two := admin("100000000001"), admin("100000000002")
	ctx := t.Context()
	_, err := one.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bucket-one")})
	require.NoError(t, err)
	_, err = two.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bucket-two")})
	require.NoError(t, err)

	names := func(c *s3.Client) []string {
		out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
		require.NoError(t, err)
		var n []string
		for _, b := range out.Buckets {
			n = append(n, aws.ToString(b.Name))
		}
		return n
	}
	require.Equal(t, []string{"bucket-one"}, names(one))
	require.Equal(t, []string{"bucket-two"}, names(two))

	_, err = one.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("bucket-two")})
	require.Error(t, err, "another account's bucket is out of reach")
	_, err = one.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
	requireAPIError(t, err, "NoSuchBucket")
	_, err = one.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("bucket-one")})
	require.NoError(t, err)
	require.Empty(t, names(one))
	_, err = one.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("bucket-two"), Key: aws.String("k")})
	requireAPIError(t, err, "NotImplemented")
}

func TestS3FaultsAndPayloadHash(t *testing.T) {
	s := startServer(t)
	client := s3Session(t, s)
	_, err := s.InjectFault(Fault{Service: "s3", Operation: "PutObject", Kind: Throttle, Times: 1})
	require.NoError(t, err)
	put := func() error {
		_, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("exports/f"), Body: strings.NewReader("x")})
		return err
	}
	requireAPIError(t, put(), "SlowDown")
	require.NoError(t, put())

	// A body that is not the one signed is refused before S3 sees it.
	creds := s.PlatformCredentials()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, s.URL()+"/"+bucket+"/exports/x", strings.NewReader("tampered"))
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("original"))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	require.NoError(t, v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]), "s3", "us-east-1", s.now()))
	resp, body := sendRaw(t, s, req)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, string(body), "<Code>XAmzContentSHA256Mismatch</Code>")
}
