package lex_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/policy"
)

func TestCheckOutcomes(t *testing.T) {
	P, F, W, S := connectors.Passed, connectors.Failed, connectors.Warned, connectors.Skipped
	tests := []struct {
		name   string
		opts   func(t *testing.T, o *envOptions)
		change func(e *env, c *connectors.Connection)
		want   []connectors.Status
		check  func(t *testing.T, e *env, r connectors.CheckReport)
	}{
		{name: "success", want: []connectors.Status{P, P, P, P}},
		{name: "trust refused", opts: func(t *testing.T, o *envOptions) {
			o.trust, _ = policy.TrustPolicy("111122223333", "another_tenant")
		}, want: []connectors.Status{P, F, S, S}},
		{name: "external ID not required", opts: func(t *testing.T, o *envOptions) {
			var err error
			o.trust, err = policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}`))
			require.NoError(t, err)
		}, want: []connectors.Status{P, P, W, P}},
		{name: "permission missing", opts: func(t *testing.T, o *envOptions) {
			o.perms, _ = policy.LeastPrivilege(lex.Requirements([]lex.Operation{lex.OpRecognizeText}, "us-east-1", customerID, botID, lex.DefaultAliasID)...)
		}, want: []connectors.Status{P, P, P, F},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Equal(t, "lex:GetSession", s.Action)
				require.Equal(t, "arn:aws:lex:us-east-1:"+customerID+":bot-alias/FLOWERSBOT/TSTALIASID", s.Resource)
				require.NotNil(t, s.PolicyToAdd)
			}},
		{name: "bot missing", opts: func(t *testing.T, o *envOptions) { o.noBot = true }, want: []connectors.Status{P, P, P, F},
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
		{name: "wrong region", opts: func(t *testing.T, o *envOptions) {
			// The role allows the bot alias in both regions; the bot lives in us-east-1.
			reqs := lex.Requirements(lex.AllOperations(), "us-east-1", customerID, botID, lex.DefaultAliasID)
			reqs = append(reqs, lex.Requirements(lex.AllOperations(), "eu-west-1", customerID, botID, lex.DefaultAliasID)...)
			o.perms, _ = policy.LeastPrivilege(reqs...)
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
			var opts []func(*envOptions)
			if tt.opts != nil {
				opts = append(opts, func(o *envOptions) { tt.opts(t, o) })
			}
			e := newEnv(t, opts...)
			c := e.conn()
			if tt.change != nil {
				tt.change(e, &c)
			}
			rep := e.resolver.Check(context.Background(), c)
			var got []connectors.Status
			for _, s := range rep.Steps {
				got = append(got, s.Status)
			}
			require.Equal(t, tt.want, got, "%s", rep)
			if tt.check != nil {
				tt.check(t, e, rep)
			}
		})
	}
}
