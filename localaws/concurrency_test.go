package localaws

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// TestConcurrentUse runs clients in parallel while the account model, the
// faults and the log change under them; with -race it checks the locking.
func TestConcurrentUse(t *testing.T) {
	s := startServer(t)
	client := s3Session(t, s)
	customer := account(t, s, customerAccount)
	const workers, perWorker = 8, 10

	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				key := fmt.Sprintf("exports/w%d/%d", w, i)
				_, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
					Body: strings.NewReader(key)})
				errs <- err
			}
		})
	}
	wg.Go(func() {
		for i := range 20 {
			_ = customer.PutRolePolicy("awsconnect", fmt.Sprint("extra", i%3), mustParse(t,
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}`))
			remove, err := s.InjectFault(Fault{Service: "lambda", Kind: Throttle})
			if err == nil {
				remove()
			}
			_ = s.Requests()
			_, _ = sts.NewFromConfig(s.Config(nil)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	list, err := client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("exports/")})
	require.NoError(t, err)
	require.Len(t, list.Contents, workers*perWorker)
}

// TestClockMovedDuringRequests moves a Clock while requests read it, as its
// doc allows; with -race it checks the locking.
func TestClockMovedDuringRequests(t *testing.T) {
	clock := NewClock(time.Now())
	s := startServer(t, func(o *Options) { o.Now = clock.Now })
	client := sts.NewFromConfig(s.Config(nil))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = client.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		})
	}
	wg.Go(func() {
		for range 100 {
			clock.Add(time.Millisecond)
		}
	})
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

// BenchmarkGetCallerIdentity measures one signed round trip through the
// SDK's STS client: signing, loopback HTTP, verification and the answer.
func BenchmarkGetCallerIdentity(b *testing.B) {
	s, err := Start()
	require.NoError(b, err)
	defer s.Close()
	client := sts.NewFromConfig(s.Config(nil))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.GetCallerIdentity(b.Context(), &sts.GetCallerIdentityInput{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticate measures the server's signature check alone.
func BenchmarkAuthenticate(b *testing.B) {
	s, err := Start()
	require.NoError(b, err)
	defer s.Close()
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/", bytes.NewReader(body))
	require.NoError(b, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256(body)
	require.NoError(b, v4.NewSigner().SignHTTP(b.Context(), s.PlatformCredentials(), req,
		hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()))
	a, err := requestAuthorization(req)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, aerr := s.authenticate(req, body, a, protocolQuery); aerr != nil {
			b.Fatal(aerr)
		}
	}
}
