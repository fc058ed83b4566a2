package sigv4

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
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

// TestTransportIsSafeForConcurrentUse sends requests of every body kind to
// several inferred hosts from many goroutines through one Transport (run
// with -race): each arrives signed for its own host, with its own body.
func TestTransportIsSafeForConcurrentUse(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec)
	tr := newTestTransport(srv, aws.NewCredentialsCache(&countingProvider{}))
	hosts := []struct{ host, service, region string }{
		{"runtime-v2-lex.eu-west-2.amazonaws.com", "lex", "eu-west-2"},
		{"my-bucket.s3.us-west-2.amazonaws.com", "s3", "us-west-2"},
		{"email.ap-south-1.amazonaws.com", "ses", "ap-south-1"},
	}
	const n = 24
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			h := hosts[i%len(hosts)]
			payload := fmt.Appendf(nil, `{"request":%d}`, i)
			var body io.Reader
			switch i % 3 {
			case 0:
				body = bytes.NewReader(payload)
			case 1:
				body = &seekOnly{bytes.NewReader(payload)}
			default:
				body = newStream(payload)
			}
			req, err := http.NewRequest(http.MethodPut, srv.URL+"/"+h.service+"/"+fmt.Sprint(i), body)
			if !assert.NoError(t, err) {
				return
			}
			req.Host, req.ContentLength = h.host, int64(len(payload))
			resp, err := tr.RoundTrip(req)
			if assert.NoError(t, err) {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				discard(resp)
			}
		})
	}
	wg.Wait()
	seen := rec.all()
	require.Len(t, seen, n)
	for _, s := range seen {
		require.NoError(t, s.Err)
		var i int
		_, err := fmt.Sscanf(string(s.Body), `{"request":%d}`, &i)
		require.NoError(t, err)
		h := hosts[i%len(hosts)]
		require.Equal(t, "/"+h.service+"/"+fmt.Sprint(i), s.Path)
		require.Equal(t, h.service, s.Service)
		require.Equal(t, h.region, s.Region)
	}
}
