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

// TestScopeSwitch runs the walk-through and checks what each screen shows:
// the connections work on the old IDs, are not ready until the customer
// pastes the transitional policy, work on the new IDs after the commit, and
// the roles are cleaned up once the final policy is in; the rotation ends
// the same way; the monitor reports the role opened to the confused deputy.
func TestScopeSwitch(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, want := range []string{
		"AWS account to trust:  111122223333 (discovered: true)",
		"[x] Single external ID for the workspace",
		"s3-devops  check passed: Assumed arn:aws:iam::444455556666:role/devops with external ID acme_iam_external_id_12345\n",
		"s3-devops  acme_iam_external_id_12345 -> acme_iam_external_id_12345_6789",
		`"sts:ExternalId":["acme_iam_external_id_12345","acme_iam_external_id_12345_6789"]`,
		"Verify before the customer updated the roles: ready false",
		"s3-reports not_ready",
		"verify again: ready true",
		"workspace 12345 is in project mode",
		"s3-reports check passed: Assumed arn:aws:iam::444455556666:role/reports with external ID acme_iam_external_id_12345_6790\n",
		"devops: old_id_trusted",
		"finish again: finished",
		"reports: done",
		"retired external IDs: [acme_iam_external_id_12345]",
		"s3-devops  acme_iam_external_id_12345_6789 -> acme_iam_external_id_12345_6789_",
		"verify, commit, finish: finished",
		"with external ID acme_iam_external_id_12345_6790_",
		"Drift monitor: external_id_not_required on connection s3-reports",
		"confused deputy",
	} {
		require.Contains(t, out.String(), want)
	}
}
