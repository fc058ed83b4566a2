package role

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// TestExternalIDOnEverySDKAttempt drives a real sts.Client, with the SDK's
// standard retryer, against an STS on 127.0.0.1 that throttles the first
// attempts of every call: each HTTP attempt, retries and later refreshes
// included, carries the external ID. The retryer re-sends the request the
// cache built through stscreds; nothing on the way may rebuild it without
// the ID.
func TestExternalIDOnEverySDKAttempt(t *testing.T) {
	var mu sync.Mutex
	var attempts []string // "RoleArn ExternalId" of every HTTP attempt
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		attempts = append(attempts, r.PostForm.Get("RoleArn")+" "+r.PostForm.Get("ExternalId"))
		n := len(attempts)
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		if n%3 != 0 { // two throttled attempts, then success
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>`)
			return
		}
		fmt.Fprintf(w, `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA%d</AccessKeyId><SecretAccessKey>SECRETKEY</SecretAccessKey><SessionToken>SESSIONTOKEN</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/ConnectorA/awsconnect</Arn><AssumedRoleId>AROA:awsconnect</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
			n, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	}))
	defer srv.Close()
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	client := sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDPLATFORM", "platform-secret", ""),
		HTTPClient:   &http.Client{Transport: transport},
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	c := NewCache(client)
	defer c.Close()

	ctx := context.Background()
	for i, s := range []Spec{spec(roleA, extA), spec(roleA, extB)} {
		creds, err := c.Retrieve(ctx, s)
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("ASIA%d", 3+6*i), creds.AccessKeyID, "succeeded on the third attempt")
		require.True(t, c.Invalidate(s))
		_, err = c.Retrieve(ctx, s) // assumed again: three more attempts
		require.NoError(t, err)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, attempts, 12)
	for i, a := range attempts {
		want := roleA + " " + extA
		if i >= 6 {
			want = roleA + " " + extB
		}
		require.Equal(t, want, a, "attempt %d", i+1)
	}
}
