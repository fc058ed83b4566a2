package s3_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
)

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func keys(entries []s3c.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Key
		if e.IsPrefix {
			out[i] += " (prefix)"
		}
	}
	return out
}

func TestObjectLifecycle(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t)
	ctx := context.Background()

	for _, k := range []string{"reports/2026/a.csv", "reports/2026/b.csv", "reports/2025/c.csv", "reports/top.txt"} {
		res, err := c.PutObject(ctx, "", k, strings.NewReader("data of "+k), func(o *s3c.PutOptions) {
			o.ContentType = "text/csv"
			o.Metadata = map[string]string{"source": "test"}
		})
		require.NoError(t, err)
		require.Equal(t, bucket, res.Bucket)
		require.NotEmpty(t, res.ETag)
	}
	stored, err := e.Server.Object(bucket, "reports/top.txt")
	require.NoError(t, err)
	require.Equal(t, "data of reports/top.txt", string(stored))

	obj, err := c.GetObject(ctx, bucket, "reports/2026/a.csv")
	require.NoError(t, err)
	body, err := io.ReadAll(obj.Body)
	require.NoError(t, err)
	require.NoError(t, obj.Body.Close())
	require.Equal(t, "data of reports/2026/a.csv", string(body))
	require.Equal(t, int64(len(body)), obj.Size)
	require.Equal(t, "text/csv", obj.ContentType)
	require.Equal(t, "test", obj.Metadata["source"])

	t.Run("list everything under the prefix, two keys a page", func(t *testing.T) {
		got := collect(t, c.ListObjects(ctx, "", s3c.ListOptions{PageSize: 2}))
		require.Equal(t, []string{"reports/2025/c.csv", "reports/2026/a.csv", "reports/2026/b.csv", "reports/top.txt"}, keys(got))
		require.Equal(t, int64(len("data of reports/2025/c.csv")), got[0].Size)
	})
	t.Run("folders with a delimiter", func(t *testing.T) {
		got := collect(t, c.ListObjects(ctx, "", s3c.ListOptions{Prefix: "reports/", Delimiter: "/"}))
		require.Equal(t, []string{"reports/2025/ (prefix)", "reports/2026/ (prefix)", "reports/top.txt"}, keys(got))
	})
	t.Run("folders and keys merged in key order", func(t *testing.T) {
		_, err := c.PutObject(ctx, "", "reports/1999.txt", strings.NewReader("old"))
		require.NoError(t, err)
		defer func() { require.NoError(t, c.DeleteObject(ctx, "", "reports/1999.txt")) }()
		got := collect(t, c.ListObjects(ctx, "", s3c.ListOptions{Prefix: "reports/", Delimiter: "/"}))
		require.Equal(t, []string{"reports/1999.txt", "reports/2025/ (prefix)", "reports/2026/ (prefix)", "reports/top.txt"}, keys(got))
	})
	t.Run("a sub-prefix", func(t *testing.T) {
		got := collect(t, c.ListObjects(ctx, bucket, s3c.ListOptions{Prefix: "reports/2026/"}))
		require.Equal(t, []string{"reports/2026/a.csv", "reports/2026/b.csv"}, keys(got))
	})
	t.Run("stopping the loop early", func(t *testing.T) {
		n := 0
		for _, err := range c.ListObjects(ctx, "", s3c.ListOptions{PageSize: 1}) {
			require.NoError(t, err)
			n++
			if n == 2 {
				break
			}
		}
		require.Equal(t, 2, n)
	})

	require.NoError(t, c.DeleteObject(ctx, "", "reports/2026/b.csv"))
	require.NoError(t, c.DeleteObject(ctx, "", "reports/2026/b.csv"), "deleting a missing object succeeds")
	_, err = c.GetObject(ctx, "", "reports/2026/b.csv")
	var s3err *s3c.Error
	require.ErrorAs(t, err, &s3err)
	require.Equal(t, "NoSuchKey", s3err.Code())
	require.Equal(t, "GetObject", s3err.Op)
	require.Contains(t, err.Error(), "s3: GetObject s3://acme-reports/reports/2026/b.csv")

	loc, err := c.BucketLocation(ctx, "")
	require.NoError(t, err)
	require.Equal(t, "us-east-1", loc)

	buckets := collect(t, c.ListBuckets(ctx))
	require.Len(t, buckets, 1)
	require.Equal(t, bucket, buckets[0].Name)
}

func TestListBucketsUnrestricted(t *testing.T) {
	e := newEnv(t, func(o *connectortest.Options) {
		o.Permissions = s3c.Requirements([]s3c.Operation{s3c.OpListBuckets}, "", "")
	})
	c := s3c.New(e.ConfigOf(t, e.Connection(nil)))
	var names []string
	for _, b := range collect(t, c.ListBuckets(context.Background())) {
		names = append(names, b.Name)
	}
	require.Equal(t, []string{bucket, "other-bucket"}, names)
}

func TestLargeObjectsUseMultipart(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t, func(o *s3c.Options) { o.Concurrency = 2 })
	ctx := context.Background()
	data := make([]byte, 11<<20) // 11 MiB: three 5 MiB parts
	_, err := rand.Read(data)
	require.NoError(t, err)

	// A plain reader (no Seek, no length), as from a socket.
	res, err := c.Upload(ctx, "", "reports/big.bin", struct{ io.Reader }{bytes.NewReader(data)}, func(o *s3c.PutOptions) {
		o.ContentType = "application/octet-stream"
	})
	require.NoError(t, err)
	require.Equal(t, 3, res.Parts)
	stored, err := e.Server.Object(bucket, "reports/big.bin")
	require.NoError(t, err)
	require.True(t, bytes.Equal(data, stored), "the uploaded object differs")

	small, err := c.Upload(ctx, "", "reports/small.bin", strings.NewReader("tiny"))
	require.NoError(t, err)
	require.Zero(t, small.Parts, "bodies under the part size go in one PutObject")

	buf := s3c.NewWriteAtBuffer()
	n, err := c.Download(ctx, "", "reports/big.bin", buf)
	require.NoError(t, err)
	require.Equal(t, int64(len(data)), n)
	require.True(t, bytes.Equal(data, buf.Bytes()), "the downloaded object differs")
}

func TestRestrictionIsEnforcedBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"get in another bucket", func() error { _, err := c.GetObject(ctx, "other-bucket", "reports/a"); return err }},
		{"get outside the prefix", func() error { _, err := c.GetObject(ctx, "", "secrets/a"); return err }},
		{"put outside the prefix", func() error { _, err := c.PutObject(ctx, "", "report", strings.NewReader("x")); return err }},
		{"delete outside the prefix", func() error { return c.DeleteObject(ctx, bucket, "other/a") }},
		{"upload in another bucket", func() error {
			_, err := c.Upload(ctx, "other-bucket", "reports/a", strings.NewReader("x"))
			return err
		}},
		{"download outside the prefix", func() error { _, err := c.Download(ctx, "", "x", s3c.NewWriteAtBuffer()); return err }},
		{"presign outside the prefix", func() error { _, err := c.PresignGet(ctx, "", "x", time.Minute); return err }},
		{"presign put in another bucket", func() error {
			_, err := c.PresignPut(ctx, "other-bucket", "reports/x", "", time.Minute)
			return err
		}},
		{"list above the prefix", func() error {
			for _, err := range c.ListObjects(ctx, "", s3c.ListOptions{Prefix: "rep"}) {
				return err
			}
			return nil
		}},
		{"list another bucket", func() error {
			for _, err := range c.ListObjects(ctx, "other-bucket", s3c.ListOptions{}) {
				return err
			}
			return nil
		}},
		{"location of another bucket", func() error { _, err := c.BucketLocation(ctx, "other-bucket"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.Server.ResetRequests()
			err := tt.call()
			require.ErrorIs(t, err, s3c.ErrOutsideRestriction)
			require.Empty(t, e.Server.Requests(), "no request may be sent")
		})
	}
}

func TestInvalidArguments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	unrestricted := s3c.New(e.ConfigOf(t, e.Connection(nil)))
	_, err := unrestricted.GetObject(ctx, "", "k")
	require.ErrorContains(t, err, "no bucket given")
	_, err = unrestricted.GetObject(ctx, "Bad_Bucket", "k")
	require.ErrorIs(t, err, s3c.ErrInvalidBucketName)
	_, err = unrestricted.GetObject(ctx, bucket, "")
	require.ErrorIs(t, err, s3c.ErrInvalidKey)

	prefixOnly := s3c.New(e.ConfigOf(t, e.Connection(nil)), func(o *s3c.Options) { o.Prefix = "reports/" })
	err = prefixOnly.DeleteObject(ctx, bucket, "reports/a")
	require.ErrorContains(t, err, "needs a bucket restriction")
	require.False(t, errors.Is(err, s3c.ErrOutsideRestriction))
}
