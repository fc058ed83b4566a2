package role

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

func TestTenantIsolation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a, err := e.cache.Retrieve(ctx, spec(roleA, extA))
	require.NoError(t, err)
	b, err := e.cache.Retrieve(ctx, spec(roleA, extB))
	require.NoError(t, err)
	require.EqualValues(t, 2, e.sts.calls.Load(), "one role, two external IDs: two AssumeRole calls")
	require.Contains(t, a.AccessKeyID, "|"+extA+"|")
	require.Contains(t, b.AccessKeyID, "|"+extB+"|")

	for range 10 {
		a2, err := e.cache.Retrieve(ctx, spec(roleA, extA))
		require.NoError(t, err)
		require.Equal(t, a, a2)
		b2, err := e.cache.Retrieve(ctx, spec(roleA, extB))
		require.NoError(t, err)
		require.Equal(t, b, b2)
	}
	require.EqualValues(t, 2, e.sts.calls.Load())
	for _, in := range e.sts.inputs() {
		require.NotEmpty(t, aws.ToString(in.ExternalId))
	}
}

func TestKeyCoversEveryInput(t *testing.T) {
	base := Spec{RoleARN: roleA, ExternalID: extA}
	variants := map[string]func(*Spec){
		"role":            func(s *Spec) { s.RoleARN = roleB },
		"external ID":     func(s *Spec) { s.ExternalID = extB },
		"session name":    func(s *Spec) { s.SessionName = "custom" },
		"workspace":       func(s *Spec) { s.WorkspaceID = "w1" },
		"project":         func(s *Spec) { s.ProjectID = "p1" },
		"connection":      func(s *Spec) { s.ConnectionID = "c1" },
		"duration":        func(s *Spec) { s.Duration = 2 * time.Hour },
		"policy":          func(s *Spec) { s.Policy = `{"Version":"2012-10-17","Statement":[]}` },
		"policy ARNs":     func(s *Spec) { s.PolicyARNs = []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"} },
		"tags":            func(s *Spec) { s.Tags = map[string]string{"team": "a"} },
		"tag value":       func(s *Spec) { s.Tags = map[string]string{"team": "b"} },
		"transitive":      func(s *Spec) { s.Tags = map[string]string{"team": "a"}; s.TransitiveTagKeys = []string{"team"} },
		"source identity": func(s *Spec) { s.SourceIdentity = "alice" },
	}
	e := newEnv(t)
	ctx := context.Background()
	baseCreds, err := e.cache.Retrieve(ctx, base)
	require.NoError(t, err)
	seen := map[string]string{baseCreds.AccessKeyID: "base"}
	for name, mut := range variants {
		t.Run(name, func(t *testing.T) {
			s := base
			mut(&s)
			require.NotEqual(t, keyOf(&base, DefaultDuration), keyOf(&s, DefaultDuration))
			creds, err := e.cache.Retrieve(ctx, s)
			require.NoError(t, err)
			require.NotContains(t, seen, creds.AccessKeyID, "credentials shared with %s", seen[creds.AccessKeyID])
			seen[creds.AccessKeyID] = name
		})
	}
	require.EqualValues(t, len(variants)+1, e.sts.calls.Load())
}

func TestKeyCanonical(t *testing.T) {
	a := Spec{RoleARN: roleA, ExternalID: extA,
		PolicyARNs:        []string{"arn:aws:iam::aws:policy/B", "arn:aws:iam::aws:policy/A"},
		Tags:              map[string]string{"x": "1", "y": "2"},
		TransitiveTagKeys: []string{"y", "x"}}
	b := Spec{RoleARN: roleA, ExternalID: extA, Duration: DefaultDuration,
		PolicyARNs:        []string{"arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"},
		Tags:              map[string]string{"y": "2", "x": "1"},
		TransitiveTagKeys: []string{"x", "y", "x"}}
	require.Equal(t, keyOf(&a, DefaultDuration), keyOf(&b, DefaultDuration))
	// Length prefixes keep an element from forging a boundary.
	c := Spec{RoleARN: roleA, ExternalID: extA, Tags: map[string]string{"a": "b2:cd"}}
	d := Spec{RoleARN: roleA, ExternalID: extA, Tags: map[string]string{"a": "b", "cd": ""}}
	require.NotEqual(t, keyOf(&c, DefaultDuration), keyOf(&d, DefaultDuration))
}

func TestInputsReachSTS(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.SessionNamePrefix = "acme" })
	s := Spec{
		RoleARN: roleB, ExternalID: extB, WorkspaceID: "ws 1", ProjectID: "p/2",
		Duration: 2 * time.Hour, Policy: `{"Version":"2012-10-17"}`,
		PolicyARNs:        []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		Tags:              map[string]string{"tenant": "acme", "env": "prod"},
		TransitiveTagKeys: []string{"tenant"},
		SourceIdentity:    "platform",
	}
	_, err := e.cache.Retrieve(context.Background(), s)
	require.NoError(t, err)
	in := e.sts.inputs()
	require.Len(t, in, 1)
	require.Equal(t, roleB, aws.ToString(in[0].RoleArn))
	require.Equal(t, extB, aws.ToString(in[0].ExternalId))
	require.Equal(t, "acme-ws_1-p_2", aws.ToString(in[0].RoleSessionName))
	require.EqualValues(t, 7200, aws.ToInt32(in[0].DurationSeconds))
	require.Equal(t, s.Policy, aws.ToString(in[0].Policy))
	require.Len(t, in[0].PolicyArns, 1)
	require.Equal(t, "arn:aws:iam::aws:policy/ReadOnlyAccess", aws.ToString(in[0].PolicyArns[0].Arn))
	require.Len(t, in[0].Tags, 2)
	require.Equal(t, "env", aws.ToString(in[0].Tags[0].Key))
	require.Equal(t, "tenant", aws.ToString(in[0].Tags[1].Key))
	require.Equal(t, []string{"tenant"}, in[0].TransitiveTagKeys)
	require.Equal(t, "platform", aws.ToString(in[0].SourceIdentity))
}

func TestDefaultDurationIsOneHour(t *testing.T) {
	e := newEnv(t)
	_, err := e.cache.Retrieve(context.Background(), spec(roleA, extA))
	require.NoError(t, err)
	require.EqualValues(t, 3600, aws.ToInt32(e.sts.inputs()[0].DurationSeconds))
	require.Equal(t, "awsconnect", aws.ToString(e.sts.inputs()[0].RoleSessionName))
}

func TestSpecRefused(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want error
	}{
		{"no external ID", Spec{RoleARN: roleA}, ErrMissingExternalID},
		{"no role", Spec{ExternalID: extA}, ErrInvalidRoleARN},
		{"bad role", Spec{RoleARN: "arn:aws:iam::1234:role/x", ExternalID: extA}, ErrInvalidRoleARN},
		{"external ID too short", Spec{RoleARN: roleA, ExternalID: "x"}, ErrInvalidSpec},
		{"external ID bad char", Spec{RoleARN: roleA, ExternalID: "a b"}, ErrInvalidSpec},
		{"duration short", Spec{RoleARN: roleA, ExternalID: extA, Duration: time.Minute}, ErrInvalidSpec},
		{"duration long", Spec{RoleARN: roleA, ExternalID: extA, Duration: 13 * time.Hour}, ErrInvalidSpec},
		{"session name", Spec{RoleARN: roleA, ExternalID: extA, SessionName: "a b"}, ErrInvalidSpec},
		{"session name short", Spec{RoleARN: roleA, ExternalID: extA, SessionName: "a"}, ErrInvalidSpec},
		{"source identity", Spec{RoleARN: roleA, ExternalID: extA, SourceIdentity: "x/y"}, ErrInvalidSpec},
		{"policy ARN", Spec{RoleARN: roleA, ExternalID: extA, PolicyARNs: []string{"ReadOnly"}}, ErrInvalidSpec},
		{"policy too long", Spec{RoleARN: roleA, ExternalID: extA, Policy: strings.Repeat("x", 2049)}, ErrInvalidSpec},
		{"tag key case", Spec{RoleARN: roleA, ExternalID: extA, Tags: map[string]string{"a": "1", "A": "2"}}, ErrInvalidSpec},
		{"transitive not a tag", Spec{RoleARN: roleA, ExternalID: extA, TransitiveTagKeys: []string{"t"}}, ErrInvalidSpec},
	}
	e := newEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.cache.Retrieve(context.Background(), tc.spec)
			require.ErrorIs(t, err, tc.want)
			if strings.HasPrefix(tc.name, "external ID") {
				require.ErrorIs(t, err, scope.ErrInvalidExternalID, "scope's rule, scope's sentinel")
			}
			require.True(t, strings.HasPrefix(err.Error(), "role: "), err.Error())
			_, err = e.cache.Provider(tc.spec)
			require.ErrorIs(t, err, tc.want)
		})
	}
	require.Zero(t, e.sts.calls.Load(), "no AssumeRole for a refused spec")
	require.Zero(t, e.cache.Len())
}

// TestStorm: 1,000 goroutines over 100 keys cause exactly 100 AssumeRole calls.
func TestStorm(t *testing.T) {
	e := newEnv(t)
	const goroutines, keys = 1000, 100
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, goroutines)
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	start := make(chan struct{})
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			s := spec(roleA, fmt.Sprintf("ext_%03d", g%keys))
			creds, err := e.cache.Retrieve(context.Background(), s)
			if err == nil && !strings.Contains(creds.AccessKeyID, "|"+s.ExternalID+"|") {
				err = fmt.Errorf("goroutine %d got credentials for another key: %s", g, creds.AccessKeyID)
			}
			errs <- err
		}()
	}
	close(start)
	// Let every call proceed once all keys have one in flight or done.
	for range keys {
		<-e.sts.enter
	}
	close(e.sts.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.EqualValues(t, keys, e.sts.calls.Load())
	st := e.cache.Stats()
	require.Equal(t, keys, st.Entries)
	require.EqualValues(t, keys, st.Refreshes)
	require.EqualValues(t, goroutines, st.Hits+st.Misses)
}

func TestProviderBoundToKey(t *testing.T) {
	e := newEnv(t)
	p, err := e.cache.Provider(spec(roleA, extA))
	require.NoError(t, err)
	q, err := e.cache.Provider(spec(roleA, extB))
	require.NoError(t, err)
	ctx := context.Background()
	for range 5 {
		a, err := p.Retrieve(ctx)
		require.NoError(t, err)
		require.Contains(t, a.AccessKeyID, "|"+extA+"|")
		b, err := q.Retrieve(ctx)
		require.NoError(t, err)
		require.Contains(t, b.AccessKeyID, "|"+extB+"|")
	}
	src, ok := p.(aws.CredentialProviderSource)
	require.True(t, ok)
	require.Equal(t, []aws.CredentialSource{aws.CredentialSourceSTSAssumeRole}, src.ProviderSources())
	// Retrieve(spec) and the Provider share the entry.
	a, err := e.cache.Retrieve(ctx, spec(roleA, extA))
	require.NoError(t, err)
	require.Contains(t, a.AccessKeyID, "|"+extA+"|1")
	require.EqualValues(t, 2, e.sts.calls.Load())
}

// TestCancellation: a caller whose context ends gives up alone; the shared
// AssumeRole call goes on and serves the others.
func TestCancellation(t *testing.T) {
	e := newEnv(t)
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, err := e.cache.Retrieve(ctx, spec(roleA, extA))
		gaveUp <- err
	}()
	<-e.sts.enter
	waited := make(chan aws.Credentials)
	go func() {
		c, err := e.cache.Retrieve(context.Background(), spec(roleA, extA))
		if err != nil {
			t.Error(err)
		}
		waited <- c
	}()
	cancel()
	err := <-gaveUp
	require.ErrorIs(t, err, context.Canceled)
	require.Contains(t, err.Error(), roleA)
	close(e.sts.gate)
	creds := <-waited
	require.Contains(t, creds.AccessKeyID, extA)
	require.EqualValues(t, 1, e.sts.calls.Load())
	_, err = e.cache.Retrieve(context.Background(), spec(roleA, extA))
	require.NoError(t, err)
	require.EqualValues(t, 1, e.sts.calls.Load())
}

func TestClose(t *testing.T) {
	e := newEnv(t)
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, 1)
	done := make(chan error)
	go func() {
		_, err := e.cache.Retrieve(context.Background(), spec(roleA, extA))
		done <- err
	}()
	<-e.sts.enter
	require.NoError(t, e.cache.Close())
	err := <-done
	var are *AssumeRoleError
	require.ErrorAs(t, err, &are)
	require.ErrorIs(t, err, context.Canceled)
	_, err = e.cache.Retrieve(context.Background(), spec(roleA, extB))
	require.ErrorIs(t, err, ErrClosed)
	require.NoError(t, e.cache.Close(), "Close is idempotent")
}

func TestAssumeRoleErrorReturned(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.PlatformAccountID = "999988887777" })
	e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return apiError("AccessDenied", "not authorized") }
	_, err := e.cache.Retrieve(context.Background(), spec(roleA, extA))
	var are *AssumeRoleError
	require.True(t, errors.As(err, &are))
	require.Equal(t, ReasonTrustPolicy, are.Reason)
	require.Equal(t, roleA, are.RoleARN)
	require.Equal(t, extA, are.ExternalID)
	require.Equal(t, "AccessDenied", are.Code)
	require.Contains(t, are.Hint(), "999988887777")
	require.EqualValues(t, 1, e.cache.Stats().RefreshFailures)
	require.False(t, are.FromNegativeCache)
	// The trust policy will not fix itself: the next caller gets the same
	// failure from the negative cache, without a call.
	_, err = e.cache.Retrieve(context.Background(), spec(roleA, extA))
	var cached *AssumeRoleError
	require.ErrorAs(t, err, &cached)
	require.True(t, cached.FromNegativeCache)
	require.Equal(t, ReasonTrustPolicy, cached.Reason)
	require.Equal(t, e.clock.Now().Add(DefaultNegativeTTL/2), cached.NextAttempt, "rand 0: half the TTL")
	require.Contains(t, cached.Error(), "cached failure; next attempt after")
	require.False(t, are.FromNegativeCache, "the first caller's error is not modified")
	require.EqualValues(t, 1, e.sts.calls.Load())
	require.EqualValues(t, 1, e.cache.Stats().NegativeHits)
}
