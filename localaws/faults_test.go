package localaws

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

func TestFaultShapes(t *testing.T) {
	cases := []struct {
		fault Fault
		want  map[string]clientError
	}{
		{Fault{Kind: Throttle}, map[string]clientError{
			"sts (awsQuery)":         {"Throttling", 400},
			"s3 (restXml)":           {"SlowDown", 503},
			"lambda (restJson1)":     {"TooManyRequestsException", 429},
			"logs (awsJson1.1)":      {"ThrottlingException", 400},
			"monitoring (rpcv2Cbor)": {"Throttling", 400},
		}},
		{Fault{Kind: ServerError}, map[string]clientError{
			"sts (awsQuery)":         {"InternalFailure", 500},
			"s3 (restXml)":           {"InternalError", 500},
			"lambda (restJson1)":     {"InternalFailure", 500},
			"logs (awsJson1.1)":      {"InternalFailure", 500},
			"monitoring (rpcv2Cbor)": {"InternalFailure", 500},
		}},
		{Fault{Kind: ServerError, Status: 503}, map[string]clientError{
			"sts (awsQuery)":         {"ServiceUnavailable", 503},
			"s3 (restXml)":           {"ServiceUnavailable", 503},
			"lambda (restJson1)":     {"ServiceUnavailableException", 503},
			"logs (awsJson1.1)":      {"ServiceUnavailableException", 503},
			"monitoring (rpcv2Cbor)": {"ServiceUnavailable", 503},
		}},
	}
	services := map[string]string{
		"sts (awsQuery)": "sts", "s3 (restXml)": "s3", "lambda (restJson1)": "lambda",
		"logs (awsJson1.1)": "logs", "monitoring (rpcv2Cbor)": "monitoring",
	}
	s := startServer(t)
	probeRoutes(s)
	for _, tc := range cases {
		for _, pc := range protocolClients {
			t.Run(fmt.Sprintf("%s %d/%s", tc.fault.Kind, tc.fault.Status, pc.name), func(t *testing.T) {
				f := tc.fault
				f.Service = services[pc.name]
				f.Times = 1
				_, err := s.InjectFault(f)
				require.NoError(t, err)
				s.ResetRequests()

				err = pc.call(t.Context(), noRetry(s.Config(nil)))
				w := tc.want[pc.name]
				requireAPIError(t, err, w.code)
				require.Equal(t, w.status, statusOf(t, err))
				log := s.Requests()
				require.Len(t, log, 1)
				require.Equal(t, f.Kind.String(), log[0].Fault)
				require.Equal(t, "arn:aws:iam::111122223333:user/platform", log[0].Caller.ARN)
			})
		}
	}
}

func TestFaultMatchingAndCounting(t *testing.T) {
	s := startServer(t)
	client := sts.NewFromConfig(noRetry(s.Config(nil)))
	identity := func() error {
		_, err := client.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		return err
	}

	_, err := s.InjectFault(Fault{Service: "sts", Operation: "GetSessionToken", Kind: Throttle})
	require.NoError(t, err)
	require.NoError(t, identity(), "a fault for another operation must not hit")

	_, err = s.InjectFault(Fault{Service: "sts", Operation: "GetCallerIdentity", Kind: Throttle, Times: 2})
	require.NoError(t, err)
	requireAPIError(t, identity(), "Throttling")
	requireAPIError(t, identity(), "Throttling")
	require.NoError(t, identity(), "the fault disarms after Times hits")

	remove, err := s.InjectFault(Fault{Service: "sts", Kind: ServerError})
	require.NoError(t, err)
	requireAPIError(t, identity(), "InternalFailure")
	requireAPIError(t, identity(), "InternalFailure")
	remove()
	require.NoError(t, identity())
}

func TestFaultRetriedBySDK(t *testing.T) {
	s := startServer(t)
	_, err := s.InjectFault(Fault{Service: "sts", Kind: ServerError, Times: 1})
	require.NoError(t, err)
	_, err = sts.NewFromConfig(s.Config(nil)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err, "the SDK's retryer retries a 500")
	log := s.Requests()
	require.Len(t, log, 2)
	require.Equal(t, 500, log[0].Status)
	require.Equal(t, 200, log[1].Status)
}

func TestLatencyAndDroppedConnection(t *testing.T) {
	s := startServer(t)
	client := sts.NewFromConfig(noRetry(s.Config(nil)))

	_, err := s.InjectFault(Fault{Service: "sts", Kind: Latency, Latency: time.Hour, Times: 1})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.ErrorIs(t, err, context.DeadlineExceeded)

	_, err = s.InjectFault(Fault{Service: "sts", Kind: Latency, Latency: time.Millisecond, Times: 1})
	require.NoError(t, err)
	_, err = client.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err, "a short delay still answers")

	_, err = s.InjectFault(Fault{Service: "sts", Kind: DropConnection, Times: 1})
	require.NoError(t, err)
	_, err = client.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	require.Error(t, err)
	var ae smithy.APIError
	require.False(t, errors.As(err, &ae), "a dropped connection has no API error: %v", err)

	require.Eventually(t, func() bool { return len(s.Requests()) == 3 }, 5*time.Second, time.Millisecond,
		"the delayed request is logged once the client gave up")
	for _, e := range s.Requests() {
		switch e.Fault {
		case "Latency":
		case "DropConnection":
			require.Equal(t, 0, e.Status)
		default:
			t.Fatalf("unexpected log entry %+v", e)
		}
	}
}

func TestInjectFaultValidation(t *testing.T) {
	s := startServer(t)
	for _, f := range []Fault{
		{Kind: Throttle},
		{Service: "nosuch", Kind: Throttle},
		{Service: "sts"},
		{Service: "sts", Kind: ServerError, Status: 502},
		{Service: "sts", Kind: Latency},
	} {
		_, err := s.InjectFault(f)
		require.Error(t, err, "%+v", f)
		require.Contains(t, err.Error(), "localaws: Fault.")
	}
}

// TestServiceThrottleOverride: a service's own throttling error replaces
// its protocol's default.
func TestServiceThrottleOverride(t *testing.T) {
	s := startServer(t)
	probeRoutes(s)
	s.routes["logs"].spec.throttle = newError(429, "ThrottledException", "Slow down.")
	_, err := s.InjectFault(Fault{Service: "logs", Kind: Throttle})
	require.NoError(t, err)
	err = protocolClients[3].call(t.Context(), noRetry(s.Config(nil)))
	ae := requireAPIError(t, err, "ThrottledException")
	require.Equal(t, "Slow down.", ae.ErrorMessage())
	require.Equal(t, 429, statusOf(t, err))
}
