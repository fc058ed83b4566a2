package onboarding_test

import (
	"testing"

	goldenfile "github.com/awsconnect/awsconnect/internal/golden"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

// The quickstart's connection: S3 listing and uploading under one prefix,
// for workspace 12345, project 6789.
const (
	platformAccount = "111122223333"
	customerAccount = "444455556666"
	externalID      = "awsconnect_iam_external_id_12345_6789"
	roleName        = "awsconnect-platform"
)

func quickstartRequirements() []policy.Requirement {
	return []policy.Requirement{
		{Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-reports", Condition: policy.Conditions{"StringLike": {"s3:prefix": {"exports/*"}}}},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-reports/exports/*"},
	}
}

func quickstartKit(t testing.TB, optFns ...func(*onboarding.Options)) *onboarding.Kit {
	t.Helper()
	k, err := onboarding.NewFromRequirements(platformAccount, externalID, roleName, quickstartRequirements(), optFns...)
	require.NoError(t, err)
	return k
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Assert(t, name, got)
}

// requireSameDocument asserts that JSON b parses to the same policy as want.
func requireSameDocument(t *testing.T, want *policy.Document, b []byte) {
	t.Helper()
	got, err := policy.Parse(b)
	require.NoError(t, err, "%s", b)
	wantJSON, err := want.JSON()
	require.NoError(t, err)
	gotJSON, err := got.JSON()
	require.NoError(t, err)
	require.JSONEq(t, string(wantJSON), string(gotJSON))
	require.Equal(t, want, got)
}

// requireLintClean asserts that Lint finds nothing above SUGGESTION.
func requireLintClean(t *testing.T, d *policy.Document, kind policy.Kind) {
	t.Helper()
	for _, f := range policy.Lint(d, kind) {
		require.Equal(t, policy.SeveritySuggestion, f.Severity, "%s: %s", kind, f)
	}
}
