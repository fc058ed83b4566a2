package localaws

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// decodeAWSChunked strips the aws-chunked framing SDKs use to send a
// trailing checksum (STREAMING-UNSIGNED-PAYLOAD-TRAILER), which gofakes3
// does not understand, and restores the plain body and its length.
func decodeAWSChunked(r *http.Request) error {
	mode := r.Header.Get("X-Amz-Content-Sha256")
	if mode != "STREAMING-UNSIGNED-PAYLOAD-TRAILER" {
		// The signed streaming modes never get here: authenticate refuses
		// them (see s3StreamingSigned).
		return nil
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	rest := raw
	for {
		line, after, ok := bytes.Cut(rest, []byte("\r\n"))
		if !ok {
			return errors.New("aws-chunked body: missing chunk header")
		}
		sizeHex, _, _ := bytes.Cut(line, []byte(";"))
		size, err := strconv.ParseInt(string(sizeHex), 16, 64)
		if err != nil || size < 0 || size > int64(len(after)) {
			return fmt.Errorf("aws-chunked body: bad chunk size %q", sizeHex)
		}
		if size == 0 {
			break // the trailers (checksums) follow; gofakes3 ignores them
		}
		out.Write(after[:size])
		rest = bytes.TrimPrefix(after[size:], []byte("\r\n"))
	}
	if d := r.Header.Get("X-Amz-Decoded-Content-Length"); d != "" && d != strconv.Itoa(out.Len()) {
		return fmt.Errorf("aws-chunked body: decoded %d bytes, X-Amz-Decoded-Content-Length says %s", out.Len(), d)
	}
	r.Body = io.NopCloser(bytes.NewReader(out.Bytes()))
	r.ContentLength = int64(out.Len())
	r.Header.Set("Content-Length", strconv.Itoa(out.Len()))
	r.Header.Del("Content-Encoding")
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	return nil
}
