package localaws

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"
)

// TestS3PresignedURLs: URLs presigned by the SDK with a role session's
// credentials work without any credentials, until they expire, and only
// unaltered.
func TestS3PresignedURLs(t *testing.T) {
	clock := newFakeClock()
	s := startServer(t, func(o *Options) { o.Now = clock.Now; o.MaxClockSkew = 24 * time.Hour })
	presigner := s3.NewPresignClient(s3Session(t, s))
	ctx := t.Context()
	httpc := s.Config(nil).HTTPClient
	send := func(method, url string, header http.Header, body string) (int, string) {
		req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := httpc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}

	put, err := presigner.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("exports/shared.txt")},
		s3.WithPresignExpires(10*time.Minute))
	require.NoError(t, err)
	require.Contains(t, put.URL, "X-Amz-Security-Token=")
	status, body := send(put.Method, put.URL, put.SignedHeader, "shared")
	require.Equal(t, http.StatusOK, status, body)
	got, err := s.Object(bucket, "exports/shared.txt")
	require.NoError(t, err)
	require.Equal(t, "shared", string(got))

	get, err := presigner.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("exports/shared.txt")},
		s3.WithPresignExpires(10*time.Minute))
	require.NoError(t, err)
	status, body = send(get.Method, get.URL, get.SignedHeader, "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "shared", body)

	status, body = send(get.Method, strings.Replace(get.URL, "exports/shared.txt", "exports/other.txt", 1), get.SignedHeader, "")
	require.Equal(t, http.StatusForbidden, status)
	require.Contains(t, body, "<Code>SignatureDoesNotMatch</Code>")

	denied, err := presigner.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("secrets/x")})
	require.NoError(t, err)
	status, body = send(denied.Method, denied.URL, denied.SignedHeader, "")
	require.Equal(t, http.StatusForbidden, status)
	require.Contains(t, body, "not authorized to perform: s3:GetObject on resource: arn:aws:s3:::customer-exports/secrets/x")

	clock.Add(11 * time.Minute)
	status, body = send(get.Method, get.URL, get.SignedHeader, "")
	require.Equal(t, http.StatusForbidden, status)
	require.Contains(t, body, "<Code>AccessDenied</Code><Message>Request has expired")
}
