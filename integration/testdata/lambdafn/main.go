// Command lambdafn is the Go Lambda function the integration suite invokes
// under AWS's Lambda Runtime Interface Emulator. scripts/integration builds it
// into a binary named bootstrap, as the provided.al2023 runtime expects.
//
// The event's Op selects the behaviour, so one function covers every case the
// suite checks:
//
//   - "echo" returns the message with the invocation's request ID, the
//     function name the runtime reported and the client context's custom map;
//   - "fail" returns an error of type InvalidOrderError, which the runtime
//     reports as a function error with that errorType;
//   - "sleep" waits SleepMillis or until the invocation's deadline, whichever
//     comes first, then returns how long it slept.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Event is the function's input.
type Event struct {
	Op          string `json:"op"`
	Message     string `json:"message,omitempty"`
	SleepMillis int    `json:"sleepMillis,omitempty"`
}

// Result is the function's output.
type Result struct {
	Echo         string `json:"echo,omitempty"`
	RequestID    string `json:"requestId"`
	FunctionName string `json:"functionName"`
	SleptMillis  int64  `json:"sleptMillis,omitempty"`
	// ClientCustom is the caller's client context's "custom" map.
	ClientCustom map[string]string `json:"clientCustom,omitempty"`
}

// InvalidOrderError is the error "fail" returns; its type name becomes the
// errorType of the function error the caller sees.
type InvalidOrderError struct{ Message string }

func (e *InvalidOrderError) Error() string { return e.Message }

func handle(ctx context.Context, ev Event) (Result, error) {
	res := Result{FunctionName: lambdacontext.FunctionName}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		res.RequestID = lc.AwsRequestID
		res.ClientCustom = lc.ClientContext.Custom
	}
	switch ev.Op {
	case "echo":
		res.Echo = ev.Message
		return res, nil
	case "fail":
		return Result{}, &InvalidOrderError{Message: "order " + ev.Message + " is invalid"}
	case "sleep":
		start := time.Now()
		t := time.NewTimer(time.Duration(ev.SleepMillis) * time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		res.SleptMillis = time.Since(start).Milliseconds()
		return res, nil
	default:
		return Result{}, fmt.Errorf("lambdafn: unknown op %q; use echo, fail or sleep", ev.Op)
	}
}

func main() { lambda.Start(handle) }
