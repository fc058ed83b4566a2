package sigv4

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/sigv4path"
)

// DefaultMaxBufferedBody is the largest streamed request body (one with neither
// GetBody nor Seek) that the transport reads into memory to hash it for a
// service that requires a payload hash. 8 MiB covers every JSON and query API
// request body AWS accepts (the largest, Lambda's synchronous payload, is 6 MB)
// while keeping a runaway stream from exhausting memory.
const DefaultMaxBufferedBody = 8 << 20

// Options configures a [Transport]. Change it through the functional options
// of [NewTransport] or [New]; the constructor applies the defaults.
//
// It is read only by the constructor, which keeps a copy.
type Options struct {
	// Service is the SigV4 signing name used for every request ("s3", "lex").
	// Default inferred from each request's host with [ParseHost]. Optional.
	Service string
	// Region is the signing region used for every request. Default inferred
	// from each request's host, else FallbackRegion. Optional.
	Region string
	// FallbackRegion signs requests whose host does not name a region (an
	// endpoint override such as a VPC endpoint or a local emulator). Default
	// "" ([New] sets it to the aws.Config's Region). Optional.
	FallbackRegion string
	// Base sends the signed requests. Default http.DefaultTransport ([New]
	// uses the aws.Config's HTTP client). Optional.
	Base http.RoundTripper
	// Signer computes the signatures. Default v4.NewSigner(). Optional.
	Signer *v4.Signer
	// Retryer decides which failed attempts are retried and how long to wait.
	// Default retry.NewStandard() ([New] uses the aws.Config's). Optional.
	Retryer aws.Retryer
	// MaxBufferedBody bounds the stream bodies read into memory for hashing; a
	// negative value disables buffering, so such streams fail to sign. Default
	// DefaultMaxBufferedBody. Optional.
	MaxBufferedBody int64
	// UnsignedPayloadServices lists the signing names that accept
	// "UNSIGNED-PAYLOAD" for bodies that cannot be hashed in advance. Default
	// ["s3"], the only such service among the connectors. Optional.
	UnsignedPayloadServices []string
	// Now is the clock used for signing times. Default time.Now. Optional.
	Now func() time.Time
}

// Transport is an http.RoundTripper that signs every request with SigV4 using
// credentials retrieved per request from an aws.CredentialsProvider (which
// should cache, as role.Cache providers and aws.CredentialsCache do), and
// retries retryable failures through the SDK retryer, re-signing each attempt
// and replaying the body through GetBody or Seek.
//
// A Transport is safe for concurrent use by multiple goroutines; it does not
// modify the requests it is given.
type Transport struct {
	creds    aws.CredentialsProvider
	opts     Options
	unsigned map[string]bool
	mu       sync.RWMutex        // guards hosts
	hosts    map[string]Endpoint // ParseHost's answers, at most maxCachedHosts
}

// maxCachedHosts bounds the ParseHost cache: one entry per distinct host, and
// S3 virtual-hosted names give one per bucket, so a busy platform could
// otherwise grow it without end. Past the bound, hosts are parsed per request.
const maxCachedHosts = 4096

// NewTransport returns a Transport signing with the given credentials.
func NewTransport(creds aws.CredentialsProvider, optFns ...func(*Options)) *Transport {
	o := Options{MaxBufferedBody: DefaultMaxBufferedBody, UnsignedPayloadServices: []string{"s3"}}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Base == nil {
		o.Base = http.DefaultTransport
	}
	if o.Signer == nil {
		o.Signer = v4.NewSigner()
	}
	if o.Retryer == nil {
		o.Retryer = retry.NewStandard()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	t := &Transport{creds: creds, opts: o, unsigned: map[string]bool{}, hosts: map[string]Endpoint{}}
	for _, s := range o.UnsignedPayloadServices {
		t.unsigned[s] = true
	}
	return t
}

// Options returns a copy of the options t was built with, defaults applied,
// for a transport that signs the same way for another service.
func (t *Transport) Options() Options {
	o := t.opts
	o.UnsignedPayloadServices = append([]string(nil), o.UnsignedPayloadServices...)
	return o
}

// Client returns an *http.Client that sends every request through t.
func (t *Transport) Client() *http.Client { return &http.Client{Transport: t} }

// Target returns the signing service and region t uses for req.
func (t *Transport) Target(req *http.Request) (service, region string, err error) {
	service, region = t.opts.Service, t.opts.Region
	if service != "" && region != "" {
		return service, region, nil
	}
	host := req.Host
	if host == "" && req.URL != nil {
		host = req.URL.Host
	}
	ep, err := t.endpoint(host)
	if err != nil {
		if service == "" {
			return "", "", err
		}
		ep = Endpoint{}
	}
	if service == "" {
		service = ep.Service
	}
	if region == "" {
		region = ep.Region
	}
	if region == "" {
		region = t.opts.FallbackRegion
	}
	if region == "" {
		return "", "", fmt.Errorf("signedhttp: no signing region for host %s; set Options.Region", echo.Quote(host))
	}
	return service, region, nil
}

func (t *Transport) endpoint(host string) (Endpoint, error) {
	t.mu.RLock()
	ep, ok := t.hosts[host]
	t.mu.RUnlock()
	if ok {
		return ep, nil
	}
	ep, err := ParseHost(host)
	if err != nil {
		return Endpoint{}, err
	}
	t.mu.Lock()
	if len(t.hosts) < maxCachedHosts {
		t.hosts[host] = ep
	}
	t.mu.Unlock()
	return ep, nil
}

// RoundTrip signs req (a copy of it) and sends it through the base transport,
// retrying retryable failures when the body can be replayed.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	service, region, err := t.Target(req)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	pv, err := t.preparePayload(req, service)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	p := &pv
	maxAttempts := t.opts.Retryer.MaxAttempts()
	// release settles the retry token that paid for this attempt with the
	// attempt's outcome, as the SDK's retry middleware does: nil refunds
	// the quota, a failure keeps it spent, so a failing service drains it.
	release := func(error) error { return nil }
	for attempt := 1; ; attempt++ {
		resp, err := t.attempt(ctx, req, p, service, region, attempt)
		retryErr := classify(resp, err)
		_ = release(retryErr)
		if attempt >= maxAttempts || !p.replayable() || retryErr == nil || !t.opts.Retryer.IsErrorRetryable(retryErr) {
			return p.finish(resp, err)
		}
		next, tokErr := t.opts.Retryer.GetRetryToken(ctx, retryErr)
		if tokErr != nil {
			return p.finish(resp, err)
		}
		release = next
		delay, delayErr := t.opts.Retryer.RetryDelay(attempt, retryErr)
		if delayErr != nil {
			_ = release(retryErr)
			return p.finish(resp, err)
		}
		discard(resp)
		if err := sleep(ctx, delay); err != nil {
			_ = release(err)
			return p.finish(nil, err)
		}
	}
}

// attempt signs a fresh copy of req for one attempt and sends it.
func (t *Transport) attempt(ctx context.Context, req *http.Request, p *payload, service, region string, n int) (*http.Response, error) {
	body, err := p.body(req, n)
	if err != nil {
		return nil, fmt.Errorf("signedhttp: replaying the request body for attempt %d: %w", n, err)
	}
	out := cloneForSigning(req, body, p.length)
	if service == "s3" {
		out.Header.Set("X-Amz-Content-Sha256", p.hash)
		out.URL.RawPath = s3EscapedPath(out.URL)
	} else {
		// SigV4 signs every other service's path normalised (RFC 3986,
		// repeated slashes collapsed); the SDK's signer does not, so the
		// path is normalised first and sent as signed.
		sigv4path.Apply(out.URL)
	}
	creds, err := t.creds.Retrieve(ctx)
	if err != nil {
		closeReader(body)
		return nil, fmt.Errorf("signedhttp: retrieving credentials: %w", err)
	}
	var signOpts []func(*v4.SignerOptions)
	if service == "s3" {
		signOpts = s3SignerOptions
	}
	err = t.opts.Signer.SignHTTP(ctx, creds, out, p.hash, service, region, t.opts.Now(), signOpts...)
	if err != nil {
		closeReader(body)
		return nil, fmt.Errorf("signedhttp: signing for %s in %s: %w", service, region, err)
	}
	return t.opts.Base.RoundTrip(out)
}

// s3SignerOptions make the signer sign the path exactly as sent, as S3
// does; every other service normalises it and escapes it once more (AWS
// SigV4 documentation, "Create a canonical request"), which the signer's
// default (DisableURIPathEscaping false) and sigv4path.Apply do. A package variable, so signing allocates no
// closure per request.
var s3SignerOptions = []func(*v4.SignerOptions){func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }}

// cloneForSigning copies what the signer writes to (header, URL) so the
// caller's request stays untouched, as the RoundTripper contract requires.
func cloneForSigning(req *http.Request, body io.ReadCloser, length int64) *http.Request {
	out := new(http.Request)
	*out = *req
	u := *req.URL
	out.URL = &u
	out.Header = cloneHeader(req.Header)
	out.Body = body
	out.ContentLength = length
	// The base transport must not replay the body on its own: every replay
	// needs a new signature, which only this transport can make.
	out.GetBody = nil
	return out
}

// signerHeaders is how many headers signing may add: X-Amz-Date,
// X-Amz-Security-Token, Authorization and X-Amz-Content-Sha256.
const signerHeaders = 4

// cloneHeader deep-copies h into a map with room for the signing headers, so
// the signer's writes neither grow the map nor touch the caller's slices. Like
// http.Header.Clone it backs all values with one slice; each key's slice is
// capped so an append cannot spill into the next key's values.
func cloneHeader(h http.Header) http.Header {
	n := 0
	for _, vv := range h {
		n += len(vv)
	}
	values := make([]string, n)
	out := make(http.Header, len(h)+signerHeaders)
	for k, vv := range h {
		if vv == nil {
			out[k] = nil
			continue
		}
		m := copy(values, vv)
		out[k] = values[:m:m]
		values = values[m:]
	}
	return out
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func discard(resp *http.Response) {
	if resp != nil && resp.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

func closeReader(r io.ReadCloser) {
	if r != nil {
		_ = r.Close()
	}
}
