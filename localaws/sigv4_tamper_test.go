package localaws

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"
)

// tamperBucket is the bucket the tampering tests try to write into.
const tamperBucket = "tamper"

// tamperServer starts a server whose platform user may do anything in
// logs, Lambda and S3, so that only the signature check stands between a
// tampered request and a state change.
func tamperServer(t *testing.T) *Server {
	t.Helper()
	s := startServer(t, func(o *Options) {
		o.PlatformPolicy = mustParse(t, `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["logs:*","lambda:*","s3:*"],"Resource":"*"}]}`)
	})
	require.NoError(t, s.Platform().CreateBucket(tamperBucket))
	return s
}

// signRequest signs a request with the platform's key, as a client that
// holds the secret would, with payloadHash as the signed payload hash ("" =
// the body's SHA-256). Headers set in hdr are signed.
func signRequest(t *testing.T, s *Server, service, method, path string, hdr map[string]string, body []byte, payloadHash string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if payloadHash == "" {
		sum := sha256.Sum256(body)
		payloadHash = hex.EncodeToString(sum[:])
	}
	require.NoError(t, v4.NewSigner().SignHTTP(t.Context(), s.PlatformCredentials(), req, payloadHash, service, "us-east-1", time.Now()))
	return req
}

// swapBody replaces the body after signing, as a man in the middle would;
// the length stays the same because Content-Length is signed.
func swapBody(t *testing.T, req *http.Request, body []byte) {
	t.Helper()
	require.EqualValues(t, req.ContentLength, len(body))
	req.Body = io.NopCloser(bytes.NewReader(body))
}

// logGroupExists looks into the server's state directly.
func logGroupExists(s *Server, name string) bool {
	h := logsOf(s)
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.groups[s.PlatformAccountID()+"/us-east-1/"+name] != nil
}

// objectExists asks S3 through the SDK.
func objectExists(t *testing.T, s *Server, key string) bool {
	t.Helper()
	out, err := s3Client(s, s.PlatformCredentials()).ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(tamperBucket)})
	require.NoError(t, err)
	for _, o := range out.Contents {
		if *o.Key == key {
			return true
		}
	}
	return false
}

// swappedUnder signs a Logs CreateLogGroup of signed with marker as the
// declared and signed payload hash, then swaps the body for sent.
func swappedUnder(marker string, signed, sent []byte) func(t *testing.T, s *Server) *http.Request {
	return func(t *testing.T, s *Server) *http.Request {
		req := signRequest(t, s, "logs", http.MethodPost, "/", map[string]string{"X-Amz-Target": "Logs_20140328.CreateLogGroup",
			"Content-Type": "application/x-amz-json-1.1", "X-Amz-Content-Sha256": marker}, signed, marker)
		swapBody(t, req, sent)
		return req
	}
}

// TestTamperedRequestsAreRefused sends requests that a holder of the secret
// signed and someone else then changed, or that declare a payload hash the
// service does not allow; each must be refused in the service's error
// shape, before any state changes.
func TestTamperedRequestsAreRefused(t *testing.T) {
	good, evil := []byte(`{"logGroupName":"good"}`), []byte(`{"logGroupName":"evil"}`)
	cases := []struct {
		name       string
		req        func(t *testing.T, s *Server) *http.Request
		wantStatus int
		wantCode   string
		// unchanged reports whether the state the request aimed at is
		// still as before.
		unchanged func(t *testing.T, s *Server) bool
	}{
		{"logs: UNSIGNED-PAYLOAD does not cover a swapped body", swappedUnder("UNSIGNED-PAYLOAD", good, evil),
			400, "InvalidSignatureException", func(_ *testing.T, s *Server) bool {
				return !logGroupExists(s, "evil") && !logGroupExists(s, "good")
			}},
		{"logs: a streaming marker does not cover a swapped body", swappedUnder("STREAMING-UNSIGNED-PAYLOAD-TRAILER", good, evil),
			400, "InvalidSignatureException", func(_ *testing.T, s *Server) bool {
				return !logGroupExists(s, "evil") && !logGroupExists(s, "good")
			}},
		{"logs: an X-Amz-Target added after signing", func(t *testing.T, s *Server) *http.Request {
			req := signRequest(t, s, "logs", http.MethodPost, "/", map[string]string{"Content-Type": "application/x-amz-json-1.1"}, evil, "")
			req.Header.Set("X-Amz-Target", "Logs_20140328.CreateLogGroup")
			return req
		}, 400, "IncompleteSignatureException", func(_ *testing.T, s *Server) bool {
			return !logGroupExists(s, "evil")
		}},
		{"logs: another service's X-Amz-Target", func(t *testing.T, s *Server) *http.Request {
			return signRequest(t, s, "logs", http.MethodPost, "/", map[string]string{
				"X-Amz-Target": "DynamoDB_20120810.CreateLogGroup", "Content-Type": "application/x-amz-json-1.1"}, evil, "")
		}, 400, "UnknownOperationException", func(_ *testing.T, s *Server) bool {
			return !logGroupExists(s, "evil")
		}},
		{"s3: an x-amz header added after signing", func(t *testing.T, s *Server) *http.Request {
			req := signRequest(t, s, "s3", http.MethodPut, "/"+tamperBucket+"/k", map[string]string{
				"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}, []byte("data"), "UNSIGNED-PAYLOAD")
			req.Header.Set("X-Amz-Meta-Owner", "mallory")
			return req
		}, 403, "AccessDenied", func(t *testing.T, s *Server) bool { return !objectExists(t, s, "k") }},
		{"s3: signed-chunk streaming is refused, not accepted unverified", func(t *testing.T, s *Server) *http.Request {
			mode := "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
			return signRequest(t, s, "s3", http.MethodPut, "/"+tamperBucket+"/k", map[string]string{
				"X-Amz-Content-Sha256": mode, "Content-Encoding": "aws-chunked"}, []byte("4;chunk-signature=00\r\ndata\r\n0;chunk-signature=00\r\n\r\n"), mode)
		}, 501, "NotImplemented", func(t *testing.T, s *Server) bool { return !objectExists(t, s, "k") }},
		{"s3: an unknown payload marker", func(t *testing.T, s *Server) *http.Request {
			return signRequest(t, s, "s3", http.MethodPut, "/"+tamperBucket+"/k", map[string]string{
				"X-Amz-Content-Sha256": "TRUST-ME"}, []byte("data"), "TRUST-ME")
		}, 400, "InvalidArgument", func(t *testing.T, s *Server) bool { return !objectExists(t, s, "k") }},
		{"s3: header authentication without x-amz-content-sha256", func(t *testing.T, s *Server) *http.Request {
			return signRequest(t, s, "s3", http.MethodPut, "/"+tamperBucket+"/k", nil, []byte("data"), "")
		}, 400, "InvalidRequest", func(t *testing.T, s *Server) bool { return !objectExists(t, s, "k") }},
		{"s3: Authorization header and presigned query together", func(t *testing.T, s *Server) *http.Request {
			return signRequest(t, s, "s3", http.MethodPut, "/"+tamperBucket+"/k?X-Amz-Algorithm=AWS4-HMAC-SHA256", map[string]string{
				"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}, []byte("data"), "UNSIGNED-PAYLOAD")
		}, 400, "AuthorizationHeaderMalformed", func(t *testing.T, s *Server) bool { return !objectExists(t, s, "k") }},
		{"s3: a presigned URL with a second X-Amz-Date", func(t *testing.T, s *Server) *http.Request {
			p, err := s3.NewPresignClient(s3Client(s, s.PlatformCredentials())).PresignPutObject(t.Context(), &s3.PutObjectInput{
				Bucket: aws.String(tamperBucket), Key: aws.String("k")})
			require.NoError(t, err)
			req, err := http.NewRequest(p.Method, p.URL+"&X-Amz-Date=20000101T000000Z", bytes.NewReader([]byte("data")))
			require.NoError(t, err)
			return req
		}, 400, "AuthorizationQueryParametersError", func(t *testing.T, s *Server) bool { return !objectExists(t, s, "k") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tamperServer(t)
			resp, body := sendRaw(t, s, tc.req(t, s))
			require.Equal(t, tc.wantStatus, resp.StatusCode, "body: %s", body)
			require.True(t, bytes.Contains(body, []byte(tc.wantCode)) || resp.Header.Get("X-Amzn-ErrorType") == tc.wantCode,
				"want %s; body %s, X-Amzn-ErrorType %q", tc.wantCode, body, resp.Header.Get("X-Amzn-ErrorType"))
			require.True(t, tc.unchanged(t, s), "the refused request changed the server's state")
		})
	}
}

// TestLambdaRegionIsTheSignedOne: a function ARN naming another region than
// the request was signed for is refused, as AWS refuses it, instead of being
// reached (and authorised with the signed region's aws:RequestedRegion).
func TestLambdaRegionIsTheSignedOne(t *testing.T) {
	s := tamperServer(t)
	invoked := false
	arn, err := s.Platform().CreateFunction("elsewhere", func() error { invoked = true; return nil },
		func(c *FunctionConfig) { c.Region = "eu-west-1" })
	require.NoError(t, err)

	_, err = lambda.NewFromConfig(noRetry(s.Config(nil))).Invoke(t.Context(), &lambda.InvokeInput{FunctionName: &arn})
	ae := requireAPIError(t, err, "ResourceNotFoundException")
	require.Contains(t, ae.ErrorMessage(), "not reachable in this region ('us-east-1')")
	require.False(t, invoked)

	cfg := noRetry(s.Config(nil))
	cfg.Region = "eu-west-1"
	_, err = lambda.NewFromConfig(cfg).Invoke(t.Context(), &lambda.InvokeInput{FunctionName: &arn})
	require.NoError(t, err, "signed for the function's own region, the ARN is reachable")
	require.True(t, invoked)
}

// TestRequestLogHoldsNoSecrets: whatever requests arrive — signed with a
// session, with a wrong secret, tampered with — the request log, however it
// is printed, holds no secret key, session token or signature.
func TestRequestLogHoldsNoSecrets(t *testing.T) {
	s := tamperServer(t)
	session := sessionToken(t, s, 900)
	wrong := s.PlatformCredentials()
	wrong.SecretAccessKey = "wrong-secret-wrong-secret-wrong-secret-00"
	for _, creds := range []aws.Credentials{session, wrong} {
		for _, pc := range protocolClients {
			_ = pc.call(t.Context(), noRetry(s.Config(static(creds))))
		}
	}
	tampered := signRequest(t, s, "logs", http.MethodPost, "/", map[string]string{"Content-Type": "application/x-amz-json-1.1"}, []byte(`{}`), "")
	tampered.Header.Set("X-Amz-Target", "Logs_20140328.CreateLogGroup")
	signature := tampered.Header.Get("Authorization")[strings.LastIndex(tampered.Header.Get("Authorization"), "=")+1:]
	sendRaw(t, s, tampered)

	log := s.Requests()
	require.Greater(t, len(log), 2*len(protocolClients))
	printed := fmt.Sprintf("%v %+v %#v", log, log, log)
	for name, secret := range map[string]string{
		"platform secret": s.PlatformCredentials().SecretAccessKey, "session secret": session.SecretAccessKey,
		"session token": session.SessionToken, "wrong secret": wrong.SecretAccessKey, "signature": signature,
	} {
		require.NotContains(t, printed, secret, name)
	}
}

// TestS3RegionIsTheBucketOne: a request signed for another region than the
// bucket's is refused as S3 refuses it, naming the bucket's region, before
// anything is written; signed for the bucket's region it goes through.
func TestS3RegionIsTheBucketOne(t *testing.T) {
	s := tamperServer(t)
	cfg := noRetry(s.Config(nil))
	cfg.Region = "eu-west-1"
	put := &s3.PutObjectInput{Bucket: aws.String(tamperBucket), Key: aws.String("k"), Body: strings.NewReader("data")}
	_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).PutObject(t.Context(), put)
	ae := requireAPIError(t, err, "AuthorizationHeaderMalformed")
	require.Contains(t, ae.ErrorMessage(), "the region 'eu-west-1' is wrong; expecting 'us-east-1'")
	require.False(t, objectExists(t, s, "k"))

	put.Body = strings.NewReader("data")
	_, err = s3Client(s, s.PlatformCredentials()).PutObject(t.Context(), put)
	require.NoError(t, err)
	require.True(t, objectExists(t, s, "k"))
}
