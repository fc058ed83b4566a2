package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestOnboarding runs the example and checks that it prints every artifact
// and that the predicted role ARN passes Connect.
func TestOnboarding(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, want := range []string{
		"https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/create/review?param_RoleName=awsconnect-platform&stackName=awsconnect-platform&templateURL=https%3A%2F%2Facme-platform-onboarding.s3.us-east-1.amazonaws.com%2F12345%2F6789%2Freports.json",
		"Type: AWS::IAM::Role",
		"sts:ExternalId: awsconnect_iam_external_id_12345_6789",
		`resource "aws_iam_role_policy" "platform" {`,
		`"s3:prefix" = "exports/*"`,
		"set -euo pipefail",
		`--assume-role-policy-document "$trust_policy"`,
		`paste into "External ID": awsconnect_iam_external_id_12345_6789`,
		"predicted role ARN: arn:aws:iam::444455556666:role/awsconnect-platform",
		"stack output RoleArn: arn:aws:iam::444455556666:role/awsconnect-platform",
		"[passed] Role assumed with the external ID",
		"[passed] Amazon S3 ListObjectsV2",
	} {
		require.Contains(t, out.String(), want)
	}
}
