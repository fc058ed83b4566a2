package s3_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/policy"
)

// assumeRoleCalls counts the AssumeRole requests localaws received since
// the last reset.
func assumeRoleCalls(e *env) int {
	n := 0
	for _, r := range e.Server.Requests() {
		if r.Service == "sts" && r.Operation == "AssumeRole" {
			n++
		}
	}
	return n
}

// TestConnectAfterTheRoleChanged: after a passing Connect the customer
// edits the role (its trust policy, its permissions, or deletes it); the
// next Connect asks STS itself and reports what is true now, the
// credentials of a withdrawn trust are no longer served to calls, and
// undoing the change passes Connect again at once.
func TestConnectAfterTheRoleChanged(t *testing.T) {
	ctx := context.Background()
	fields := map[string]string{"bucket": bucket, "prefix": prefix}
	for _, tt := range []struct {
		name      string
		change    func(t *testing.T, e *env)
		undo      func(t *testing.T, e *env)
		failed    connectors.StepID
		cause     connectors.Cause
		keepCreds bool // the role still admits the platform: its credentials stay usable
	}{
		{name: "trust policy edited to another external ID",
			change: func(t *testing.T, e *env) {
				other, err := policy.TrustPolicy(e.Server.PlatformAccountID(), "acme_iam_external_id_someone_else")
				require.NoError(t, err)
				require.NoError(t, e.Customer.UpdateTrustPolicy(connectortest.RoleName, other))
			},
			undo: func(t *testing.T, e *env) {
				trust, err := policy.TrustPolicy(e.Server.PlatformAccountID(), e.ExternalID)
				require.NoError(t, err)
				require.NoError(t, e.Customer.UpdateTrustPolicy(connectortest.RoleName, trust))
			},
			failed: connectors.StepRoleAssumed, cause: connectors.CauseTrustPolicyDenied},
		{name: "permissions removed",
			change: func(t *testing.T, e *env) {
				require.NoError(t, e.Customer.DeleteRolePolicy(connectortest.RoleName, connectortest.PolicyName))
			},
			undo: func(t *testing.T, e *env) {
				e.Grant(t, s3c.Requirements(s3c.AllOperations(), bucket, prefix)...)
			},
			failed: connectors.StepServiceReachable, cause: connectors.CausePermissionMissing, keepCreds: true},
		{name: "role deleted",
			change: func(t *testing.T, e *env) {
				require.NoError(t, e.Customer.DeleteRole(connectortest.RoleName))
			},
			undo: func(t *testing.T, e *env) {
				trust, err := policy.TrustPolicy(e.Server.PlatformAccountID(), e.ExternalID)
				require.NoError(t, err)
				doc, err := policy.LeastPrivilege(s3c.Requirements(s3c.AllOperations(), bucket, prefix)...)
				require.NoError(t, err)
				_, err = e.Customer.CreateRole(connectortest.RoleName, trust)
				require.NoError(t, err)
				require.NoError(t, e.Customer.PutRolePolicy(connectortest.RoleName, connectortest.PolicyName, doc))
			},
			failed: connectors.StepRoleAssumed, cause: connectors.CauseTrustPolicyDenied},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, connectortest.WithFields(fields))
			first := e.Resolver.Check(ctx, e.Conn)
			require.True(t, first.OK(), "%s", first)
			firstStep, _ := first.Step(connectors.StepRoleAssumed)

			tt.change(t, e)
			e.Server.ResetRequests()
			rep := e.Resolver.Check(ctx, e.Conn)
			wantCalls := 1 // with the external ID, not from the cache
			if tt.failed != connectors.StepRoleAssumed {
				wantCalls++ // and the probe without it
			}
			require.Equal(t, wantCalls, assumeRoleCalls(e), "Connect asked STS, not the cache")
			step, ok := rep.FirstFailure()
			require.True(t, ok, "Connect must not pass on the changed role:\n%s", rep)
			require.Equal(t, tt.failed, step.ID, "%s", rep)
			require.Equal(t, tt.cause, step.Cause, "%s", rep)
			if tt.failed == connectors.StepRoleAssumed {
				require.NotNil(t, step.TrustPolicy, "the trust policy to set")
				require.True(t, step.TrustPolicy.Admits("arn:aws:iam::"+e.Server.PlatformAccountID()+":root", e.ExternalID))
			} else {
				assumed, _ := rep.Step(connectors.StepRoleAssumed)
				require.Equal(t, connectors.Passed, assumed.Status)
				require.False(t, assumed.CredentialsObtainedAt.Before(firstStep.CredentialsObtainedAt))
				require.Equal(t, "s3:ListBucket", step.Action)
				require.NotNil(t, step.PolicyToAdd)
			}

			// What a call running beside Connect sees now.
			cfg, err := e.Resolver.Config(ctx, e.Conn)
			require.NoError(t, err)
			e.Server.ResetRequests()
			_, err = cfg.Credentials.Retrieve(ctx)
			if tt.keepCreds {
				require.NoError(t, err)
				require.Zero(t, assumeRoleCalls(e), "the credentials Connect just proved are served")
			} else {
				require.Error(t, err, "no call keeps running on a trust the customer withdrew")
			}

			tt.undo(t, e)
			rep = e.Resolver.Check(ctx, e.Conn)
			require.True(t, rep.OK(), "undoing the change passes Connect at once (no negative cache):\n%s", rep)
		})
	}
}

// TestConnectAfterTheKeyLostItsPermissions: an access-key connection that
// passed Connect fails it once the user's policy is removed, and passes
// again once it is back; no STS call is made either way.
func TestConnectAfterTheKeyLostItsPermissions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	conn, user := e.accessKeyConnection(t)

	rep := e.Resolver.Check(ctx, conn)
	require.True(t, rep.OK(), "%s", rep)

	require.NoError(t, e.Customer.DeleteUserPolicy("uploader", "s3"))
	e.Server.ResetRequests()
	rep = e.Resolver.Check(ctx, conn)
	step, ok := rep.FirstFailure()
	require.True(t, ok, "%s", rep)
	require.Equal(t, connectors.StepServiceReachable, step.ID)
	require.Equal(t, connectors.CausePermissionMissing, step.Cause, "%s", rep)
	require.Equal(t, connectors.ActorCustomer, step.Actor)
	require.Zero(t, assumeRoleCalls(e))

	require.NoError(t, e.Customer.PutUserPolicy("uploader", "s3", user.Policy))
	rep = e.Resolver.Check(ctx, conn)
	require.True(t, rep.OK(), "%s", rep)
}
