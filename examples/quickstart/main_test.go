package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestQuickstart runs the demo and checks the story it tells.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, want := range []string{
		"external ID: awsconnect_iam_external_id_12345_6789",
		`"sts:ExternalId": "awsconnect_iam_external_id_12345_6789"`,
		"role ARN: arn:aws:iam::444455556666:role/awsconnect-platform",
		`"s3:prefix": "exports/*"`,
		"[passed] Role assumed with the external ID",
		"[passed] Role requires the external ID",
		"[passed] Amazon S3 ListObjectsV2",
		"uploaded s3://acme-reports/exports/2026-11-27.csv (26 bytes)",
		"exports/2026-11-28.csv    26 bytes",
		"session: arn:aws:sts::444455556666:assumed-role/awsconnect-platform/awsconnect-12345-6789-reports",
		"[failed] Role assumed with the external ID",
		"cause:   trust_policy_denied (to act: customer)",
		"The role's trust policy does not admit account 111122223333 with external ID",
		"[failed] Amazon S3 GetObject",
		"because no identity-based policy",
		`"Action": "s3:GetObject"`,
		"awsconnect.credentials.refreshes{awsconnect.credentials.source=sts,awsconnect.refresh.trigger=forced} 1",
		"awsconnect.credentials.refresh.failures{awsconnect.refresh.trigger=forced,error.type=trust_policy} 1",
		"awsconnect.sts.assume_role.duration count=1",
		"awsconnect.credentials.cache.entries 2",
		"done: 8 requests served by the local AWS",
	} {
		require.Contains(t, out.String(), want)
	}
}
