package signedhttp

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
)

// seekOnly is a seekable body without GetBody (as a file is), whose position
// is shared, unsynchronised state: the race detector reports any Read of an
// attempt the transport gave up on that overlaps the Seek of the next.
type seekOnly struct{ r *bytes.Reader }

func (s *seekOnly) Read(p []byte) (int, error)                { return s.r.Read(p) }
func (s *seekOnly) Seek(off int64, whence int) (int64, error) { return s.r.Seek(off, whence) }
func (s *seekOnly) Close() error                              { return nil }

// TestSeekableBodyIsNotReadByAnAbandonedAttempt answers 503 before reading a
// body much larger than the socket buffers, so http.Transport is still
// writing attempt 1's body (its RoundTrip contract allows that after it
// returns) when the transport rewinds the same reader for attempt 2. Every
// attempt that reaches the handler must carry the whole body.
func TestSeekableBodyIsNotReadByAnAbandonedAttempt(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	var mu sync.Mutex                                          // guards n and bodies
	n := 0
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	tr := newTestTransport(srv, aws.NewCredentialsCache(&countingProvider{}), func(o *Options) { o.Service, o.Region = "lex", "us-east-1" })
	req, err := http.NewRequest(http.MethodPut, srv.URL+"/object", &seekOnly{bytes.NewReader(payload)})
	require.NoError(t, err)
	req.ContentLength = int64(len(payload))
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, resp.Body.Close())
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, bodies, 1)
	require.True(t, bytes.Equal(payload, bodies[0]), "the retried attempt lost or mixed its body")
}
