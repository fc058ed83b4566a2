package lex

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ErrInvalidInput is wrapped by the errors of calls refused before sending.
var ErrInvalidInput = errors.New("lex: invalid input")

// Formats from the Lex V2 runtime API reference.
var (
	idPattern      = regexp.MustCompile(`^[0-9a-zA-Z]{10}$`)
	localePattern  = regexp.MustCompile(`^[a-z]{2}_[A-Z]{2}$`)
	sessionPattern = regexp.MustCompile(`^[0-9a-zA-Z._:-]{2,100}$`)
)

func validateRef(r Ref) error {
	switch {
	case !idPattern.MatchString(r.BotID):
		return fmt.Errorf("%w: bot ID %q must be 10 letters and digits (Lex console: the bot's ID)", ErrInvalidInput, r.BotID)
	case !idPattern.MatchString(r.BotAliasID):
		return fmt.Errorf("%w: bot alias ID %q must be 10 letters and digits (TSTALIASID for the test alias)", ErrInvalidInput, r.BotAliasID)
	case !localePattern.MatchString(r.LocaleID):
		return fmt.Errorf("%w: locale ID %q must look like en_US", ErrInvalidInput, r.LocaleID)
	case !sessionPattern.MatchString(r.SessionID):
		return fmt.Errorf("%w: session ID %q must be 2-100 characters of letters, digits and ._:-", ErrInvalidInput, r.SessionID)
	case strings.Trim(r.SessionID, ".") == "":
		// Lex's pattern admits "..", but as a path segment it would be read
		// as "the parent" by anything that normalises the URL on the way,
		// addressing another resource than the session.
		return fmt.Errorf("%w: session ID %q is only dots, which a URL path reads as a relative segment; add a letter or digit", ErrInvalidInput, r.SessionID)
	}
	return nil
}

func validateText(text string) error {
	if n := utf8.RuneCountInString(text); n < 1 || n > 1024 {
		return fmt.Errorf("%w: text must be 1-1024 characters, got %d", ErrInvalidInput, n)
	}
	return nil
}

// maxHeaderJSON bounds a decoded (and decompressed) header document.
const maxHeaderJSON = 1 << 20

// DecodeHeader decodes one of Lex's header-borne documents
// (x-amz-lex-session-state, x-amz-lex-messages, ...): base64, optionally
// gzip-compressed (as RecognizeUtterance sends them), then JSON, into out.
func DecodeHeader(value string, out any) error {
	raw, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return fmt.Errorf("lex: header is not base64: %w", err)
	}
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return fmt.Errorf("lex: header is not gzip: %w", err)
		}
		raw, err = io.ReadAll(io.LimitReader(zr, maxHeaderJSON+1))
		if err != nil {
			return fmt.Errorf("lex: header is not gzip: %w", err)
		}
		if len(raw) > maxHeaderJSON {
			return fmt.Errorf("lex: header document exceeds %d bytes", maxHeaderJSON)
		}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("lex: header is not JSON: %w", err)
	}
	return nil
}

// parseMessage reads the "message" (or "Message") of an error body.
func parseMessage(body []byte) string {
	var v struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &v) == nil && v.Message != "" {
		return v.Message
	}
	if len(body) > 200 {
		body = body[:200]
	}
	return string(bytes.TrimSpace(body))
}
