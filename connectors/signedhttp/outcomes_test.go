package signedhttp_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// TestConnectionCheckOutcomes runs the Connect button's check of a
// signed-HTTP connection through the resolver against localaws, for each
// outcome issue 6 names. The connector proves no permission (its call,
// GetCallerIdentity, needs none), so "permission missing" cannot happen
// here. Where a step asks for a trust-policy change, setting the policy the
// report carries must make the next check pass, as a user pressing Connect
// again sees it: no failure is cached.
func TestConnectionCheckOutcomes(t *testing.T) {
	P, F, W, S := connectors.Passed, connectors.Failed, connectors.Warned, connectors.Skipped
	open := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}`
	tests := []struct {
		name   string
		trust  func(t *testing.T, platform string) *policy.Document
		change func(c *connectors.Connection)
		want   []connectors.Status
		fixAt  connectors.StepID // the step whose TrustPolicy fixes the role
	}{
		{name: "success", want: []connectors.Status{P, P, P, P}},
		{name: "trust refused", trust: func(t *testing.T, platform string) *policy.Document {
			d, err := policy.TrustPolicy(platform, "another_tenant")
			require.NoError(t, err)
			return d
		}, want: []connectors.Status{P, F, S, S}, fixAt: connectors.StepRoleAssumed},
		{name: "external ID not required", trust: func(t *testing.T, platform string) *policy.Document {
			d, err := policy.Parse([]byte(fmt.Sprintf(open, "arn:aws:iam::"+platform+":root")))
			require.NoError(t, err)
			return d
		}, want: []connectors.Status{P, P, W, P}, fixAt: connectors.StepExternalIDRequired},
		{name: "wrong endpoint", change: func(c *connectors.Connection) { c.Endpoint = "http://127.0.0.1:1" },
			want: []connectors.Status{P, P, P, F}},
		{name: "unknown region", change: func(c *connectors.Connection) { c.Region = "us-east-9" },
			want: []connectors.Status{F, S, S, S}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := connectortest.New(t, signedhttp.KindName, func(o *connectortest.Options) {
				if tt.trust != nil {
					o.Trust = tt.trust(t, localaws.DefaultPlatformAccountID)
				}
			})
			c := e.Conn
			if tt.change != nil {
				tt.change(&c)
			}
			rep := e.Resolver.Check(context.Background(), c)
			require.Equal(t, tt.want, connectortest.StepStatuses(rep), "%s", rep)
			if tt.fixAt == "" {
				return
			}
			s, ok := rep.Step(tt.fixAt)
			require.True(t, ok)
			require.NotNil(t, s.TrustPolicy, "%s", rep)
			require.NoError(t, e.Customer.UpdateTrustPolicy(connectortest.RoleName, s.TrustPolicy))
			rep = e.Resolver.Check(context.Background(), c)
			require.Equal(t, []connectors.Status{P, P, P, P}, connectortest.StepStatuses(rep), "the report's trust policy fixes the role: %s", rep)
		})
	}
}

// hostRecorder answers every request with a GetCallerIdentity result and
// records the hosts asked.
type hostRecorder struct {
	mu    sync.Mutex // guards hosts
	hosts []string
}

func (h *hostRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hosts = append(h.hosts, req.URL.Host)
	h.mu.Unlock()
	const body = `<GetCallerIdentityResponse><GetCallerIdentityResult><Account>111122223333</Account><Arn>arn:aws-cn:iam::111122223333:user/u</Arn><UserId>AIDA</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>`
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func TestCheckCallsTheRegionsSTSEndpoint(t *testing.T) {
	tests := []struct{ region, host string }{
		{"eu-west-1", "sts.eu-west-1.amazonaws.com"},
		{"cn-north-1", "sts.cn-north-1.amazonaws.com.cn"},
		{"us-gov-west-1", "sts.us-gov-west-1.amazonaws.com"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			rec := &hostRecorder{}
			cfg := aws.Config{Region: tt.region, Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")}
			rep := signedhttp.New(cfg, func(o *signedhttp.Options) { o.Base = rec }).Check(context.Background())
			require.Equal(t, connectors.Passed, rep.Status(), "%s", rep)
			require.Equal(t, []string{tt.host}, rec.hosts)
		})
	}
}

// deniedAnswer answers every request as STS refuses a bad signature, with
// its request ID in the header as AWS sends it.
type deniedAnswer struct{}

func (deniedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	const body = `<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>`
	h := http.Header{"X-Amzn-Requestid": {"7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"}}
	return &http.Response{StatusCode: http.StatusForbidden, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

// TestCheckFailureCarriesTheRequestID: a refused signed call's step has
// AWS's error code and request ID in their own fields, as the SDK-based
// connectors' steps have, for the platform's support to quote.
func TestCheckFailureCarriesTheRequestID(t *testing.T) {
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "wrong", "")}
	rep := signedhttp.New(cfg, func(o *signedhttp.Options) { o.Base = deniedAnswer{} }).Check(context.Background())
	s, failed := rep.FirstFailure()
	require.True(t, failed, "%s", rep)
	require.Equal(t, "SignatureDoesNotMatch", s.ErrorCode)
	require.Equal(t, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE", s.RequestID)
	require.NotContains(t, s.Message, "7a62c49f", "the request ID has its own field, not the message")
}
