package lex

import (
	"fmt"
	"net/http"

	"github.com/aws/smithy-go"

	"github.com/awsconnect/awsconnect/connectors/sigv4"
)

// Error is an error answer of the Lex V2 runtime. It implements
// smithy.APIError (ErrorCode, ErrorMessage, ErrorFault) and HTTPStatusCode,
// so connectors.ServiceStep and the SDK retryer classify it like an SDK
// client's error.
//
// It is not modified after it is returned, so several goroutines may read it.
type Error struct {
	// Op is the operation ("RecognizeText").
	Op string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is Lex's error code ("AccessDeniedException",
	// "ResourceNotFoundException", "ValidationException").
	Code string
	// Message is Lex's message.
	Message string
	// RequestID is AWS's request ID.
	RequestID string
}

// Error returns "lex: <Op>: <Code>: <Message> (HTTP status, request ID)".
func (e *Error) Error() string {
	return fmt.Sprintf("lex: %s: %s: %s (HTTP %d, request %s)", e.Op, e.Code, e.Message, e.StatusCode, e.RequestID)
}

// ErrorCode returns Lex's error code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns Lex's message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault says whether the client or the service is at fault.
func (e *Error) ErrorFault() smithy.ErrorFault {
	if e.StatusCode >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// ServiceRequestID returns AWS's request ID, as the SDK's response errors
// do, so connectors.RequestID finds it.
func (e *Error) ServiceRequestID() string { return e.RequestID }

// HTTPStatusCode returns the HTTP status.
func (e *Error) HTTPStatusCode() int { return e.StatusCode }

var _ smithy.APIError = (*Error)(nil)

// newError reads an error response: the code from X-Amzn-ErrorType (or the
// body), the message from the body's "message".
func newError(op string, resp *http.Response, body []byte) *Error {
	e := &Error{Op: op, StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Amzn-Requestid")}
	e.Code = resp.Header.Get("X-Amzn-Errortype")
	for i := 0; i < len(e.Code); i++ {
		if e.Code[i] == ':' {
			e.Code = e.Code[:i]
			break
		}
	}
	if e.Code == "" {
		e.Code = sigv4.ParseErrorCode(body)
	}
	if e.Code == "" {
		e.Code = http.StatusText(resp.StatusCode)
	}
	e.Message = parseMessage(body)
	return e
}
