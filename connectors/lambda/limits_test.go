package lambda_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
)

// jsonString is a JSON string literal of exactly n bytes.
func jsonString(n int) []byte {
	return []byte(`"` + strings.Repeat("x", n-2) + `"`)
}

// TestInvokePayloadLimits: a payload at Lambda's limit is sent, one byte
// more is refused before any call with ErrPayloadTooLarge, and a response
// over the synchronous limit arrives as Lambda reports it, a FunctionError.
func TestInvokePayloadLimits(t *testing.T) {
	var perms = allOps(t)
	for _, fn := range []string{"size", "huge"} {
		more, err := lambda.Requirements(lambda.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Function: fn}, lambda.OpInvoke)
		require.NoError(t, err)
		perms = append(perms, more...)
	}
	e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(perms...))
	// Moving 6 MB through JSON under the race detector on a loaded machine
	// can take longer than Lambda's default 3 s timeout, and a timeout is not
	// what these cases are about.
	slow := func(c *localaws.FunctionConfig) { c.Timeout = 5 * time.Minute }
	_, err := e.Customer.CreateFunction("size", func(_ context.Context, s string) (int, error) { return len(s) + 2, nil }, slow)
	require.NoError(t, err)
	_, err = e.Customer.CreateFunction("huge", func(context.Context) (string, error) {
		return strings.Repeat("x", lambda.MaxSyncPayloadBytes), nil
	}, slow)
	require.NoError(t, err)
	c := lambda.New(e.Config(t))
	ctx := context.Background()

	t.Run("synchronous", func(t *testing.T) {
		res, err := c.Invoke(ctx, "size", jsonString(lambda.MaxSyncPayloadBytes), lambda.InvokeOptions{})
		require.NoError(t, err)
		require.Equal(t, "6291456", string(res.Payload))

		before := len(e.Server.Requests())
		_, err = c.Invoke(ctx, "size", jsonString(lambda.MaxSyncPayloadBytes+1), lambda.InvokeOptions{})
		require.ErrorIs(t, err, lambda.ErrPayloadTooLarge)
		require.ErrorContains(t, err, "6291457 bytes, Lambda accepts at most 6291456")
		require.Len(t, e.Server.Requests(), before, "nothing is sent")
	})
	t.Run("asynchronous", func(t *testing.T) {
		require.NoError(t, c.InvokeAsync(ctx, "size", jsonString(lambda.MaxAsyncPayloadBytes), ""))

		before := len(e.Server.Requests())
		err := c.InvokeAsync(ctx, "size", jsonString(lambda.MaxAsyncPayloadBytes+1), "")
		require.ErrorIs(t, err, lambda.ErrPayloadTooLarge)
		require.ErrorContains(t, err, "asynchronous invocation of size")
		require.Len(t, e.Server.Requests(), before, "nothing is sent")
	})
	t.Run("client context", func(t *testing.T) {
		// 2,685 bytes encode to 3,580 base64 bytes, 2,688 to 3,584.
		ok := []byte(`{"custom":{"k":"` + strings.Repeat("x", 2685-19) + `"}}`)
		_, err := c.Invoke(ctx, "size", jsonString(2), lambda.InvokeOptions{ClientContext: ok})
		require.NoError(t, err)

		before := len(e.Server.Requests())
		over := []byte(`{"custom":{"k":"` + strings.Repeat("x", 2688-19) + `"}}`)
		_, err = c.Invoke(ctx, "size", jsonString(2), lambda.InvokeOptions{ClientContext: over})
		require.ErrorIs(t, err, lambda.ErrPayloadTooLarge)
		require.ErrorContains(t, err, "client context is 3584 bytes base64-encoded")
		require.Len(t, e.Server.Requests(), before, "nothing is sent")
	})
	t.Run("response over the limit", func(t *testing.T) {
		_, err := c.Invoke(ctx, "huge", nil, lambda.InvokeOptions{})
		var fe *lambda.FunctionError
		require.True(t, errors.As(err, &fe), "%v", err)
		require.Equal(t, "Function.ResponseSizeTooLarge", fe.Type)
	})
}
