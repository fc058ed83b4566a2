package localaws

import (
	"fmt"
	"net/http"
	"sort"
)

// serviceSpec describes one AWS service to the server. Each service file
// registers one from an init function; Start builds a fresh handler per
// server, so servers share nothing. See "Adding a service" in doc.go.
type serviceSpec struct {
	// name is the SigV4 signing name the SDK client puts in the credential
	// scope ("sts", "s3", "lambda", "ses", "lex", "monitoring", "logs"); the
	// server routes on it.
	name string
	// protocol decides the shape of every error the server writes for the
	// service, including signature failures and injected faults.
	protocol protocol
	// namespace is the XML namespace of the service's awsQuery responses
	// ("https://sts.amazonaws.com/doc/2011-06-15/"). Required for
	// protocolQuery services.
	namespace string
	// newHandler builds the service's state for one server.
	newHandler func(s *Server) serviceHandler
	// throttle is the service's own throttling error, for services whose
	// spelling differs from their protocol's default (Lex V2 answers 429
	// ThrottlingException where Lambda answers 429
	// TooManyRequestsException). Optional; default stdError(protocol,
	// errThrottling, "").
	throttle *apiError
}

// serviceHandler serves one service's requests once the server has verified
// their signature.
type serviceHandler interface {
	// operation names the API operation a request calls ("AssumeRole",
	// "PutObject", "Invoke"), for fault injection and the request log. It
	// runs before authentication, so it must not trust anything but the
	// request's shape; body is the whole request body. "" means unknown.
	operation(r *http.Request, body []byte) string
	// serve answers the request. r.Body holds the full body again (it was
	// read for the signature check). Errors are written with c.writeError;
	// every action is authorised with c.authorize first.
	serve(w http.ResponseWriter, r *http.Request, c *call)
}

// services is the registry filled by init functions, keyed by signing name.
// It is only written before main runs, so it needs no lock.
var services = map[string]serviceSpec{}

// registerService adds a service. It panics on a duplicate name because that
// is a programming error in this package, found by the first test run.
func registerService(spec serviceSpec) {
	if spec.name == "" || spec.newHandler == nil || spec.protocol == 0 {
		panic("localaws: registerService: name, protocol and newHandler are required")
	}
	if spec.protocol == protocolQuery && spec.namespace == "" {
		panic("localaws: registerService: awsQuery service " + spec.name + " needs its XML namespace")
	}
	if _, dup := services[spec.name]; dup {
		panic(fmt.Sprintf("localaws: service %q registered twice", spec.name))
	}
	services[spec.name] = spec
}

// registeredServices lists the signing names in order, for error messages.
func registeredServices() []string {
	names := make([]string, 0, len(services))
	for n := range services {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// route is a service as one server runs it.
type route struct {
	spec    serviceSpec
	handler serviceHandler
}

// call is one verified request as a handler sees it: who is calling, what,
// and the helpers to authorise and to answer in the service's protocol.
// A call belongs to one request goroutine.
type call struct {
	server    *Server
	service   string
	protocol  protocol
	operation string
	requestID string
	// caller is the verified identity; every handler decision starts here.
	caller Caller
	// principalKeys are the condition keys that come with the caller's
	// credentials (see accessKey.conditionKeys).
	principalKeys map[string][]string
	// region is the region the request was signed for.
	region string
	// body is the full request body (also readable again from r.Body).
	body []byte

	// entry collects what the request log records about this call.
	entry *LogEntry
}

// authorize asks the caller's policies whether they allow action on
// resource, with conditions as extra condition keys (the server adds the
// global ones: aws:PrincipalArn, aws:PrincipalAccount, aws:CurrentTime, ...).
// It returns nil when allowed, and otherwise AWS's AccessDenied in the
// service's protocol, naming action and resource, ready for writeError.
// Each decision is recorded in the request log.
func (c *call) authorize(action, resource string, conditions map[string][]string) error {
	return c.server.authorize(c, action, resource, conditions)
}

// writeError writes err in the service's protocol: an *apiError as it is,
// anything else as InternalFailure. The code is recorded in the request log.
func (c *call) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ae := asAPIError(c.protocol, err)
	if c.entry != nil {
		c.entry.ErrorCode = ae.code
	}
	writeAPIError(w, r, c.protocol, c.requestID, ae)
}

// errorf builds an error of a standard kind in the service's protocol, with
// a message formatted like fmt.Sprintf; a handler returns or writes it.
func (c *call) errorf(kind errKind, format string, args ...any) *apiError {
	return stdError(c.protocol, kind, fmt.Sprintf(format, args...))
}

// newError builds a service-specific error, e.g. S3's NoSuchBucket or
// Lambda's ResourceNotFoundException.
func newError(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}
