package localaws

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// protocolClient makes one call through a real SDK client of one protocol.
type protocolClient struct {
	name string
	call func(ctx context.Context, cfg aws.Config) error
}

var protocolClients = []protocolClient{
	{"sts (awsQuery)", func(ctx context.Context, cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}},
	{"s3 (restXml)", func(ctx context.Context, cfg aws.Config) error {
		_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
		return err
	}},
	{"lambda (restJson1)", func(ctx context.Context, cfg aws.Config) error {
		_, err := lambda.NewFromConfig(cfg).ListFunctions(ctx, &lambda.ListFunctionsInput{})
		return err
	}},
	{"logs (awsJson1.1)", func(ctx context.Context, cfg aws.Config) error {
		_, err := cloudwatchlogs.NewFromConfig(cfg).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
		return err
	}},
	{"monitoring (rpcv2Cbor)", func(ctx context.Context, cfg aws.Config) error {
		_, err := cloudwatch.NewFromConfig(cfg).ListMetrics(ctx, &cloudwatch.ListMetricsInput{})
		return err
	}},
}

// statusOf is the HTTP status of a failed SDK call.
func statusOf(t *testing.T, err error) int {
	t.Helper()
	var re *awshttp.ResponseError
	require.True(t, errors.As(err, &re), "no HTTP response in %v", err)
	return re.HTTPStatusCode()
}

// clientError is the code and status one SDK client must read.
type clientError struct {
	code   string
	status int
}

// Each signature failure as AWS spells it to each protocol's client, by
// protocolClient.name. Several failures share a spelling: an unknown key
// and a session token of another session are both an invalid token.
var (
	invalidTokenErrors = map[string]clientError{
		"sts (awsQuery)":         {"InvalidClientTokenId", 403},
		"s3 (restXml)":           {"InvalidAccessKeyId", 403},
		"lambda (restJson1)":     {"UnrecognizedClientException", 403},
		"logs (awsJson1.1)":      {"UnrecognizedClientException", 400},
		"monitoring (rpcv2Cbor)": {"InvalidClientTokenId", 403},
	}
	badSignatureErrors = map[string]clientError{
		"sts (awsQuery)":         {"SignatureDoesNotMatch", 403},
		"s3 (restXml)":           {"SignatureDoesNotMatch", 403},
		"lambda (restJson1)":     {"InvalidSignatureException", 403},
		"logs (awsJson1.1)":      {"InvalidSignatureException", 400},
		"monitoring (rpcv2Cbor)": {"SignatureDoesNotMatch", 403},
	}
	expiredTokenErrors = map[string]clientError{
		"sts (awsQuery)":         {"ExpiredToken", 400},
		"s3 (restXml)":           {"ExpiredToken", 400},
		"lambda (restJson1)":     {"ExpiredTokenException", 403},
		"logs (awsJson1.1)":      {"ExpiredTokenException", 400},
		"monitoring (rpcv2Cbor)": {"ExpiredToken", 400},
	}
	skewedErrors = map[string]clientError{
		"sts (awsQuery)":         {"RequestTimeTooSkewed", 403},
		"s3 (restXml)":           {"RequestTimeTooSkewed", 403},
		"lambda (restJson1)":     {"RequestTimeTooSkewed", 403},
		"logs (awsJson1.1)":      {"RequestTimeTooSkewed", 400},
		"monitoring (rpcv2Cbor)": {"RequestTimeTooSkewed", 403},
	}
)

// TestSignatureFailures drives each protocol's real SDK client into each
// signature failure and checks that the SDK reads AWS's code and status.
func TestSignatureFailures(t *testing.T) {
	cases := []struct {
		name string
		// creds returns the credentials to sign with; clock may be moved.
		creds func(t *testing.T, s *Server, clock *Clock) aws.Credentials
		want  map[string]clientError // by protocolClient.name
	}{
		{"unknown access key", func(*testing.T, *Server, *Clock) aws.Credentials {
			return aws.Credentials{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: "x"}
		}, invalidTokenErrors},
		{"wrong secret", func(_ *testing.T, s *Server, _ *Clock) aws.Credentials {
			c := s.PlatformCredentials()
			c.SecretAccessKey = "not-the-secret"
			return c
		}, badSignatureErrors},
		{"session token of another session", func(t *testing.T, s *Server, _ *Clock) aws.Credentials {
			c := sessionToken(t, s, 900)
			c.SessionToken = sessionToken(t, s, 900).SessionToken
			return c
		}, invalidTokenErrors},
		{"expired temporary credentials", func(t *testing.T, s *Server, clock *Clock) aws.Credentials {
			c := sessionToken(t, s, 900)
			clock.Add(16 * time.Minute)
			return c
		}, expiredTokenErrors},
		{"clock skewed by an hour", func(_ *testing.T, s *Server, clock *Clock) aws.Credentials {
			clock.Add(61 * time.Minute)
			return s.PlatformCredentials()
		}, skewedErrors},
	}
	for _, tc := range cases {
		for _, pc := range protocolClients {
			t.Run(tc.name+"/"+pc.name, func(t *testing.T) {
				clock := NewClock(time.Now())
				s := startServer(t, func(o *Options) {
					o.Now = clock.Now
					// Expiry is judged by the server's clock, so moving it
					// 16 minutes must not also trip the skew check.
					if tc.name != "clock skewed by an hour" {
						o.MaxClockSkew = time.Hour
					}
				})
				probeRoutes(s)
				creds := tc.creds(t, s, clock)
				s.ResetRequests()

				err := pc.call(t.Context(), noRetry(s.Config(static(creds))))
				w := tc.want[pc.name]
				requireAPIError(t, err, w.code)
				require.Equal(t, w.status, statusOf(t, err))

				log := s.Requests()
				require.Len(t, log, 1)
				require.Equal(t, w.status, log[0].Status)
				require.Empty(t, log[0].Caller.ARN, "a rejected request has no caller")
				require.NotEmpty(t, log[0].ErrorCode)
			})
		}
	}
}

// sessionToken gets temporary credentials for the platform user.
func sessionToken(t *testing.T, s *Server, seconds int32) aws.Credentials {
	t.Helper()
	out, err := sts.NewFromConfig(s.Config(nil)).GetSessionToken(t.Context(), &sts.GetSessionTokenInput{
		DurationSeconds: aws.Int32(seconds),
	})
	require.NoError(t, err)
	c := out.Credentials
	return aws.Credentials{
		AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken,
		CanExpire: true, Expires: *c.Expiration,
	}
}

// TestAccessDeniedShapes checks that authorize's denial reaches each
// client as AWS's AccessDenied code, naming principal, action and resource.
func TestAccessDeniedShapes(t *testing.T) {
	want := map[string]clientError{
		"s3 (restXml)":           {"AccessDenied", 403},
		"lambda (restJson1)":     {"AccessDeniedException", 403},
		"logs (awsJson1.1)":      {"AccessDeniedException", 400},
		"monitoring (rpcv2Cbor)": {"AccessDenied", 403},
	}
	s := startServer(t)
	probeRoutes(s)
	for _, pc := range protocolClients[1:] {
		t.Run(pc.name, func(t *testing.T) {
			s.ResetRequests()
			err := pc.call(t.Context(), noRetry(s.Config(nil)))
			ae := requireAPIError(t, err, want[pc.name].code)
			require.Equal(t, want[pc.name].status, statusOf(t, err))
			require.Contains(t, ae.ErrorMessage(), "User: arn:aws:iam::111122223333:user/platform is not authorized to perform: ")
			require.Contains(t, ae.ErrorMessage(), "because no identity-based policy allows the")

			log := s.Requests()
			require.Len(t, log, 1)
			require.Equal(t, ImplicitlyDenied, log[0].Decision)
			require.Equal(t, "arn:aws:iam::111122223333:user/platform", log[0].Caller.ARN)
		})
	}
}

// TestAuthorizeDecisions checks the policy combination: any explicit deny
// wins, otherwise an allow is needed; the log records each decision.
func TestAuthorizeDecisions(t *testing.T) {
	s := startServer(t)
	probeRoutes(s)
	cfg := noRetry(s.Config(nil))
	lambdaCall := protocolClients[2].call

	require.NoError(t, s.Platform().PutUserPolicy(PlatformUserName, "all",
		mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)))
	require.NoError(t, lambdaCall(t.Context(), cfg))

	require.NoError(t, s.Platform().PutUserPolicy(PlatformUserName, "deny",
		mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"lambda:List*","Resource":"*"}]}`)))
	ae := requireAPIError(t, lambdaCall(t.Context(), cfg), "AccessDeniedException")
	require.Contains(t, ae.ErrorMessage(), "with an explicit deny in an identity-based policy")

	log := s.Requests()
	require.Len(t, log, 2)
	require.Equal(t, Allowed, log[0].Decision)
	require.Equal(t, http.StatusOK, log[0].Status)
	require.Equal(t, "lambda:ListFunctions", log[0].Action)
	require.Equal(t, "*", log[0].Resource)
	require.Equal(t, ExplicitlyDenied, log[1].Decision)
	require.Equal(t, "AccessDeniedException", log[1].ErrorCode)
}
