//go:build integration

package integration

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/internal/peer"
)

// transport is shared by every client in the suite so TestMain can close its
// idle connections before checking that no goroutine outlived the tests.
var transport = http.DefaultTransport.(*http.Transport).Clone()

// httpClient is the plain HTTP client: the SDK clients' transport, and what
// fetches presigned URLs.
var httpClient = &http.Client{Transport: transport, Timeout: 2 * time.Minute}

func TestMain(m *testing.M) {
	if cfg := os.Getenv(fleetWorkerEnv); cfg != "" {
		// This process is one worker of a fleet test (fleet_test.go).
		os.Exit(runFleetWorker(cfg))
	}
	code := m.Run()
	transport.CloseIdleConnections()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "integration: goroutines outlived the tests: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

const howToRun = "run scripts/integration, which starts MinIO and the Lambda Runtime Interface Emulator on loopback and runs this suite against them"

// minioPeer is MinIO as scripts/integration started it.
type minioPeer struct {
	URL, AccessKey, SecretKey, Region string
}

// lambdaPeer is the Lambda Runtime Interface Emulator.
type lambdaPeer struct {
	URL, Region string
}

func requireEnv(t *testing.T, names ...string) []string {
	t.Helper()
	return peer.Require(t, howToRun, names...)
}

// startedMinIO returns the MinIO peer or skips the test.
func startedMinIO(t *testing.T) minioPeer {
	t.Helper()
	v := requireEnv(t, "AWSCONNECT_IT_MINIO_URL", "AWSCONNECT_IT_MINIO_ACCESS_KEY",
		"AWSCONNECT_IT_MINIO_SECRET_KEY", "AWSCONNECT_IT_REGION")
	return minioPeer{URL: v[0], AccessKey: v[1], SecretKey: v[2], Region: v[3]}
}

// startedLambda returns the RIE peer or skips the test.
func startedLambda(t *testing.T) lambdaPeer {
	t.Helper()
	v := requireEnv(t, "AWSCONNECT_IT_LAMBDA_URL", "AWSCONNECT_IT_REGION")
	return lambdaPeer{URL: v[0], Region: v[1]}
}

// Config returns an aws.Config for MinIO with the given credentials: its
// endpoint, its region, the suite's transport, and the SDK's standard
// retryer. It is built by hand, not by config.LoadDefaultConfig, so that
// nothing from the machine's environment or ~/.aws leaks in.
func (p minioPeer) Config(creds aws.CredentialsProvider) aws.Config {
	return peerConfig(p.URL, p.Region, creds)
}

// peerConfig is an aws.Config for a peer on loopback: its endpoint and
// region, the given credentials, the suite's transport and the SDK's
// standard retryer, and nothing from the machine's environment or ~/.aws.
func peerConfig(endpoint, region string, creds aws.CredentialsProvider) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  creds,
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   httpClient,
		Retryer:      func() aws.Retryer { return retry.NewStandard() },
	}
}

// PlatformConfig is the platform's own identity: MinIO's root user, the
// only identity MinIO lets call AssumeRole.
func (p minioPeer) PlatformConfig() aws.Config {
	return p.Config(credentials.NewStaticCredentialsProvider(p.AccessKey, p.SecretKey, ""))
}

// STS returns an STS client signed as the platform.
func (p minioPeer) STS() *sts.Client { return sts.NewFromConfig(p.PlatformConfig()) }

// pathStyle makes S3 clients address buckets in the path, as MinIO on an IP
// address requires.
func pathStyle(o *s3.Options) { o.UsePathStyle = true }

// adminS3 is an S3 client with MinIO's root credentials, for setting up and
// inspecting buckets outside the identity under test.
func (p minioPeer) adminS3() *s3.Client {
	return s3.NewFromConfig(p.PlatformConfig(), pathStyle)
}

// uniqueName returns prefix followed by random hex: bucket and key names that
// no other test (or earlier run against a kept MinIO) uses.
func uniqueName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// newBucket creates a bucket with the root credentials and removes it, with
// everything in it, when the test ends.
func (p minioPeer) newBucket(t *testing.T, prefix string) string {
	t.Helper()
	ctx := context.Background()
	name := uniqueName(prefix)
	admin := p.adminS3()
	_, err := admin.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
	require.NoError(t, err, "creating bucket %s with MinIO's root credentials", name)
	t.Cleanup(func() { emptyAndDeleteBucket(t, admin, name) })
	return name
}

func emptyAndDeleteBucket(t *testing.T, admin *s3.Client, bucket string) {
	ctx := context.Background()
	uploads, err := admin.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err == nil {
		for _, u := range uploads.Uploads {
			_, _ = admin.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: u.Key, UploadId: u.UploadId})
		}
	}
	p := s3.NewListObjectsV2Paginator(admin, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Errorf("cleanup: listing %s: %v", bucket, err)
			return
		}
		if len(page.Contents) == 0 {
			break
		}
		ids := make([]types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i] = types.ObjectIdentifier{Key: o.Key}
		}
		if _, err := admin.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: ids}}); err != nil {
			t.Errorf("cleanup: emptying %s: %v", bucket, err)
			return
		}
	}
	if _, err := admin.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("cleanup: deleting %s: %v", bucket, err)
	}
}

// errorCode returns the AWS error code in err's chain ("AccessDenied"), or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// requireCode asserts err carries the AWS error code want.
func requireCode(t *testing.T, err error, want, msgAndArgs string) {
	t.Helper()
	require.Error(t, err, msgAndArgs)
	require.Equal(t, want, errorCode(err), "%s: %v", msgAndArgs, err)
}

// closedURL returns the URL of a loopback port that was just released, so
// connecting to it is refused.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}
