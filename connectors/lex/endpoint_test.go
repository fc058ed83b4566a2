package lex_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/connectors/sigv4"
)

// roundTripFunc answers requests without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestDefaultEndpointIsTheRegionsRuntime(t *testing.T) {
	tests := []struct{ region, url string }{
		{"us-east-1", "https://runtime-v2-lex.us-east-1.amazonaws.com/bots/FLOWERSBOT/botAliases/TSTALIASID/botLocales/en_US/sessions/s-1"},
		{"us-gov-west-1", "https://runtime-v2-lex.us-gov-west-1.amazonaws.com/bots/FLOWERSBOT/botAliases/TSTALIASID/botLocales/en_US/sessions/s-1"},
		{"cn-north-1", "https://runtime-v2-lex.cn-north-1.amazonaws.com.cn/bots/FLOWERSBOT/botAliases/TSTALIASID/botLocales/en_US/sessions/s-1"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			var got string
			base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"sessionId":"s-1"}`)), Request: r}, nil
			})
			cfg := aws.Config{Region: tt.region, Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")}
			c := lex.New(cfg, func(o *lex.Options) {
				o.BotID = botID
				o.HTTP = []func(*sigv4.Options){func(so *sigv4.Options) { so.Base = base }}
			})
			_, err := c.GetSession(context.Background(), lex.Ref{SessionID: "s-1"})
			require.NoError(t, err)
			require.Equal(t, tt.url, got)
		})
	}
}
