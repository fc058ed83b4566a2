package localaws

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

// startServer starts a server that the test closes.
func startServer(t *testing.T, optFns ...func(*Options)) *Server {
	t.Helper()
	s, err := Start(optFns...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

// sendRaw sends req with the server's own HTTP client, which neither signs
// nor retries, and returns the response (its body closed) and the body.
func sendRaw(t *testing.T, s *Server, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := s.Config(nil).HTTPClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// static turns credentials into a provider.
func static(c aws.Credentials) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
}

// noRetry makes a client report the first error, so tests see each
// failure shape once.
func noRetry(cfg aws.Config) aws.Config {
	cfg.RetryMaxAttempts = 1
	return cfg
}

// apiError extracts the SDK's view of an error response.
func requireAPIError(t *testing.T, err error, code string) smithy.APIError {
	t.Helper()
	require.Error(t, err)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "want an API error %s, got %T: %v", code, err, err)
	require.Equal(t, code, ae.ErrorCode(), "message: %s", ae.ErrorMessage())
	return ae
}

// account returns the server's account id, creating it.
func account(t testing.TB, s *Server, id string) *Account {
	t.Helper()
	a, err := s.CreateAccount(id)
	require.NoError(t, err)
	return a
}
