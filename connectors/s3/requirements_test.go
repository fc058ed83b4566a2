package s3

import (
	"testing"

	"github.com/awsconnect/awsconnect/policy"

	"github.com/stretchr/testify/require"
)

func TestRequirementsInThePartitionOfTheRegion(t *testing.T) {
	tests := []struct{ region, bucketARN string }{
		{"eu-west-1", "arn:aws:s3:::acme-reports"},
		{"cn-north-1", "arn:aws-cn:s3:::acme-reports"},
		{"us-gov-west-1", "arn:aws-us-gov:s3:::acme-reports"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			reqs := RequirementsIn(tt.region, []Operation{OpListObjects, OpGetObject}, "acme-reports", "reports/")
			require.Len(t, reqs, 2)
			require.Equal(t, tt.bucketARN, reqs[0].Resource)
			require.Equal(t, tt.bucketARN+"/reports/*", reqs[1].Resource)
		})
	}
}

// TestRequirementsTakeThePrefixLiterally: a key prefix holding what a
// policy reads as wildcards or a variable ("*", "?", "${aws:username}")
// grants the keys under that prefix and no others. Unescaped, "team-*/"
// would grant every team's keys.
func TestRequirementsTakeThePrefixLiterally(t *testing.T) {
	for _, prefix := range []string{"team-*/", "a?c/", "${aws:username}/", "$HOME/"} {
		t.Run(prefix, func(t *testing.T) {
			doc, err := policy.LeastPrivilege(Requirements([]Operation{OpListObjects, OpGetObject}, "acme", prefix)...)
			require.NoError(t, err)
			ctx := map[string][]string{"aws:username": {"bob"}}
			get := func(key string) policy.Decision {
				return doc.Evaluate(policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::acme/" + key, Context: ctx})
			}
			list := func(p string) policy.Decision {
				c := map[string][]string{"aws:username": {"bob"}, "s3:prefix": {p}}
				return doc.Evaluate(policy.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme", Context: c})
			}
			require.Equal(t, policy.Allow, get(prefix+"report.csv"))
			require.Equal(t, policy.Allow, list(prefix))
			for _, other := range []string{"team-red/", "abc/", "bob/", "/root/"} {
				require.Equal(t, policy.ImplicitDeny, get(other+"report.csv"), "GetObject under %q", other)
				require.Equal(t, policy.ImplicitDeny, list(other), "ListBucket of %q", other)
			}
		})
	}
}
