//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/lambda"
)

// The RIE runs one invocation at a time: a second request while one is in
// flight makes it dereference a nil reservation and exit (rapidcore's
// Server.Invoke, at the pinned version). So every use of the RIE is in one
// test, in order, and the deadline case, which leaves an invocation running
// after the caller gives up, comes last and marks the RIE spent.
var rieSpent atomic.Bool

// functionName is the name the SDK puts in the path; the RIE serves only
// /2015-03-31/functions/function/invocations.
const functionName = "function"

// echoResult is testdata/lambdafn's answer.
type echoResult struct {
	Echo         string            `json:"echo"`
	RequestID    string            `json:"requestId"`
	FunctionName string            `json:"functionName"`
	SleptMillis  int64             `json:"sleptMillis"`
	ClientCustom map[string]string `json:"clientCustom"`
}

// lambdaFrontEnd adds what Lambda's front end adds and the RIE leaves out.
// When a function fails, its runtime posts {"errorMessage","errorType"} to
// the Runtime API's /error endpoint with a Lambda-Runtime-Function-Error-Type
// header; Lambda answers the caller 200 with that payload and
// X-Amz-Function-Error: Unhandled. The RIE forwards the payload and status but
// drops every header (rie.ResponseWriterProxy keeps only body and status), so
// without this the connector could not tell a failed function from one that
// returned an error-shaped value. The shim restores the header only for a
// body that is exactly a runtime error document; "the RIE drops the header"
// below pins that gap, so the shim goes when the RIE forwards it.
type lambdaFrontEnd struct{ next http.RoundTripper }

func (f lambdaFrontEnd) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := f.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("X-Amz-Function-Error") != "" {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if isRuntimeErrorDocument(body) {
		resp.Header.Set("X-Amz-Function-Error", "Unhandled")
	}
	return resp, nil
}

// isRuntimeErrorDocument reports whether body is the error document a Lambda
// runtime posts: errorType and errorMessage, optionally stackTrace, nothing else.
func isRuntimeErrorDocument(body []byte) bool {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return false
	}
	if _, ok := doc["errorType"]; !ok {
		return false
	}
	if _, ok := doc["errorMessage"]; !ok {
		return false
	}
	for k := range doc {
		if k != "errorType" && k != "errorMessage" && k != "stackTrace" {
			return false
		}
	}
	return true
}

// rieConfig is an aws.Config for the RIE. The RIE checks no signature, so
// the credentials only have to let the SDK sign.
func (p lambdaPeer) rieConfig(rt http.RoundTripper) aws.Config {
	return aws.Config{
		Region:       p.Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDINTEGRATION", "the-rie-checks-no-signature", ""),
		BaseEndpoint: aws.String(p.URL),
		HTTPClient:   &http.Client{Transport: rt},
		// A retried invocation could overlap the one the RIE is still
		// running (see rieSpent); the connector's calls are tried once.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func TestLambdaConnectorUnderTheRIE(t *testing.T) {
	p := startedLambda(t)
	if rieSpent.Load() {
		t.Fatal("integration: the RIE is still running an invocation abandoned by an earlier run of this test (-count > 1?); it serves one at a time, run the suite once")
	}
	ctx := context.Background()
	conn := lambda.New(p.rieConfig(lambdaFrontEnd{next: transport}))

	t.Run("the RIE runs the function", func(t *testing.T) {
		raw := awslambda.NewFromConfig(p.rieConfig(transport))
		out, err := raw.Invoke(ctx, &awslambda.InvokeInput{
			FunctionName: aws.String(functionName),
			Payload:      []byte(`{"op":"echo","message":"peer"}`),
		})
		require.NoError(t, err)
		require.EqualValues(t, 200, out.StatusCode)
		var res echoResult
		require.NoError(t, json.Unmarshal(out.Payload, &res), "payload %s", out.Payload)
		require.Equal(t, "peer", res.Echo)
		require.NotEmpty(t, res.RequestID)
		require.Equal(t, "integration-fn", res.FunctionName, "the RIE runs testdata/lambdafn with the script's function name")
	})

	t.Run("the RIE drops the function error header", func(t *testing.T) {
		raw := awslambda.NewFromConfig(p.rieConfig(transport))
		out, err := raw.Invoke(ctx, &awslambda.InvokeInput{
			FunctionName: aws.String(functionName),
			Payload:      []byte(`{"op":"fail","message":"7"}`),
		})
		require.NoError(t, err)
		require.Nil(t, out.FunctionError, "the RIE now forwards X-Amz-Function-Error: drop lambdaFrontEnd")
		require.True(t, isRuntimeErrorDocument(out.Payload), "%s", out.Payload)
	})

	t.Run("payload in and out", func(t *testing.T) {
		tests := []struct {
			name    string
			message string
			custom  map[string]string
		}{
			{"ascii", "hello", nil},
			{"unicode and escapes", "grüße \"quoted\" \\ \u2028 ✓", nil},
			{"large", strings.Repeat("0123456789abcdef", 16<<10), nil}, // 256 KiB
			{"client context", "ctx", map[string]string{"tenant": "acme", "workspace": "12345"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				in, err := json.Marshal(map[string]string{"op": "echo", "message": tc.message})
				require.NoError(t, err)
				var opts lambda.InvokeOptions
				if tc.custom != nil {
					opts.ClientContext, err = json.Marshal(map[string]any{"custom": tc.custom})
					require.NoError(t, err)
				}
				res, err := conn.Invoke(ctx, functionName, in, opts)
				require.NoError(t, err)
				require.Equal(t, 200, res.StatusCode)
				var out echoResult
				require.NoError(t, json.Unmarshal(res.Payload, &out))
				require.Equal(t, tc.message, out.Echo)
				require.Equal(t, tc.custom, out.ClientCustom)
			})
		}
	})

	t.Run("function error is a typed error", func(t *testing.T) {
		tests := []struct {
			name, payload, errType, message string
		}{
			{"returned error type", `{"op":"fail","message":"42"}`, "InvalidOrderError", "order 42 is invalid"},
			{"fmt error", `{"op":"jump"}`, "errorString", `lambdafn: unknown op "jump"; use echo, fail or sleep`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res, err := conn.Invoke(ctx, functionName, []byte(tc.payload), lambda.InvokeOptions{})
				require.Nil(t, res)
				var fe *lambda.FunctionError
				require.ErrorAs(t, err, &fe)
				require.Equal(t, "Unhandled", fe.Kind)
				require.Equal(t, tc.errType, fe.Type)
				require.Equal(t, tc.message, fe.Message)
				require.Equal(t, functionName, fe.Function)
				require.Contains(t, err.Error(), tc.message)
			})
		}
	})

	// Last: the function keeps sleeping after the caller gives up, and the
	// RIE cannot take another invocation until it finishes.
	t.Run("context deadline is honoured", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		rieSpent.Store(true)
		res, err := conn.Invoke(ctx, functionName, []byte(`{"op":"sleep","sleepMillis":3000}`), lambda.InvokeOptions{})
		require.Nil(t, res)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		var fe *lambda.FunctionError
		require.False(t, errors.As(err, &fe), "a caller's deadline is not a function error")
	})
}
