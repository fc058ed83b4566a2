package lex_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/policy"
)

func TestCheckOutcomes(t *testing.T) {
	P, F, W, S := connectors.Passed, connectors.Failed, connectors.Warned, connectors.Skipped
	tests := []struct {
		name   string
		opts   func(t *testing.T, o *connectortest.Options)
		change func(e *env, c *connectors.Connection)
		want   []connectors.Status
		check  func(t *testing.T, e *env, r connectors.CheckReport)
	}{
		{name: "success", want: []connectors.Status{P, P, P, P}},
		{name: "trust refused", opts: func(t *testing.T, o *connectortest.Options) {
			o.Trust, _ = policy.TrustPolicy("111122223333", "another_tenant")
		}, want: []connectors.Status{P, F, S, S}},
		{name: "external ID not required", opts: func(t *testing.T, o *connectortest.Options) {
			var err error
			o.Trust, err = policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}`))
			require.NoError(t, err)
		}, want: []connectors.Status{P, P, W, P}},
		{name: "permission missing", opts: func(t *testing.T, o *connectortest.Options) {
			o.Permissions = lex.Requirements([]lex.Operation{lex.OpRecognizeText}, "us-east-1", connectortest.CustomerAccountID, botID, lex.DefaultAliasID)
		}, want: []connectors.Status{P, P, P, F},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Equal(t, "lex:GetSession", s.Action)
				require.Equal(t, "arn:aws:lex:us-east-1:"+connectortest.CustomerAccountID+":bot-alias/FLOWERSBOT/TSTALIASID", s.Resource)
				require.NotNil(t, s.PolicyToAdd)
			}},
		{name: "bot missing", opts: func(t *testing.T, o *connectortest.Options) { o.Setup = nil }, want: []connectors.Status{P, P, P, F},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Contains(t, s.Message, "does not exist")
			}},
		{name: "wrong endpoint", change: func(e *env, c *connectors.Connection) { c.Endpoint = "http://127.0.0.1:1" },
			want: []connectors.Status{P, P, P, F},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Contains(t, s.Message, "could not be reached")
			}},
		{name: "wrong region", opts: func(t *testing.T, o *connectortest.Options) {
			// The role allows the bot alias in both regions; the bot lives in us-east-1.
			o.Permissions = append(allOperations("us-east-1"), allOperations("eu-west-1")...)
		}, change: func(e *env, c *connectors.Connection) { c.Region = "eu-west-1" },
			want: []connectors.Status{P, P, P, F},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Contains(t, s.Message, "does not exist", "the bot lives in us-east-1")
				require.Contains(t, s.Message, "eu-west-1")
			}},
		{name: "missing bot field", change: func(e *env, c *connectors.Connection) { delete(c.Fields, "bot_id") },
			want: []connectors.Status{F, S, S, S}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []func(*connectortest.Options)
			if tt.opts != nil {
				opts = append(opts, func(o *connectortest.Options) { tt.opts(t, o) })
			}
			e := newEnv(t, opts...)
			c := e.Conn
			if tt.change != nil {
				tt.change(e, &c)
			}
			rep := e.Resolver.Check(context.Background(), c)
			require.Equal(t, tt.want, connectortest.StepStatuses(rep), "%s", rep)
			if tt.check != nil {
				tt.check(t, e, rep)
			}
		})
	}
}
