package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/awsconnect/awsconnect/internal/echo"
)

const (
	// emptyPayloadHash is the hex SHA-256 of an empty body.
	emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// UnsignedPayload is the payload hash S3 accepts for bodies that are not
	// hashed in advance.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
)

// payload is how one request's body is hashed and handed to each attempt.
type payload struct {
	hash   string
	length int64
	// kind says how attempts after the first get their body.
	kind payloadKind
	// seeker and start serve kind seekable; current is the latest
	// attempt's view of seeker.
	seeker  io.ReadSeeker
	start   int64
	current *attemptBody
	// buf serves kind buffered.
	buf []byte
}

type payloadKind int

const (
	noBody   payloadKind = iota // nothing to send
	getBody                     // the request's GetBody replays it
	seekable                    // the body seeks back to start
	buffered                    // read into buf
	stream                      // one shot: no retry
)

// preparePayload hashes the body of req without consuming it, choosing for
// each kind of body how later attempts replay it.
func (t *Transport) preparePayload(req *http.Request, service string) (payload, error) {
	p := payload{length: req.ContentLength, hash: req.Header.Get("X-Amz-Content-Sha256")}
	preset := p.hash != ""
	if preset && !t.unsigned[service] && !isSHA256Hex(p.hash) {
		// A marker such as UNSIGNED-PAYLOAD leaves the body out of the
		// signature; only S3 verifies such bodies another way.
		return payload{}, fmt.Errorf("signedhttp: payload hash %s is accepted only by %s; %s signs the body's SHA-256, so remove the request's X-Amz-Content-Sha256 header",
			echo.Quote(p.hash), strings.Join(t.opts.UnsignedPayloadServices, ", "), service)
	}
	switch {
	case req.Body == nil || req.Body == http.NoBody:
		p.kind, p.length = noBody, 0
		if !preset {
			p.hash = emptyPayloadHash
		}
		return p, nil
	case req.GetBody != nil:
		p.kind = getBody
		if preset {
			return p, nil
		}
		rc, err := req.GetBody()
		if err != nil {
			return payload{}, fmt.Errorf("signedhttp: GetBody for hashing: %w", err)
		}
		p.hash, err = hashReader(rc)
		_ = rc.Close()
		return p, err
	}
	if s, ok := req.Body.(io.ReadSeeker); ok {
		start, err := s.Seek(0, io.SeekCurrent)
		if err == nil {
			p.kind, p.seeker, p.start = seekable, s, start
			if preset {
				return p, nil
			}
			if p.hash, err = hashReader(s); err != nil {
				return payload{}, err
			}
			_, err = s.Seek(start, io.SeekStart)
			return p, err
		}
	}
	switch {
	case preset:
		p.kind = stream
	case t.unsigned[service]:
		p.kind, p.hash = stream, UnsignedPayload
	case t.opts.MaxBufferedBody < 0:
		return payload{}, fmt.Errorf("signedhttp: service %s requires a payload hash and the request body is a stream; give the request a GetBody or a seekable body", echo.Quote(service))
	default:
		b, err := io.ReadAll(io.LimitReader(req.Body, t.opts.MaxBufferedBody+1))
		if err != nil {
			return payload{}, fmt.Errorf("signedhttp: reading the request body to hash it: %w", err)
		}
		if int64(len(b)) > t.opts.MaxBufferedBody {
			return payload{}, fmt.Errorf("signedhttp: service %s requires a payload hash and the streamed request body exceeds %d bytes; give the request a GetBody or a seekable body, or raise Options.MaxBufferedBody", echo.Quote(service), t.opts.MaxBufferedBody)
		}
		_ = req.Body.Close()
		sum := sha256.Sum256(b)
		p.kind, p.buf, p.hash, p.length = buffered, b, hex.EncodeToString(sum[:]), int64(len(b))
	}
	return p, nil
}

// isSHA256Hex reports whether h is a hex SHA-256, the only payload hash
// services other than S3 accept.
func isSHA256Hex(h string) bool {
	if len(h) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}

func hashReader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("signedhttp: reading the request body to hash it: %w", err)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])), nil
}

// replayable reports whether a failed attempt may be retried with the same body.
func (p *payload) replayable() bool { return p.kind != stream }

// body returns the body for attempt n (1-based).
func (p *payload) body(req *http.Request, n int) (io.ReadCloser, error) {
	switch p.kind {
	case noBody:
		return http.NoBody, nil
	case getBody:
		if n == 1 {
			return req.Body, nil
		}
		return req.GetBody()
	case seekable:
		// The base transport may go on reading an attempt's body after its
		// RoundTrip returned (the http.RoundTripper contract allows it until
		// the body is closed), so the previous attempt's view is closed,
		// which waits out a Read in progress, before the reader is rewound.
		p.current.Close()
		if n > 1 {
			if _, err := p.seeker.Seek(p.start, io.SeekStart); err != nil {
				return nil, err
			}
		}
		// The caller's body is closed once, by finish, not after each attempt.
		p.current = &attemptBody{r: p.seeker}
		return p.current, nil
	case buffered:
		return io.NopCloser(bytes.NewReader(p.buf)), nil
	default:
		return req.Body, nil
	}
}

// finish closes a seekable body the attempts kept open: with the response's
// body when there is a response, else at once.
func (p *payload) finish(resp *http.Response, err error) (*http.Response, error) {
	if p.kind != seekable {
		return resp, err
	}
	last := p.current
	c, ok := p.seeker.(io.Closer)
	if resp == nil || resp.Body == nil || !ok {
		last.Close()
		if ok {
			_ = c.Close()
		}
		return resp, err
	}
	resp.Body = &closeBoth{ReadCloser: resp.Body, last: last, also: c}
	return resp, err
}

type closeBoth struct {
	io.ReadCloser
	last *attemptBody
	also io.Closer
}

// Close closes the response body, then the caller's request body, once the
// last attempt can no longer read it.
func (c *closeBoth) Close() error {
	err := c.ReadCloser.Close()
	c.last.Close()
	_ = c.also.Close()
	return err
}

// errAttemptOver is what an abandoned attempt reads from a seekable body that
// a later attempt (or the caller) now owns.
var errAttemptOver = errors.New("signedhttp: the request body was handed to a later attempt")

// attemptBody is one attempt's view of the caller's seekable body. Once
// closed it reads nothing more, so an abandoned attempt can neither consume
// nor race with the bytes of the next one.
type attemptBody struct {
	mu     sync.Mutex // guards r and closed
	r      io.Reader
	closed bool
}

// Read reads from the shared body until the view is closed.
func (b *attemptBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, errAttemptOver
	}
	return b.r.Read(p)
}

// Close ends the view, after any Read in progress; a nil view is closed.
// It leaves the shared body open: finish closes that once.
func (b *attemptBody) Close() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return nil
}
