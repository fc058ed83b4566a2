package localaws

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/stretchr/testify/require"
)

const (
	customerAccount = "444455556666"
	externalID      = "awsconnect_iam_external_id_12345_6789"
)

// customerRole creates the customer's role, trusting the platform with
// externalID and allowing lambda:ListFunctions, and returns its ARN.
func customerRole(t *testing.T, s *Server, opts ...RoleOption) string {
	t.Helper()
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), externalID)
	require.NoError(t, err)
	opts = append([]RoleOption{WithPolicy("connector", mustParse(t,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:ListFunctions","logs:DescribeLogGroups"],"Resource":"*"}]}`))}, opts...)
	arn, err := account(t, s, customerAccount).CreateRole("awsconnect", trust, opts...)
	require.NoError(t, err)
	require.Regexp(t, `^arn:aws:iam::444455556666:role/(integrations/)?awsconnect$`, arn)
	return arn
}

func assumeInput(roleARN string, mods ...func(*sts.AssumeRoleInput)) *sts.AssumeRoleInput {
	in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("test-session"), ExternalId: aws.String(externalID)}
	for _, m := range mods {
		m(in)
	}
	return in
}

func sessionCreds(out *sts.AssumeRoleOutput) aws.Credentials {
	c := out.Credentials
	return aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}
}

func TestAssumeRole(t *testing.T) {
	clock := NewClock(time.Now())
	s := startServer(t, func(o *Options) { o.Now = clock.Now; o.MaxClockSkew = 24 * time.Hour })
	roleARN := customerRole(t, s)
	client := sts.NewFromConfig(noRetry(s.Config(nil)))

	out, err := client.AssumeRole(t.Context(), assumeInput(roleARN))
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::444455556666:assumed-role/awsconnect/test-session", *out.AssumedRoleUser.Arn)
	require.Regexp(t, `^AROA[A-Z2-7]{17}:test-session$`, *out.AssumedRoleUser.AssumedRoleId)
	require.WithinDuration(t, clock.Now().Add(time.Hour), *out.Credentials.Expiration, time.Second)

	session := s.Config(static(sessionCreds(out)))
	id, err := sts.NewFromConfig(session).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, *out.AssumedRoleUser.Arn, *id.Arn)
	require.Equal(t, customerAccount, *id.Account)

	log := s.Requests()
	require.Equal(t, "AssumeRole", log[0].Operation)
	require.Equal(t, Allowed, log[0].Decision)
	require.Equal(t, roleARN, log[0].Resource)

	clock.Add(time.Hour)
	_, err = sts.NewFromConfig(noRetry(session)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	requireAPIError(t, err, "ExpiredToken")
}

func TestAssumeRoleRefusals(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, s *Server, roleARN string)
		input   func(*sts.AssumeRoleInput)
		code    string
		msg     string
	}{
		{name: "wrong external ID", input: func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String("awsconnect_iam_external_id_1_2") },
			code: "AccessDenied", msg: "User: arn:aws:iam::111122223333:user/platform is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/awsconnect"},
		{name: "no external ID", input: func(in *sts.AssumeRoleInput) { in.ExternalId = nil },
			code: "AccessDenied", msg: "is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/awsconnect"},
		{name: "no such role", input: func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String("arn:aws:iam::444455556666:role/other") },
			code: "AccessDenied", msg: "on resource: arn:aws:iam::444455556666:role/other"},
		{name: "no such account", input: func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String("arn:aws:iam::777788889999:role/awsconnect") },
			code: "AccessDenied", msg: "on resource: arn:aws:iam::777788889999:role/awsconnect"},
		{name: "platform policy denies", prepare: func(t *testing.T, s *Server, _ string) {
			require.NoError(t, s.Platform().DeleteUserPolicy(PlatformUserName, "platform"))
		}, code: "AccessDenied", msg: "because no identity-based policy allows the sts:AssumeRole action"},
		{name: "trust updated to another ID", prepare: func(t *testing.T, s *Server, _ string) {
			trust, err := policy.TrustPolicy(s.PlatformAccountID(), "awsconnect_iam_external_id_9_9")
			require.NoError(t, err)
			require.NoError(t, account(t, s, customerAccount).UpdateTrustPolicy("awsconnect", trust))
		}, code: "AccessDenied", msg: "sts:AssumeRole on resource"},
		{name: "role deleted", prepare: func(t *testing.T, s *Server, _ string) {
			require.NoError(t, account(t, s, customerAccount).DeleteRole("awsconnect"))
		}, code: "AccessDenied", msg: "sts:AssumeRole on resource"},
		{name: "duration above the role's maximum", input: func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(7200) },
			code: "ValidationError", msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "duration below 15 minutes", input: func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(600) },
			code: "ValidationError", msg: "Member must have value greater than or equal to 900"},
		{name: "session tags not trusted", input: func(in *sts.AssumeRoleInput) {
			in.Tags = []types.Tag{{Key: aws.String("workspace"), Value: aws.String("12345")}}
		}, code: "AccessDenied", msg: "not authorized to perform: sts:TagSession"},
		{name: "bad session name", input: func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("has space") },
			code: "ValidationError", msg: "at 'roleSessionName' failed to satisfy constraint"},
		{name: "malformed session policy", input: func(in *sts.AssumeRoleInput) { in.Policy = aws.String(`{"Statement":[{"Effect":"Maybe"}]}`) },
			code: "MalformedPolicyDocument", msg: "The session policy is not a valid IAM policy"},
		{name: "unknown managed session policy", input: func(in *sts.AssumeRoleInput) {
			in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::444455556666:policy/none")}}
		}, code: "InvalidParameterValue", msg: "does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t)
			roleARN := customerRole(t, s)
			if tc.prepare != nil {
				tc.prepare(t, s, roleARN)
			}
			in := assumeInput(roleARN)
			if tc.input != nil {
				tc.input(in)
			}
			_, err := sts.NewFromConfig(noRetry(s.Config(nil))).AssumeRole(t.Context(), in)
			ae := requireAPIError(t, err, tc.code)
			require.Contains(t, ae.ErrorMessage(), tc.msg)
			log := s.Requests()
			require.Equal(t, tc.code, log[len(log)-1].ErrorCode)
		})
	}
}

func TestAssumeRoleAdmits(t *testing.T) {
	cases := []struct {
		name  string
		opts  []RoleOption
		input func(*sts.AssumeRoleInput)
		trust string
	}{
		{name: "longer duration within a raised maximum", opts: []RoleOption{WithMaxSessionDuration(2 * time.Hour)},
			input: func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(7200) }},
		{name: "role with a path", opts: []RoleOption{WithPath("/integrations/")}},
		{name: "session tags when trusted", trust: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["sts:AssumeRole","sts:TagSession"],
			"Condition":{"StringEquals":{"sts:ExternalId":"` + externalID + `","aws:RequestTag/workspace":"12345"}}}]}`,
			input: func(in *sts.AssumeRoleInput) {
				in.Tags = []types.Tag{{Key: aws.String("workspace"), Value: aws.String("12345")}}
			}},
		{name: "trust naming the platform user", trust: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111122223333:user/platform"},"Action":"sts:AssumeRole",
			"Condition":{"StringEquals":{"sts:ExternalId":"` + externalID + `"}}}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t)
			roleARN := customerRole(t, s, tc.opts...)
			if tc.trust != "" {
				require.NoError(t, account(t, s, customerAccount).UpdateTrustPolicy("awsconnect", mustParse(t, tc.trust)))
			}
			in := assumeInput(roleARN)
			if tc.input != nil {
				tc.input(in)
			}
			out, err := sts.NewFromConfig(noRetry(s.Config(nil))).AssumeRole(t.Context(), in)
			require.NoError(t, err)
			require.Contains(t, *out.AssumedRoleUser.Arn, ":assumed-role/awsconnect/test-session")
		})
	}
}

// TestSessionPermissions: a session does what its role allows, narrowed by
// its session policy, and loses everything when the role goes.
func TestSessionPermissions(t *testing.T) {
	s := startServer(t)
	probeRoutes(s)
	roleARN := customerRole(t, s)
	client := sts.NewFromConfig(noRetry(s.Config(nil)))
	listFunctions, describeLogGroups := protocolClients[2].call, protocolClients[3].call

	full, err := client.AssumeRole(t.Context(), assumeInput(roleARN))
	require.NoError(t, err)
	fullCfg := noRetry(s.Config(static(sessionCreds(full))))
	require.NoError(t, listFunctions(t.Context(), fullCfg))
	require.NoError(t, describeLogGroups(t.Context(), fullCfg))

	narrow, err := client.AssumeRole(t.Context(), assumeInput(roleARN, func(in *sts.AssumeRoleInput) {
		in.Policy = aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*"}]}`)
	}))
	require.NoError(t, err)
	narrowCfg := noRetry(s.Config(static(sessionCreds(narrow))))
	require.NoError(t, listFunctions(t.Context(), narrowCfg))
	ae := requireAPIError(t, describeLogGroups(t.Context(), narrowCfg), "AccessDeniedException")
	require.Contains(t, ae.ErrorMessage(), "because no session policy allows the logs:DescribeLogGroups action")
	require.Contains(t, ae.ErrorMessage(), "User: arn:aws:sts::444455556666:assumed-role/awsconnect/test-session")

	customer := account(t, s, customerAccount)
	managed, err := customer.CreatePolicy("logs-only", mustParse(t,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}`))
	require.NoError(t, err)
	viaARN, err := client.AssumeRole(t.Context(), assumeInput(roleARN, func(in *sts.AssumeRoleInput) {
		in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String(managed)}}
	}))
	require.NoError(t, err)
	viaARNCfg := noRetry(s.Config(static(sessionCreds(viaARN))))
	require.NoError(t, describeLogGroups(t.Context(), viaARNCfg))
	requireAPIError(t, listFunctions(t.Context(), viaARNCfg), "AccessDeniedException")

	require.NoError(t, customer.PutRolePolicy("awsconnect", "deny-lambda",
		mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"lambda:*","Resource":"*"}]}`)))
	ae = requireAPIError(t, listFunctions(t.Context(), fullCfg), "AccessDeniedException")
	require.Contains(t, ae.ErrorMessage(), "with an explicit deny in an identity-based policy")
	require.NoError(t, customer.DeleteRolePolicy("awsconnect", "deny-lambda"))
	require.NoError(t, listFunctions(t.Context(), fullCfg))

	require.NoError(t, customer.DeleteRole("awsconnect"))
	requireAPIError(t, listFunctions(t.Context(), fullCfg), "AccessDeniedException")
	_, err = lambda.NewFromConfig(fullCfg).ListFunctions(t.Context(), &lambda.ListFunctionsInput{})
	requireAPIError(t, err, "AccessDeniedException")
}

func TestRoleChainingLimit(t *testing.T) {
	s := startServer(t)
	roleARN := customerRole(t, s, WithMaxSessionDuration(4*time.Hour))
	customer := account(t, s, customerAccount)
	// The customer's role may assume a second role in its own account.
	require.NoError(t, customer.PutRolePolicy("awsconnect", "chain",
		mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)))
	_, err := customer.CreateRole("second", mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"`+roleARN+`"},"Action":"sts:AssumeRole"}]}`), WithMaxSessionDuration(4*time.Hour))
	require.NoError(t, err)

	first, err := sts.NewFromConfig(noRetry(s.Config(nil))).AssumeRole(t.Context(), assumeInput(roleARN))
	require.NoError(t, err)
	chained := sts.NewFromConfig(noRetry(s.Config(static(sessionCreds(first)))))
	second := func(d int32) *sts.AssumeRoleInput {
		return &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::444455556666:role/second"),
			RoleSessionName: aws.String("chained"), DurationSeconds: aws.Int32(d)}
	}
	_, err = chained.AssumeRole(t.Context(), second(7200))
	ae := requireAPIError(t, err, "ValidationError")
	require.Contains(t, ae.ErrorMessage(), "role chaining")
	out, err := chained.AssumeRole(t.Context(), second(3600))
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::444455556666:assumed-role/second/chained", *out.AssumedRoleUser.Arn)
}

func TestAccountModelErrors(t *testing.T) {
	s := startServer(t)
	a := account(t, s, customerAccount)
	require.Same(t, a, account(t, s, customerAccount), "CreateAccount returns the existing account")
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), externalID)
	require.NoError(t, err)
	_, err = a.CreateRole("r", trust)
	require.NoError(t, err)

	for name, err := range map[string]error{
		"duplicate role":      second(a.CreateRole("r", trust)),
		"bad role name":       second(a.CreateRole("bad name", trust)),
		"nil trust":           second(a.CreateRole("r2", nil)),
		"max session too big": second(a.CreateRole("r3", trust, WithMaxSessionDuration(13*time.Hour))),
		"bad path":            second(a.CreateRole("r4", trust, WithPath("nopath"))),
		"unknown role":        a.PutRolePolicy("nosuch", "p", trust),
		"nil policy":          a.PutRolePolicy("r", "p", nil),
		"unknown inline":      a.DeleteRolePolicy("r", "nosuch"),
		"update unknown":      a.UpdateTrustPolicy("nosuch", trust),
		"max session small":   a.UpdateMaxSessionDuration("r", time.Minute),
		"attach unknown":      a.AttachRolePolicy("r", "arn:aws:iam::444455556666:policy/nosuch"),
		"unknown user":        a.PutUserPolicy("nosuch", "p", trust),
		"key for unknown":     second(a.CreateAccessKey("nosuch")),
	} {
		require.Error(t, err, name)
		require.Contains(t, err.Error(), "localaws: ", name)
	}
	arn, err := a.RoleARN("r")
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::444455556666:role/r", arn)
	require.NoError(t, a.UpdateMaxSessionDuration("r", 2*time.Hour))
}

// second drops a result to keep the error.
func second[T any](_ T, err error) error { return err }

// TestPrincipalConditionKeys: a session's tags and its role's ARN reach the
// role's policies as aws:PrincipalTag/* and aws:PrincipalArn, as in IAM.
func TestPrincipalConditionKeys(t *testing.T) {
	s := startServer(t)
	probeRoutes(s)
	roleARN := customerRole(t, s)
	customer := account(t, s, customerAccount)
	require.NoError(t, customer.UpdateTrustPolicy("awsconnect", mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["sts:AssumeRole","sts:TagSession"],
		"Condition":{"StringEquals":{"sts:ExternalId":"`+externalID+`"}}}]}`)))
	require.NoError(t, customer.PutRolePolicy("awsconnect", "connector", mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"lambda:ListFunctions","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/workspace":"12345"}}},
		{"Effect":"Allow","Action":"logs:DescribeLogGroups","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"`+roleARN+`"}}}]}`)))
	session := func(workspace string) aws.Config {
		out, err := sts.NewFromConfig(noRetry(s.Config(nil))).AssumeRole(t.Context(), assumeInput(roleARN, func(in *sts.AssumeRoleInput) {
			in.Tags = []types.Tag{{Key: aws.String("workspace"), Value: aws.String(workspace)}}
		}))
		require.NoError(t, err)
		return noRetry(s.Config(static(sessionCreds(out))))
	}
	listFunctions, describeLogGroups := protocolClients[2].call, protocolClients[3].call
	require.NoError(t, listFunctions(t.Context(), session("12345")))
	requireAPIError(t, listFunctions(t.Context(), session("99999")), "AccessDeniedException")
	require.NoError(t, describeLogGroups(t.Context(), session("99999")), "aws:PrincipalArn is the role's ARN")
}
