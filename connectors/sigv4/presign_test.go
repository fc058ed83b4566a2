package sigv4

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
)

func TestPresignedURLsWorkWithoutCredentials(t *testing.T) {
	tests := []struct {
		name, method, service, body string
	}{
		{name: "s3 GET", method: http.MethodGet, service: "s3"},
		{name: "s3 PUT with any body", method: http.MethodPut, service: "s3", body: "uploaded by a browser"},
		{name: "execute-api GET", method: http.MethodGet, service: "execute-api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := newServer(t, rec)
			tr := newTestTransport(srv, &countingProvider{}, func(o *Options) { o.Service, o.Region = tt.service, "us-west-2" })
			req, err := http.NewRequest(tt.method, srv.URL+"/bucket/dir/a key+1.txt?versionId=3", nil)
			require.NoError(t, err)
			p, err := tr.Presign(context.Background(), req, 15*time.Minute)
			require.NoError(t, err)
			require.Equal(t, tt.method, p.Method)
			require.Contains(t, p.URL, "X-Amz-Signature=")
			require.Contains(t, p.URL, "X-Amz-Expires=900")
			require.NotContains(t, p.String(), "X-Amz-Signature")
			require.NotContains(t, p.String(), testCreds.SessionToken)
			require.NotContains(t, p.URL, testCreds.SecretAccessKey)
			var printed bytes.Buffer
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				fmt.Fprintf(&printed, verb+"\n", p)
			}
			slog.New(slog.NewJSONHandler(&printed, nil)).Info("presigned", "p", p)
			require.NotContains(t, printed.String(), "X-Amz-Signature")
			require.NotContains(t, printed.String(), testCreds.SessionToken)

			plain, err := http.NewRequest(tt.method, p.URL, strings.NewReader(tt.body))
			require.NoError(t, err)
			for k, v := range p.Header {
				if k != "Host" {
					plain.Header[k] = v
				}
			}
			resp, err := srv.Client().Do(plain)
			require.NoError(t, err)
			msg, _ := io.ReadAll(resp.Body)
			require.NoError(t, resp.Body.Close())
			require.Equal(t, http.StatusOK, resp.StatusCode, string(msg))
			seen := rec.all()
			require.Len(t, seen, 1)
			require.NoError(t, seen[0].Err)
			require.Equal(t, tt.body, string(seen[0].Body))
			require.Equal(t, "/bucket/dir/a key+1.txt", seen[0].Path)
		})
	}
}

func TestPresignRejectsExpiry(t *testing.T) {
	tr := NewTransport(&countingProvider{}, func(o *Options) { o.Service, o.Region = "s3", "us-east-1" })
	req, err := http.NewRequest(http.MethodGet, "https://bucket.s3.amazonaws.com/k", nil)
	require.NoError(t, err)
	for _, d := range []time.Duration{0, time.Millisecond, MaxPresignExpiry + time.Second} {
		t.Run(d.String(), func(t *testing.T) {
			_, err := tr.Presign(context.Background(), req, d)
			require.ErrorContains(t, err, "outside 1s to 7 days")
		})
	}
}

func TestPresignExpiresWithTheCredentials(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	creds := testCreds
	creds.CanExpire, creds.Expires = true, now.Add(20*time.Minute)
	tr := NewTransport(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		func(o *Options) { o.Service, o.Region, o.Now = "s3", "us-east-1", func() time.Time { return now } })
	req, err := http.NewRequest(http.MethodGet, "https://bucket.s3.amazonaws.com/k", nil)
	require.NoError(t, err)
	tests := []struct {
		expires time.Duration
		want    time.Time
	}{
		{5 * time.Minute, now.Add(5 * time.Minute)},
		{time.Hour, creds.Expires}, // the session token stops the URL first
	}
	for _, tt := range tests {
		t.Run(tt.expires.String(), func(t *testing.T) {
			p, err := tr.Presign(context.Background(), req, tt.expires)
			require.NoError(t, err)
			require.Equal(t, tt.want, p.Expires)
		})
	}
}

func TestPresignRefusesABodyItCannotHash(t *testing.T) {
	tr := NewTransport(&countingProvider{}, func(o *Options) { o.Service, o.Region = "execute-api", "us-east-1" })
	req, err := http.NewRequest(http.MethodPost, "https://abc.execute-api.us-east-1.amazonaws.com/prod", newStream([]byte(`{"a":1}`)))
	require.NoError(t, err)
	_, err = tr.Presign(context.Background(), req, time.Minute)
	require.ErrorContains(t, err, "GetBody")
}
