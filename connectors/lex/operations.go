package lex

import (
	"context"
	"net/http"
)

// RecognizeOptions are the optional inputs of RecognizeText.
//
// It is read only during the call it configures; its maps must not change
// until that call returns.
type RecognizeOptions struct {
	// SessionState replaces the session's state before the utterance is
	// interpreted. Optional.
	SessionState *SessionState
	// RequestAttributes pass request-specific information to the bot. Optional.
	RequestAttributes map[string]string
}

// RecognizeText sends one user utterance (1-1024 characters) to the bot and
// returns its answer: the intent, its slots, the messages to show and the
// new session state.
func (c *Connector) RecognizeText(ctx context.Context, ref Ref, text string, optFns ...func(*RecognizeOptions)) (*RecognizeTextOutput, error) {
	r, err := c.resolve(ref)
	if err != nil {
		return nil, err
	}
	if err := validateText(text); err != nil {
		return nil, err
	}
	var o RecognizeOptions
	for _, fn := range optFns {
		fn(&o)
	}
	in := struct {
		Text              string            `json:"text"`
		SessionState      *SessionState     `json:"sessionState,omitempty"`
		RequestAttributes map[string]string `json:"requestAttributes,omitempty"`
	}{text, o.SessionState, o.RequestAttributes}
	resp, data, err := c.call(ctx, "RecognizeText", http.MethodPost, c.sessionURL(r, "/text"), in)
	if err != nil {
		return nil, err
	}
	out := &RecognizeTextOutput{RequestID: resp.Header.Get("X-Amzn-Requestid")}
	if err := decode("RecognizeText", data, out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetSession returns a conversation's state; a missing session is an *Error
// with Code ResourceNotFoundException.
func (c *Connector) GetSession(ctx context.Context, ref Ref) (*Session, error) {
	r, err := c.resolve(ref)
	if err != nil {
		return nil, err
	}
	_, data, err := c.call(ctx, "GetSession", http.MethodGet, c.sessionURL(r, ""), nil)
	if err != nil {
		return nil, err
	}
	out := &Session{}
	if err := decode("GetSession", data, out); err != nil {
		return nil, err
	}
	return out, nil
}

// PutSessionOptions are the optional inputs of PutSession.
//
// It is read only during the call it configures; its maps and slices must
// not change until that call returns.
type PutSessionOptions struct {
	// Messages are sent to the user with the new state. Optional.
	Messages []Message
	// RequestAttributes pass request-specific information. Optional.
	RequestAttributes map[string]string
}

// PutSession creates or replaces a conversation's state, for example to start
// a conversation with an intent already chosen or attributes set.
func (c *Connector) PutSession(ctx context.Context, ref Ref, state SessionState, optFns ...func(*PutSessionOptions)) (*PutSessionOutput, error) {
	r, err := c.resolve(ref)
	if err != nil {
		return nil, err
	}
	var o PutSessionOptions
	for _, fn := range optFns {
		fn(&o)
	}
	in := struct {
		SessionState      SessionState      `json:"sessionState"`
		Messages          []Message         `json:"messages,omitempty"`
		RequestAttributes map[string]string `json:"requestAttributes,omitempty"`
	}{state, o.Messages, o.RequestAttributes}
	resp, _, err := c.call(ctx, "PutSession", http.MethodPost, c.sessionURL(r, ""), in)
	if err != nil {
		return nil, err
	}
	// PutSession answers in headers, each a base64-encoded JSON document.
	out := &PutSessionOutput{SessionID: resp.Header.Get("X-Amz-Lex-Session-Id")}
	if v := resp.Header.Get("X-Amz-Lex-Session-State"); v != "" {
		out.SessionState = &SessionState{}
		if err := DecodeHeader(v, out.SessionState); err != nil {
			return nil, err
		}
	}
	if v := resp.Header.Get("X-Amz-Lex-Messages"); v != "" {
		if err := DecodeHeader(v, &out.Messages); err != nil {
			return nil, err
		}
	}
	if v := resp.Header.Get("X-Amz-Lex-Request-Attributes"); v != "" {
		if err := DecodeHeader(v, &out.RequestAttributes); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DeleteSession removes a conversation; a missing session is an *Error with
// Code ResourceNotFoundException.
func (c *Connector) DeleteSession(ctx context.Context, ref Ref) error {
	r, err := c.resolve(ref)
	if err != nil {
		return err
	}
	_, _, err = c.call(ctx, "DeleteSession", http.MethodDelete, c.sessionURL(r, ""), nil)
	return err
}
