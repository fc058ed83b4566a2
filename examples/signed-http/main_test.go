package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestSignedHTTP runs the example and checks what each signed call answered.
func TestSignedHTTP(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, want := range []string{
		"runtime-v2-lex.eu-west-2.amazonaws.com                  service lex          region eu-west-2",
		"email.us-east-1.amazonaws.com                           service ses          region us-east-1",
		"PUT /acme-reports/notes/hello.txt -> 200",
		"PUT /acme-reports/notes/stream.txt -> 200",
		"-> 200 keys: notes/hello.txt, notes/stream.txt",
		"GET /acme-reports/notes/hello.txt -> 200 hello from signed http",
		"GET /payroll/salaries.csv -> 403 AccessDenied: User: arn:aws:sts::444455556666:assumed-role/awsconnect-signed-http/",
		`-> 200 {"messages":[{"content":"Ordered 12 roses.","contentType":"PlainText"}]`,
		"?<signed query redacted>",
		`check of connection "raw-api" (signedhttp): passed`,
		"they run as arn:aws:sts::444455556666:assumed-role/awsconnect-signed-http/awsconnect-12345-raw-api",
	} {
		require.Contains(t, out.String(), want)
	}
	require.NotContains(t, out.String(), "X-Amz-Signature")
	require.NotContains(t, out.String(), "X-Amz-Security-Token")
}
