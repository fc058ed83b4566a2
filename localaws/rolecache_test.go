package localaws

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsconnect/awsconnect/role"
	"github.com/stretchr/testify/require"
)

// TestRoleCacheClassification drives role.Cache into each failure it
// classifies, through localaws's real answers.
func TestRoleCacheClassification(t *testing.T) {
	cases := []struct {
		name    string
		creds   func(s *Server) aws.Credentials // nil: the platform's
		prepare func(t *testing.T, s *Server)
		spec    func(*role.Spec)
		reason  role.Reason
		code    string
	}{
		{name: "wrong external ID", spec: func(sp *role.Spec) { sp.ExternalID = "awsconnect_iam_external_id_1_1" },
			reason: role.ReasonTrustPolicy, code: "AccessDenied"},
		{name: "role missing", spec: func(sp *role.Spec) { sp.RoleARN = "arn:aws:iam::444455556666:role/missing" },
			reason: role.ReasonTrustPolicy, code: "AccessDenied"},
		{name: "duration above the maximum", spec: func(sp *role.Spec) { sp.Duration = 2 * time.Hour },
			reason: role.ReasonDurationTooLong, code: "ValidationError"},
		{name: "unknown platform key", creds: func(*Server) aws.Credentials {
			return aws.Credentials{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: "x"}
		}, reason: role.ReasonPlatformCredentials, code: "InvalidClientTokenId"},
		{name: "wrong platform secret", creds: func(s *Server) aws.Credentials {
			c := s.PlatformCredentials()
			c.SecretAccessKey = "wrong"
			return c
		}, reason: role.ReasonPlatformCredentials, code: "SignatureDoesNotMatch"},
		{name: "platform not allowed to assume roles", prepare: func(t *testing.T, s *Server) {
			require.NoError(t, s.Platform().DeleteUserPolicy(PlatformUserName, "platform"))
		}, reason: role.ReasonPlatformPermission, code: "AccessDenied"},
		{name: "platform clock skewed", prepare: func(t *testing.T, s *Server) {
			s.opts.Now = func() time.Time { return time.Now().Add(time.Hour) }
		}, reason: role.ReasonClockSkew, code: "RequestTimeTooSkewed"},
		{name: "throttled", prepare: func(t *testing.T, s *Server) {
			_, err := s.InjectFault(Fault{Service: "sts", Operation: "AssumeRole", Kind: Throttle})
			require.NoError(t, err)
		}, reason: role.ReasonThrottled, code: "Throttling"},
		{name: "malformed session policy", spec: func(sp *role.Spec) { sp.Policy = `{"Statement":"nope"}` },
			reason: role.ReasonInvalidRequest, code: "MalformedPolicyDocument"},
		{name: "STS disabled in the region", prepare: func(t *testing.T, s *Server) {
			s.opts.DisabledSTSRegions = []string{"us-east-1"}
		}, reason: role.ReasonRegionDisabled, code: "RegionDisabledException"},
		{name: "STS too slow", prepare: func(t *testing.T, s *Server) {
			_, err := s.InjectFault(Fault{Service: "sts", Operation: "AssumeRole", Kind: Latency, Latency: time.Hour})
			require.NoError(t, err)
		}, reason: role.ReasonNetwork},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t)
			roleARN := customerRole(t, s)
			if tc.prepare != nil {
				tc.prepare(t, s)
			}
			cfg := s.Config(nil)
			if tc.creds != nil {
				cfg = s.Config(static(tc.creds(s)))
			}
			cache := role.NewCache(sts.NewFromConfig(noRetry(cfg)), func(o *role.Options) {
				o.RefreshTimeout = 100 * time.Millisecond
				o.PlatformAccountID = s.PlatformAccountID()
			})
			defer cache.Close()
			spec := role.Spec{RoleARN: roleARN, ExternalID: externalID, WorkspaceID: "12345", ProjectID: "6789"}
			if tc.spec != nil {
				tc.spec(&spec)
			}
			_, err := cache.Retrieve(t.Context(), spec)
			var are *role.AssumeRoleError
			require.True(t, errors.As(err, &are), "want an AssumeRoleError, got %v", err)
			require.Equal(t, tc.reason, are.Reason, "%v", err)
			require.Equal(t, tc.code, are.Code)
			require.NotEmpty(t, are.Hint())
		})
	}
}

func TestRoleCacheAssumes(t *testing.T) {
	s := startServer(t)
	roleARN := customerRole(t, s)
	cache := role.NewCache(sts.NewFromConfig(s.Config(nil)))
	defer cache.Close()
	spec := role.Spec{RoleARN: roleARN, ExternalID: externalID, WorkspaceID: "12345", ProjectID: "6789"}
	provider, err := cache.Provider(spec)
	require.NoError(t, err)

	id, err := sts.NewFromConfig(s.Config(provider)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::444455556666:assumed-role/awsconnect/awsconnect-12345-6789", *id.Arn)
}
