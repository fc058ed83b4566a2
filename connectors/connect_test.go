package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const projectExt = "acme_iam_external_id_12345_6789"

func statuses(r CheckReport) map[StepID]Status {
	out := map[StepID]Status{}
	for _, s := range r.Steps {
		out[s.ID] = s.Status
	}
	return out
}

func TestCheckOutcomes(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: x is not authorized to perform: s3:ListBucket"}
	tests := []struct {
		name       string
		sts        *fakeSTS
		serviceErr error
		conn       func() Connection
		want       map[StepID]Status
		causes     map[StepID]Cause // of the failed and warned steps
		check      func(t *testing.T, r CheckReport, f *fakeSTS)
	}{
		{name: "success", sts: &fakeSTS{want: map[string]bool{projectExt: true}}, conn: roleConn,
			want: map[StepID]Status{StepFields: Passed, StepRoleAssumed: Passed, StepExternalIDRequired: Passed, StepServiceReachable: Passed},
			check: func(t *testing.T, r CheckReport, f *fakeSTS) {
				require.True(t, r.OK())
				require.Equal(t, Passed, r.Status())
				calls := f.snapshot()
				require.Len(t, calls, 2)
				require.Equal(t, projectExt, aws.ToString(calls[0].ExternalId), "the role is assumed with the external ID")
				require.Nil(t, calls[1].ExternalId, "the probe sends no external ID")
				require.Equal(t, probeSessionName, aws.ToString(calls[1].RoleSessionName))
			}},
		{name: "trust refused", sts: &fakeSTS{want: map[string]bool{"another": true}}, conn: roleConn,
			want:   map[StepID]Status{StepFields: Passed, StepRoleAssumed: Failed, StepExternalIDRequired: Skipped, StepServiceReachable: Skipped},
			causes: map[StepID]Cause{StepRoleAssumed: CauseTrustPolicyDenied},
			check: func(t *testing.T, r CheckReport, f *fakeSTS) {
				s, _ := r.Step(StepRoleAssumed)
				require.Equal(t, ActorCustomer, s.Actor)
				require.Equal(t, "AccessDenied", s.ErrorCode)
				require.NotContains(t, s.Message, "api error", "the SDK's error is the detail, not the message")
				require.Contains(t, s.Detail, "AccessDenied")
				require.Contains(t, s.Hint, projectExt)
				require.Contains(t, s.Hint, testPlatform)
				require.NotNil(t, s.TrustPolicy)
				require.True(t, s.TrustPolicy.Admits("arn:aws:iam::"+testPlatform+":root", projectExt))
				for _, c := range f.snapshot() {
					require.Equal(t, projectExt, aws.ToString(c.ExternalId), "no call without the external ID when the role fails")
				}
			}},
		{name: "external ID not required", sts: &fakeSTS{want: map[string]bool{projectExt: true}, open: true}, conn: roleConn,
			want:   map[StepID]Status{StepFields: Passed, StepRoleAssumed: Passed, StepExternalIDRequired: Warned, StepServiceReachable: Passed},
			causes: map[StepID]Cause{StepExternalIDRequired: CauseExternalIDNotRequired},
			check: func(t *testing.T, r CheckReport, f *fakeSTS) {
				require.True(t, r.OK())
				require.Equal(t, Warned, r.Status())
				s, _ := r.Step(StepExternalIDRequired)
				require.Contains(t, s.Message, "confused deputy")
				require.Contains(t, s.Hint, "sts:ExternalId")
				require.NotNil(t, s.TrustPolicy)
			}},
		{name: "permission missing", sts: &fakeSTS{want: map[string]bool{projectExt: true}}, serviceErr: denied, conn: roleConn,
			want:   map[StepID]Status{StepFields: Passed, StepRoleAssumed: Passed, StepExternalIDRequired: Passed, StepServiceReachable: Failed},
			causes: map[StepID]Cause{StepServiceReachable: CausePermissionMissing},
			check: func(t *testing.T, r CheckReport, f *fakeSTS) {
				s, _ := r.FirstFailure()
				require.Equal(t, ActorCustomer, s.Actor)
				require.Equal(t, "s3:ListBucket", s.Action)
				require.Equal(t, "arn:aws:s3:::my-bucket", s.Resource)
				require.NotNil(t, s.PolicyToAdd)
				require.Contains(t, s.Message, "lack s3:ListBucket on arn:aws:s3:::my-bucket")
			}},
		{name: "fields invalid", sts: &fakeSTS{}, conn: func() Connection { c := roleConn(); c.Region = "us-east-9"; return c },
			want:   map[StepID]Status{StepFields: Failed, StepRoleAssumed: Skipped, StepExternalIDRequired: Skipped, StepServiceReachable: Skipped},
			causes: map[StepID]Cause{StepFields: CauseInvalidFields},
			check: func(t *testing.T, r CheckReport, f *fakeSTS) {
				s, _ := r.Step(StepFields)
				require.Equal(t, "Region is invalid.", s.Message)
				require.Len(t, s.Fields, 1)
				require.Equal(t, PathRegion, s.Fields[0].Path)
				require.Empty(t, f.snapshot())
			}},
		{name: "access key", sts: &fakeSTS{}, conn: keyConn,
			want:  map[StepID]Status{StepFields: Passed, StepRoleAssumed: Skipped, StepExternalIDRequired: Skipped, StepServiceReachable: Passed},
			check: func(t *testing.T, r CheckReport, f *fakeSTS) { require.Empty(t, f.snapshot()) }},
		{name: "probe inconclusive", sts: &fakeSTS{want: map[string]bool{projectExt: true}}, conn: roleConn,
			want:   map[StepID]Status{StepFields: Passed, StepRoleAssumed: Passed, StepExternalIDRequired: Warned, StepServiceReachable: Passed},
			causes: map[StepID]Cause{StepExternalIDRequired: CauseExternalIDUnverified}},
		{name: "STS server error", sts: &fakeSTS{err: &smithy.GenericAPIError{Code: "InternalFailure", Message: "We encountered an internal error."}}, conn: roleConn,
			want:   map[StepID]Status{StepFields: Passed, StepRoleAssumed: Failed, StepExternalIDRequired: Skipped, StepServiceReachable: Skipped},
			causes: map[StepID]Cause{StepRoleAssumed: CauseServiceUnavailable},
			check: func(t *testing.T, r CheckReport, _ *fakeSTS) {
				s, _ := r.Step(StepRoleAssumed)
				require.Equal(t, ActorPlatform, s.Actor, "AWS's side: nothing for the customer to fix")
				require.Equal(t, "InternalFailure", s.ErrorCode)
			}},
		{name: "connector cannot be built", sts: &fakeSTS{want: map[string]bool{projectExt: true}},
			conn:   func() Connection { c := roleConn(); c.Fields["bucket"] = "fail-new"; return c },
			want:   map[StepID]Status{StepFields: Passed, StepRoleAssumed: Passed, StepExternalIDRequired: Passed, StepServiceReachable: Failed},
			causes: map[StepID]Cause{StepServiceReachable: CauseConnectorConfigInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newTestResolver(t, tt.sts, testRegistry(tt.serviceErr), scope.ProjectMode)
			if tt.name == "probe inconclusive" {
				r.opts.STS = &fakeSTS{err: errors.New("connection reset")}
			}
			rep := r.Check(context.Background(), tt.conn())
			require.Equal(t, tt.want, statuses(rep), "%s", rep)
			order := []StepID{}
			causes := map[StepID]Cause{}
			for _, s := range rep.Steps {
				require.Regexp(t, `^[A-Z].*[.]$`, s.Message, "step %s: the message is sentences", s.ID)
				if s.Cause != "" {
					causes[s.ID] = s.Cause
				}
				order = append(order, s.ID)
				require.NotEmpty(t, s.Title)
				require.NotEmpty(t, s.Message)
				if s.Status == Failed || s.Status == Warned {
					require.NotEmpty(t, s.Hint, "step %s", s.ID)
				}
			}
			require.Equal(t, []StepID{StepFields, StepRoleAssumed, StepExternalIDRequired, StepServiceReachable}, order)
			if tt.causes == nil {
				tt.causes = map[StepID]Cause{}
			}
			require.Equal(t, tt.causes, causes)
			j, err := json.Marshal(rep)
			require.NoError(t, err)
			var back CheckReport
			require.NoError(t, json.Unmarshal(j, &back))
			require.Contains(t, string(j), `{"status":"`+string(rep.Status())+`"`)
			require.Equal(t, statuses(rep), statuses(back))
			require.NotContains(t, string(j), "temp-secret")
			require.NotContains(t, rep.String(), "temp-secret")
			if tt.check != nil {
				tt.check(t, rep, tt.sts)
			}
		})
	}
}

func TestProbeCredentialsAreNeverCached(t *testing.T) {
	f := &fakeSTS{want: map[string]bool{projectExt: true}, open: true}
	r, _ := newTestResolver(t, f, testRegistry(nil), scope.ProjectMode)
	rep := r.Check(context.Background(), roleConn())
	require.Equal(t, Warned, rep.Status())
	cfg, err := r.Config(context.Background(), roleConn())
	require.NoError(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "ASIATEMP"+projectExt, creds.AccessKeyID, "only credentials assumed with the external ID are served")
}

func TestCheckTrustPolicyNamesThePlatformInTheRolesPartition(t *testing.T) {
	tests := []struct {
		name, platform, region, roleARN, wantPrincipal string
	}{
		{"account ID, aws", testPlatform, "eu-west-1", testRoleARN, "arn:aws:iam::" + testPlatform + ":root"},
		{"account ID, aws-cn", testPlatform, "cn-north-1", "arn:aws-cn:iam::111122223333:role/Connector", "arn:aws-cn:iam::" + testPlatform + ":root"},
		{"account ID, aws-us-gov", testPlatform, "us-gov-west-1", "arn:aws-us-gov:iam::111122223333:role/Connector", "arn:aws-us-gov:iam::" + testPlatform + ":root"},
		{"platform role ARN", "arn:aws-cn:iam::" + testPlatform + ":role/platform/Runner", "cn-north-1", "arn:aws-cn:iam::111122223333:role/Connector",
			"arn:aws-cn:iam::" + testPlatform + ":role/platform/Runner"},
	}
	for _, tt := range tests {
		for _, open := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/open=%t", tt.name, open), func(t *testing.T) {
				f := &fakeSTS{want: map[string]bool{projectExt: open}, open: open}
				r, _ := newTestResolver(t, f, testRegistry(nil), scope.ProjectMode)
				r.opts.PlatformAccountID = tt.platform
				c := roleConn()
				c.Region, c.Auth.RoleARN = tt.region, tt.roleARN
				rep := r.Check(context.Background(), c)
				step := StepRoleAssumed
				if open {
					step = StepExternalIDRequired // warned: the role admits the platform without the ID
				}
				s, ok := rep.Step(step)
				require.True(t, ok)
				require.NotNil(t, s.TrustPolicy, "%s", rep)
				require.Equal(t, policy.Strings{tt.wantPrincipal}, s.TrustPolicy.Statement[0].Principal.AWS)
				require.True(t, s.TrustPolicy.Admits(tt.wantPrincipal, projectExt))
				require.False(t, s.TrustPolicy.AdmitsWithoutExternalID(tt.wantPrincipal))
			})
		}
	}
}

func TestProbeCredentialsCanDoNothing(t *testing.T) {
	f := &fakeSTS{want: map[string]bool{projectExt: true}, open: true}
	r, _ := newTestResolver(t, f, testRegistry(nil), scope.ProjectMode)
	r.Check(context.Background(), roleConn())
	calls := f.snapshot()
	require.Len(t, calls, 2)
	probe := calls[1]
	require.Nil(t, probe.ExternalId)
	require.Nil(t, calls[0].Policy, "the connection's own session is not narrowed")
	session, err := policy.Parse([]byte(aws.ToString(probe.Policy)))
	require.NoError(t, err, "the probe carries a session policy")
	for _, action := range []string{"s3:GetObject", "sts:AssumeRole", "iam:CreateUser", "lambda:InvokeFunction"} {
		require.Equal(t, policy.ExplicitDeny, session.Evaluate(policy.Request{Action: action, Resource: "arn:aws:s3:::b/k"}), action)
	}
}

func TestCheckResolvesTheScopeModeOnce(t *testing.T) {
	// The workspace switches from project to workspace scope while the
	// check runs: the report must name the ID the credentials were assumed
	// with, and the ModeFunc (often a database read) is asked once.
	f := &fakeSTS{want: map[string]bool{projectExt: true}}
	r, _ := newTestResolver(t, f, testRegistry(nil), scope.ProjectMode)
	var mu sync.Mutex // guards calls
	calls := 0
	r.mode = func(context.Context, string) (scope.Mode, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return scope.ProjectMode, nil
		}
		return scope.WorkspaceMode, nil
	}
	rep := r.Check(context.Background(), roleConn())
	s, _ := rep.Step(StepRoleAssumed)
	require.Equal(t, Passed, s.Status, "%s", rep)
	require.Contains(t, s.Message, "with external ID "+projectExt+";")
	require.Equal(t, 1, calls)
}

func TestResolverConfigFollowsAModeChange(t *testing.T) {
	f := &fakeSTS{want: map[string]bool{"acme_iam_external_id_12345": true, projectExt: true}}
	r, _ := newTestResolver(t, f, testRegistry(nil), scope.WorkspaceMode)
	var mu sync.Mutex // guards mode
	mode := scope.WorkspaceMode
	r.mode = func(context.Context, string) (scope.Mode, error) {
		mu.Lock()
		defer mu.Unlock()
		return mode, nil
	}
	keyOf := func() string {
		cfg, err := r.Config(context.Background(), roleConn())
		require.NoError(t, err)
		creds, err := cfg.Credentials.Retrieve(context.Background())
		require.NoError(t, err)
		return creds.AccessKeyID
	}
	require.Equal(t, "ASIATEMPacme_iam_external_id_12345", keyOf())
	mu.Lock()
	mode = scope.ProjectMode
	mu.Unlock()
	require.Equal(t, "ASIATEMP"+projectExt, keyOf(), "the next Config uses the new mode's external ID")
	calls := f.snapshot()
	require.Len(t, calls, 2)
	require.Equal(t, projectExt, aws.ToString(calls[1].ExternalId))
}

// TestCheckIsFresh is the user's report: after a successful Connect the
// customer changed the trust policy so it no longer admits the external
// ID, and Connect still passed, from the cache. The check calls STS every
// time; a failure drops the cached credentials, so no later call keeps
// running on the withdrawn trust; a success replaces them with exactly
// what was proven, and the report says when they were obtained.
func TestCheckIsFresh(t *testing.T) {
	clock := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	now := func() time.Time { return clock }
	f := &fakeSTS{want: map[string]bool{projectExt: true}, now: now}
	cache := role.NewCache(f, func(o *role.Options) { o.PlatformAccountID = testPlatform; o.Now = now })
	t.Cleanup(func() { _ = cache.Close() })
	r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{Prefix: "acme_iam_external_id"},
		modes(map[string]scope.Mode{"12345": scope.ProjectMode}), cache, func(o *Options) {
			o.STS, o.Registry, o.PlatformAccountID, o.Now = f, testRegistry(nil), testPlatform, now
		})
	ctx := context.Background()
	assumeCalls := func() int {
		n := 0
		for _, c := range f.snapshot() {
			if aws.ToString(c.ExternalId) == projectExt {
				n++
			}
		}
		return n
	}

	rep := r.Check(ctx, roleConn())
	require.True(t, rep.OK(), "%s", rep)
	step, _ := rep.Step(StepRoleAssumed)
	require.Equal(t, clock, step.CredentialsObtainedAt)
	require.True(t, step.CredentialsExpireAt.After(clock) && !step.CredentialsExpireAt.After(clock.Add(time.Hour)), "%v", step.CredentialsExpireAt)
	j, err := json.Marshal(step)
	require.NoError(t, err)
	require.Contains(t, string(j), `"credentials_obtained_at":"2030-01-02T03:04:05Z"`)
	require.Equal(t, 1, assumeCalls())

	// The customer withdraws the trust.
	f.mu.Lock()
	f.want = map[string]bool{}
	f.mu.Unlock()
	clock = clock.Add(time.Minute)
	rep = r.Check(ctx, roleConn())
	step, _ = rep.Step(StepRoleAssumed)
	require.Equal(t, Failed, step.Status, "%s", rep)
	require.Equal(t, 2, assumeCalls(), "the check asked STS, not the cache")
	cfg, err := r.Config(ctx, roleConn())
	require.NoError(t, err)
	_, err = cfg.Credentials.Retrieve(ctx)
	require.Error(t, err, "the credentials of the withdrawn trust were dropped")

	// The customer fixes it: Connect passes at once, and the next call
	// uses exactly the credentials it proved.
	f.mu.Lock()
	f.want = map[string]bool{projectExt: true}
	f.mu.Unlock()
	clock = clock.Add(time.Minute)
	rep = r.Check(ctx, roleConn())
	require.True(t, rep.OK(), "%s", rep)
	step, _ = rep.Step(StepRoleAssumed)
	require.Equal(t, clock, step.CredentialsObtainedAt)
	calls := assumeCalls()
	creds, err := cfg.Credentials.Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, step.CredentialsExpireAt, creds.Expires.UTC())
	require.Equal(t, calls, assumeCalls(), "the next call is served the proven credentials")
}
