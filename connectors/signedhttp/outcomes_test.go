package signedhttp_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/internal/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// TestConnectionCheckOutcomes runs the Connect button's check of a
// signed-HTTP connection through the resolver against localaws, for each
// outcome issue 6 names. The connector proves no permission (its call,
// GetCallerIdentity, needs none), so "permission missing" cannot happen
// here. Where a step asks for a trust-policy change, setting the policy the
// report carries must make the check pass.
func TestConnectionCheckOutcomes(t *testing.T) {
	P, F, W, S := connectors.Passed, connectors.Failed, connectors.Warned, connectors.Skipped
	open := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}`
	tests := []struct {
		name   string
		trust  func(t *testing.T, platform string) *policy.Document
		change func(c *connectors.Connection)
		want   []connectors.Status
		fixAt  connectors.StepID // the step whose TrustPolicy fixes the role
	}{
		{name: "success", want: []connectors.Status{P, P, P, P}},
		{name: "trust refused", trust: func(t *testing.T, platform string) *policy.Document {
			d, err := policy.TrustPolicy(platform, "another_tenant")
			require.NoError(t, err)
			return d
		}, want: []connectors.Status{P, F, S, S}, fixAt: connectors.StepRoleAssumed},
		{name: "external ID not required", trust: func(t *testing.T, platform string) *policy.Document {
			d, err := policy.Parse([]byte(fmt.Sprintf(open, "arn:aws:iam::"+platform+":root")))
			require.NoError(t, err)
			return d
		}, want: []connectors.Status{P, P, W, P}, fixAt: connectors.StepExternalIDRequired},
		{name: "wrong endpoint", change: func(c *connectors.Connection) { c.Endpoint = "http://127.0.0.1:1" },
			want: []connectors.Status{P, P, P, F}},
		{name: "unknown region", change: func(c *connectors.Connection) { c.Region = "us-east-9" },
			want: []connectors.Status{F, S, S, S}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := connectortest.New(t, signedhttp.KindName, func(o *connectortest.Options) {
				if tt.trust != nil {
					o.Trust = tt.trust(t, localaws.DefaultPlatformAccountID)
				}
			})
			c := e.Conn
			if tt.change != nil {
				tt.change(&c)
			}
			rep := e.Resolver.Check(context.Background(), c)
			require.Equal(t, tt.want, connectortest.StepStatuses(rep), "%s", rep)
			if tt.fixAt == "" {
				return
			}
			s, ok := rep.Step(tt.fixAt)
			require.True(t, ok)
			require.NotNil(t, s.TrustPolicy, "%s", rep)
			require.NoError(t, e.Customer.UpdateTrustPolicy(connectortest.RoleName, s.TrustPolicy))
			e.Cache.InvalidateRole(e.RoleARN)
			rep = e.Resolver.Check(context.Background(), c)
			require.Equal(t, []connectors.Status{P, P, P, P}, connectortest.StepStatuses(rep), "the report's trust policy fixes the role: %s", rep)
		})
	}
}
