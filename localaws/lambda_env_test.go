package localaws

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	lambdago "github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/require"
)

// countingCode wraps newLambdaCode so a test can count environment starts.
func countingCode(t *testing.T, handler any) (*lambdaCode, *atomic.Int32) {
	t.Helper()
	code, err := newLambdaCode(handler)
	require.NoError(t, err)
	var starts atomic.Int32
	newEnv := code.newEnv
	code.newEnv = func() lambdago.Handler { starts.Add(1); return newEnv() }
	return code, &starts
}

// aws-lambda-go's handlers reuse one response buffer; concurrent invocations
// must each get their own response, so each runs in its own environment.
func TestLambdaConcurrentInvocationsGetOwnEnvironments(t *testing.T) {
	const n = 8
	var arrived sync.WaitGroup
	arrived.Add(n)
	var calls atomic.Int32
	code, starts := countingCode(t, func(_ context.Context, in greeting) (greeting, error) {
		if calls.Add(1) <= n {
			arrived.Done()
			arrived.Wait() // the first n invocations are all in flight at once
		}
		return greeting{Name: in.Name + "!"}, nil
	})

	var wg sync.WaitGroup
	responses := make([]string, n)
	for i := range n {
		wg.Go(func() {
			out, fnErr := runLambdaHandler(t.Context(), code, []byte(fmt.Sprintf(`{"name":"n%d"}`, i)))
			require.Nil(t, fnErr)
			responses[i] = string(out)
		})
	}
	wg.Wait()
	for i, got := range responses {
		var g greeting
		require.NoError(t, json.Unmarshal([]byte(got), &g))
		require.Equal(t, fmt.Sprintf("n%d!", i), g.Name)
	}
	require.EqualValues(t, n, starts.Load(), "one environment per concurrent invocation")

	// Warm environments are reused afterwards.
	_, fnErr := runLambdaHandler(t.Context(), code, []byte(`{"name":"again"}`))
	require.Nil(t, fnErr)
	require.EqualValues(t, n, starts.Load())
}

// A panicking environment is dropped, as Lambda restarts a crashed runtime.
func TestLambdaCrashedEnvironmentIsReplaced(t *testing.T) {
	var calls atomic.Int32
	code, starts := countingCode(t, func(context.Context) (string, error) {
		if calls.Add(1) == 1 {
			panic("kaput")
		}
		return "ok", nil
	})
	_, fnErr := runLambdaHandler(t.Context(), code, []byte(`{}`))
	require.NotNil(t, fnErr)
	require.Equal(t, "kaput", fnErr.Message)
	out, fnErr := runLambdaHandler(t.Context(), code, []byte(`{}`))
	require.Nil(t, fnErr)
	require.JSONEq(t, `"ok"`, string(out))
	require.EqualValues(t, 2, starts.Load(), "the crashed environment was not reused")
}

// A ready lambda.Handler is one environment: invocations take turns, and a
// caller whose context ends while waiting gives up.
func TestLambdaReadyHandlerIsOneEnvironment(t *testing.T) {
	var inFlight, most atomic.Int32
	release := make(chan struct{})
	entered := make(chan struct{}, 3)
	code, err := newLambdaCode(lambdago.NewHandler(func(context.Context) (string, error) {
		entered <- struct{}{}
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if now <= m || most.CompareAndSwap(m, now) {
				break
			}
		}
		<-release
		return "ok", nil
	}))
	require.NoError(t, err)

	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			_, fnErr := runLambdaHandler(t.Context(), code, []byte(`{}`))
			require.Nil(t, fnErr)
		})
	}
	// While the environment is busy, a caller with a short deadline gives up.
	<-entered
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	_, err = code.invoke(ctx, []byte(`{}`))
	require.ErrorIs(t, err, context.DeadlineExceeded)

	close(release)
	wg.Wait()
	require.EqualValues(t, 1, most.Load(), "the single environment never served two invocations at once")
}
