package s3_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/connectors/sigv4"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// Names of the presign tests' own localaws setup. It does not share env
// because expiry needs the server on a clock the test moves.
const (
	presignCustomer  = "444455556666"
	presignWorkspace = "ws-presign"
	presignBucket    = "acme-shared"
	presignPrefix    = "reports/"
)

// presignEnv is localaws on a movable clock with the customer's role (its
// least-privilege policy for every operation under presignPrefix), and a
// connector restricted to presignBucket and presignPrefix that works on
// the role's session, as the resolver hands it out.
type presignEnv struct {
	srv   *localaws.Server
	clock *localaws.Clock
	c     *s3c.Connector
}

func newPresignEnv(t *testing.T) *presignEnv {
	t.Helper()
	clock := localaws.NewClock(time.Now())
	srv, err := localaws.Start(func(o *localaws.Options) { o.Now = clock.Now })
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })

	ext, err := scope.Deriver{}.ExternalID(scope.WorkspaceMode, presignWorkspace, "")
	require.NoError(t, err)
	trust, err := policy.TrustPolicy(srv.PlatformAccountID(), ext)
	require.NoError(t, err)
	perms, err := policy.LeastPrivilege(s3c.Requirements(s3c.AllOperations(), presignBucket, presignPrefix)...)
	require.NoError(t, err)
	customer, err := srv.CreateAccount(presignCustomer)
	require.NoError(t, err)
	roleARN, err := customer.CreateRole("Connector", trust, localaws.WithPolicy("connector", perms))
	require.NoError(t, err)
	require.NoError(t, customer.CreateBucket(presignBucket))

	base := srv.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(base), func(o *role.Options) { o.PlatformAccountID = srv.PlatformAccountID() })
	t.Cleanup(func() { _ = cache.Close() })
	mode := func(context.Context, string) (scope.Mode, error) { return scope.WorkspaceMode, nil }
	resolver := connectors.NewResolver(base, scope.Deriver{}, mode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = srv.PlatformAccountID()
		o.AllowEndpoint = connectors.AllowHosts("127.0.0.1") // localaws
	})
	cfg, err := resolver.Config(context.Background(), connectors.Connection{ID: "conn-presign", WorkspaceID: presignWorkspace,
		Kind: s3c.KindName, Region: "us-east-1", Endpoint: srv.URL(),
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: roleARN},
		Fields: map[string]string{"bucket": presignBucket, "prefix": presignPrefix}})
	require.NoError(t, err)
	c := s3c.New(cfg, func(o *s3c.Options) { o.Bucket, o.Prefix = presignBucket, presignPrefix })
	return &presignEnv{srv: srv, clock: clock, c: c}
}

// send sends a presigned request as a browser would: straight to localaws
// with a plain http.Client, no credentials, only the signed headers.
func (e *presignEnv) send(t *testing.T, p sigv4.PresignedRequest, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), p.Method, p.URL, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range p.Header {
		req.Header[k] = v
	}
	resp, err := e.srv.Config(nil).HTTPClient.(*http.Client).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestPresignedURLs(t *testing.T) {
	e := newPresignEnv(t)
	ctx := context.Background()

	put, err := e.c.PresignPut(ctx, "", "reports/from-browser.txt", "text/plain", 10*time.Minute)
	require.NoError(t, err)
	require.Equal(t, http.MethodPut, put.Method)
	require.NotContains(t, put.String(), "X-Amz-Signature")
	status, msg := e.send(t, put, "uploaded without credentials")
	require.Equal(t, http.StatusOK, status, msg)
	stored, err := e.srv.Object(presignBucket, "reports/from-browser.txt")
	require.NoError(t, err)
	require.Equal(t, "uploaded without credentials", string(stored))

	get, err := e.c.PresignGet(ctx, "", "reports/from-browser.txt", time.Minute)
	require.NoError(t, err)
	status, body := e.send(t, get, "")
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "uploaded without credentials", body)

	_, err = e.c.PresignGet(ctx, "", "reports/x", 8*24*time.Hour)
	require.ErrorContains(t, err, "outside 1s to 7 days")

	// A week asked of a role session that lasts an hour: the URL stops
	// working with the session, and Expires says so.
	week, err := e.c.PresignGet(ctx, "", "reports/from-browser.txt", sigv4.MaxPresignExpiry)
	require.NoError(t, err)
	creds, err := e.c.Client().Options().Credentials.Retrieve(ctx)
	require.NoError(t, err)
	require.True(t, creds.CanExpire)
	require.Equal(t, creds.Expires, week.Expires)
}

// TestPresignedURLsRefused: localaws answers what S3 answers to a URL that
// was changed after signing or has expired.
func TestPresignedURLsRefused(t *testing.T) {
	cases := []struct {
		name string
		// request presigns and spoils the request; it may move the clock.
		request    func(t *testing.T, e *presignEnv) (sigv4.PresignedRequest, string)
		status     int
		code, want string
	}{
		{"tampered key", func(t *testing.T, e *presignEnv) (sigv4.PresignedRequest, string) {
			get, err := e.c.PresignGet(context.Background(), "", "reports/from-browser.txt", time.Minute)
			require.NoError(t, err)
			get.URL = strings.Replace(get.URL, "from-browser", "from-elsewhere", 1)
			return get, ""
		}, http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match"},
		{"tampered expiry", func(t *testing.T, e *presignEnv) (sigv4.PresignedRequest, string) {
			get, err := e.c.PresignGet(context.Background(), "", "reports/from-browser.txt", time.Minute)
			require.NoError(t, err)
			require.Contains(t, get.URL, "X-Amz-Expires=60&")
			get.URL = strings.Replace(get.URL, "X-Amz-Expires=60&", "X-Amz-Expires=86400&", 1)
			return get, ""
		}, http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match"},
		{"other content type than signed", func(t *testing.T, e *presignEnv) (sigv4.PresignedRequest, string) {
			put, err := e.c.PresignPut(context.Background(), "", "reports/from-browser.txt", "text/plain", time.Minute)
			require.NoError(t, err)
			put.Header.Set("Content-Type", "text/html")
			return put, "<script>"
		}, http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match"},
		{"expired GET", func(t *testing.T, e *presignEnv) (sigv4.PresignedRequest, string) {
			get, err := e.c.PresignGet(context.Background(), "", "reports/from-browser.txt", time.Minute)
			require.NoError(t, err)
			e.clock.Add(2 * time.Minute)
			return get, ""
		}, http.StatusForbidden, "AccessDenied", "Request has expired"},
		{"expired PUT", func(t *testing.T, e *presignEnv) (sigv4.PresignedRequest, string) {
			put, err := e.c.PresignPut(context.Background(), "", "reports/late.txt", "text/plain", time.Minute)
			require.NoError(t, err)
			e.clock.Add(2 * time.Minute)
			return put, "too late"
		}, http.StatusForbidden, "AccessDenied", "Request has expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newPresignEnv(t)
			put, err := e.c.PresignPut(context.Background(), "", "reports/from-browser.txt", "text/plain", time.Minute)
			require.NoError(t, err)
			status, msg := e.send(t, put, "original")
			require.Equal(t, http.StatusOK, status, msg)

			req, body := tc.request(t, e)
			status, msg = e.send(t, req, body)
			require.Equal(t, tc.status, status, msg)
			require.Contains(t, msg, "<Code>"+tc.code+"</Code>")
			require.Contains(t, msg, tc.want)
			stored, err := e.srv.Object(presignBucket, "reports/from-browser.txt")
			require.NoError(t, err)
			require.Equal(t, "original", string(stored), "a refused URL must not change the object")
			_, err = e.srv.Object(presignBucket, "reports/late.txt")
			require.Error(t, err, "a refused upload must not create the object")
		})
	}
}
