package localaws

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

func TestGetCallerIdentity(t *testing.T) {
	s := startServer(t, func(o *Options) { o.PlatformAccountID = "999988887777" })
	cases := []struct {
		name  string
		creds func(t *testing.T) aws.Credentials
		arn   string
	}{
		{"platform user", func(*testing.T) aws.Credentials { return s.PlatformCredentials() },
			"arn:aws:iam::999988887777:user/platform"},
		{"platform user's session", func(t *testing.T) aws.Credentials { return sessionToken(t, s, 900) },
			"arn:aws:iam::999988887777:user/platform"},
		{"another account's user", func(t *testing.T) aws.Credentials {
			a := account(t, s, "444455556666")
			_, err := a.CreateUser("ci")
			require.NoError(t, err)
			c, err := a.CreateAccessKey("ci")
			require.NoError(t, err)
			return c
		}, "arn:aws:iam::444455556666:user/ci"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			creds := tc.creds(t)
			out, err := sts.NewFromConfig(s.Config(static(creds))).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
			require.NoError(t, err)
			require.Equal(t, tc.arn, aws.ToString(out.Arn))
			require.Equal(t, tc.arn[13:25], aws.ToString(out.Account))
			require.Regexp(t, `^AIDA[A-Z2-7]{16}$`, aws.ToString(out.UserId))
		})
	}
	require.Equal(t, "999988887777", s.PlatformAccountID())
}

func TestGetSessionToken(t *testing.T) {
	clock := NewClock(time.Now())
	s := startServer(t, func(o *Options) { o.Now = clock.Now })
	client := sts.NewFromConfig(noRetry(s.Config(nil)))

	out, err := client.GetSessionToken(t.Context(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(1800)})
	require.NoError(t, err)
	require.WithinDuration(t, clock.Now().Add(30*time.Minute), *out.Credentials.Expiration, time.Second)
	require.Regexp(t, `^ASIA[A-Z2-7]{16}$`, *out.Credentials.AccessKeyId)

	for _, tc := range []struct {
		seconds int32
		msg     string
	}{
		{899, "Member must have value greater than or equal to 900"},
		{129601, "Member must have value less than or equal to 129600"},
	} {
		_, err := client.GetSessionToken(t.Context(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(tc.seconds)})
		ae := requireAPIError(t, err, "ValidationError")
		require.Contains(t, ae.ErrorMessage(), tc.msg)
	}

	temp := aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey,
		SessionToken: *out.Credentials.SessionToken}
	_, err = sts.NewFromConfig(noRetry(s.Config(static(temp)))).GetSessionToken(t.Context(), &sts.GetSessionTokenInput{})
	requireAPIError(t, err, "AccessDenied")
}

// TestClockSkewCorrection: the server's Date header lets the SDK's retryer
// correct a skewed clock, as it does against AWS.
func TestClockSkewCorrection(t *testing.T) {
	clock := NewClock(time.Now())
	clock.Add(2 * time.Hour)
	s := startServer(t, func(o *Options) { o.Now = clock.Now })
	_, err := sts.NewFromConfig(s.Config(nil)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	log := s.Requests()
	require.Len(t, log, 2)
	require.Equal(t, "RequestTimeTooSkewed", log[0].ErrorCode)
	require.Equal(t, 200, log[1].Status)
}
