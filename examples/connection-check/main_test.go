package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestConnectionCheck runs the example and checks each scenario's verdict.
func TestConnectionCheck(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, want := range []string{
		`check of connection "s3-healthy" (s3): passed`,
		`check of connection "s3-open" (s3): warned`,
		"open to the confused deputy",
		`check of connection "s3-foreign" (s3): failed`,
		"The role's trust policy does not admit account 111122223333 with external ID awsconnect_iam_external_id_12345",
		`set the role's trust policy to: {"Version":"2012-10-17"`,
		`check of connection "s3-get-only" (s3): failed`,
		"The credentials lack s3:ListBucket on arn:aws:s3:::acme-reports.",
		`"Condition":{"StringLike":{"s3:prefix":"exports/*"}}`,
		`region: "us-east-9" is not a known region; did you mean us-east-1 or us-east-2?`,
		"account ID must be 12 digits, got 11",
		`fields.bucket: Invalid bucket name "Acme_Reports"`,
		`check of connection "lex-bot" (lex): passed`,
		"lex:GetSession on arn:aws:lex:us-east-1:444455556666:bot-alias/FLOWERSBOT/TSTALIASID",
		`check of connection "lex-wrong-endpoint" (lex): failed`,
		"The service endpoint could not be reached.",
		`"status": "failed"`,
	} {
		require.Contains(t, out.String(), want)
	}
	require.NotContains(t, out.String(), "SecretAccessKey")
}
