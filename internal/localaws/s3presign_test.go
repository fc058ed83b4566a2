package localaws

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// sendPresigned sends a presigned request with a plain http.Client (no
// credentials, no signing) and returns the status and body.
func sendPresigned(t *testing.T, s *Server, p *v4.PresignedHTTPRequest, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), p.Method, p.URL, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range p.SignedHeader {
		if k != "Host" { // the client sets it from the URL
			req.Header[k] = v
		}
	}
	resp, err := s.Config(nil).HTTPClient.(*http.Client).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// presignGet presigns a GetObject of key with creds, valid for expires.
func presignGet(t *testing.T, s *Server, creds aws.Credentials, key string, expires time.Duration) *v4.PresignedHTTPRequest {
	t.Helper()
	p, err := s3.NewPresignClient(s3Client(s, creds)).PresignGetObject(t.Context(),
		&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}, s3.WithPresignExpires(expires))
	require.NoError(t, err)
	return p
}

// TestS3PresignedURLs: URLs presigned by the SDK with a role session's
// credentials work without any credentials, for PUT and GET.
func TestS3PresignedURLs(t *testing.T) {
	s := startServer(t)
	presigner := s3.NewPresignClient(s3Session(t, s))
	ctx := t.Context()

	put, err := presigner.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("exports/shared.txt"),
		ContentType: aws.String("text/plain")}, s3.WithPresignExpires(10*time.Minute))
	require.NoError(t, err)
	require.Contains(t, put.URL, "X-Amz-Security-Token=")
	status, body := sendPresigned(t, s, put, "shared")
	require.Equal(t, http.StatusOK, status, body)
	got, err := s.Object(bucket, "exports/shared.txt")
	require.NoError(t, err)
	require.Equal(t, "shared", string(got))

	get, err := presigner.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("exports/shared.txt")},
		s3.WithPresignExpires(10*time.Minute))
	require.NoError(t, err)
	status, body = sendPresigned(t, s, get, "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "shared", body)

	last := s.Requests()[len(s.Requests())-1]
	require.Equal(t, "GetObject", last.Operation)
	require.Equal(t, "s3:GetObject", last.Action)
	require.Contains(t, last.Caller.ARN, ":assumed-role/awsconnect/test-session")
}

// TestS3PresignedURLFailures: each way a presigned URL can be wrong gets
// AWS's S3 error, whatever else is right about it.
func TestS3PresignedURLFailures(t *testing.T) {
	cases := []struct {
		name string
		// presign returns the request to send; it may move the clock after
		// presigning.
		presign    func(t *testing.T, s *Server, creds aws.Credentials, clock *fakeClock) *v4.PresignedHTTPRequest
		status     int
		code, want string
	}{
		{"expired URL", func(t *testing.T, s *Server, creds aws.Credentials, clock *fakeClock) *v4.PresignedHTTPRequest {
			p := presignGet(t, s, creds, "exports/a.txt", 10*time.Minute)
			clock.Add(11 * time.Minute)
			return p
		}, http.StatusForbidden, "AccessDenied", "Request has expired"},
		{"tampered key", func(t *testing.T, s *Server, creds aws.Credentials, _ *fakeClock) *v4.PresignedHTTPRequest {
			p := presignGet(t, s, creds, "exports/a.txt", 10*time.Minute)
			p.URL = strings.Replace(p.URL, "exports/a.txt", "exports/b.txt", 1)
			return p
		}, http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match"},
		{"extended expiry", func(t *testing.T, s *Server, creds aws.Credentials, _ *fakeClock) *v4.PresignedHTTPRequest {
			p := presignGet(t, s, creds, "exports/a.txt", 10*time.Minute)
			p.URL = strings.Replace(p.URL, "X-Amz-Expires=600", "X-Amz-Expires=6000", 1)
			return p
		}, http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match"},
		{"wrong secret", func(t *testing.T, s *Server, creds aws.Credentials, _ *fakeClock) *v4.PresignedHTTPRequest {
			creds.SecretAccessKey = "not-the-secret"
			return presignGet(t, s, creds, "exports/a.txt", 10*time.Minute)
		}, http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match"},
		{"unknown access key", func(t *testing.T, s *Server, _ aws.Credentials, _ *fakeClock) *v4.PresignedHTTPRequest {
			return presignGet(t, s, aws.Credentials{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: "x"}, "exports/a.txt", 10*time.Minute)
		}, http.StatusForbidden, "InvalidAccessKeyId", "does not exist in our records"},
		{"session token left out", func(t *testing.T, s *Server, creds aws.Credentials, _ *fakeClock) *v4.PresignedHTTPRequest {
			creds.SessionToken = ""
			return presignGet(t, s, creds, "exports/a.txt", 10*time.Minute)
		}, http.StatusForbidden, "InvalidAccessKeyId", "does not exist in our records"},
		{"expired session credentials", func(t *testing.T, s *Server, creds aws.Credentials, clock *fakeClock) *v4.PresignedHTTPRequest {
			p := presignGet(t, s, creds, "exports/a.txt", 7*24*time.Hour)
			clock.Add(2 * time.Hour) // the session lasts one hour
			return p
		}, http.StatusBadRequest, "ExpiredToken", "token has expired"},
		{"expiry over a week", func(t *testing.T, s *Server, creds aws.Credentials, _ *fakeClock) *v4.PresignedHTTPRequest {
			p := presignGet(t, s, creds, "exports/a.txt", 10*time.Minute)
			p.URL = strings.Replace(p.URL, "X-Amz-Expires=600", "X-Amz-Expires=604801", 1)
			return p
		}, http.StatusBadRequest, "AuthorizationQueryParametersError", "X-Amz-Expires must be 1 to 604800 seconds"},
		{"not allowed to the caller", func(t *testing.T, s *Server, creds aws.Credentials, _ *fakeClock) *v4.PresignedHTTPRequest {
			return presignGet(t, s, creds, "secrets/x", 10*time.Minute)
		}, http.StatusForbidden, "AccessDenied", "not authorized to perform: s3:GetObject on resource: arn:aws:s3:::customer-exports/secrets/x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			// The SDK presigns on the wall clock; the skew allowance lets
			// the server's clock run ahead of it.
			s := startServer(t, func(o *Options) { o.Now = clock.Now; o.MaxClockSkew = 24 * time.Hour })
			creds := s3SessionCreds(t, s)
			status, body := sendPresigned(t, s, tc.presign(t, s, creds, clock), "")
			require.Equal(t, tc.status, status, body)
			require.Contains(t, body, "<Code>"+tc.code+"</Code>")
			require.Contains(t, body, tc.want)
			require.Equal(t, tc.code, s.Requests()[len(s.Requests())-1].ErrorCode)
		})
	}
}

// TestPresignedURLsOfOtherServices: a presigned URL is routed by its
// credential scope's service, here STS's GetCallerIdentity as EKS tokens
// use it (no X-Amz-Expires, so 15 minutes).
func TestPresignedURLsOfOtherServices(t *testing.T) {
	clock := newFakeClock()
	s := startServer(t, func(o *Options) { o.Now = clock.Now; o.MaxClockSkew = 24 * time.Hour })
	presigner := sts.NewPresignClient(sts.NewFromConfig(s.Config(nil)))
	p, err := presigner.PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.NotContains(t, p.URL, "X-Amz-Expires")

	status, body := sendPresigned(t, s, p, "")
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, "<Arn>arn:aws:iam::"+DefaultPlatformAccountID+":user/"+PlatformUserName+"</Arn>")

	clock.Add(16 * time.Minute)
	status, body = sendPresigned(t, s, p, "")
	require.Equal(t, http.StatusForbidden, status, body)
	require.Contains(t, body, "<Code>AccessDenied</Code>")
	require.Contains(t, body, "Request has expired")
}
