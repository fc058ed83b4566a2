package localaws

import (
	"cmp"
	"context"
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
	resp, b := sendRaw(t, s, req)
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
// AWS's S3 error, whatever else is right about it. Each case presigns a
// GetObject with the role session's credentials, then spoils it.
func TestS3PresignedURLFailures(t *testing.T) {
	cases := []struct {
		name string
		// key is the object; default exports/a.txt, which the role may read.
		key string
		// expires is the URL's validity; default 10 minutes.
		expires time.Duration
		// creds changes the session's credentials before presigning.
		creds func(c aws.Credentials) aws.Credentials
		// from is replaced by to in the URL after presigning.
		from, to string
		// later moves the server's clock after presigning.
		later time.Duration

		status     int
		code, want string
	}{
		{name: "expired URL", later: 11 * time.Minute,
			status: http.StatusForbidden, code: "AccessDenied", want: "Request has expired"},
		{name: "tampered key", from: "exports/a.txt", to: "exports/b.txt",
			status: http.StatusForbidden, code: "SignatureDoesNotMatch", want: "signature we calculated does not match"},
		{name: "extended expiry", from: "X-Amz-Expires=600", to: "X-Amz-Expires=6000",
			status: http.StatusForbidden, code: "SignatureDoesNotMatch", want: "signature we calculated does not match"},
		{name: "wrong secret", creds: func(c aws.Credentials) aws.Credentials { c.SecretAccessKey = "not-the-secret"; return c },
			status: http.StatusForbidden, code: "SignatureDoesNotMatch", want: "signature we calculated does not match"},
		{name: "unknown access key", creds: func(aws.Credentials) aws.Credentials {
			return aws.Credentials{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: "x"}
		}, status: http.StatusForbidden, code: "InvalidAccessKeyId", want: "does not exist in our records"},
		{name: "session token left out", creds: func(c aws.Credentials) aws.Credentials { c.SessionToken = ""; return c },
			status: http.StatusForbidden, code: "InvalidAccessKeyId", want: "does not exist in our records"},
		{name: "expired session credentials", expires: 7 * 24 * time.Hour, later: 2 * time.Hour, // the session lasts one hour
			status: http.StatusBadRequest, code: "ExpiredToken", want: "token has expired"},
		{name: "expiry over a week", from: "X-Amz-Expires=600", to: "X-Amz-Expires=604801",
			status: http.StatusBadRequest, code: "AuthorizationQueryParametersError", want: "X-Amz-Expires must be 1 to 604800 seconds"},
		{name: "not allowed to the caller", key: "secrets/x",
			status: http.StatusForbidden, code: "AccessDenied", want: "not authorized to perform: s3:GetObject on resource: arn:aws:s3:::customer-exports/secrets/x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := NewClock(time.Now())
			// The SDK presigns on the wall clock; the skew allowance lets
			// the server's clock run ahead of it.
			s := startServer(t, func(o *Options) { o.Now = clock.Now; o.MaxClockSkew = 24 * time.Hour })
			creds := s3SessionCreds(t, s)
			if tc.creds != nil {
				creds = tc.creds(creds)
			}
			key, expires := cmp.Or(tc.key, "exports/a.txt"), cmp.Or(tc.expires, 10*time.Minute)
			p := presignGet(t, s, creds, key, expires)
			if tc.from != "" {
				require.Contains(t, p.URL, tc.from)
				p.URL = strings.Replace(p.URL, tc.from, tc.to, 1)
			}
			clock.Add(tc.later)

			status, body := sendPresigned(t, s, p, "")
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
	clock := NewClock(time.Now())
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

// TestPresignedURLRegion: a presigned call addresses the region of its
// credential scope, as a signed one does: SES GetAccount presigned for
// eu-west-1 reads eu-west-1's sending state.
func TestPresignedURLRegion(t *testing.T) {
	s, _ := svcServer(t, allSES)
	s.Platform().SetSESAccount(SESAccount{SendingEnabled: true, Max24HourSend: 200, MaxSendRate: 1}, "eu-west-1")

	req, err := http.NewRequest(http.MethodGet, s.URL()+"/v2/email/account?X-Amz-Expires=300", nil)
	require.NoError(t, err)
	emptySHA256 := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	url, header, err := v4.NewSigner().PresignHTTP(t.Context(), s.PlatformCredentials(), req, emptySHA256, "ses", "eu-west-1", time.Now())
	require.NoError(t, err)

	status, body := sendPresigned(t, s, &v4.PresignedHTTPRequest{URL: url, Method: http.MethodGet, SignedHeader: header}, "")
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, `"Max24HourSend":200`)
	require.Contains(t, body, `"MaxSendRate":1`)
}
