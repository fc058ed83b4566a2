package connectors

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
)

// Clock is the time source of a [Monitor]; tests pass a fake one that
// advances on demand. Implementations must be safe for concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// After returns a channel that receives once d has elapsed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// DriftKind names what changed in a customer's account.
type DriftKind string

const (
	// DriftUntrusted: the role's trust policy no longer admits the platform
	// with the connection's external ID (or the role is gone); the
	// connection is broken.
	DriftUntrusted DriftKind = "role_untrusted"
	// DriftExternalIDNotRequired: the role admits the platform WITHOUT the
	// external ID, so it is open to the confused deputy: another customer of
	// the platform who learns the role ARN could reach this account.
	DriftExternalIDNotRequired DriftKind = "external_id_not_required"
	// DriftPermissionMissing: the role (or access key) lost a permission the
	// connector needs.
	DriftPermissionMissing DriftKind = "permission_missing"
)

// DriftEvent reports that one kind of drift started on a connection, or
// (Resolved) ended. It is a plain value that marshals to JSON.
type DriftEvent struct {
	// ConnectionID is the connection.
	ConnectionID string `json:"connection_id"`
	// WorkspaceID is the connection's workspace.
	WorkspaceID string `json:"workspace_id"`
	// ProjectID is the connection's project.
	ProjectID string `json:"project_id,omitempty"`
	// Kind is the connection's connector kind.
	Kind string `json:"kind"`
	// RoleARN is the connection's role; "" for access-key connections.
	RoleARN string `json:"role_arn,omitempty"`
	// Drift is what changed.
	Drift DriftKind `json:"drift"`
	// Resolved is set when the drift ended (the customer fixed it).
	Resolved bool `json:"resolved"`
	// At is when the check that saw the change ran.
	At time.Time `json:"at"`
	// Message says what the check saw.
	Message string `json:"message"`
	// Hint says what the customer should change; "" once resolved.
	Hint string `json:"hint,omitempty"`
	// RequestID is the AWS request ID of the call that saw the drift, for
	// the customer's CloudTrail; "" once resolved or when AWS sent none.
	RequestID string `json:"request_id,omitempty"`
	// ErrorCode is AWS's error code of that call ("AccessDenied").
	ErrorCode string `json:"error_code,omitempty"`
	// Action is the missing IAM action of a DriftPermissionMissing.
	Action string `json:"action,omitempty"`
	// Resource is the ARN Action is missing on.
	Resource string `json:"resource,omitempty"`
	// PolicyToAdd is the least-privilege statement that restores it.
	PolicyToAdd *policy.Document `json:"policy_to_add,omitempty"`
	// TrustPolicy is the trust policy the role should have, for
	// DriftUntrusted and DriftExternalIDNotRequired when the platform
	// principal is configured.
	TrustPolicy *policy.Document `json:"trust_policy,omitempty"`
}

// ConnectionSource lists the connections a [Monitor] re-checks: the
// platform's active connections. It is called once per round.
type ConnectionSource func(ctx context.Context) ([]Connection, error)

// Defaults of MonitorOptions.
const (
	// DefaultMonitorInterval: a customer who breaks a role hears of it
	// within a quarter of an hour, while each connection costs its account
	// two STS calls per interval, far below any quota.
	DefaultMonitorInterval = 15 * time.Minute
	// DefaultMonitorJitter shortens each wait by up to a fifth, at random,
	// so platform instances started together drift apart instead of
	// checking in step.
	DefaultMonitorJitter = 0.2
	// DefaultMonitorConcurrency checks a few connections at once: enough to
	// hide one slow STS answer, few enough to stay gentle on the platform.
	DefaultMonitorConcurrency = 4
	// DefaultMonitorSTSRate is 5 STS calls a second, under 1% of STS's
	// default request quota per account and region, so the monitor never
	// throttles the AssumeRole calls live traffic needs. A round of N role
	// connections makes 2N calls, so it lasts at least 2N/5 seconds: 2,250
	// connections fit in the default interval; raise the rate or the
	// interval for more.
	DefaultMonitorSTSRate = 5
)

// MonitorOptions configures a [Monitor]. NewMonitor reads it once.
type MonitorOptions struct {
	// Interval is the time from the end of one round of checks to the start
	// of the next, before jitter. Default DefaultMonitorInterval (15
	// minutes). Optional.
	Interval time.Duration
	// Jitter is the fraction of Interval, between 0 and 1, by which each
	// wait is shortened at random (never lengthened, so a drift is seen
	// within one Interval of the round after it); the first round starts
	// after a random part of Jitter·Interval. A negative value means none.
	// Default DefaultMonitorJitter (0.2). Optional.
	Jitter float64
	// Concurrency bounds the connections checked at once. Default
	// DefaultMonitorConcurrency (4). Optional.
	Concurrency int
	// STSRate bounds the monitor's STS calls per second, all connections
	// together. Default DefaultMonitorSTSRate (5). Optional.
	STSRate float64
	// STSBurst is how many STS calls may go at once within STSRate.
	// Default 1. Optional.
	STSBurst int
	// OnError receives what kept a round or a connection from being
	// checked: the source failing, a connection that cannot be resolved.
	// Called from one goroutine at a time. Default: ignored. Optional.
	OnError func(error)
	// Clock is the time source. Default the system clock. Optional.
	Clock Clock

	rand func() float64 // jitter source; tests make it deterministic
}

// Monitor re-checks a platform's active connections in the background and
// reports drift through a callback: a role that stopped trusting the
// platform, a role that stopped requiring the external ID, a permission that
// disappeared, and each of them ending. Each round lists the connections,
// checks them with bounded concurrency under an STS rate limit, then waits a
// jittered interval. A connection's role is assumed fresh (never from cache),
// the confused-deputy probe of [Resolver.Check] is asked, and the kind's own
// check proves the permission.
//
// A connection is presumed healthy until checked (it was when connected), so
// the first round reports whatever is already wrong. Transient failures (a
// network error, throttling) report nothing: the state stays as it was.
//
// A Monitor is safe for concurrent use; Run it once at a time.
type Monitor struct {
	r       *Resolver
	source  ConnectionSource
	onDrift func(DriftEvent)
	opts    MonitorOptions
	lim     *rate.Limiter

	running atomic.Bool
	mu      sync.Mutex // guards state and serialises onDrift and OnError
	state   map[string]map[DriftKind]bool
}

// NewMonitor returns a Monitor of the connections source lists, resolved by
// r, reporting to onDrift (called from one goroutine at a time; keep it
// short, it holds up the checks).
func NewMonitor(r *Resolver, source ConnectionSource, onDrift func(DriftEvent), optFns ...func(*MonitorOptions)) *Monitor {
	var o MonitorOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Interval <= 0 {
		o.Interval = DefaultMonitorInterval
	}
	if o.Jitter == 0 {
		o.Jitter = DefaultMonitorJitter
	}
	o.Jitter = min(max(o.Jitter, 0), 1)
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultMonitorConcurrency
	}
	if o.STSRate <= 0 {
		o.STSRate = DefaultMonitorSTSRate
	}
	if o.STSBurst <= 0 {
		o.STSBurst = 1
	}
	if o.OnError == nil {
		o.OnError = func(error) {}
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.rand == nil {
		o.rand = rand.Float64
	}
	return &Monitor{r: r, source: source, onDrift: onDrift, opts: o,
		lim: rate.NewLimiter(rate.Limit(o.STSRate), o.STSBurst), state: map[string]map[DriftKind]bool{}}
}

// ErrMonitorRunning is returned by [Monitor.Run] while another Run of the
// same Monitor is under way.
var ErrMonitorRunning = errors.New("connectors: the monitor is already running; run each Monitor once at a time")

// Run checks rounds of connections until ctx ends, then waits for the checks
// under way to stop and returns ctx's error. Nothing it starts outlives it.
func (m *Monitor) Run(ctx context.Context) error {
	if !m.running.CompareAndSwap(false, true) {
		return ErrMonitorRunning
	}
	defer m.running.Store(false)
	wait := time.Duration(m.opts.rand() * m.opts.Jitter * float64(m.opts.Interval))
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-m.opts.Clock.After(wait):
		}
		m.round(ctx)
		wait = time.Duration(float64(m.opts.Interval) * (1 - m.opts.Jitter*m.opts.rand()))
	}
}

// round checks every connection of the source once.
func (m *Monitor) round(ctx context.Context) {
	conns, err := m.source(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.report(nil, fmt.Errorf("connectors: monitor: listing the connections: %w", err))
		}
		return
	}
	var g errgroup.Group
	g.SetLimit(m.opts.Concurrency)
	live := make(map[string]bool, len(conns))
	for _, c := range conns {
		live[c.ID] = true
		g.Go(func() error {
			if ctx.Err() == nil {
				m.check(ctx, c)
			}
			return nil
		})
	}
	_ = g.Wait()
	m.mu.Lock()
	for id := range m.state {
		if !live[id] {
			delete(m.state, id)
		}
	}
	m.mu.Unlock()
}

// observation is what one check saw of one drift kind.
type observation struct {
	drifted bool
	event   DriftEvent // the details, for a drifted observation
}

// check runs the checks of one connection and reports the changes.
func (m *Monitor) check(ctx context.Context, c Connection) {
	seen := map[DriftKind]observation{}
	trusted := true
	if c.Auth.Type == AuthIAMRole {
		spec, err := m.r.Spec(ctx, c)
		if err != nil {
			m.report(nil, fmt.Errorf("connectors: monitor: connection %q: %w", c.ID, err))
			return
		}
		if err := m.waitSTS(ctx); err != nil {
			return
		}
		_, err = m.r.cache.RetrieveFresh(ctx, spec)
		var are *role.AssumeRoleError
		switch {
		case err == nil:
			seen[DriftUntrusted] = observation{}
		case errors.As(err, &are) && are.Reason == role.ReasonTrustPolicy:
			trusted = false
			var step CheckStep
			assumeFailure(&step, spec, err)
			seen[DriftUntrusted] = observation{drifted: true, event: DriftEvent{
				Message: step.Message, Hint: step.Hint, RequestID: step.RequestID, ErrorCode: step.ErrorCode,
				TrustPolicy: m.r.trustPolicy(spec)}}
		default:
			trusted = false // unknown: nothing below can be told either
		}
		if trusted {
			if err := m.waitSTS(ctx); err != nil {
				return
			}
			perr := m.r.assumeProbe(ctx, spec.RoleARN, "", probeSessionName)
			switch step := m.r.probeVerdict(spec, perr); {
			case perr == nil:
				seen[DriftExternalIDNotRequired] = observation{drifted: true, event: DriftEvent{
					Message: step.Message, Hint: step.Hint, TrustPolicy: step.TrustPolicy}}
			case IsAccessDenied(perr):
				seen[DriftExternalIDNotRequired] = observation{}
			}
		}
	}
	if trusted {
		if obs, ok := m.permission(ctx, c); ok {
			seen[DriftPermissionMissing] = obs
		}
	}
	m.report(func() []DriftEvent { return m.changes(c, seen) }, nil)
}

// permission runs the kind's own check and reports whether a permission is
// missing; false when the check could tell nothing (a network error, a
// missing resource).
func (m *Monitor) permission(ctx context.Context, c Connection) (observation, bool) {
	kind, ok := m.r.opts.Registry.Lookup(c.Kind)
	if !ok {
		m.report(nil, fmt.Errorf("connectors: monitor: connection %q: connector kind %q is not registered", c.ID, c.Kind))
		return observation{}, false
	}
	cfg, err := m.r.Config(ctx, c)
	if err != nil {
		m.report(nil, fmt.Errorf("connectors: monitor: connection %q: %w", c.ID, err))
		return observation{}, false
	}
	checker, err := kind.New(cfg, c)
	if err != nil {
		m.report(nil, fmt.Errorf("connectors: monitor: connection %q: building the %s connector: %w", c.ID, kind.Title, err))
		return observation{}, false
	}
	rep := checker.Check(ctx)
	allPassed := true
	for _, s := range rep.Steps {
		if s.Status == Failed && s.Action != "" && s.PolicyToAdd != nil {
			return observation{drifted: true, event: DriftEvent{Message: s.Message, Hint: s.Hint,
				RequestID: s.RequestID, ErrorCode: s.ErrorCode,
				Action: s.Action, Resource: s.Resource, PolicyToAdd: s.PolicyToAdd}}, true
		}
		allPassed = allPassed && (s.Status == Passed || s.Status == Warned || s.Status == Skipped)
	}
	return observation{}, allPassed
}

// changes compares what a check saw with the connection's last state,
// records it, and returns the events. m.mu is held.
func (m *Monitor) changes(c Connection, seen map[DriftKind]observation) []DriftEvent {
	st := m.state[c.ID]
	if st == nil {
		st = map[DriftKind]bool{}
		m.state[c.ID] = st
	}
	var out []DriftEvent
	for _, kind := range []DriftKind{DriftUntrusted, DriftExternalIDNotRequired, DriftPermissionMissing} {
		obs, ok := seen[kind]
		if !ok || obs.drifted == st[kind] {
			continue
		}
		st[kind] = obs.drifted
		ev := obs.event
		if !obs.drifted {
			ev = DriftEvent{Resolved: true, Message: resolvedMessage[kind]}
		}
		ev.ConnectionID, ev.WorkspaceID, ev.ProjectID, ev.Kind = c.ID, c.WorkspaceID, c.ProjectID, c.Kind
		ev.RoleARN, ev.Drift, ev.At = c.Auth.RoleARN, kind, m.opts.Clock.Now()
		out = append(out, ev)
	}
	return out
}

var resolvedMessage = map[DriftKind]string{
	DriftUntrusted:             "The role admits the platform with the external ID again.",
	DriftExternalIDNotRequired: "The role requires the external ID again.",
	DriftPermissionMissing:     "The connector's permission is back.",
}

// report delivers events (computed under m.mu) or an error, one at a time.
func (m *Monitor) report(events func() []DriftEvent, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.opts.OnError(err)
		return
	}
	for _, ev := range events() {
		m.onDrift(ev)
	}
}

// waitSTS waits for the rate limiter's leave to make one STS call.
func (m *Monitor) waitSTS(ctx context.Context) error {
	now := m.opts.Clock.Now()
	res := m.lim.ReserveN(now, 1)
	d := res.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		res.CancelAt(m.opts.Clock.Now())
		return ctx.Err()
	case <-m.opts.Clock.After(d):
		return nil
	}
}
