package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Lambda's invocation payload limits (Lambda API reference, Invoke). They
// are checked before the call, so an oversized payload is not uploaded only
// to be refused with RequestTooLargeException.
const (
	// MaxSyncPayloadBytes is the largest request payload of a synchronous
	// invocation (6 MB). A response above it reaches the caller as a
	// *FunctionError of Type "Function.ResponseSizeTooLarge".
	MaxSyncPayloadBytes = 6 << 20
	// MaxAsyncPayloadBytes is the largest payload of an asynchronous
	// invocation (1 MB; it was 256 KB before October 2025).
	MaxAsyncPayloadBytes = 1 << 20
	// MaxClientContextBytes is the largest client context, counted
	// base64-encoded as it travels in X-Amz-Client-Context.
	MaxClientContextBytes = 3583
)

// ErrPayloadTooLarge is returned (wrapped) when a payload exceeds
// MaxSyncPayloadBytes or MaxAsyncPayloadBytes, or a client context
// MaxClientContextBytes; nothing is sent.
var ErrPayloadTooLarge = errors.New("lambda: payload too large")

// checkPayload refuses a payload over limit, saying what to do instead.
func checkPayload(f Function, payload []byte, limit int, mode string) error {
	if len(payload) <= limit {
		return nil
	}
	return fmt.Errorf("%w: %s invocation of %s: the payload is %d bytes, Lambda accepts at most %d; "+
		"pass a reference (an S3 object key, say) instead of the data", ErrPayloadTooLarge, mode, f, len(payload), limit)
}

// InvokeOptions are the optional parts of an invocation.
//
// InvokeOptions is a plain value, safe for concurrent reads.
type InvokeOptions struct {
	// Qualifier is the version or alias to invoke; it may also be given as a
	// ":qualifier" suffix of the function. Optional; default "" ($LATEST or
	// the unqualified function).
	Qualifier string

	// Tail asks Lambda for the last 4 KB of the execution log (synchronous
	// invocations only). Optional; default false.
	Tail bool

	// ClientContext is passed to the function as its client context (JSON,
	// at most MaxClientContextBytes once base64-encoded, else
	// ErrPayloadTooLarge). Optional; default none.
	ClientContext []byte
}

// Result is the outcome of a synchronous invocation that did not fail.
//
// Result is a plain value, safe for concurrent reads.
type Result struct {
	Payload         []byte `json:"payload,omitempty"`          // the function's response, usually JSON
	ExecutedVersion string `json:"executed_version,omitempty"` // the version that ran ("$LATEST", "3", ...)
	LogTail         string `json:"log_tail,omitempty"`         // decoded log tail when InvokeOptions.Tail was set
	StatusCode      int    `json:"status_code"`                // 200 for RequestResponse
}

// FunctionError is the error a function itself returned or raised, which
// Lambda reports with the X-Amz-Function-Error header and a payload of the
// form {"errorMessage":"...","errorType":"...","stackTrace":[...]}. It is
// distinct from an API error (throttling, access denied, unknown function),
// which is returned as the SDK's error.
//
// FunctionError is a plain value, safe for concurrent reads.
type FunctionError struct {
	Function   string   `json:"function"`              // the function as invoked
	Kind       string   `json:"kind"`                  // X-Amz-Function-Error: "Unhandled", or "Handled" on old runtimes
	Type       string   `json:"type"`                  // errorType, e.g. "errorString" or "Runtime.ExitError"
	Message    string   `json:"message"`               // errorMessage
	StackTrace []string `json:"stack_trace,omitempty"` // stackTrace, when the runtime gives one
	Payload    []byte   `json:"payload,omitempty"`     // the raw error payload
	LogTail    string   `json:"log_tail,omitempty"`    // decoded log tail when InvokeOptions.Tail was set
}

// Error implements error.
func (e *FunctionError) Error() string {
	t := e.Type
	if t == "" {
		t = e.Kind
	}
	return fmt.Sprintf("lambda: function %s failed: %s: %s", e.Function, t, e.Message)
}

// Invoke calls the function synchronously (RequestResponse) with payload and
// returns its response. function is a name, partial ARN or ARN, optionally
// ":qualifier"-suffixed; "" means the function the connector is restricted
// to. When the function fails, the error is a
// *FunctionError carrying its type and message; a payload over
// MaxSyncPayloadBytes is ErrPayloadTooLarge; other errors are the SDK's.
func (c *Connector) Invoke(ctx context.Context, function string, payload []byte, opts InvokeOptions) (*Result, error) {
	f, err := c.resolve(function, opts.Qualifier)
	if err != nil {
		return nil, err
	}
	if err := checkPayload(f, payload, MaxSyncPayloadBytes, "synchronous"); err != nil {
		return nil, err
	}
	in := invokeInput(f, types.InvocationTypeRequestResponse, payload)
	if opts.Tail {
		in.LogType = types.LogTypeTail
	}
	if len(opts.ClientContext) > 0 {
		cc := base64.StdEncoding.EncodeToString(opts.ClientContext)
		if len(cc) > MaxClientContextBytes {
			return nil, fmt.Errorf("%w: invocation of %s: the client context is %d bytes base64-encoded, Lambda accepts at most %d; put the rest in the payload",
				ErrPayloadTooLarge, f, len(cc), MaxClientContextBytes)
		}
		in.ClientContext = aws.String(cc)
	}
	out, err := c.client.Invoke(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("lambda: invoke %s: %w", f, err)
	}
	tail, err := decodeTail(out.LogResult)
	if err != nil {
		return nil, fmt.Errorf("lambda: invoke %s: %w", f, err)
	}
	if out.FunctionError != nil {
		fe := &FunctionError{Function: f.String(), Kind: *out.FunctionError, Payload: out.Payload, LogTail: tail}
		var body struct {
			ErrorMessage string   `json:"errorMessage"`
			ErrorType    string   `json:"errorType"`
			StackTrace   []string `json:"stackTrace"`
		}
		if json.Unmarshal(out.Payload, &body) == nil {
			fe.Type, fe.Message, fe.StackTrace = body.ErrorType, body.ErrorMessage, body.StackTrace
		} else {
			fe.Message = string(out.Payload)
		}
		return nil, fe
	}
	return &Result{
		Payload:         out.Payload,
		ExecutedVersion: aws.ToString(out.ExecutedVersion),
		LogTail:         tail,
		StatusCode:      int(out.StatusCode),
	}, nil
}

// InvokeAsync queues an asynchronous invocation (Event): Lambda accepts the
// event (HTTP 202) and runs the function later, retrying it on failure. A
// payload over MaxAsyncPayloadBytes is ErrPayloadTooLarge.
func (c *Connector) InvokeAsync(ctx context.Context, function string, payload []byte, qualifier string) error {
	f, err := c.resolve(function, qualifier)
	if err != nil {
		return err
	}
	if err := checkPayload(f, payload, MaxAsyncPayloadBytes, "asynchronous"); err != nil {
		return err
	}
	if _, err := c.client.Invoke(ctx, invokeInput(f, types.InvocationTypeEvent, payload)); err != nil {
		return fmt.Errorf("lambda: invoke %s asynchronously: %w", f, err)
	}
	return nil
}

// DryRun asks Lambda whether the caller may invoke the function and the
// parameters are valid, without running it (HTTP 204). It is the least
// intrusive proof of lambda:InvokeFunction.
func (c *Connector) DryRun(ctx context.Context, function, qualifier string) error {
	f, err := c.resolve(function, qualifier)
	if err != nil {
		return err
	}
	if _, err := c.client.Invoke(ctx, invokeInput(f, types.InvocationTypeDryRun, nil)); err != nil {
		return fmt.Errorf("lambda: dry-run invoke %s: %w", f, err)
	}
	return nil
}

func invokeInput(f Function, t types.InvocationType, payload []byte) *awslambda.InvokeInput {
	name, q := apiName(f)
	return &awslambda.InvokeInput{FunctionName: aws.String(name), Qualifier: q, InvocationType: t, Payload: payload}
}

func decodeTail(s *string) (string, error) {
	if s == nil || *s == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.DecodeString(*s)
	if err != nil {
		return "", fmt.Errorf("log tail is not base64: %v", err)
	}
	return string(b), nil
}
