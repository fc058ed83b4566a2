package s3_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/policy"
)

func mustParse(t *testing.T, doc string) *policy.Document {
	t.Helper()
	d, err := policy.Parse([]byte(doc))
	require.NoError(t, err)
	return d
}

func TestCheckOutcomes(t *testing.T) {
	getOnly := func(t *testing.T) []policy.Requirement {
		return s3c.Requirements([]s3c.Operation{s3c.OpGetObject}, bucket, prefix)
	}
	tests := []struct {
		name   string
		env    func(t *testing.T) func(*connectortest.Options)
		fields map[string]string
		change func(e *env, c *connectors.Connection)
		want   []connectors.Status // fields, role, external ID, service
		check  func(t *testing.T, e *env, r connectors.CheckReport)
	}{
		{name: "success restricted to a prefix", fields: map[string]string{"bucket": bucket, "prefix": prefix},
			want: []connectors.Status{connectors.Passed, connectors.Passed, connectors.Passed, connectors.Passed},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.Step(connectors.StepServiceReachable)
				require.Equal(t, "Amazon S3 ListObjectsV2", s.Title)
				require.Equal(t, "s3:ListBucket", s.Action)
			}},
		{name: "success restricted to a bucket", fields: map[string]string{"bucket": bucket},
			env: func(t *testing.T) func(*connectortest.Options) {
				return func(o *connectortest.Options) {
					o.Permissions = s3c.Requirements([]s3c.Operation{s3c.OpListBuckets}, bucket, "")
				}
			},
			want: []connectors.Status{connectors.Passed, connectors.Passed, connectors.Passed, connectors.Passed},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.Step(connectors.StepServiceReachable)
				require.Equal(t, "Amazon S3 HeadBucket", s.Title)
			}},
		{name: "trust refused", fields: map[string]string{"bucket": bucket, "prefix": prefix},
			env: func(t *testing.T) func(*connectortest.Options) {
				return func(o *connectortest.Options) {
					o.Trust, _ = policy.TrustPolicy("111122223333", "someone_elses_external_id")
				}
			},
			want: []connectors.Status{connectors.Passed, connectors.Failed, connectors.Skipped, connectors.Skipped},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.Step(connectors.StepRoleAssumed)
				require.Contains(t, s.Hint, e.ExternalID)
				require.NotNil(t, s.TrustPolicy)
				require.True(t, s.TrustPolicy.Admits("arn:aws:iam::111122223333:user/platform", e.ExternalID))
			}},
		{name: "external ID not required", fields: map[string]string{"bucket": bucket, "prefix": prefix},
			env: func(t *testing.T) func(*connectortest.Options) {
				return func(o *connectortest.Options) {
					o.Trust = mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`)
				}
			},
			want: []connectors.Status{connectors.Passed, connectors.Passed, connectors.Warned, connectors.Passed},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.Step(connectors.StepExternalIDRequired)
				require.Contains(t, s.Message, "confused deputy")
				require.Contains(t, s.Hint, e.ExternalID)
			}},
		{name: "permission missing", fields: map[string]string{"bucket": bucket, "prefix": prefix},
			env: func(t *testing.T) func(*connectortest.Options) {
				return func(o *connectortest.Options) { o.Permissions = getOnly(t) }
			},
			want: []connectors.Status{connectors.Passed, connectors.Passed, connectors.Passed, connectors.Failed},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Equal(t, "s3:ListBucket", s.Action)
				require.Equal(t, "arn:aws:s3:::"+bucket, s.Resource)
				require.NotNil(t, s.PolicyToAdd)
				j, err := json.Marshal(s.PolicyToAdd)
				require.NoError(t, err)
				require.Contains(t, string(j), `"s3:ListBucket"`)
				require.Contains(t, string(j), `"s3:prefix":"reports/*"`)
			}},
		{name: "permission missing for ListAllMyBuckets",
			env: func(t *testing.T) func(*connectortest.Options) {
				return func(o *connectortest.Options) { o.Permissions = getOnly(t) }
			},
			want: []connectors.Status{connectors.Passed, connectors.Passed, connectors.Passed, connectors.Failed},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Equal(t, "s3:ListAllMyBuckets", s.Action)
				require.Equal(t, "*", s.Resource)
				require.NotNil(t, s.PolicyToAdd)
			}},
		{name: "wrong endpoint", fields: map[string]string{"bucket": bucket},
			change: func(e *env, c *connectors.Connection) { c.Endpoint = "http://127.0.0.1:1" },
			want:   []connectors.Status{connectors.Passed, connectors.Passed, connectors.Passed, connectors.Failed},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Contains(t, s.Message, "could not be reached")
				require.Contains(t, s.Hint, "endpoint")
			}},
		{name: "wrong region", fields: map[string]string{"bucket": bucket},
			change: func(e *env, c *connectors.Connection) { c.Region = "us-east-9" },
			want:   []connectors.Status{connectors.Failed, connectors.Skipped, connectors.Skipped, connectors.Skipped},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Equal(t, "region", s.Fields[0].Path)
				require.Contains(t, s.Fields[0].Message, "did you mean us-east-1 or us-east-2")
			}},
		{name: "invalid bucket field", fields: map[string]string{"bucket": "Bad_Bucket"},
			want: []connectors.Status{connectors.Failed, connectors.Skipped, connectors.Skipped, connectors.Skipped}},
		{name: "prefix without bucket", fields: map[string]string{"prefix": prefix},
			want: []connectors.Status{connectors.Passed, connectors.Passed, connectors.Passed, connectors.Failed},
			check: func(t *testing.T, e *env, r connectors.CheckReport) {
				s, _ := r.FirstFailure()
				require.Contains(t, s.Message, "needs a bucket restriction")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []func(*connectortest.Options)
			if tt.env != nil {
				opts = append(opts, tt.env(t))
			}
			e := newEnv(t, opts...)
			c := e.Connection(tt.fields)
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
