//go:build integration

package integration

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdks3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// resolver is the platform's path from a stored connection to an aws.Config:
// MinIO's root user as the platform identity, project-scoped external IDs,
// and a role.Cache over MinIO's STS.
func (p minioPeer) resolver(t *testing.T, optFns ...func(*connectors.Options)) *connectors.Resolver {
	t.Helper()
	cache := role.NewCache(p.STS())
	t.Cleanup(func() { require.NoError(t, cache.Close()) })
	mode := connectors.FixedMode(scope.ProjectMode)
	// MinIO listens on loopback, which the endpoint policy refuses unless
	// allowed.
	allow := func(o *connectors.Options) { o.AllowEndpoint = connectors.AllowHosts("127.0.0.1") }
	r := connectors.NewResolver(p.PlatformConfig(), scope.Deriver{Prefix: "acme_iam_external_id"}, mode, cache, append([]func(*connectors.Options){allow}, optFns...)...)
	t.Cleanup(r.CloseConnections)
	return r
}

// s3Connection is a stored S3 connection to MinIO through a role.
func (p minioPeer) s3Connection(fields map[string]string) connectors.Connection {
	return connectors.Connection{
		ID: "conn-s3", WorkspaceID: "12345", ProjectID: "6789", Kind: s3conn.KindName,
		Region: p.Region, Endpoint: p.URL,
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: integrationRole},
		Fields: fields,
	}
}

// randomReader yields n pseudo-random bytes as a plain stream: no Seek, no
// Len, so the connector cannot learn the size in advance.
type randomReader struct {
	r *rand.ChaCha8
	n int64
}

func (r *randomReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	n, _ := r.r.Read(p)
	r.n -= int64(n)
	return n, nil
}

func randomBytes(seed byte, n int64) []byte {
	b, _ := io.ReadAll(&randomReader{r: rand.NewChaCha8([32]byte{seed}), n: n})
	return b
}

func readAll(t *testing.T, rc io.ReadCloser) []byte {
	t.Helper()
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

func TestS3ConnectorEndToEnd(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-s3-")

	r := p.resolver(t)
	cfg, err := r.Config(ctx, p.s3Connection(nil))
	require.NoError(t, err)
	conn := s3conn.New(cfg)

	t.Run("Check", func(t *testing.T) {
		rep := conn.Check(ctx)
		require.True(t, rep.OK(), "%+v", rep)
	})

	t.Run("ListBuckets", func(t *testing.T) {
		var names []string
		for b, err := range conn.ListBuckets(ctx) {
			require.NoError(t, err)
			names = append(names, b.Name)
		}
		require.Contains(t, names, bucket)
	})

	t.Run("BucketLocation", func(t *testing.T) {
		loc, err := conn.BucketLocation(ctx, bucket)
		require.NoError(t, err)
		require.Equal(t, "us-east-1", loc)
	})

	t.Run("PutObject and GetObject", func(t *testing.T) {
		res, err := conn.PutObject(ctx, bucket, "docs/report.json", strings.NewReader(`{"ok":true}`), func(o *s3conn.PutOptions) {
			o.ContentType = "application/json"
			o.Metadata = map[string]string{"tenant": "acme"}
		})
		require.NoError(t, err)
		require.NotEmpty(t, res.ETag)
		obj, err := conn.GetObject(ctx, bucket, "docs/report.json")
		require.NoError(t, err)
		require.Equal(t, `{"ok":true}`, string(readAll(t, obj.Body)))
		require.Equal(t, int64(11), obj.Size)
		require.Equal(t, "application/json", obj.ContentType)
		require.Equal(t, map[string]string{"tenant": "acme"}, obj.Metadata)
		require.Equal(t, res.ETag, obj.ETag)
		require.WithinDuration(t, time.Now(), obj.LastModified, time.Minute)
	})

	t.Run("ListObjects pages and folders", func(t *testing.T) {
		var keys []string
		for i := range 5 {
			k := fmt.Sprintf("list/item-%d.txt", i)
			keys = append(keys, k)
			_, err := conn.PutObject(ctx, bucket, k, strings.NewReader(k))
			require.NoError(t, err)
		}
		_, err := conn.PutObject(ctx, bucket, "list/sub/deeper.txt", strings.NewReader("x"))
		require.NoError(t, err)

		var got []string
		for e, err := range conn.ListObjects(ctx, bucket, s3conn.ListOptions{Prefix: "list/", Delimiter: "/", PageSize: 2}) {
			require.NoError(t, err)
			if e.IsPrefix {
				got = append(got, "prefix:"+e.Key)
				continue
			}
			require.Equal(t, int64(len(e.Key)), e.Size)
			got = append(got, e.Key)
		}
		require.Equal(t, append(slices.Clone(keys), "prefix:list/sub/"), got, "five keys over three pages of two, and the folder")

		got = got[:0]
		for e, err := range conn.ListObjects(ctx, bucket, s3conn.ListOptions{Prefix: "list/", StartAfter: "list/item-2.txt"}) {
			require.NoError(t, err)
			got = append(got, e.Key)
		}
		require.Equal(t, []string{"list/item-3.txt", "list/item-4.txt", "list/sub/deeper.txt"}, got)
	})

	t.Run("Upload and Download a large object in parts", func(t *testing.T) {
		const size = 12<<20 + 12345 // three 5 MiB parts, the last short
		want := randomBytes(1, size)
		res, err := conn.Upload(ctx, bucket, "big/blob.bin", &randomReader{r: rand.NewChaCha8([32]byte{1}), n: size})
		require.NoError(t, err)
		require.Equal(t, 3, res.Parts)
		require.True(t, strings.HasSuffix(strings.Trim(res.ETag, `"`), "-3"), "MinIO's multipart ETag names 3 parts: %s", res.ETag)

		buf := s3conn.NewWriteAtBuffer()
		n, err := conn.Download(ctx, bucket, "big/blob.bin", buf)
		require.NoError(t, err)
		require.Equal(t, int64(size), n)
		require.Equal(t, sha256.Sum256(want), sha256.Sum256(buf.Bytes()))

		obj, err := conn.GetObject(ctx, bucket, "big/blob.bin")
		require.NoError(t, err)
		require.Equal(t, sha256.Sum256(want), sha256.Sum256(readAll(t, obj.Body)))

		uploads, err := p.adminS3().ListMultipartUploads(ctx, &sdks3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		require.Empty(t, uploads.Uploads, "the multipart upload was completed, not left behind")
	})

	t.Run("Upload a small object in one request", func(t *testing.T) {
		res, err := conn.Upload(ctx, bucket, "small/one.txt", strings.NewReader("tiny"))
		require.NoError(t, err)
		require.Zero(t, res.Parts)
		require.Equal(t, "tiny", string(p.adminGet(t, bucket, "small/one.txt")))
	})

	t.Run("failed multipart upload is aborted", func(t *testing.T) {
		// The stream breaks after two parts' worth of bytes.
		broken := io.MultiReader(&randomReader{r: rand.NewChaCha8([32]byte{2}), n: 11 << 20}, errReader{errors.New("source went away")})
		_, err := conn.Upload(ctx, bucket, "big/broken.bin", broken)
		require.ErrorContains(t, err, "source went away")
		uploads, err := p.adminS3().ListMultipartUploads(ctx, &sdks3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		require.Empty(t, uploads.Uploads, "no parts left behind")
	})

	t.Run("PresignGet fetched with a plain client", func(t *testing.T) {
		pre, err := conn.PresignGet(ctx, bucket, "docs/report.json", 5*time.Minute)
		require.NoError(t, err)
		req, err := http.NewRequestWithContext(ctx, pre.Method, pre.URL, nil)
		require.NoError(t, err)
		for k, v := range pre.Header {
			req.Header[k] = v
		}
		resp, err := httpClient.Do(req)
		require.NoError(t, err)
		body := readAll(t, resp.Body)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		require.Equal(t, `{"ok":true}`, string(body))
	})

	t.Run("PresignPut fetched with a plain client", func(t *testing.T) {
		pre, err := conn.PresignPut(ctx, bucket, "uploads/from browser.csv", "text/csv", 5*time.Minute)
		require.NoError(t, err)
		req, err := http.NewRequestWithContext(ctx, pre.Method, pre.URL, strings.NewReader("a,b\n1,2\n"))
		require.NoError(t, err)
		for k, v := range pre.Header {
			req.Header[k] = v
		}
		require.Equal(t, "text/csv", req.Header.Get("Content-Type"), "the signed content type is among the headers to send")
		resp, err := httpClient.Do(req)
		require.NoError(t, err)
		body := readAll(t, resp.Body)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		head, err := p.adminS3().HeadObject(ctx, &sdks3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("uploads/from browser.csv")})
		require.NoError(t, err)
		require.Equal(t, "text/csv", aws.ToString(head.ContentType))
		require.Equal(t, "a,b\n1,2\n", string(p.adminGet(t, bucket, "uploads/from browser.csv")))

		t.Run("another content type is refused", func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, pre.Method, pre.URL, strings.NewReader("<x/>"))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/xml")
			resp, err := httpClient.Do(req)
			require.NoError(t, err)
			body := readAll(t, resp.Body)
			require.Equal(t, http.StatusForbidden, resp.StatusCode, "%s", body)
		})
	})

	t.Run("DeleteObject", func(t *testing.T) {
		require.NoError(t, conn.DeleteObject(ctx, bucket, "docs/report.json"))
		_, err := conn.GetObject(ctx, bucket, "docs/report.json")
		var se *s3conn.Error
		require.ErrorAs(t, err, &se)
		require.Equal(t, "NoSuchKey", se.Code())
		require.Equal(t, "GetObject", se.Op)
		require.NoError(t, conn.DeleteObject(ctx, bucket, "docs/report.json"), "deleting a missing object succeeds, as in S3")
	})

	t.Run("restricted connection", func(t *testing.T) {
		other := p.newBucket(t, "it-s3-other-")
		cfg, err := r.Config(ctx, p.s3Connection(map[string]string{"bucket": bucket, "prefix": "list/"}))
		require.NoError(t, err)
		restricted := s3conn.New(cfg, func(o *s3conn.Options) { o.Bucket, o.Prefix = bucket, "list/" })
		require.True(t, restricted.Check(ctx).OK())

		obj, err := restricted.GetObject(ctx, "", "list/item-0.txt")
		require.NoError(t, err, `"" means the connection's bucket`)
		require.Equal(t, "list/item-0.txt", string(readAll(t, obj.Body)))

		_, err = restricted.GetObject(ctx, bucket, "small/one.txt")
		require.ErrorIs(t, err, s3conn.ErrOutsideRestriction)
		_, err = restricted.PutObject(ctx, other, "list/x", bytes.NewReader(nil))
		require.ErrorIs(t, err, s3conn.ErrOutsideRestriction)
	})
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Many goroutines share one connector, as a platform's workers do: every
// request is signed with the same cached temporary credentials, assumed once.
func TestS3ConnectorConcurrentUse(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-s3-conc-")
	counting := newCountingSTS(p.STS())
	cache := role.NewCache(counting)
	t.Cleanup(func() { require.NoError(t, cache.Close()) })
	spec := role.Spec{RoleARN: integrationRole, ExternalID: externalID(t, "12345", "conc")}
	provider, err := cache.Provider(spec)
	require.NoError(t, err)
	conn := s3conn.New(p.Config(provider))

	const workers, perWorker = 32, 4
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			errs <- func() error {
				for i := range perWorker {
					key := fmt.Sprintf("w%02d/%d.txt", w, i)
					if _, err := conn.PutObject(ctx, bucket, key, strings.NewReader(key)); err != nil {
						return err
					}
					obj, err := conn.GetObject(ctx, bucket, key)
					if err != nil {
						return err
					}
					b, err := io.ReadAll(obj.Body)
					_ = obj.Body.Close()
					if err != nil {
						return err
					}
					if string(b) != key {
						return fmt.Errorf("%s holds %q", key, b)
					}
				}
				return nil
			}()
		}()
	}
	for range workers {
		require.NoError(t, <-errs)
	}
	n := 0
	for _, err := range conn.ListObjects(ctx, bucket, s3conn.ListOptions{}) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, workers*perWorker, n)
	require.Equal(t, 1, counting.count(spec.ExternalID), "one AssumeRole for all the workers")
}
