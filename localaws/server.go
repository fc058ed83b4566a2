package localaws

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/policy"
)

// DefaultPlatformAccountID is the platform's account unless
// Options.PlatformAccountID says otherwise; it is the example account ID of
// AWS's own documentation.
const DefaultPlatformAccountID = "111122223333"

// PlatformUserName is the IAM user in the platform account whose keys
// PlatformCredentials returns.
const PlatformUserName = "platform"

// defaultMaxClockSkew is AWS's limit on the distance between X-Amz-Date and
// the server's clock.
const defaultMaxClockSkew = 15 * time.Minute

// DefaultPlatformPolicy returns the platform user's default identity
// policy: it may assume any role and pass session tags and a source
// identity; whether it gets in is up to each role's trust policy.
func DefaultPlatformPolicy() *policy.Document {
	return &policy.Document{
		Version: policy.Version2012,
		Statement: []policy.Statement{{
			Sid:      "AssumeCustomerRoles",
			Effect:   policy.EffectAllow,
			Action:   policy.Strings{"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"},
			Resource: policy.Strings{"*"},
		}},
	}
}

// Options configures Start. It is a plain value, read once by Start.
type Options struct {
	// Addr is the TCP address to listen on, "host:port". Port 0 picks a free
	// port; URL reports the one chosen. A host that is not a loopback
	// address exposes the server (and the seeded keys) to the network.
	// Optional; default "127.0.0.1:0".
	Addr string
	// Now is the server's clock: it judges clock skew, issues and expires
	// temporary credentials, and writes the Date header the SDK corrects
	// its own clock from. Optional; default time.Now.
	Now func() time.Time
	// PlatformAccountID is the account the platform's user lives in.
	// Optional; default DefaultPlatformAccountID.
	PlatformAccountID string
	// Region is the region Config puts in every aws.Config and the
	// aws:RequestedRegion condition key. Requests signed for any region
	// are served. Optional; default "us-east-1".
	Region string
	// MaxClockSkew is how far X-Amz-Date may be from Now before requests
	// fail with RequestTimeTooSkewed. Optional; default 15 minutes, as AWS.
	MaxClockSkew time.Duration
	// PlatformPolicy is the platform user's identity policy. Optional;
	// default DefaultPlatformPolicy, which allows sts:AssumeRole,
	// sts:TagSession and sts:SetSourceIdentity on every role.
	PlatformPolicy *policy.Document
	// DisabledSTSRegions are regions where STS is not activated for any
	// account: STS calls signed for them fail with RegionDisabledException,
	// as when an administrator deactivates a regional STS endpoint.
	// Optional; default none.
	DisabledSTSRegions []string
	// MaxBodyBytes caps a request body; larger requests are refused.
	// Optional; default 64 MiB.
	MaxBodyBytes int64
	// Seed is created before Start returns: accounts, users with their
	// keys, roles, managed policies and resources (see Seed, LoadSeed).
	// If any of it is refused, Start fails and nothing is served.
	// Optional; default nothing beyond the platform account.
	Seed *Seed
}

// Server is an embedded AWS on 127.0.0.1: it verifies every request's
// SigV4 signature, authorises it against the caller's IAM policies and
// serves the services registered in this package.
//
// A Server is safe for concurrent use by any number of clients; its account
// model may be changed while requests are in flight.
type Server struct {
	opts      Options
	listener  net.Listener
	http      *http.Server
	url       string
	routes    map[string]*route // by signing name; immutable after Start
	transport *http.Transport   // Config's clients' transport, closed by Close
	served    chan struct{}     // closed when the Serve goroutine returns
	done      chan struct{}     // closed by Close; wakes delayed requests

	platform      *Account
	platformCreds aws.Credentials

	mu       sync.Mutex // guards the fields below, and every Account's maps
	accounts map[string]*Account
	keys     map[string]*accessKey
	faults   []*armedFault
	log      []LogEntry
	closed   bool
	active   sync.WaitGroup // requests in flight; Add only under mu while !closed
}

// Start runs a server on 127.0.0.1 on a random free port (or Options.Addr),
// with the platform account, its user's access key and Options.Seed
// already created.
func Start(optFns ...func(*Options)) (*Server, error) {
	opts := Options{
		Addr:              "127.0.0.1:0",
		Now:               time.Now,
		PlatformAccountID: DefaultPlatformAccountID,
		Region:            "us-east-1",
		MaxClockSkew:      defaultMaxClockSkew,
		MaxBodyBytes:      64 << 20,
	}
	for _, fn := range optFns {
		fn(&opts)
	}
	if !iamarn.IsAccountID(opts.PlatformAccountID) {
		return nil, fmt.Errorf("localaws: Options.PlatformAccountID %q must be 12 digits", opts.PlatformAccountID)
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("localaws: listen on %s (Options.Addr): %w", opts.Addr, err)
	}
	s := &Server{
		opts:      opts,
		listener:  ln,
		url:       serverURL(ln.Addr()),
		routes:    map[string]*route{},
		transport: http.DefaultTransport.(*http.Transport).Clone(),
		served:    make(chan struct{}),
		done:      make(chan struct{}),
		accounts:  map[string]*Account{},
		keys:      map[string]*accessKey{},
	}
	for name, spec := range services {
		s.routes[name] = &route{spec: spec, handler: spec.newHandler(s)}
	}
	s.platform = s.account(opts.PlatformAccountID)
	if _, err := s.platform.CreateUser(PlatformUserName); err != nil {
		_ = ln.Close()
		return nil, err
	}
	if opts.PlatformPolicy == nil {
		opts.PlatformPolicy = DefaultPlatformPolicy()
	}
	if err := s.platform.PutUserPolicy(PlatformUserName, "platform", opts.PlatformPolicy); err != nil {
		_ = ln.Close()
		return nil, err
	}
	if s.platformCreds, err = s.platform.CreateAccessKey(PlatformUserName); err != nil {
		_ = ln.Close()
		return nil, err
	}
	if opts.Seed != nil {
		if err := s.apply(opts.Seed); err != nil {
			_ = ln.Close()
			return nil, err
		}
	}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.served)
		_ = s.http.Serve(ln) // returns ErrServerClosed after Close
	}()
	return s, nil
}

// Close stops the server: it closes the listener and every connection,
// wakes requests held by Latency faults, and returns once every request
// goroutine has finished. It is safe to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	s.mu.Unlock()

	err := s.http.Close()
	<-s.served
	s.active.Wait()
	s.transport.CloseIdleConnections()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// serverURL is the URL clients reach addr at: a listener on every address
// (0.0.0.0, ::) is reached on loopback.
func serverURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// URL is the server's endpoint, "http://127.0.0.1:PORT": the BaseEndpoint
// for every SDK client. S3 clients must also set UsePathStyle, because
// bucket.127.0.0.1 does not resolve.
func (s *Server) URL() string { return s.url }

// PlatformAccountID is the platform's 12-digit account ID.
func (s *Server) PlatformAccountID() string { return s.platform.id }

// Platform returns the platform's account, e.g. to change its user's policies.
func (s *Server) Platform() *Account { return s.platform }

// PlatformCredentials are the long-term access key of the platform account's
// user (PlatformUserName), which may call sts:AssumeRole on any role.
func (s *Server) PlatformCredentials() aws.Credentials { return s.platformCreds }

// Config returns an aws.Config for this server: its region, BaseEndpoint =
// URL, and an HTTP client whose idle connections Close releases. A nil
// creds means the platform's credentials.
func (s *Server) Config(creds aws.CredentialsProvider) aws.Config {
	if creds == nil {
		c := s.platformCreds
		creds = credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	}
	return aws.Config{
		Region:       s.opts.Region,
		Credentials:  creds,
		BaseEndpoint: aws.String(s.url),
		HTTPClient:   &http.Client{Transport: s.transport},
	}
}

// now reads the server's clock.
func (s *Server) now() time.Time { return s.opts.Now() }

// ServeHTTP runs the pipeline every request goes through: read the body,
// route by the signature's service, verify the signature, apply injected
// faults, hand the verified call to the service, and log the outcome.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "localaws: server closed", http.StatusServiceUnavailable)
		return
	}
	s.active.Add(1)
	s.mu.Unlock()
	defer s.active.Done()

	now := s.now()
	entry := &LogEntry{Time: now, RequestID: newRequestID()}
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		entry.Status = rec.status
		s.record(*entry)
	}()
	h := w.Header()
	h.Set("X-Amzn-RequestId", entry.RequestID)
	h.Set("X-Amz-Request-Id", entry.RequestID)
	h.Set("Date", now.UTC().Format(http.TimeFormat))

	body, err := io.ReadAll(http.MaxBytesReader(rec, r.Body, s.opts.MaxBodyBytes))
	if err != nil {
		s.fail(rec, r, guessProtocol(r), entry, newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Request body larger than %d bytes or unreadable: %v", s.opts.MaxBodyBytes, err)))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	a, err := requestAuthorization(r)
	switch {
	case errors.Is(err, errNoAuthorization):
		s.fail(rec, r, guessProtocol(r), entry, stdError(guessProtocol(r), errMissingAuth, ""))
		return
	case err != nil:
		// The credential scope may have parsed before the error: then the
		// answer is in the service's own protocol.
		p := guessProtocol(r)
		if rt, ok := s.routes[a.service]; ok {
			p, entry.Service = rt.spec.protocol, a.service
		}
		s.fail(rec, r, p, entry, malformedAuthError(p, a, err))
		return
	}
	rt, ok := s.routes[a.service]
	if !ok {
		s.fail(rec, r, guessProtocol(r), entry, newError(http.StatusBadRequest, "UnknownService",
			fmt.Sprintf("localaws does not serve %q; it serves %v", a.service, registeredServices())))
		return
	}
	c := &call{
		server:    s,
		service:   a.service,
		protocol:  rt.spec.protocol,
		requestID: entry.RequestID,
		region:    a.region,
		body:      body,
		entry:     entry,
	}
	entry.Service = a.service
	c.operation = rt.handler.operation(r, body)
	entry.Operation = c.operation

	key, aerr := s.authenticate(r, body, a, c.protocol)
	if aerr != nil {
		c.writeError(rec, r, aerr)
		return
	}
	s.mu.Lock()
	c.caller, c.principalKeys = key.caller(), key.conditionKeys()
	s.mu.Unlock()
	entry.Caller = c.caller

	if s.applyFault(rec, r, c) {
		return
	}
	rt.handler.serve(rec, r, c)
}

// fail answers a request that never reached a service.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p protocol, entry *LogEntry, e *apiError) {
	entry.ErrorCode = e.code
	writeAPIError(w, r, p, entry.RequestID, e)
}

// statusRecorder remembers the status a handler answered, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200.
func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush passes flushes through, for streaming handlers.
func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// newRequestID returns a UUID-shaped request ID, as AWS's x-amzn-RequestId.
func newRequestID() string {
	b := randomHex(16)
	return b[0:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:32]
}
