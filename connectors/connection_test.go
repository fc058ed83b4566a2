package connectors

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoleAccountID(t *testing.T) {
	tests := []struct {
		name string
		auth Auth
		want string
	}{
		{name: "role", auth: Auth{Type: AuthIAMRole, RoleARN: testRoleARN}, want: "111122223333"},
		{name: "access key", auth: Auth{Type: AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE"}, want: ""},
		{name: "malformed role ARN", auth: Auth{Type: AuthIAMRole, RoleARN: "arn:aws:iam::role/x"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Connection{Auth: tt.auth}.RoleAccountID())
		})
	}
}

func TestConfigFailure(t *testing.T) {
	rep := ConfigFailure("Amazon S3", errors.New("s3: invalid bucket name"), "Correct the bucket field.")
	require.Equal(t, []CheckStep{{ID: StepServiceReachable, Title: "Amazon S3", Status: Failed,
		Message: "Invalid bucket name.", Hint: "Correct the bucket field.",
		Cause: CauseConnectorConfigInvalid, Actor: ActorCustomer, Detail: "s3: invalid bucket name"}}, rep.Steps)
	require.False(t, rep.OK())
}
