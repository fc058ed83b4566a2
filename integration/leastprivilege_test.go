//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdks3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
)

// drain runs an iterator to its end and returns its first error.
func drain[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// The platform asks the customer for exactly the permissions its chosen
// operations need. Here the policy policy.LeastPrivilege generates from
// s3.Requirements is the AssumeRole session policy (role.Spec.Policy), and
// MinIO enforces it on every request: the chosen operations on the chosen
// bucket and prefix succeed, everything else is denied. Each case is also
// evaluated by policy.Document.Evaluate, so our evaluator and MinIO's must
// agree.
func TestLeastPrivilegeEnforcedByMinIO(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-lp-")
	other := p.newBucket(t, "it-lp-other-")
	admin := p.adminS3()
	for _, b := range []string{bucket, other} {
		for _, k := range []string{"tenant-a/seed.txt", "tenant-b/seed.txt", "root.txt"} {
			_, err := admin.PutObject(ctx, &sdks3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(k), Body: strings.NewReader("seed " + k)})
			require.NoError(t, err)
		}
	}

	const prefix = "tenant-a/"
	chosen := []s3conn.Operation{s3conn.OpListObjects, s3conn.OpGetObject, s3conn.OpPutObject, s3conn.OpPresignGet}
	doc, err := policy.LeastPrivilege(s3conn.Requirements(chosen, bucket, prefix)...)
	require.NoError(t, err)
	sessionPolicy, err := json.Marshal(doc)
	require.NoError(t, err)
	t.Logf("session policy: %s", sessionPolicy)

	cfg := p.assumedConfig(t, role.Spec{
		RoleARN: integrationRole, ExternalID: externalID(t, "12345", "lp"),
		Policy: string(sessionPolicy),
	})
	// Unrestricted on the platform side: MinIO alone decides.
	conn := s3conn.New(cfg)

	objectARN := func(b, k string) string { return "arn:aws:s3:::" + b + "/" + k }
	bucketARN := func(b string) string { return "arn:aws:s3:::" + b }
	list := func(b, pfx string) func(context.Context) error {
		return func(ctx context.Context) error {
			return drain(conn.ListObjects(ctx, b, s3conn.ListOptions{Prefix: pfx}))
		}
	}
	get := func(b, k string) func(context.Context) error {
		return func(ctx context.Context) error {
			obj, err := conn.GetObject(ctx, b, k)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, obj.Body)
			require.NoError(t, obj.Body.Close())
			return err
		}
	}
	put := func(b, k string) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := conn.PutObject(ctx, b, k, strings.NewReader("written by the platform"))
			return err
		}
	}
	listCtx := func(pfx string) map[string][]string {
		if pfx == "" {
			return nil
		}
		return map[string][]string{"s3:prefix": {pfx}}
	}

	tests := []struct {
		name  string
		call  func(context.Context) error
		req   policy.Request
		allow bool
	}{
		{"PutObject under the prefix", put(bucket, "tenant-a/new.txt"), policy.Request{Action: "s3:PutObject", Resource: objectARN(bucket, "tenant-a/new.txt")}, true},
		{"GetObject under the prefix", get(bucket, "tenant-a/seed.txt"), policy.Request{Action: "s3:GetObject", Resource: objectARN(bucket, "tenant-a/seed.txt")}, true},
		{"GetObject deeper under the prefix", get(bucket, "tenant-a/new.txt"), policy.Request{Action: "s3:GetObject", Resource: objectARN(bucket, "tenant-a/new.txt")}, true},
		{"ListObjects of the prefix", list(bucket, prefix), policy.Request{Action: "s3:ListBucket", Resource: bucketARN(bucket), Context: listCtx(prefix)}, true},
		{"ListObjects of a sub-prefix", list(bucket, "tenant-a/2026/"), policy.Request{Action: "s3:ListBucket", Resource: bucketARN(bucket), Context: listCtx("tenant-a/2026/")}, true},

		{"GetObject under another prefix", get(bucket, "tenant-b/seed.txt"), policy.Request{Action: "s3:GetObject", Resource: objectARN(bucket, "tenant-b/seed.txt")}, false},
		{"GetObject at the bucket root", get(bucket, "root.txt"), policy.Request{Action: "s3:GetObject", Resource: objectARN(bucket, "root.txt")}, false},
		{"PutObject under another prefix", put(bucket, "tenant-b/new.txt"), policy.Request{Action: "s3:PutObject", Resource: objectARN(bucket, "tenant-b/new.txt")}, false},
		{"PutObject on a look-alike prefix", put(bucket, "tenant-ab/new.txt"), policy.Request{Action: "s3:PutObject", Resource: objectARN(bucket, "tenant-ab/new.txt")}, false},
		{"DeleteObject, not chosen", func(ctx context.Context) error { return conn.DeleteObject(ctx, bucket, "tenant-a/seed.txt") },
			policy.Request{Action: "s3:DeleteObject", Resource: objectARN(bucket, "tenant-a/seed.txt")}, false},
		{"ListObjects of another prefix", list(bucket, "tenant-b/"), policy.Request{Action: "s3:ListBucket", Resource: bucketARN(bucket), Context: listCtx("tenant-b/")}, false},
		{"ListObjects of the whole bucket", list(bucket, ""), policy.Request{Action: "s3:ListBucket", Resource: bucketARN(bucket)}, false},
		{"ListBuckets, not chosen", func(ctx context.Context) error { return drain(conn.ListBuckets(ctx)) },
			policy.Request{Action: "s3:ListAllMyBuckets", Resource: "*"}, false},
		{"BucketLocation, not chosen", func(ctx context.Context) error { _, err := conn.BucketLocation(ctx, bucket); return err },
			policy.Request{Action: "s3:GetBucketLocation", Resource: bucketARN(bucket)}, false},
		{"GetObject in another bucket", get(other, "tenant-a/seed.txt"), policy.Request{Action: "s3:GetObject", Resource: objectARN(other, "tenant-a/seed.txt")}, false},
		{"PutObject in another bucket", put(other, "tenant-a/new.txt"), policy.Request{Action: "s3:PutObject", Resource: objectARN(other, "tenant-a/new.txt")}, false},
		{"ListObjects in another bucket", list(other, prefix), policy.Request{Action: "s3:ListBucket", Resource: bucketARN(other), Context: listCtx(prefix)}, false},
		{"DeleteObject in another bucket", func(ctx context.Context) error { return conn.DeleteObject(ctx, other, "tenant-a/seed.txt") },
			policy.Request{Action: "s3:DeleteObject", Resource: objectARN(other, "tenant-a/seed.txt")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := policy.ImplicitDeny
			if tc.allow {
				want = policy.Allow
			}
			require.Equal(t, want, doc.Evaluate(tc.req), "policy.Evaluate on %+v", tc.req)
			err := tc.call(ctx)
			if tc.allow {
				require.NoError(t, err, "MinIO must allow what the policy grants")
				return
			}
			require.Equal(t, "AccessDenied", errorCode(err), "MinIO must deny what the policy does not grant: %v", err)
		})
	}

	t.Run("nothing denied was written or deleted", func(t *testing.T) {
		for _, k := range []struct{ b, k string }{{bucket, "tenant-b/new.txt"}, {bucket, "tenant-ab/new.txt"}, {other, "tenant-a/new.txt"}} {
			_, err := admin.HeadObject(ctx, &sdks3.HeadObjectInput{Bucket: aws.String(k.b), Key: aws.String(k.k)})
			require.Error(t, err, "%s/%s must not exist", k.b, k.k)
		}
		for _, b := range []string{bucket, other} {
			require.Equal(t, "seed tenant-a/seed.txt", string(p.adminGet(t, b, "tenant-a/seed.txt")))
		}
	})

	t.Run("Check of the restricted connector passes on exactly these permissions", func(t *testing.T) {
		restricted := s3conn.New(cfg, func(o *s3conn.Options) { o.Bucket, o.Prefix = bucket, prefix })
		rep := restricted.Check(ctx)
		require.True(t, rep.OK(), "%+v", rep)
		unrestricted := conn.Check(ctx)
		step, failed := unrestricted.FirstFailure()
		require.True(t, failed, "an unrestricted Check needs s3:ListAllMyBuckets, which the policy does not grant")
		require.Equal(t, "s3:ListAllMyBuckets", step.Action, "the report names the missing permission")
		require.NotNil(t, step.PolicyToAdd, "and the statement to add")
	})

	t.Run("Upload's requirements cover a multipart upload and its abort", func(t *testing.T) {
		doc, err := policy.LeastPrivilege(s3conn.Requirements([]s3conn.Operation{s3conn.OpUpload}, bucket, prefix)...)
		require.NoError(t, err)
		sp, err := json.Marshal(doc)
		require.NoError(t, err)
		up := s3conn.New(p.assumedConfig(t, role.Spec{RoleARN: integrationRole, ExternalID: externalID(t, "12345", "up"), Policy: string(sp)}))

		res, err := up.Upload(ctx, bucket, "tenant-a/big.bin", &randomReader{r: rand.NewChaCha8([32]byte{3}), n: 11 << 20})
		require.NoError(t, err)
		require.Equal(t, 3, res.Parts)

		broken := io.MultiReader(&randomReader{r: rand.NewChaCha8([32]byte{4}), n: 11 << 20}, errReader{errors.New("source went away")})
		_, err = up.Upload(ctx, bucket, "tenant-a/broken.bin", broken)
		require.ErrorContains(t, err, "source went away")
		uploads, err := admin.ListMultipartUploads(ctx, &sdks3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		require.Empty(t, uploads.Uploads, "the abort was allowed, so no parts are left behind")

		_, err = up.Upload(ctx, bucket, "tenant-b/big.bin", &randomReader{r: rand.NewChaCha8([32]byte{5}), n: 6 << 20})
		require.Equal(t, "AccessDenied", errorCode(err), "outside the prefix: %v", err)
	})

	t.Run("presigned URLs carry the session policy", func(t *testing.T) {
		for _, tc := range []struct {
			key    string
			status int
		}{{"tenant-a/seed.txt", http.StatusOK}, {"tenant-b/seed.txt", http.StatusForbidden}} {
			pre, err := conn.PresignGet(ctx, bucket, tc.key, time.Minute)
			require.NoError(t, err)
			resp, err := httpClient.Get(pre.URL)
			require.NoError(t, err)
			body := readAll(t, resp.Body)
			require.Equal(t, tc.status, resp.StatusCode, "GET %s: %s", tc.key, body)
		}
	})
}
