package s3_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	s3c "github.com/awsconnect/awsconnect/connectors/s3"
)

// brokenStream yields n bytes, then fails as a dropped socket does.
type brokenStream struct {
	n   int
	err error
}

func (b *brokenStream) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, b.err
	}
	k := min(len(p), b.n)
	clear(p[:k])
	b.n -= k
	return k, nil
}

func TestBrokenStreamAbortsTheMultipartUpload(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t, func(o *s3c.Options) { o.Concurrency = 2 })
	reset := errors.New("read tcp: connection reset by peer")

	_, err := c.Upload(context.Background(), "", "reports/broken.bin", &brokenStream{n: 7 << 20, err: reset})
	require.ErrorIs(t, err, reset, "the stream's own error, through the connector's *Error")

	ops := map[string]int{}
	for _, r := range e.Server.Requests() {
		ops[r.Operation]++
	}
	require.Equal(t, 1, ops["CreateMultipartUpload"], "%v", ops)
	require.Equal(t, 1, ops["AbortMultipartUpload"], "no parts may be left behind: %v", ops)
	require.Zero(t, ops["CompleteMultipartUpload"], "%v", ops)
	_, err = e.Server.Object(bucket, "reports/broken.bin")
	require.Error(t, err, "a broken upload must not leave an object")
}

func TestDownloadFetchesRangesInParallel(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t, func(o *s3c.Options) { o.Concurrency = 3 })
	ctx := context.Background()
	data := make([]byte, 12<<20) // 12 MiB: ranges of 5, 5 and 2 MiB
	_, err := rand.Read(data)
	require.NoError(t, err)
	// One PutObject, so the download cannot split by part number.
	_, err = c.PutObject(ctx, "", "reports/whole.bin", bytes.NewReader(data))
	require.NoError(t, err)

	e.Server.ResetRequests()
	buf := s3c.NewWriteAtBuffer()
	n, err := c.Download(ctx, "", "reports/whole.bin", buf)
	require.NoError(t, err)
	require.Equal(t, int64(len(data)), n)
	require.True(t, bytes.Equal(data, buf.Bytes()), "the downloaded object differs")
	gets := 0
	for _, r := range e.Server.Requests() {
		if r.Operation == "GetObject" {
			gets++
		}
	}
	require.Equal(t, 3, gets, "one ranged GET a part")
}
