package localaws

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestUnroutableRequests: requests without a usable signature are answered
// in the protocol their shape suggests, and logged without a caller.
func TestUnroutableRequests(t *testing.T) {
	s := startServer(t)
	cases := []struct {
		name   string
		auth   string
		status int
		code   string
	}{
		{"unsigned", "", 403, "MissingAuthenticationToken"},
		{"not SigV4", "AWS AKIA:sig", 400, "IncompleteSignature"},
		{"short credential", "AWS4-HMAC-SHA256 Credential=AKIA/20261128/us-east-1/sts, SignedHeaders=host, Signature=" + strings.Repeat("0", 64), 400, "IncompleteSignature"},
		{"unknown service", "AWS4-HMAC-SHA256 Credential=AKIA/20261128/us-east-1/nosuch/aws4_request, SignedHeaders=host, Signature=" + strings.Repeat("0", 64), 400, "UnknownService"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s.ResetRequests()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL(),
				strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			resp, body := sendRaw(t, s, req)

			require.Equal(t, tc.status, resp.StatusCode)
			var doc queryErrorResponse
			require.NoError(t, xml.Unmarshal(body, &doc), "%s", body)
			require.Equal(t, tc.code, doc.Error.Code)
			require.Equal(t, "Sender", doc.Error.Type)
			require.Equal(t, resp.Header.Get("X-Amzn-RequestId"), doc.RequestID)

			log := s.Requests()
			require.Len(t, log, 1)
			require.Equal(t, tc.code, log[0].ErrorCode)
			require.Equal(t, tc.status, log[0].Status)
		})
	}
}

func TestCloseIsIdempotentAndRefusesNewClients(t *testing.T) {
	s, err := Start()
	require.NoError(t, err)
	url := s.URL()
	require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	_, err = http.Get(url)
	require.Error(t, err, "nothing listens after Close")
}

func TestStartValidatesOptions(t *testing.T) {
	_, err := Start(func(o *Options) { o.PlatformAccountID = "1234" })
	require.ErrorContains(t, err, "localaws: Options.PlatformAccountID \"1234\" must be 12 digits")
}

func TestConfig(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Region = "eu-west-1" })
	cfg := s.Config(nil)
	require.Equal(t, "eu-west-1", cfg.Region)
	require.Equal(t, s.URL(), *cfg.BaseEndpoint)
	got, err := cfg.Credentials.Retrieve(t.Context())
	require.NoError(t, err)
	require.Equal(t, s.PlatformCredentials().AccessKeyID, got.AccessKeyID)
	require.Regexp(t, `^AKIA[A-Z2-7]{16}$`, got.AccessKeyID)
}
