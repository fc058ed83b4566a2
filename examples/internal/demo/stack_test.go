package demo

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

func TestLaunchStackCreatesTheTemplatesRole(t *testing.T) {
	local, err := localaws.Start()
	require.NoError(t, err)
	defer local.Close()
	const ext = "awsconnect_iam_external_id_12345"
	kit, err := onboarding.NewFromRequirements(local.PlatformAccountID(), ext, "acme-role",
		[]policy.Requirement{{Action: "s3:PutObject", Resource: "arn:aws:s3:::acme/*"}},
		func(o *onboarding.Options) { o.Path = "/integrations/" })
	require.NoError(t, err)
	body, err := kit.TemplateJSON()
	require.NoError(t, err)
	c, err := NewCustomer(local, "444455556666", ext)
	require.NoError(t, err)
	got, err := c.LaunchStack(body)
	require.NoError(t, err)
	want, err := kit.RoleARN("444455556666")
	require.NoError(t, err)
	require.Equal(t, want, got)
	// A second launch of the same stack fails as CloudFormation would: the
	// role exists.
	_, err = c.LaunchStack(body)
	require.Error(t, err)

	_, err = c.LaunchStack([]byte(`{"Resources": {}}`))
	require.ErrorContains(t, err, "creates no IAM role")
	_, err = c.LaunchStack([]byte(`{`))
	require.ErrorContains(t, err, "does not parse")
}
