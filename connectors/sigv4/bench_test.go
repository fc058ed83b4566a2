package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Both benchmarks sign the same 1 KiB Lex RecognizeText request, so the ratio
// of their ns/op is the transport's overhead over the bare SDK signer.

var benchBody = bytes.Repeat([]byte("a"), 1024)

const benchURL = "https://runtime-v2-lex.us-east-1.amazonaws.com/bots/B/botAliases/A/botLocales/en_US/sessions/s/text"

type nopTransport struct{ resp *http.Response }

func (n nopTransport) RoundTrip(*http.Request) (*http.Response, error) { return n.resp, nil }

func BenchmarkSignedTransport(b *testing.B) {
	creds := aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return testCreds, nil
	}))
	tr := NewTransport(creds, func(o *Options) {
		o.Base = nopTransport{resp: &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}}
	})
	req, err := http.NewRequest(http.MethodPost, benchURL, bytes.NewReader(benchBody))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := tr.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSDKSigner(b *testing.B) {
	signer := v4.NewSigner()
	req, err := http.NewRequest(http.MethodPost, benchURL, bytes.NewReader(benchBody))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rc, _ := req.GetBody()
		h := sha256.New()
		_, _ = io.Copy(h, rc)
		if err := signer.SignHTTP(ctx, testCreds, req, hex.EncodeToString(h.Sum(nil)), "lex", "us-east-1", time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
