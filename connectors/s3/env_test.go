package s3_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/scope"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	bucket = "acme-reports"
	prefix = "reports/"
)

// env is a workspace-scoped S3 connection whose role may make every S3
// operation on bucket under prefix, in an account that owns bucket and
// "other-bucket".
type env struct{ *connectortest.Env }

// newEnv builds the env; optFns change the defaults (permissions, trust).
func newEnv(t *testing.T, optFns ...func(*connectortest.Options)) *env {
	t.Helper()
	defaults := func(o *connectortest.Options) {
		o.Mode = scope.WorkspaceMode
		o.Permissions = s3c.Requirements(s3c.AllOperations(), bucket, prefix)
		o.Setup = func(a *localaws.Account) error {
			if err := a.CreateBucket(bucket); err != nil {
				return err
			}
			return a.CreateBucket("other-bucket")
		}
	}
	return &env{connectortest.New(t, s3c.KindName, append([]func(*connectortest.Options){defaults}, optFns...)...)}
}

// connector is an S3 connector restricted to bucket and prefix, over a
// connection with the same restriction.
func (e *env) connector(t *testing.T, optFns ...func(*s3c.Options)) *s3c.Connector {
	t.Helper()
	cfg := e.ConfigOf(t, e.Connection(map[string]string{"bucket": bucket, "prefix": prefix}))
	fns := append([]func(*s3c.Options){func(o *s3c.Options) { o.Bucket, o.Prefix = bucket, prefix }}, optFns...)
	return s3c.New(cfg, fns...)
}

// accessKeyUser is the IAM user accessKeyConnection creates.
type accessKeyUser struct {
	ARN    string           // the user's ARN
	Policy *policy.Document // its inline policy "s3"
}

// accessKeyConnection creates IAM user "uploader" in the customer's account
// with the least-privilege policy for every operation on the bucket and
// prefix, and returns a connection authorised by a new access key of it.
func (e *env) accessKeyConnection(t *testing.T) (connectors.Connection, accessKeyUser) {
	t.Helper()
	userARN, err := e.Customer.CreateUser("uploader")
	require.NoError(t, err)
	perms, err := policy.LeastPrivilege(s3c.Requirements(s3c.AllOperations(), bucket, prefix)...)
	require.NoError(t, err)
	require.NoError(t, e.Customer.PutUserPolicy("uploader", "s3", perms))
	key, err := e.Customer.CreateAccessKey("uploader")
	require.NoError(t, err)
	conn := e.Connection(map[string]string{"bucket": bucket, "prefix": prefix})
	conn.Auth = connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: key.AccessKeyID, SecretAccessKey: connectors.Secret(key.SecretAccessKey)}
	return conn, accessKeyUser{ARN: userARN, Policy: perms}
}
