package onboarding_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

func TestNewRefusesBadInput(t *testing.T) {
	perms, err := policy.LeastPrivilege(quickstartRequirements()...)
	require.NoError(t, err)
	adminLike := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Effect: policy.EffectAllow, Action: policy.Strings{"s3:*"}, Resource: policy.Strings{"*"}}}}
	cnPerms, err := policy.LeastPrivilege(policy.Requirement{Action: "s3:PutObject", Resource: "arn:aws-cn:s3:::acme-reports/exports/*"})
	require.NoError(t, err)
	cases := []struct {
		name      string
		principal string
		extID     string
		role      string
		perms     *policy.Document
		opts      func(*onboarding.Options)
		sentinel  error
		says      string
	}{
		{name: "empty role name", role: "", sentinel: onboarding.ErrInvalidRoleName, says: "1 to 64"},
		{name: "role name of 65", role: strings.Repeat("r", 65), sentinel: onboarding.ErrInvalidRoleName, says: "is 65 characters"},
		{name: "role name with space", role: "my role", sentinel: onboarding.ErrInvalidRoleName, says: `" " at position 3`},
		{name: "role name with slash", role: "team/role", sentinel: onboarding.ErrInvalidRoleName, says: `"/" at position 5`},
		{name: "role name not ASCII", role: "rôle", sentinel: onboarding.ErrInvalidRoleName, says: `"ô" at position 2`},
		{name: "path without slashes", opts: func(o *onboarding.Options) { o.Path = "integrations" }, sentinel: onboarding.ErrInvalidRolePath, says: "begin and end"},
		{name: "path with empty segment", opts: func(o *onboarding.Options) { o.Path = "/a//b/" }, sentinel: onboarding.ErrInvalidRolePath, says: "empty segment"},
		{name: "path too long", opts: func(o *onboarding.Options) { o.Path = "/" + strings.Repeat("p", 511) + "/" }, sentinel: onboarding.ErrInvalidRolePath, says: "1-512"},
		{name: "path with space", opts: func(o *onboarding.Options) { o.Path = "/a b/" }, sentinel: onboarding.ErrInvalidRolePath, says: "printable ASCII"},
		{name: "external ID too short", extID: "x", sentinel: scope.ErrInvalidExternalID, says: "length 1"},
		{name: "external ID with space", extID: "acme id", sentinel: scope.ErrInvalidExternalID, says: "position 5"},
		{name: "bad principal", principal: "platform", sentinel: policy.ErrInvalidPrincipal},
		{name: "principal of a user", principal: "arn:aws:iam::111122223333:user/bob", sentinel: policy.ErrInvalidPrincipal},
		{name: "trust policy over quota", principal: "arn:aws:iam::111122223333:role/" + strings.Repeat("p/", 250) + "platform",
			extID: strings.Repeat("e", 1200), opts: func(o *onboarding.Options) { o.TransitionalExternalIDs = []string{strings.Repeat("f", 300)} },
			sentinel: policy.ErrTooLarge, says: "2048"},
		{name: "bad transitional external ID", opts: func(o *onboarding.Options) { o.TransitionalExternalIDs = []string{"a b"} }, sentinel: scope.ErrInvalidExternalID, says: `"a b"`},
		{name: "account principal in aws-cn", opts: func(o *onboarding.Options) { o.Partition = "aws-cn" }, sentinel: onboarding.ErrInvalidPartition, says: "arn:aws-cn:iam::ACCOUNT:root"},
		{name: "region of another partition", opts: func(o *onboarding.Options) { o.Partition = "aws"; o.Region = "cn-north-1" }, sentinel: onboarding.ErrInvalidPartition, says: "is in partition aws-cn"},
		{name: "malformed region", opts: func(o *onboarding.Options) { o.Region = "us_east_1" }, sentinel: onboarding.ErrInvalidPartition, says: "such as us-east-1"},
		{name: "malformed partition", opts: func(o *onboarding.Options) { o.Partition = "azure" }, sentinel: onboarding.ErrInvalidPartition},
		{name: "resource of another partition", perms: cnPerms, sentinel: onboarding.ErrInvalidPartition, says: "arn:aws-cn:s3:::acme-reports/exports/*"},
		{name: "permissions not UTF-8", perms: &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Sid: "S3Object", Effect: policy.EffectAllow, Action: policy.Strings{"s3:PutObject"}, Resource: policy.Strings{"arn:aws:s3:::acme-reports/\x84*"}}}},
			sentinel: onboarding.ErrInvalidPermissions, says: "not valid UTF-8"},
		{name: "no permissions", perms: &policy.Document{}, sentinel: onboarding.ErrInvalidPermissions, says: "LeastPrivilege"},
		{name: "over-broad permissions", perms: adminLike, sentinel: onboarding.ErrInvalidPermissions, says: "lint findings"},
		{name: "policy name with space", opts: func(o *onboarding.Options) { o.PolicyName = "my policy" }, sentinel: onboarding.ErrInvalidPolicyName},
		{name: "policy name too long", opts: func(o *onboarding.Options) { o.PolicyName = strings.Repeat("p", 129) }, sentinel: onboarding.ErrInvalidPolicyName, says: "1 to 128"},
		{name: "description too long", opts: func(o *onboarding.Options) { o.Description = strings.Repeat("d", 1001) }, sentinel: onboarding.ErrInvalidDescription, says: "at most 1000"},
		{name: "description with emoji", opts: func(o *onboarding.Options) { o.Description = "hello 👋" }, sentinel: onboarding.ErrInvalidDescription, says: "position 7"},
		{name: "description the CLI would load", opts: func(o *onboarding.Options) { o.Description = "file:///etc/passwd" }, sentinel: onboarding.ErrInvalidDescription, says: "file://"},
		{name: "stack name with underscore", opts: func(o *onboarding.Options) { o.StackName = "my_stack" }, sentinel: onboarding.ErrInvalidStackName},
		{name: "stack name starting with a digit", opts: func(o *onboarding.Options) { o.StackName = "1stack" }, sentinel: onboarding.ErrInvalidStackName, says: "starting with a letter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			principal, extID, name, p := platformAccount, externalID, roleName, perms
			if tc.principal != "" {
				principal = tc.principal
			}
			if tc.extID != "" {
				extID = tc.extID
			}
			if tc.role != "" || strings.Contains(tc.name, "role name") {
				name = tc.role
			}
			if tc.perms != nil {
				p = tc.perms
			}
			var opts []func(*onboarding.Options)
			if tc.opts != nil {
				opts = append(opts, tc.opts)
			}
			k, err := onboarding.New(principal, extID, name, p, opts...)
			require.Nil(t, k)
			require.Error(t, err)
			require.True(t, errors.Is(err, tc.sentinel), "%v is not %v", err, tc.sentinel)
			require.Contains(t, err.Error(), tc.says)
			prefix := strings.SplitN(err.Error(), ":", 2)[0]
			require.Equal(t, "onboarding", prefix, "errors are package-prefixed: %v", err)
		})
	}
}

func TestNewFromRequirementsRefusesBadRequirements(t *testing.T) {
	_, err := onboarding.NewFromRequirements(platformAccount, externalID, roleName,
		[]policy.Requirement{{Action: "s3:GetObject", Resource: "*"}})
	require.ErrorIs(t, err, onboarding.ErrInvalidPermissions)
	require.ErrorIs(t, err, policy.ErrInvalidRequirement)
	_, err = onboarding.NewFromRequirements(platformAccount, externalID, roleName, nil)
	require.ErrorIs(t, err, onboarding.ErrInvalidPermissions)
}

func TestNewDoesNotShareThePermissionsDocument(t *testing.T) {
	perms, err := policy.LeastPrivilege(quickstartRequirements()...)
	require.NoError(t, err)
	k, err := onboarding.New(platformAccount, externalID, roleName, perms)
	require.NoError(t, err)
	perms.Statement[0].Action = policy.Strings{"s3:*"}
	require.NotEqual(t, perms, k.Permissions())
	got := k.Permissions()
	got.Statement = nil
	require.NotEmpty(t, k.Permissions().Statement)
}

func TestPoliciesAreTheLibrarysAndLintClean(t *testing.T) {
	k := quickstartKit(t)
	trust, err := policy.TrustPolicy(platformAccount, externalID)
	require.NoError(t, err)
	require.Equal(t, trust, k.TrustPolicy())
	require.NoError(t, k.TrustPolicy().CheckTrust(platformAccount, externalID))
	perms, err := policy.LeastPrivilege(quickstartRequirements()...)
	require.NoError(t, err)
	require.Equal(t, perms, k.Permissions())
	requireLintClean(t, k.TrustPolicy(), policy.TrustPolicyKind)
	requireLintClean(t, k.Permissions(), policy.IdentityPolicyKind)
}

func TestRoleARNIsPredictable(t *testing.T) {
	cases := []struct {
		name      string
		principal string
		opts      func(*onboarding.Options)
		want      string
	}{
		{"aws", platformAccount, nil, "arn:aws:iam::444455556666:role/awsconnect-platform"},
		{"path", platformAccount, func(o *onboarding.Options) { o.Path = "/integrations/acme/" }, "arn:aws:iam::444455556666:role/integrations/acme/awsconnect-platform"},
		{"aws-cn by region", "arn:aws-cn:iam::111122223333:root", func(o *onboarding.Options) { o.Region = "cn-northwest-1" }, "arn:aws-cn:iam::444455556666:role/awsconnect-platform"},
		{"aws-us-gov by principal", "arn:aws-us-gov:iam::111122223333:role/platform", nil, "arn:aws-us-gov:iam::444455556666:role/awsconnect-platform"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reqs := []policy.Requirement{{Action: "cloudwatch:PutMetricData", Condition: policy.Conditions{"StringEquals": {"cloudwatch:namespace": {"Acme"}}}}}
			var opts []func(*onboarding.Options)
			if tc.opts != nil {
				opts = append(opts, tc.opts)
			}
			k, err := onboarding.NewFromRequirements(tc.principal, externalID, roleName, reqs, opts...)
			require.NoError(t, err)
			got, err := k.RoleARN(customerAccount)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			// The role package, which the platform assumes it with, reads
			// the same role back.
			parsed, err := role.ParseRoleARN(got)
			require.NoError(t, err)
			require.Equal(t, customerAccount, parsed.AccountID)
			require.Equal(t, roleName, parsed.Name)
			require.Equal(t, k.Path(), parsed.Path)
		})
	}
	k := quickstartKit(t)
	for _, bad := range []string{"", "44445555666", "4444555566667", "44445555666x"} {
		_, err := k.RoleARN(bad)
		require.ErrorIs(t, err, onboarding.ErrInvalidAccountID, bad)
	}
}

func TestDefaults(t *testing.T) {
	k := quickstartKit(t)
	require.Equal(t, "aws", k.Partition())
	require.Equal(t, "us-east-1", k.Region())
	require.Equal(t, "/", k.Path())
	require.Equal(t, onboarding.DefaultPolicyName, k.PolicyName())
	require.Equal(t, roleName, k.RoleName())
	require.Equal(t, externalID, k.ExternalID())
	gov, err := onboarding.NewFromRequirements("arn:aws-us-gov:iam::111122223333:root", externalID, roleName,
		[]policy.Requirement{{Action: "s3:PutObject", Resource: "arn:aws-us-gov:s3:::acme/*"}})
	require.NoError(t, err)
	require.Equal(t, "aws-us-gov", gov.Partition())
	require.Equal(t, "us-gov-west-1", gov.Region())
}
