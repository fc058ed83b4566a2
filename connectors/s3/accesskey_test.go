package s3_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
)

// TestAccessKeyConnection checks and uses a connection authorised by an IAM
// user's access key against localaws: no role is assumed (no STS call is
// made), every call runs as the user, and neither the report nor an error
// ever carries the secret key.
func TestAccessKeyConnection(t *testing.T) {
	e := newEnv(t)
	conn, user := e.accessKeyConnection(t)
	P, S, F := connectors.Passed, connectors.Skipped, connectors.Failed
	ctx := context.Background()

	tests := []struct {
		name   string
		secret string
		want   []connectors.Status
	}{
		{"the user's key", conn.Auth.SecretAccessKey.Reveal(), []connectors.Status{P, S, S, P}},
		{"a wrong secret", "wrong" + conn.Auth.SecretAccessKey.Reveal()[5:], []connectors.Status{P, S, S, F}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := conn
			c.Auth.SecretAccessKey = connectors.Secret(tt.secret)
			e.Server.ResetRequests()
			rep := e.Resolver.Check(ctx, c)
			require.Equal(t, tt.want, connectortest.StepStatuses(rep), "%s", rep)
			j, err := json.Marshal(rep)
			require.NoError(t, err)
			require.NotContains(t, string(j)+rep.String(), tt.secret)
			for _, r := range e.Server.Requests() {
				require.NotEqual(t, "sts", r.Service, "an access-key connection assumes no role")
			}

			conn := s3c.New(e.ConfigOf(t, c), func(o *s3c.Options) { o.Bucket, o.Prefix = bucket, prefix })
			_, err = conn.PutObject(ctx, "", prefix+"by-key.txt", strings.NewReader("x"))
			if tt.want[3] == F {
				require.Error(t, err)
				require.NotContains(t, err.Error(), tt.secret)
				return
			}
			require.NoError(t, err)
			obj, err := conn.GetObject(ctx, "", prefix+"by-key.txt")
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, obj.Body)
			require.NoError(t, obj.Body.Close())
			for _, r := range e.Server.Requests() {
				if r.Service == "s3" {
					require.Equal(t, user.ARN, r.Caller.ARN, "every call runs as the user")
				}
			}
		})
	}
}
