package localaws

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Lambda's documented limits that the emulation enforces.
const (
	lambdaMaxSyncPayload  = 6 << 20 // RequestResponse request and response
	lambdaMaxAsyncPayload = 1 << 20 // Event request
	lambdaLogTailBytes    = 4096    // X-Amz-Log-Result carries the last 4 KB
	lambdaDefaultTimeout  = 3 * time.Second
	lambdaDefaultMemoryMB = 128
	lambdaDefaultMaxItems = 50
)

func init() {
	registerService(serviceSpec{
		name:     "lambda",
		protocol: protocolRESTJSON,
		newHandler: func(s *Server) serviceHandler {
			return &lambdaService{server: s, functions: map[string]*lambdaFunction{}}
		},
	})
}

// FunctionConfig holds the optional settings of a function created with
// [Account.CreateFunction].
//
// FunctionConfig is a plain value, safe for concurrent reads.
type FunctionConfig struct {
	// Region is the region the function lives in. Optional; default the
	// server's region (Options.Region).
	Region string
	// Description is returned by GetFunction. Optional; default "".
	Description string
	// Timeout bounds one invocation: the handler's context has this
	// deadline, and a handler that returns after it is reported as Lambda's
	// "Task timed out" function error. Unlike Lambda, the server cannot kill
	// a handler that ignores its context (a goroutine cannot be stopped from
	// outside): the invocation, and Server.Close, wait for it to return.
	// Optional; default 3s, as AWS.
	Timeout time.Duration
	// MemoryMB is reported in the configuration and the log tail.
	// Optional; default 128.
	MemoryMB int
}

// LambdaInvocation is one invocation the emulated Lambda ran, for tests to
// assert on (asynchronous ones in particular, whose outcome the caller never
// sees).
//
// LambdaInvocation is a plain value, safe for concurrent reads.
type LambdaInvocation struct {
	// FunctionARN is the function's ARN, qualified with the version that ran.
	FunctionARN string
	// Type is the invocation type, "RequestResponse" or "Event".
	Type string
	// Payload is the event the handler received.
	Payload []byte
	// Response is the handler's response, or its error payload.
	Response []byte
	// Error is the errorType of a failed invocation, "" on success.
	Error string
	// RequestID is the invocation's request ID, as Invoke answered it in
	// x-amzn-RequestId and the handler saw it in its context.
	RequestID string
}

// lambdaService serves the Lambda API (restJson1) for one server.
type lambdaService struct {
	server *Server

	mu          sync.Mutex                 // guards the fields below and every function's fields
	functions   map[string]*lambdaFunction // by account/region/name
	invocations []LambdaInvocation
}

// lambdaFunction is a function with its published versions and aliases.
type lambdaFunction struct {
	account, region, name string
	latest                *lambdaVersion
	versions              map[string]*lambdaVersion // "1", "2", ...
	aliases               map[string]string         // alias -> version
}

// lambdaVersion is one version's code (a Go handler) and configuration.
type lambdaVersion struct {
	version      string // "$LATEST" or a number
	code         *lambdaCode
	cfg          FunctionConfig
	lastModified time.Time
	codeSHA256   string
}

// lambdaFunctionName is Lambda's function-name rule.
var lambdaFunctionName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// lambdaAliasName is Lambda's alias-name rule (an alias is never all digits).
var lambdaAliasName = regexp.MustCompile(`^(?:[a-zA-Z0-9_-]*[a-zA-Z_-][a-zA-Z0-9_-]*)$`)

// CreateFunction registers a Go handler as a Lambda function of this
// account and returns its ARN. handler is anything
// github.com/aws/aws-lambda-go/lambda.NewHandler accepts (for example
// func(context.Context, In) (Out, error)), or a lambda.Handler; the same
// handler can run under the real Lambda runtime. As in Lambda, concurrent
// invocations run in execution environments of their own (a ready
// lambda.Handler is one environment, which invocations take in turn). A handler may write to the
// invocation's log (returned as the log tail) with [LambdaLogf].
func (a *Account) CreateFunction(name string, handler any, optFns ...func(*FunctionConfig)) (string, error) {
	if !lambdaFunctionName.MatchString(name) {
		return "", fmt.Errorf("localaws: function name %q must be 1-64 letters, digits, '-' or '_'", name)
	}
	code, err := newLambdaCode(handler)
	if err != nil {
		return "", err
	}
	cfg := FunctionConfig{Region: a.server.opts.Region, Timeout: lambdaDefaultTimeout, MemoryMB: lambdaDefaultMemoryMB}
	for _, fn := range optFns {
		fn(&cfg)
	}
	svc := lambdaOf(a.server)
	svc.mu.Lock()
	defer svc.mu.Unlock()
	key := a.id + "/" + cfg.Region + "/" + name
	if _, ok := svc.functions[key]; ok {
		return "", fmt.Errorf("localaws: function %q already exists in account %s, region %s", name, a.id, cfg.Region)
	}
	f := &lambdaFunction{account: a.id, region: cfg.Region, name: name, versions: map[string]*lambdaVersion{}, aliases: map[string]string{}}
	f.latest = &lambdaVersion{version: "$LATEST", code: code, cfg: cfg, lastModified: a.server.now(), codeSHA256: randomSecret(32)}
	svc.functions[key] = f
	return f.arn(""), nil
}

// PublishVersion snapshots the function's current handler and configuration
// as a new numbered version and returns the number, as Lambda's
// PublishVersion does.
func (a *Account) PublishVersion(function string, optFns ...func(*FunctionConfig)) (string, error) {
	svc := lambdaOf(a.server)
	svc.mu.Lock()
	defer svc.mu.Unlock()
	f, err := svc.lookupOwned(a, function, optFns)
	if err != nil {
		return "", err
	}
	v := *f.latest
	v.version = strconv.Itoa(len(f.versions) + 1)
	f.versions[v.version] = &v
	return v.version, nil
}

// CreateAlias points alias at a published version of the function.
func (a *Account) CreateAlias(function, alias, version string, optFns ...func(*FunctionConfig)) error {
	if !lambdaAliasName.MatchString(alias) || len(alias) > 128 {
		return fmt.Errorf("localaws: alias %q must be 1-128 letters, digits, '-' or '_', not all digits", alias)
	}
	svc := lambdaOf(a.server)
	svc.mu.Lock()
	defer svc.mu.Unlock()
	f, err := svc.lookupOwned(a, function, optFns)
	if err != nil {
		return err
	}
	if _, ok := f.versions[version]; !ok && version != "$LATEST" {
		return fmt.Errorf("localaws: function %q has no version %q; publish it first", function, version)
	}
	f.aliases[alias] = version
	return nil
}

// LambdaInvocations returns the invocations the server's Lambda ran, oldest
// first.
func (s *Server) LambdaInvocations() []LambdaInvocation {
	svc := lambdaOf(s)
	svc.mu.Lock()
	defer svc.mu.Unlock()
	return append([]LambdaInvocation(nil), svc.invocations...)
}

// lambdaLogKey carries an invocation's log buffer in the handler's context.
type lambdaLogKey struct{}

// lambdaLog is one invocation's log; a handler may log from goroutines.
type lambdaLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

// LambdaLogf appends a line to the log of the invocation ctx belongs to, as
// a function's stdout would; outside an emulated invocation it does nothing.
func LambdaLogf(ctx context.Context, format string, args ...any) {
	l, ok := ctx.Value(lambdaLogKey{}).(*lambdaLog)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.WriteString(strings.TrimSuffix(fmt.Sprintf(format, args...), "\n") + "\n")
}

func lambdaOf(s *Server) *lambdaService {
	return s.routes["lambda"].handler.(*lambdaService)
}

// lookupOwned finds a function of account a for the Go-side methods.
func (h *lambdaService) lookupOwned(a *Account, name string, optFns []func(*FunctionConfig)) (*lambdaFunction, error) {
	cfg := FunctionConfig{Region: a.server.opts.Region}
	for _, fn := range optFns {
		fn(&cfg)
	}
	f, ok := h.functions[a.id+"/"+cfg.Region+"/"+name]
	if !ok {
		return nil, fmt.Errorf("localaws: no function %q in account %s, region %s", name, a.id, cfg.Region)
	}
	return f, nil
}

func (f *lambdaFunction) arn(qualifier string) string {
	s := "arn:aws:lambda:" + f.region + ":" + f.account + ":function:" + f.name
	if qualifier != "" {
		s += ":" + qualifier
	}
	return s
}

// resolve finds the version a qualifier selects: "" and "$LATEST" are the
// latest code, a number a published version, anything else an alias.
func (f *lambdaFunction) resolve(qualifier string) (*lambdaVersion, bool) {
	switch {
	case qualifier == "" || qualifier == "$LATEST":
		return f.latest, true
	case f.versions[qualifier] != nil:
		return f.versions[qualifier], true
	}
	if v, ok := f.aliases[qualifier]; ok {
		if v == "$LATEST" {
			return f.latest, true
		}
		return f.versions[v], true
	}
	return nil, false
}
