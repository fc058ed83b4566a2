package s3_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
)

// TestConnectorIsSafeForConcurrentUse writes, reads, lists, presigns and
// deletes from many goroutines through one restricted Connector (run with
// -race); every goroutine sees its own object.
func TestConnectorIsSafeForConcurrentUse(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			key := fmt.Sprintf("%sworker-%02d.txt", prefix, i)
			want := "data of " + key
			if _, err := c.PutObject(ctx, "", key, strings.NewReader(want)); !assert.NoError(t, err) {
				return
			}
			obj, err := c.GetObject(ctx, "", key)
			if !assert.NoError(t, err) {
				return
			}
			got, err := io.ReadAll(obj.Body)
			assert.NoError(t, err)
			assert.NoError(t, obj.Body.Close())
			assert.Equal(t, want, string(got))
			_, err = c.PresignGet(ctx, "", key, time.Minute)
			assert.NoError(t, err)
			for _, err := range c.ListObjects(ctx, "", s3c.ListOptions{Prefix: key}) {
				assert.NoError(t, err)
			}
			_, err = c.GetObject(ctx, "other-bucket", key)
			assert.ErrorIs(t, err, s3c.ErrOutsideRestriction)
		})
	}
	wg.Wait()
	n := 0
	for _, err := range c.ListObjects(ctx, "", s3c.ListOptions{}) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 16, n)
}

// TestRestrictionTakesKeysLiterally tries the path tricks a caller might use
// to leave the prefix. S3 and IAM compare keys as literal strings (S3 does
// not resolve "..", and the SDK percent-encodes "%"), so each trick either
// stays under the prefix, where the request addresses exactly that key, or
// is refused before a request is sent.
func TestRestrictionTakesKeysLiterally(t *testing.T) {
	// The role may use the whole bucket, so that only the connector's own
	// guard stands between a trick and the key outside the prefix.
	e := newEnv(t, func(o *connectortest.Options) { o.Permissions = s3c.Requirements(s3c.AllOperations(), bucket, "") })
	c := e.connector(t)
	ctx := context.Background()
	outside := "secret.txt"
	whole := s3c.New(e.ConfigOf(t, e.Connection(map[string]string{"bucket": bucket})), func(o *s3c.Options) { o.Bucket = bucket })
	_, err := whole.PutObject(ctx, "", outside, strings.NewReader("outside"))
	require.NoError(t, err)
	tests := []struct {
		key    string
		inside bool
	}{
		{"reports/../secret.txt", true},
		{"reports/./../secret.txt", true},
		{"reports/%2E%2E/secret.txt", true},
		{"reports%2F..%2Fsecret.txt", false},
		{"reportsX/a", false},
		{"report", false},
		{"./reports/a", false},
		{"/reports/a", false},
		{"../reports/a", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			e.Server.ResetRequests()
			_, err := c.PutObject(ctx, "", tt.key, strings.NewReader("written"))
			if !tt.inside {
				require.ErrorIs(t, err, s3c.ErrOutsideRestriction)
				_, err = c.PresignGet(ctx, "", tt.key, time.Minute)
				require.ErrorIs(t, err, s3c.ErrOutsideRestriction)
				require.Empty(t, e.Server.Requests(), "no request may be sent")
				return
			}
			require.NoError(t, err)
			stored, err := e.Server.Object(bucket, tt.key)
			require.NoError(t, err, "the object is stored under its literal key")
			require.Equal(t, "written", string(stored))
			obj, err := c.GetObject(ctx, "", tt.key)
			require.NoError(t, err)
			got, err := io.ReadAll(obj.Body)
			require.NoError(t, err)
			require.NoError(t, obj.Body.Close())
			require.Equal(t, "written", string(got))
		})
	}
	stored, err := e.Server.Object(bucket, outside)
	require.NoError(t, err)
	require.Equal(t, "outside", string(stored), "no trick reached the key outside the prefix")
}
