package localaws

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	lambdago "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"
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
type FunctionConfig struct {
	// Region is the region the function lives in. Optional; default the
	// server's region (Options.Region).
	Region string
	// Description is returned by GetFunction. Optional; default "".
	Description string
	// Timeout bounds one invocation: the handler's context has this
	// deadline, and a handler still running past it is reported as
	// Lambda's "Task timed out" function error. Optional; default 3s, as AWS.
	Timeout time.Duration
	// MemoryMB is reported in the configuration and the log tail.
	// Optional; default 128.
	MemoryMB int
}

// LambdaInvocation is one invocation the emulated Lambda ran, for tests to
// assert on (asynchronous ones in particular, whose outcome the caller never
// sees).
type LambdaInvocation struct {
	FunctionARN string // qualified with the version that ran
	Type        string // "RequestResponse" or "Event"
	Payload     []byte // the event the handler received
	Response    []byte // the handler's response or error payload
	Error       string // errorType of a failed invocation, "" on success
	RequestID   string
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
	handler      lambdago.Handler
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
// handler can run under the real Lambda runtime. A handler may write to the
// invocation's log (returned as the log tail) with [LambdaLogf].
func (a *Account) CreateFunction(name string, handler any, optFns ...func(*FunctionConfig)) (string, error) {
	if !lambdaFunctionName.MatchString(name) {
		return "", fmt.Errorf("localaws: function name %q must be 1-64 letters, digits, '-' or '_'", name)
	}
	h, err := lambdaHandler(handler)
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
	f.latest = &lambdaVersion{version: "$LATEST", handler: h, cfg: cfg, lastModified: a.server.now(), codeSHA256: randomSecret(32)}
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

func lambdaHandler(handler any) (lambdago.Handler, error) {
	if h, ok := handler.(lambdago.Handler); ok {
		return h, nil
	}
	if handler == nil || reflect.TypeOf(handler).Kind() != reflect.Func {
		return nil, fmt.Errorf("localaws: a function handler must be a func or a lambda.Handler, got %T", handler)
	}
	return lambdago.NewHandler(handler), nil
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

// lambdaRef is a FunctionName as a request gives it.
type lambdaRef struct {
	account, region, name, qualifier string
}

// lambdaFunctionRef is Lambda's documented FunctionName pattern.
var lambdaFunctionRef = regexp.MustCompile(`^(?:arn:(?:aws[a-zA-Z-]*):lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$`)

// parseLambdaRef reads a FunctionName label and the Qualifier parameter;
// on failure it returns Lambda's validation message.
func parseLambdaRef(name, qualifier string) (lambdaRef, string) {
	m := lambdaFunctionRef.FindStringSubmatch(name)
	if m == nil || len(m[3]) > 64 {
		return lambdaRef{}, fmt.Sprintf("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", name)
	}
	ref := lambdaRef{region: m[1], account: m[2], name: m[3], qualifier: m[4]}
	if qualifier != "" {
		if ref.qualifier != "" && ref.qualifier != qualifier {
			return lambdaRef{}, "The derived qualifier from the function name does not match the specified qualifier."
		}
		ref.qualifier = qualifier
	}
	return ref, ""
}

// operation tells the operation from the method and path.
func (h *lambdaService) operation(r *http.Request, _ []byte) string {
	parts := lambdaPath(r)
	switch {
	case len(parts) == 0 && r.Method == http.MethodGet:
		return "ListFunctions"
	case len(parts) == 1 && r.Method == http.MethodGet:
		return "GetFunction"
	case len(parts) == 2 && parts[1] == "invocations" && r.Method == http.MethodPost:
		return "Invoke"
	}
	return ""
}

// lambdaPath returns the path segments after /2015-03-31/functions/,
// unescaped; nil for the collection itself.
func lambdaPath(r *http.Request) []string {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/2015-03-31/functions")
	if !ok {
		return []string{"", "", ""} // matches no operation
	}
	rest = strings.Trim(rest, "/")
	if rest == "" {
		return nil
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	return parts
}

func (h *lambdaService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	switch c.operation {
	case "ListFunctions":
		h.listFunctions(w, r, c)
	case "GetFunction":
		h.getFunction(w, r, c)
	case "Invoke":
		h.invoke(w, r, c)
	default:
		c.writeError(w, r, newError(http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path))
	}
}

// target authorises action on the function a request names and finds it.
// AWS authorises first, so a caller without permission learns nothing about
// whether the function exists.
func (h *lambdaService) target(w http.ResponseWriter, r *http.Request, c *call, action string) (*lambdaFunction, *lambdaVersion, string, bool) {
	ref, msg := parseLambdaRef(lambdaPath(r)[0], r.URL.Query().Get("Qualifier"))
	if msg != "" {
		c.writeError(w, r, lambdaInvalidParameter(msg))
		return nil, nil, "", false
	}
	region := credentialScopeRegion(r)
	if ref.region != "" {
		region = ref.region
	}
	account := c.caller.AccountID
	if ref.account != "" {
		account = ref.account
	}
	arn := "arn:aws:lambda:" + region + ":" + account + ":function:" + ref.name
	if ref.qualifier != "" {
		arn += ":" + ref.qualifier
	}
	if err := c.authorize(action, arn, nil); err != nil {
		c.writeError(w, r, err)
		return nil, nil, "", false
	}
	if account != c.caller.AccountID {
		// Another account's function needs its resource-based policy,
		// which the emulation does not model: AWS denies without one.
		c.writeError(w, r, c.errorf(errAccessDenied, "User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action", c.caller.ARN, action, arn, action))
		return nil, nil, "", false
	}
	h.mu.Lock()
	f := h.functions[account+"/"+region+"/"+ref.name]
	var v *lambdaVersion
	ok := f != nil
	if ok {
		v, ok = f.resolve(ref.qualifier)
	}
	h.mu.Unlock()
	if !ok {
		c.writeError(w, r, newError(http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+arn))
		return nil, nil, "", false
	}
	return f, v, ref.qualifier, true
}

func lambdaInvalidParameter(msg string) *apiError {
	return newError(http.StatusBadRequest, "InvalidParameterValueException", msg)
}

// writeLambdaJSON answers a JSON document.
func writeLambdaJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// lambdaConfiguration is a FunctionConfiguration as Lambda returns it.
func lambdaConfiguration(f *lambdaFunction, v *lambdaVersion, arn string) map[string]any {
	return map[string]any{
		"FunctionName":     f.name,
		"FunctionArn":      arn,
		"Runtime":          "provided.al2023",
		"Role":             "arn:aws:iam::" + f.account + ":role/" + f.name + "-role",
		"Handler":          "bootstrap",
		"CodeSize":         1024,
		"Description":      v.cfg.Description,
		"Timeout":          int(v.cfg.Timeout / time.Second),
		"MemorySize":       v.cfg.MemoryMB,
		"LastModified":     v.lastModified.UTC().Format("2006-01-02T15:04:05.000-0700"),
		"CodeSha256":       v.codeSHA256,
		"Version":          v.version,
		"State":            "Active",
		"LastUpdateStatus": "Successful",
		"PackageType":      "Zip",
		"Architectures":    []string{"x86_64"},
	}
}

// listFunctions pages through the functions of the caller's account and
// region in name order; the marker is the next name, base64-encoded.
func (h *lambdaService) listFunctions(w http.ResponseWriter, r *http.Request, c *call) {
	if err := c.authorize("lambda:ListFunctions", "*", nil); err != nil {
		c.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	maxItems := lambdaDefaultMaxItems
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			c.writeError(w, r, lambdaInvalidParameter("1 validation error detected: Value '"+s+"' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000"))
			return
		}
		maxItems = n
	}
	var after string
	if m := q.Get("Marker"); m != "" {
		b, err := base64.RawURLEncoding.DecodeString(m)
		if err != nil {
			c.writeError(w, r, lambdaInvalidParameter("Invalid marker: "+m))
			return
		}
		after = string(b)
	}
	allVersions := q.Get("FunctionVersion") == "ALL"
	prefix := c.caller.AccountID + "/" + credentialScopeRegion(r) + "/"

	h.mu.Lock()
	var names []string
	for k, f := range h.functions {
		if strings.HasPrefix(k, prefix) && f.name >= after {
			names = append(names, f.name)
		}
	}
	sort.Strings(names)
	var out []map[string]any
	next := ""
	for i, n := range names {
		if i == maxItems {
			next = base64.RawURLEncoding.EncodeToString([]byte(n))
			break
		}
		f := h.functions[prefix+n]
		out = append(out, lambdaConfiguration(f, f.latest, f.arn("$LATEST")))
		if allVersions {
			for _, v := range sortedVersions(f) {
				out = append(out, lambdaConfiguration(f, f.versions[v], f.arn(v)))
			}
		}
	}
	h.mu.Unlock()

	resp := map[string]any{"Functions": out}
	if out == nil {
		resp["Functions"] = []any{}
	}
	if next != "" {
		resp["NextMarker"] = next
	}
	writeLambdaJSON(w, http.StatusOK, resp)
}

func sortedVersions(f *lambdaFunction) []string {
	vs := make([]string, 0, len(f.versions))
	for v := range f.versions {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { a, _ := strconv.Atoi(vs[i]); b, _ := strconv.Atoi(vs[j]); return a < b })
	return vs
}

// getFunction answers the configuration of the version the qualifier
// selects. As in AWS, the unqualified function reports its unqualified ARN.
func (h *lambdaService) getFunction(w http.ResponseWriter, r *http.Request, c *call) {
	f, v, qualifier, ok := h.target(w, r, c, "lambda:GetFunction")
	if !ok {
		return
	}
	h.mu.Lock()
	cfg := lambdaConfiguration(f, v, f.arn(qualifier))
	h.mu.Unlock()
	writeLambdaJSON(w, http.StatusOK, map[string]any{
		"Configuration": cfg,
		"Code": map[string]string{
			"RepositoryType": "S3",
			"Location":       "https://awslambda-" + f.region + "-tasks.s3." + f.region + ".amazonaws.com/snapshots/" + f.account + "/" + f.name,
		},
		"Tags": map[string]string{},
	})
}

// invoke runs the handler as Lambda's Invoke does for each invocation type.
// Event invocations run before the 202 is answered, which keeps the
// emulation free of background goroutines; the caller cannot tell.
func (h *lambdaService) invoke(w http.ResponseWriter, r *http.Request, c *call) {
	f, v, qualifier, ok := h.target(w, r, c, "lambda:InvokeFunction")
	if !ok {
		return
	}
	invType := r.Header.Get("X-Amz-Invocation-Type")
	if invType == "" {
		invType = "RequestResponse"
	}
	limit := lambdaMaxSyncPayload
	switch invType {
	case "RequestResponse":
	case "Event":
		limit = lambdaMaxAsyncPayload
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		c.writeError(w, r, lambdaInvalidParameter("1 validation error detected: Value '"+invType+"' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"))
		return
	}
	payload := c.body
	if len(payload) > limit {
		c.writeError(w, r, newError(http.StatusRequestEntityTooLarge, "RequestTooLargeException",
			fmt.Sprintf("Request must be smaller than %d bytes for the %s invocation type", limit, invType)))
		return
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if !json.Valid(payload) {
		c.writeError(w, r, newError(http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json"))
		return
	}
	var clientContext lambdacontext.ClientContext
	if cc := r.Header.Get("X-Amz-Client-Context"); cc != "" {
		raw, err := base64.StdEncoding.DecodeString(cc)
		if err != nil || json.Unmarshal(raw, &clientContext) != nil {
			c.writeError(w, r, newError(http.StatusBadRequest, "InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object."))
			return
		}
	}

	start := h.server.now()
	log := &lambdaLog{}
	ctx := lambdacontext.NewContext(context.WithValue(r.Context(), lambdaLogKey{}, log), &lambdacontext.LambdaContext{
		AwsRequestID:       c.requestID,
		InvokedFunctionArn: f.arn(qualifier),
		ClientContext:      clientContext,
	})
	ctx, cancel := context.WithTimeout(ctx, v.cfg.Timeout)
	response, fnErr := runLambdaHandler(ctx, v.handler, payload)
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
	cancel()
	if timedOut {
		fnErr = &messages.InvokeResponse_Error{Type: "Sandbox.Timedout",
			Message: fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", c.requestID, v.cfg.Timeout.Seconds())}
	}
	if fnErr != nil {
		response, _ = json.Marshal(fnErr)
	}
	if fnErr == nil && len(response) > lambdaMaxSyncPayload {
		fnErr = &messages.InvokeResponse_Error{Type: "Function.ResponseSizeTooLarge",
			Message: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", lambdaMaxSyncPayload)}
		response, _ = json.Marshal(fnErr)
	}

	rec := LambdaInvocation{FunctionARN: f.arn(v.version), Type: invType, Payload: payload, Response: response, RequestID: c.requestID}
	if fnErr != nil {
		rec.Error = fnErr.Type
	}
	h.mu.Lock()
	h.invocations = append(h.invocations, rec)
	h.mu.Unlock()

	if invType == "Event" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("X-Amz-Executed-Version", v.version)
	if fnErr != nil {
		hd.Set("X-Amz-Function-Error", "Unhandled")
	}
	if r.Header.Get("X-Amz-Log-Type") == "Tail" {
		hd.Set("X-Amz-Log-Result", lambdaLogTail(c.requestID, v, log, h.server.now().Sub(start)))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(response)
}

// runLambdaHandler calls the handler and turns its error or panic into the
// error payload the aws-lambda-go runtime would report: errorType is the
// error's type name (without the pointer), errorMessage its text.
func runLambdaHandler(ctx context.Context, h lambdago.Handler, payload []byte) (response []byte, fnErr *messages.InvokeResponse_Error) {
	defer func() {
		if p := recover(); p != nil {
			fnErr = &messages.InvokeResponse_Error{Type: lambdaErrorType(p), Message: fmt.Sprint(p), ShouldExit: true}
			for _, line := range strings.Split(strings.TrimSpace(string(debug.Stack())), "\n") {
				fnErr.StackTrace = append(fnErr.StackTrace, &messages.InvokeResponse_Error_StackFrame{Label: strings.TrimSpace(line)})
			}
		}
	}()
	out, err := h.Invoke(ctx, payload)
	if err != nil {
		var ive messages.InvokeResponse_Error
		if errors.As(err, &ive) {
			return nil, &ive
		}
		return nil, &messages.InvokeResponse_Error{Type: lambdaErrorType(err), Message: err.Error()}
	}
	return out, nil
}

func lambdaErrorType(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

// lambdaLogTail renders the invocation's log as Lambda does (START, the
// function's lines, END, REPORT) and returns its last 4 KB in base64.
func lambdaLogTail(requestID string, v *lambdaVersion, log *lambdaLog, d time.Duration) string {
	log.mu.Lock()
	body := log.buf.String()
	log.mu.Unlock()
	ms := float64(d.Microseconds()) / 1000
	text := fmt.Sprintf("START RequestId: %s Version: %s\n%sEND RequestId: %s\nREPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t\n",
		requestID, v.version, body, requestID, requestID, ms, int(ms)+1, v.cfg.MemoryMB, min(v.cfg.MemoryMB, 32))
	if len(text) > lambdaLogTailBytes {
		text = text[len(text)-lambdaLogTailBytes:]
	}
	return base64.StdEncoding.EncodeToString([]byte(text))
}

// credentialScopeRegion is the region the request was signed for, which is
// the region it addresses (the server has verified the signature already).
func credentialScopeRegion(r *http.Request) string {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil || a.region == "" {
		return "us-east-1"
	}
	return a.region
}
