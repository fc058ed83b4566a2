//go:build integration

package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// The tests in this file use only the SDK: they prove the peers behave as the
// rest of the suite relies on (MinIO verifies signatures, issues temporary
// credentials and enforces session policies), so a failure elsewhere points
// at the library, not at the harness. The RIE's equivalent is the first
// subtest of TestLambdaConnectorUnderTheRIE, which must own the RIE alone.

func TestMinIOPeerVerifiesSignatures(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-peer-")

	root := p.adminS3()
	_, err := root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a.txt"), Body: bytes.NewReader([]byte("hello"))})
	require.NoError(t, err)
	got, err := root.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("a.txt")})
	require.NoError(t, err)
	body, err := io.ReadAll(got.Body)
	require.NoError(t, got.Body.Close())
	require.NoError(t, err)
	require.Equal(t, "hello", string(body))

	tests := []struct {
		name  string
		creds aws.CredentialsProvider
		code  string
	}{
		{"wrong secret", credentials.NewStaticCredentialsProvider(p.AccessKey, p.SecretKey+"x", ""), "SignatureDoesNotMatch"},
		{"unknown access key", credentials.NewStaticCredentialsProvider("AKIDNOTKNOWNTOMINIO", p.SecretKey, ""), "InvalidAccessKeyId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := s3.NewFromConfig(p.Config(tc.creds), pathStyle)
			_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("a.txt")})
			requireCode(t, err, tc.code, "GetObject with a bad signature")
		})
	}
}

func TestMinIOPeerAssumeRoleWithSessionPolicy(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-peer-")
	root := p.adminS3()
	for _, k := range []string{"in/a.txt", "out/b.txt"} {
		_, err := root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: bytes.NewReader([]byte(k))})
		require.NoError(t, err)
	}

	sessionPolicy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/in/*"}]}`, bucket)
	before := time.Now()
	out, err := p.STS().AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/integration"),
		RoleSessionName: aws.String("peer-check"),
		ExternalId:      aws.String("acme_iam_external_id_1"),
		DurationSeconds: aws.Int32(900),
		Policy:          aws.String(sessionPolicy),
	})
	require.NoError(t, err)
	c := out.Credentials
	require.NotEmpty(t, aws.ToString(c.SessionToken))
	require.NotEqual(t, p.AccessKey, aws.ToString(c.AccessKeyId))
	require.WithinRange(t, aws.ToTime(c.Expiration), before.Add(15*time.Minute-time.Minute), before.Add(15*time.Minute+time.Minute),
		"MinIO grants the requested 900-second session")

	temp := s3.NewFromConfig(p.Config(credentials.NewStaticCredentialsProvider(
		aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))), pathStyle)
	got, err := temp.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("in/a.txt")})
	require.NoError(t, err, "the session policy allows s3:GetObject on in/*")
	require.NoError(t, got.Body.Close())

	_, err = temp.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("out/b.txt")})
	requireCode(t, err, "AccessDenied", "GetObject outside the session policy's prefix")
	_, err = temp.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("in/c.txt"), Body: bytes.NewReader(nil)})
	requireCode(t, err, "AccessDenied", "PutObject is not in the session policy")

	t.Run("shortest session", func(t *testing.T) {
		_, err := p.STS().AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn:         aws.String("arn:aws:iam::123456789012:role/integration"),
			RoleSessionName: aws.String("peer-check"),
			DurationSeconds: aws.Int32(899),
		})
		require.Error(t, err, "MinIO, like STS, grants no session shorter than 900 seconds")
	})
	t.Run("temporary credentials cannot assume", func(t *testing.T) {
		_, err := sts.NewFromConfig(p.Config(credentials.NewStaticCredentialsProvider(
			aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))).
			AssumeRole(ctx, &sts.AssumeRoleInput{
				RoleArn:         aws.String("arn:aws:iam::123456789012:role/integration"),
				RoleSessionName: aws.String("chained"),
			})
		requireCode(t, err, "AccessDenied", "AssumeRole signed with temporary credentials")
	})
}
