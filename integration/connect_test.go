//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
)

// statuses maps each step of a report to its status.
func statuses(rep connectors.CheckReport) map[connectors.StepID]connectors.Status {
	m := map[connectors.StepID]connectors.Status{}
	for _, s := range rep.Steps {
		m[s.ID] = s.Status
	}
	return m
}

// The Connect button's check, run against MinIO: it assumes the role with
// the external ID, probes whether the role also admits the platform without
// one, and calls S3 with the connector's permission.
func TestConnectCheckAgainstMinIO(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-check-")
	const prefix = "reports/"

	t.Run("a role that ignores the external ID is reported as open to the confused deputy", func(t *testing.T) {
		// MinIO's AssumeRole ignores ExternalId, exactly like a trust policy
		// without the sts:ExternalId condition: the probe must catch it.
		rep := p.resolver(t, func(o *connectors.Options) { o.PlatformAccountID = "111122223333" }).
			Check(ctx, p.s3Connection(map[string]string{"bucket": bucket, "prefix": prefix}))
		st := statuses(rep)
		require.Equal(t, connectors.Passed, st[connectors.StepFields], "%+v", rep)
		require.Equal(t, connectors.Passed, st[connectors.StepRoleAssumed], "%+v", rep)
		require.Equal(t, connectors.Warned, st[connectors.StepExternalIDRequired], "%+v", rep)
		require.Equal(t, connectors.Passed, st[connectors.StepServiceReachable], "%+v", rep)
		require.True(t, rep.OK(), "warnings do not fail the check")
		probe, _ := rep.Step(connectors.StepExternalIDRequired)
		require.Contains(t, probe.Message, "WITHOUT an external ID")
		require.NotNil(t, probe.TrustPolicy, "the report carries the trust policy to set")
		trust, err := json.Marshal(probe.TrustPolicy)
		require.NoError(t, err)
		require.Contains(t, string(trust), `"sts:ExternalId":"acme_iam_external_id_12345_6789"`)
	})

	t.Run("a missing permission names the statement to add", func(t *testing.T) {
		// The session policy grants GetObject only, not the s3:ListBucket
		// the restricted connector's check needs.
		doc, err := policy.LeastPrivilege(s3conn.Requirements([]s3conn.Operation{s3conn.OpGetObject}, bucket, prefix)...)
		require.NoError(t, err)
		sessionPolicy, err := json.Marshal(doc)
		require.NoError(t, err)
		r := p.resolver(t, func(o *connectors.Options) {
			o.Spec = func(_ connectors.Connection, s *role.Spec) { s.Policy = string(sessionPolicy) }
		})
		rep := r.Check(ctx, p.s3Connection(map[string]string{"bucket": bucket, "prefix": prefix}))
		require.False(t, rep.OK())
		step, failed := rep.FirstFailure()
		require.True(t, failed)
		require.Equal(t, connectors.StepServiceReachable, step.ID, "%+v", rep)
		require.Equal(t, "s3:ListBucket", step.Action)
		require.Equal(t, "arn:aws:s3:::"+bucket, step.Resource)
		require.NotNil(t, step.PolicyToAdd)
		require.Equal(t, policy.Allow, step.PolicyToAdd.Evaluate(policy.Request{
			Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + bucket, Context: map[string][]string{"s3:prefix": {prefix}},
		}), "the statement to add grants what failed")
	})

	t.Run("access key connection", func(t *testing.T) {
		c := p.s3Connection(map[string]string{"bucket": bucket})
		c.Auth = connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: p.AccessKey, SecretAccessKey: connectors.Secret(p.SecretKey)}
		rep := p.resolver(t).Check(ctx, c)
		st := statuses(rep)
		require.Equal(t, connectors.Skipped, st[connectors.StepRoleAssumed])
		require.Equal(t, connectors.Skipped, st[connectors.StepExternalIDRequired])
		require.Equal(t, connectors.Passed, st[connectors.StepServiceReachable], "%+v", rep)
		out, err := json.Marshal(rep)
		require.NoError(t, err)
		require.NotContains(t, string(out), p.SecretKey, "the report never carries the secret")
	})

	t.Run("a wrong access key fails the service step", func(t *testing.T) {
		c := p.s3Connection(map[string]string{"bucket": bucket})
		c.Auth = connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: p.AccessKey, SecretAccessKey: connectors.Secret("wrong-" + p.SecretKey)}
		rep := p.resolver(t).Check(ctx, c)
		step, failed := rep.FirstFailure()
		require.True(t, failed)
		require.Equal(t, connectors.StepServiceReachable, step.ID)
		require.NotContains(t, step.Message+step.Hint, p.SecretKey)
	})
}
