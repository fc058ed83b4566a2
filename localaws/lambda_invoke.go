package localaws

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// invoke runs the handler as Lambda's Invoke does for each invocation type.
// Event invocations run before the 202 is answered, which keeps the
// emulation free of background goroutines; the caller cannot tell.
func (h *lambdaService) invoke(w http.ResponseWriter, r *http.Request, c *call) {
	f, v, qualifier, ok := h.target(w, r, c, "lambda:InvokeFunction")
	if !ok {
		return
	}
	invType := r.Header.Get("X-Amz-Invocation-Type")
	if invType == "" {
		invType = "RequestResponse"
	}
	limit := lambdaMaxSyncPayload
	switch invType {
	case "RequestResponse":
	case "Event":
		limit = lambdaMaxAsyncPayload
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		c.writeError(w, r, lambdaInvalidParameter("1 validation error detected: Value '"+invType+"' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"))
		return
	}
	payload := c.body
	if len(payload) > limit {
		c.writeError(w, r, newError(http.StatusRequestEntityTooLarge, "RequestTooLargeException",
			fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", limit)))
		return
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if !json.Valid(payload) {
		c.writeError(w, r, newError(http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json"))
		return
	}
	var clientContext lambdacontext.ClientContext
	if cc := r.Header.Get("X-Amz-Client-Context"); cc != "" {
		raw, err := base64.StdEncoding.DecodeString(cc)
		if err != nil || json.Unmarshal(raw, &clientContext) != nil {
			c.writeError(w, r, newError(http.StatusBadRequest, "InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object."))
			return
		}
	}

	start := h.server.now()
	log := &lambdaLog{}
	ctx := lambdacontext.NewContext(context.WithValue(r.Context(), lambdaLogKey{}, log), &lambdacontext.LambdaContext{
		AwsRequestID:       c.requestID,
		InvokedFunctionArn: f.arn(qualifier),
		ClientContext:      clientContext,
	})
	ctx, cancel := context.WithTimeout(ctx, v.cfg.Timeout)
	response, fnErr := runLambdaHandler(ctx, v.code, payload)
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
	cancel()
	if timedOut {
		fnErr = &messages.InvokeResponse_Error{Type: "Sandbox.Timedout",
			Message: fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", c.requestID, v.cfg.Timeout.Seconds())}
	}
	if fnErr != nil {
		response, _ = json.Marshal(fnErr)
	}
	if fnErr == nil && len(response) > lambdaMaxSyncPayload {
		fnErr = &messages.InvokeResponse_Error{Type: "Function.ResponseSizeTooLarge",
			Message: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", lambdaMaxSyncPayload)}
		response, _ = json.Marshal(fnErr)
	}

	rec := LambdaInvocation{FunctionARN: f.arn(v.version), Type: invType, Payload: payload, Response: response, RequestID: c.requestID}
	if fnErr != nil {
		rec.Error = fnErr.Type
	}
	h.mu.Lock()
	h.invocations = append(h.invocations, rec)
	h.mu.Unlock()

	if invType == "Event" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("X-Amz-Executed-Version", v.version)
	if fnErr != nil {
		hd.Set("X-Amz-Function-Error", "Unhandled")
	}
	if r.Header.Get("X-Amz-Log-Type") == "Tail" {
		hd.Set("X-Amz-Log-Result", lambdaLogTail(c.requestID, v, log, h.server.now().Sub(start)))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(response)
}

// runLambdaHandler calls the handler and turns its error or panic into the
// error payload the aws-lambda-go runtime would report: errorType is the
// error's type name (without the pointer), errorMessage its text.
func runLambdaHandler(ctx context.Context, code *lambdaCode, payload []byte) (response []byte, fnErr *messages.InvokeResponse_Error) {
	defer func() {
		if p := recover(); p != nil {
			fnErr = &messages.InvokeResponse_Error{Type: lambdaErrorType(p), Message: fmt.Sprint(p), ShouldExit: true}
			for _, line := range strings.Split(strings.TrimSpace(string(debug.Stack())), "\n") {
				fnErr.StackTrace = append(fnErr.StackTrace, &messages.InvokeResponse_Error_StackFrame{Label: strings.TrimSpace(line)})
			}
		}
	}()
	out, err := code.invoke(ctx, payload)
	if err != nil {
		var ive messages.InvokeResponse_Error
		if errors.As(err, &ive) {
			return nil, &ive
		}
		return nil, &messages.InvokeResponse_Error{Type: lambdaErrorType(err), Message: err.Error()}
	}
	return out, nil
}

func lambdaErrorType(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

// lambdaLogTail renders the invocation's log as Lambda does (START, the
// function's lines, END, REPORT) and returns its last 4 KB in base64.
func lambdaLogTail(requestID string, v *lambdaVersion, log *lambdaLog, d time.Duration) string {
	log.mu.Lock()
	body := log.buf.String()
	log.mu.Unlock()
	ms := float64(d.Microseconds()) / 1000
	text := fmt.Sprintf("START RequestId: %s Version: %s\n%sEND RequestId: %s\nREPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t\n",
		requestID, v.version, body, requestID, requestID, ms, int(ms)+1, v.cfg.MemoryMB, min(v.cfg.MemoryMB, 32))
	if len(text) > lambdaLogTailBytes {
		text = text[len(text)-lambdaLogTailBytes:]
	}
	return base64.StdEncoding.EncodeToString([]byte(text))
}
