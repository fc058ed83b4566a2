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

// TestScopeSwitch runs the walk-through and checks that the transitional
// trust policy admits both IDs and the final one only the new ID.
func TestScopeSwitch(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, want := range []string{
		"sqs-devops acme_iam_external_id_12345 -> acme_iam_external_id_12345_6789",
		"s3-reports acme_iam_external_id_12345 -> acme_iam_external_id_12345_6790",
		"devops-queue trusts [acme_iam_external_id_12345 acme_iam_external_id_12345_6789]",
		"sqs-devops old ID admitted, new ID admitted",
		"s3-reports old ID admitted, new ID admitted",
		"drops 2 cached sessions of acme_iam_external_id_12345",
		"devops-queue trusts [acme_iam_external_id_12345_6789]",
		"sqs-devops old ID refused (trust policy refused), new ID admitted",
		"s3-reports old ID refused (trust policy refused), new ID admitted",
	} {
		require.Contains(t, out.String(), want)
	}
}
