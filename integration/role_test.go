//go:build integration

package integration

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// integrationRole is the role ARN the tests assume. MinIO accepts any role
// ARN in AssumeRole; the credentials carry the root user's permissions,
// narrowed by the session policy when there is one.
const integrationRole = "arn:aws:iam::123456789012:role/awsconnect-integration"

// countingSTS wraps the STS client the cache calls, counting AssumeRole calls
// per external ID and keeping each input.
type countingSTS struct {
	next stscreds.AssumeRoleAPIClient

	mu     sync.Mutex
	calls  map[string]int // external ID -> AssumeRole calls
	inputs []sts.AssumeRoleInput
}

func newCountingSTS(next stscreds.AssumeRoleAPIClient) *countingSTS {
	return &countingSTS{next: next, calls: map[string]int{}}
}

func (c *countingSTS) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	c.mu.Lock()
	c.calls[aws.ToString(in.ExternalId)]++
	c.inputs = append(c.inputs, *in)
	c.mu.Unlock()
	return c.next.AssumeRole(ctx, in, optFns...)
}

func (c *countingSTS) count(externalID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[externalID]
}

func (c *countingSTS) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.calls {
		n += v
	}
	return n
}

// formRecorder is the STS client's transport: it keeps the form of every
// request as sent, to show what reached MinIO on the wire.
type formRecorder struct {
	mu    sync.Mutex
	forms []url.Values
}

func (r *formRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.forms = append(r.forms, form)
		r.mu.Unlock()
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	return transport.RoundTrip(req)
}

func (r *formRecorder) sent() []url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]url.Values(nil), r.forms...)
}

// fakeClock is the cache's clock seam: MinIO's credentials last 15 minutes
// at least, so the tests move the cache's clock instead of waiting.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func externalID(t *testing.T, workspaceID, projectID string) string {
	t.Helper()
	id, err := scope.Deriver{Prefix: "acme_iam_external_id"}.ExternalID(scope.ProjectMode, workspaceID, projectID)
	require.NoError(t, err)
	return id
}

// requireWorks shows MinIO accepts creds: it verifies the signature made with
// them on a ListBuckets call.
func requireWorks(t *testing.T, p minioPeer, creds aws.Credentials, msg string) {
	t.Helper()
	c := s3.NewFromConfig(p.Config(credentials.StaticCredentialsProvider{Value: creds}), pathStyle)
	_, err := c.ListBuckets(context.Background(), &s3.ListBucketsInput{})
	require.NoError(t, err, msg)
}

func TestRoleCacheAssumesAndCaches(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	rec := &formRecorder{}
	platform := p.PlatformConfig()
	platform.HTTPClient = &http.Client{Transport: rec}
	counting := newCountingSTS(sts.NewFromConfig(platform))
	cache := role.NewCache(counting)
	t.Cleanup(func() { require.NoError(t, cache.Close()) })

	ext := externalID(t, "12345", "6789")
	spec := role.Spec{RoleARN: integrationRole, ExternalID: ext, WorkspaceID: "12345", ProjectID: "6789", Duration: 15 * time.Minute}

	before := time.Now()
	first, err := cache.Retrieve(ctx, spec)
	require.NoError(t, err)
	require.True(t, first.CanExpire)
	// MinIO grants the 900 seconds asked for (to the second); the cache
	// reports expiry one MandatoryWindow (1 minute by default) early so that
	// outer caches come back before the credentials run out.
	require.WithinRange(t, first.Expires, before.Add(14*time.Minute-time.Second), before.Add(14*time.Minute+time.Second))
	require.NotEqual(t, p.AccessKey, first.AccessKeyID, "temporary credentials, not the platform's")
	require.NotEmpty(t, first.SessionToken)
	requireWorks(t, p, first, "MinIO verifies requests signed with the credentials it issued to the cache")

	forms := rec.sent()
	require.Len(t, forms, 1)
	require.Equal(t, "AssumeRole", forms[0].Get("Action"))
	require.Equal(t, integrationRole, forms[0].Get("RoleArn"))
	require.Equal(t, ext, forms[0].Get("ExternalId"), "the external ID is on the wire")
	require.Equal(t, "900", forms[0].Get("DurationSeconds"))
	require.Equal(t, role.DeriveSessionName("awsconnect", "12345", "6789", ""), forms[0].Get("RoleSessionName"))

	t.Run("cached", func(t *testing.T) {
		again, err := cache.Retrieve(ctx, spec)
		require.NoError(t, err)
		require.Equal(t, first, again)
		provider, err := cache.Provider(spec)
		require.NoError(t, err)
		cfg := p.Config(provider)
		_, err = s3.NewFromConfig(cfg, pathStyle).ListBuckets(ctx, &s3.ListBucketsInput{})
		require.NoError(t, err, "an SDK client on the cache's Provider")
		require.Equal(t, 1, counting.count(ext), "one AssumeRole for the key however often it is asked")
	})

	t.Run("another external ID is another session", func(t *testing.T) {
		other := spec
		other.ExternalID = externalID(t, "12345", "9999")
		creds, err := cache.Retrieve(ctx, other)
		require.NoError(t, err)
		require.NotEqual(t, first.AccessKeyID, creds.AccessKeyID, "credentials are never shared across external IDs")
		require.Equal(t, 1, counting.count(other.ExternalID))
		requireWorks(t, p, creds, "the second session's credentials")
	})

	t.Run("no external ID, no call", func(t *testing.T) {
		calls := counting.total()
		_, err := cache.Retrieve(ctx, role.Spec{RoleARN: integrationRole})
		require.ErrorIs(t, err, role.ErrMissingExternalID)
		require.Equal(t, calls, counting.total(), "the cache refuses before calling STS")
	})
}

func TestRoleCacheRefreshesBeforeExpiry(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	counting := newCountingSTS(p.STS())
	clock := &fakeClock{t: time.Now()}
	cache := role.NewCache(counting, func(o *role.Options) {
		o.Now = clock.Now
		o.RefreshWindow = 5 * time.Minute
		o.MandatoryWindow = time.Minute
		o.RefreshJitter = -1 // no jitter: the refresh starts exactly 5 minutes before expiry
	})
	t.Cleanup(func() { require.NoError(t, cache.Close()) })
	spec := role.Spec{RoleARN: integrationRole, ExternalID: externalID(t, "1", "2"), Duration: role.MinDuration}

	first, err := cache.Retrieve(ctx, spec)
	require.NoError(t, err)
	require.Equal(t, 1, counting.total())

	// The cache's hit path reads a coarse clock its ticker advances every
	// second, so after each clock move the tests poll until the cache has
	// seen it; the assertions are on what it returns and how often it
	// called STS, never on how long that took.
	waitFor := func(msg string, cond func() bool) {
		t.Helper()
		require.Eventually(t, cond, 10*time.Second, 20*time.Millisecond, msg)
	}

	t.Run("stale credentials are served while one background refresh runs", func(t *testing.T) {
		// Four minutes before MinIO's expiry: inside the 5-minute refresh
		// window, outside the 1-minute mandatory one.
		clock.Set(first.Expires.Add(-3 * time.Minute))
		var second aws.Credentials
		waitFor("a background refresh replaces the stale credentials", func() bool {
			c, err := cache.Retrieve(ctx, spec)
			require.NoError(t, err)
			if c.AccessKeyID != first.AccessKeyID {
				second = c
				return true
			}
			return false
		})
		require.Equal(t, 2, counting.total())
		requireWorks(t, p, second, "the refreshed credentials")
		requireWorks(t, p, first, "MinIO still accepts the old ones until they expire")

		t.Run("inside the mandatory window callers wait for new credentials", func(t *testing.T) {
			// second.Expires is one minute before MinIO's expiry: 30 seconds
			// after it is inside the mandatory window.
			clock.Set(second.Expires.Add(30 * time.Second))
			waitFor("a blocking refresh replaces the expiring credentials", func() bool {
				c, err := cache.Retrieve(ctx, spec)
				require.NoError(t, err)
				return c.AccessKeyID != second.AccessKeyID
			})
			require.Equal(t, 3, counting.total())
			c, err := cache.Retrieve(ctx, spec)
			require.NoError(t, err)
			require.NotEqual(t, second.AccessKeyID, c.AccessKeyID)
			requireWorks(t, p, c, "the third session's credentials")
		})
	})
}

func TestRoleCacheOneAssumeRolePerKey(t *testing.T) {
	p := startedMinIO(t)
	counting := newCountingSTS(p.STS())
	cache := role.NewCache(counting)
	t.Cleanup(func() { require.NoError(t, cache.Close()) })

	const goroutines, keys = 100, 4
	specs := make([]role.Spec, keys)
	for i := range specs {
		specs[i] = role.Spec{RoleARN: integrationRole, ExternalID: externalID(t, "77", string(rune('a'+i))+"1")}
	}

	start := make(chan struct{})
	var wg sync.WaitGroup
	var failed atomic.Int32
	got := make([]aws.Credentials, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			<-start
			c, err := cache.Retrieve(context.Background(), specs[g%keys])
			if err != nil {
				failed.Add(1)
				t.Errorf("goroutine %d: %v", g, err)
				return
			}
			got[g] = c
		})
	}
	close(start)
	wg.Wait()
	require.Zero(t, failed.Load())

	for i, s := range specs {
		require.Equal(t, 1, counting.count(s.ExternalID), "AssumeRole calls for key %d", i)
	}
	require.Equal(t, keys, counting.total())
	byKey := map[string]string{} // external ID -> access key ID
	for g, c := range got {
		ext := specs[g%keys].ExternalID
		if prev, ok := byKey[ext]; ok {
			require.Equal(t, prev, c.AccessKeyID, "every goroutine asking for one key gets the same credentials")
		}
		byKey[ext] = c.AccessKeyID
	}
	seen := map[string]bool{}
	for _, ak := range byKey {
		require.False(t, seen[ak], "two keys got the same credentials")
		seen[ak] = true
	}
	for _, s := range specs {
		c, err := cache.Retrieve(context.Background(), s)
		require.NoError(t, err)
		requireWorks(t, p, c, "each key's credentials")
	}
}

func TestRoleCacheClassifiesMinIOErrors(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()

	t.Run("session policy MinIO refuses", func(t *testing.T) {
		cache := role.NewCache(p.STS())
		t.Cleanup(func() { require.NoError(t, cache.Close()) })
		spec := role.Spec{
			RoleARN: integrationRole, ExternalID: externalID(t, "5", "6"),
			Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Perhaps","Action":"s3:GetObject","Resource":"*"}]}`,
		}
		_, err := cache.Retrieve(ctx, spec)
		var are *role.AssumeRoleError
		require.ErrorAs(t, err, &are)
		require.Equal(t, "InvalidParameterValue", are.Code)
		require.Equal(t, role.ReasonInvalidRequest, are.Reason)
		require.Equal(t, spec.ExternalID, are.ExternalID)
		require.NotEmpty(t, are.Hint())
	})

	t.Run("platform credentials that cannot assume", func(t *testing.T) {
		// Temporary credentials cannot call AssumeRole on MinIO (as with role
		// chaining limits on AWS), which MinIO answers with AccessDenied.
		out, err := p.STS().AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(integrationRole), RoleSessionName: aws.String("x1")})
		require.NoError(t, err)
		c := out.Credentials
		temp := sts.NewFromConfig(p.Config(credentials.NewStaticCredentialsProvider(
			aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))))
		cache := role.NewCache(temp)
		t.Cleanup(func() { require.NoError(t, cache.Close()) })
		_, err = cache.Retrieve(ctx, role.Spec{RoleARN: integrationRole, ExternalID: externalID(t, "5", "7")})
		var are *role.AssumeRoleError
		require.ErrorAs(t, err, &are)
		require.Equal(t, "AccessDenied", are.Code)
		require.Equal(t, role.ReasonTrustPolicy, are.Reason)
		require.NotContains(t, err.Error(), aws.ToString(c.SecretAccessKey))
		require.NotContains(t, err.Error(), aws.ToString(c.SessionToken))
	})

	t.Run("STS unreachable", func(t *testing.T) {
		// A listener closed at once: the port is refused, deterministically.
		dead := minioPeer{URL: closedURL(t), AccessKey: p.AccessKey, SecretKey: p.SecretKey, Region: p.Region}
		cfg := dead.PlatformConfig()
		cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
		cache := role.NewCache(sts.NewFromConfig(cfg))
		t.Cleanup(func() { require.NoError(t, cache.Close()) })
		_, err := cache.Retrieve(ctx, role.Spec{RoleARN: integrationRole, ExternalID: externalID(t, "5", "8")})
		var are *role.AssumeRoleError
		require.ErrorAs(t, err, &are)
		require.Equal(t, role.ReasonNetwork, are.Reason, "%v", err)
		require.False(t, errors.Is(err, role.ErrMissingExternalID))
	})
}
