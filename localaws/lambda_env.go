package localaws

import (
	"bytes"
	"context"
	"fmt"
	"reflect"

	lambdago "github.com/aws/aws-lambda-go/lambda"
)

// maxIdleLambdaEnvs bounds the warm execution environments kept per
// function: enough for the concurrency tests and examples use, small enough
// that a burst does not pin memory for the life of the server.
const maxIdleLambdaEnvs = 16

// lambdaCode is a function's code, run the way Lambda runs it: each execution
// environment serves one invocation at a time, concurrent invocations get
// environments of their own, and a warm environment is reused. This is not
// only fidelity: aws-lambda-go's handlers write every response into one
// reused buffer, so a handler instance must never serve two invocations at
// once. An environment whose handler panicked is dropped, as Lambda restarts
// a crashed runtime.
type lambdaCode struct {
	// newEnv makes a fresh handler instance; nil when the caller gave a
	// ready lambda.Handler, which then is the one and only environment.
	newEnv func() lambdago.Handler
	// idle holds the warm environments.
	idle chan lambdago.Handler
}

// newLambdaCode accepts anything lambda.NewHandler accepts, or a ready
// lambda.Handler.
func newLambdaCode(handler any) (*lambdaCode, error) {
	if h, ok := handler.(lambdago.Handler); ok {
		c := &lambdaCode{idle: make(chan lambdago.Handler, 1)}
		c.idle <- h
		return c, nil
	}
	if handler == nil || reflect.TypeOf(handler).Kind() != reflect.Func {
		return nil, fmt.Errorf("localaws: a function handler must be a func or a lambda.Handler, got %T", handler)
	}
	return &lambdaCode{
		newEnv: func() lambdago.Handler { return lambdago.NewHandler(handler) },
		idle:   make(chan lambdago.Handler, maxIdleLambdaEnvs),
	}, nil
}

// invoke runs one invocation in an environment of its own and returns a
// response the environment no longer shares.
func (c *lambdaCode) invoke(ctx context.Context, payload []byte) (response []byte, err error) {
	env, err := c.acquire(ctx)
	if err != nil {
		return nil, err
	}
	crashed := true
	defer func() {
		switch {
		case c.newEnv == nil:
			c.idle <- env // the one environment is never dropped: there is no other
		case !crashed:
			select {
			case c.idle <- env: // kept warm
			default: // enough are warm already
			}
		}
	}()
	out, err := env.Invoke(ctx, payload)
	crashed = false
	return bytes.Clone(out), err
}

// acquire takes a warm environment, or starts one when all are busy; with a
// single environment it waits for it, or for ctx.
func (c *lambdaCode) acquire(ctx context.Context) (lambdago.Handler, error) {
	select {
	case env := <-c.idle:
		return env, nil
	default:
	}
	if c.newEnv != nil {
		return c.newEnv(), nil
	}
	select {
	case env := <-c.idle:
		return env, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
