package localaws

import (
	"fmt"
	"net/http"
	"time"
)

// FaultKind is a failure the server can inject. It is a plain value.
type FaultKind int

const (
	// Throttle answers with the service's throttling error: Throttling
	// (STS, and CloudWatch as its query-compatible clients read it),
	// SlowDown (S3), 429 TooManyRequestsException (restJson1 services such
	// as Lambda and SES v2, unless the service names its own),
	// ThrottlingException (Logs). The SDK retries these.
	Throttle FaultKind = iota + 1
	// ServerError answers with a 5xx: InternalFailure/InternalError (500)
	// or ServiceUnavailable (503), as Fault.Status says.
	ServerError
	// Latency delays the request by Fault.Latency, then serves it normally.
	Latency
	// DropConnection closes the connection without answering.
	DropConnection
)

// String names the kind for the request log.
func (k FaultKind) String() string {
	switch k {
	case Throttle:
		return "Throttle"
	case ServerError:
		return "ServerError"
	case Latency:
		return "Latency"
	case DropConnection:
		return "DropConnection"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault is one injected failure. It hits authenticated requests only,
// after their signature is verified and before the service sees them. It is
// a plain value; InjectFault copies it.
type Fault struct {
	// Service is the SigV4 signing name ("iam", "sts", "s3", "lambda", "ses",
	// "lex", "monitoring", "logs"). Required.
	Service string
	// Operation is the API operation ("AssumeRole", "PutObject"). Optional;
	// default "" hits every operation of the service.
	Operation string
	// Kind is the failure. Required.
	Kind FaultKind
	// Status is ServerError's HTTP status, 500 or 503. Optional; default 500.
	Status int
	// Latency is how long Latency delays the request. Required for Latency.
	Latency time.Duration
	// Times is how many requests the fault hits before it disarms itself.
	// Optional; default 0 hits every matching request until removed.
	Times int
}

// armedFault is a Fault with its remaining count; guarded by Server.mu.
type armedFault struct {
	Fault
	left int // remaining hits when Times > 0
}

// InjectFault arms f and returns the function that disarms it. Faults are
// matched in the order they were injected; the first match wins.
func (s *Server) InjectFault(f Fault) (remove func(), err error) {
	switch {
	case f.Service == "":
		return nil, fmt.Errorf("localaws: Fault.Service is required (one of %v)", registeredServices())
	case f.Kind < Throttle || f.Kind > DropConnection:
		return nil, fmt.Errorf("localaws: Fault.Kind %v is not one of Throttle, ServerError, Latency, DropConnection", f.Kind)
	case f.Kind == ServerError && f.Status != 0 && f.Status != 500 && f.Status != 503:
		return nil, fmt.Errorf("localaws: Fault.Status %d must be 500 or 503", f.Status)
	case f.Kind == Latency && f.Latency <= 0:
		return nil, fmt.Errorf("localaws: Fault.Latency must be positive for a Latency fault")
	}
	if _, ok := s.routes[f.Service]; !ok {
		return nil, fmt.Errorf("localaws: Fault.Service %q is not served (one of %v)", f.Service, registeredServices())
	}
	af := &armedFault{Fault: f, left: f.Times}
	s.mu.Lock()
	s.faults = append(s.faults, af)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, x := range s.faults {
			if x == af {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
				return
			}
		}
	}, nil
}

// takeFault returns the fault that hits this request, if any, and counts the hit.
func (s *Server) takeFault(service, operation string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, af := range s.faults {
		if af.Service != service || (af.Operation != "" && af.Operation != operation) {
			continue
		}
		if af.Times > 0 {
			af.left--
			if af.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return af.Fault, true
	}
	return Fault{}, false
}

// applyFault injects the fault for c, if one is armed. It reports whether
// the request is finished (answered or dropped).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, c *call) bool {
	f, ok := s.takeFault(c.service, c.operation)
	if !ok {
		return false
	}
	c.entry.Fault = f.Kind.String()
	switch f.Kind {
	case Throttle:
		throttle := stdError(c.protocol, errThrottling, "")
		if rt := s.routes[c.service]; rt.spec.throttle != nil {
			throttle = rt.spec.throttle
		}
		c.writeError(w, r, throttle)
	case ServerError:
		kind := errInternal
		if f.Status == http.StatusServiceUnavailable {
			kind = errUnavailable
		}
		c.writeError(w, r, stdError(c.protocol, kind, ""))
	case Latency:
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
			return false
		case <-r.Context().Done():
		case <-s.done:
		}
		// The client gave up or the server is closing; nobody reads an answer.
		return true
	case DropConnection:
		// ErrAbortHandler makes net/http close the connection without a
		// response and without logging a panic.
		panic(http.ErrAbortHandler)
	}
	return true
}

// LogEntry is one request as the server saw it. Requests returns copies,
// which the caller owns.
type LogEntry struct {
	// Time is the server clock when the request arrived.
	Time time.Time
	// RequestID is the x-amzn-RequestId the server answered with.
	RequestID string
	// Service is the SigV4 signing name; "" when the request was not signed.
	Service string
	// Operation is the API operation, "" when it could not be told.
	Operation string
	// Caller is the verified identity; zero when authentication failed.
	Caller Caller
	// Action is the IAM action of the last authorisation the handler asked
	// for ("s3:GetObject"); "" when it asked none (e.g. GetCallerIdentity).
	Action string
	// Resource is that authorisation's resource ARN, or "*".
	Resource string
	// Decision is that authorisation's outcome; "" when none was asked.
	Decision Decision
	// Status is the HTTP status answered; 0 for a dropped connection.
	Status int
	// ErrorCode is the AWS error code answered, "" on success.
	ErrorCode string
	// Fault names the injected FaultKind that hit the request, if any.
	Fault string
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []LogEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LogEntry(nil), s.log...)
}

// ResetRequests empties the request log, so a test can assert on the
// requests of one step only.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// record appends a finished request to the log.
func (s *Server) record(e LogEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, e)
}
