package sigv4

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxErrorPeek bounds how much of an error response is read to find its code.
const maxErrorPeek = 16 << 10

// attemptError describes a failed attempt to the SDK retryer, which classifies
// errors by HTTPStatusCode and ErrorCode.
type attemptError struct {
	status int
	code   string
}

// Error describes the failed attempt.
func (e *attemptError) Error() string {
	return fmt.Sprintf("signedhttp: HTTP %d %s", e.status, e.code)
}

// HTTPStatusCode is what the retryer classifies by status.
func (e *attemptError) HTTPStatusCode() int { return e.status }

// ErrorCode is what the retryer classifies by code (throttling codes).
func (e *attemptError) ErrorCode() string { return e.code }

// classify returns the error the retryer judges for one attempt: the
// transport error itself, an attemptError for an error response, or nil.
func classify(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	if resp.StatusCode < 400 {
		return nil
	}
	code := headerErrorCode(resp.Header)
	if code == "" && resp.Body != nil {
		peek, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorPeek))
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
		code = ParseErrorCode(peek)
	}
	return &attemptError{status: resp.StatusCode, code: code}
}

func headerErrorCode(h http.Header) string {
	v := h.Get("X-Amzn-Errortype")
	if i := strings.IndexByte(v, ':'); i >= 0 {
		v = v[:i]
	}
	return v
}

// ParseErrorCode extracts the AWS error code from an error response body in
// any of AWS's protocols: JSON ("__type", "code" or "Code", with any
// "namespace#" prefix removed) or XML (the first <Code> element). It returns ""
// when the body holds no code.
func ParseErrorCode(body []byte) string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return ""
	}
	if b[0] == '{' {
		var v struct {
			Type string `json:"__type"`
			Code string `json:"code"`
		}
		if json.Unmarshal(b, &v) != nil {
			return ""
		}
		c := v.Type
		if c == "" {
			c = v.Code
		}
		if i := strings.LastIndexByte(c, '#'); i >= 0 {
			c = c[i+1:]
		}
		if i := strings.IndexByte(c, ':'); i >= 0 {
			c = c[:i]
		}
		return c
	}
	s := string(b)
	start := strings.Index(s, "<Code>")
	if start < 0 {
		return ""
	}
	s = s[start+len("<Code>"):]
	end := strings.Index(s, "</Code>")
	if end < 0 {
		return ""
	}
	return strings.TrimSpace(s[:end])
}
