package connectors

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// fakeClock is a Clock that moves only when told. waitWaiters lets a test
// know the monitor is blocked on it.
type fakeClock struct {
	mu      sync.Mutex
	cond    *sync.Cond
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(t time.Time) *fakeClock {
	c := &fakeClock{now: t}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	c.cond.Broadcast()
	return ch
}

// Advance moves the clock and fires every timer that is due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// waitWaiters blocks until n timers are pending.
func (c *fakeClock) waitWaiters(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.waiters) < n {
		c.cond.Wait()
	}
}

const (
	monBucket = "acme-reports"
	monPolicy = "connector"
)

// monitorKind is a connector kind whose check lists monBucket through S3:
// it proves s3:ListBucket, the permission the drift test takes away.
func monitorRegistry() *Registry {
	reg := &Registry{}
	need := policy.Requirement{Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + monBucket}
	if err := reg.Register(Kind{Name: "s3list", Title: "S3 list",
		Operations:  []OperationInfo{{Name: "ListObjects", Title: "List objects", Actions: []string{"s3:ListBucket"}}},
		Permissions: func(Connection, []Operation) ([]policy.Requirement, error) { return []policy.Requirement{need}, nil },
		New: func(cfg aws.Config, c Connection) (Checker, error) {
			return checkerFunc(func(ctx context.Context) CheckReport {
				_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).
					ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(monBucket)})
				return CheckReport{Steps: []CheckStep{ServiceStep("Amazon S3 ListObjectsV2", need, err)}}
			}), nil
		}}); err != nil {
		panic(err)
	}
	return reg
}

type checkerFunc func(ctx context.Context) CheckReport

func (f checkerFunc) Check(ctx context.Context) CheckReport { return f(ctx) }

// countingAssume counts AssumeRole calls, and when gate is set holds each
// until it receives, recording the most in flight at once.
type countingAssume struct {
	next     stscreds.AssumeRoleAPIClient
	calls    atomic.Int32
	inFlight atomic.Int32
	maxSeen  atomic.Int32
	gate     chan struct{}
	entered  chan struct{} // when set, receives as each call starts
}

func (c *countingAssume) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	c.calls.Add(1)
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for {
		m := c.maxSeen.Load()
		if n <= m || c.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	if c.entered != nil {
		c.entered <- struct{}{}
	}
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return c.next.AssumeRole(ctx, in, optFns...)
}

// monitorEnv is a customer role with s3:ListBucket on monBucket, a
// connection to it, and a resolver whose STS calls are counted.
type monitorEnv struct {
	srv      *localaws.Server
	customer *localaws.Account
	roleARN  string
	extID    string
	sts      *countingAssume
	r        *Resolver
	conns    []Connection
}

func newMonitorEnv(t *testing.T, roles int) *monitorEnv {
	t.Helper()
	srv, err := localaws.Start()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	customer, err := srv.CreateAccount(swCustomer)
	require.NoError(t, err)
	e := &monitorEnv{srv: srv, customer: customer}
	require.NoError(t, e.customer.CreateBucket(monBucket))
	d := scope.Deriver{Prefix: swPrefix}
	e.extID, err = d.ExternalID(scope.WorkspaceMode, swWorkspace, "")
	require.NoError(t, err)
	trust, err := policy.TrustPolicy(srv.PlatformAccountID(), e.extID)
	require.NoError(t, err)
	perms, err := policy.LeastPrivilege(policy.Requirement{Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + monBucket})
	require.NoError(t, err)
	base := srv.Config(nil)
	base.RetryMaxAttempts = 1
	e.sts = &countingAssume{next: sts.NewFromConfig(base)}
	cache := role.NewCache(e.sts)
	t.Cleanup(func() { _ = cache.Close() })
	e.r = NewResolver(base, d, FixedMode(scope.WorkspaceMode), cache, func(o *Options) {
		o.Registry = monitorRegistry()
		o.STS = e.sts
		o.PlatformAccountID = srv.PlatformAccountID()
		o.AllowEndpoint = AllowHosts("127.0.0.1") // localaws
	})
	t.Cleanup(e.r.CloseConnections)
	for i := range roles {
		name := "reports" + string(rune('a'+i))
		arn, err := e.customer.CreateRole(name, trust, localaws.WithPolicy(monPolicy, perms))
		require.NoError(t, err)
		if i == 0 {
			e.roleARN = arn
		}
		e.conns = append(e.conns, Connection{ID: "c-" + name, WorkspaceID: swWorkspace, Kind: "s3list", Region: "us-east-1",
			Endpoint: srv.URL(), Auth: Auth{Type: AuthIAMRole, RoleARN: arn}})
	}
	return e
}

func (e *monitorEnv) source(context.Context) ([]Connection, error) { return e.conns, nil }

func TestMonitorDetectsEachDriftWithinOneInterval(t *testing.T) {
	e := newMonitorEnv(t, 1)
	clk, round, stop := startMonitor(t, e)
	drifts := func(evs []DriftEvent) map[DriftKind]bool {
		out := map[DriftKind]bool{}
		for _, ev := range evs {
			require.Equal(t, "c-reportsa", ev.ConnectionID)
			require.Equal(t, e.roleARN, ev.RoleARN)
			require.Equal(t, clk.Now(), ev.At)
			out[ev.Drift] = !ev.Resolved
		}
		return out
	}

	require.Empty(t, round(), "a healthy connection reports nothing")

	// The customer replaces the trust policy with one for another ID.
	other, err := policy.TrustPolicy(e.srv.PlatformAccountID(), "someone_elses_id")
	require.NoError(t, err)
	require.NoError(t, e.customer.UpdateTrustPolicy("reportsa", other))
	evs := round()
	require.Equal(t, map[DriftKind]bool{DriftUntrusted: true}, drifts(evs))
	require.Contains(t, evs[0].Hint, e.extID)
	require.True(t, evs[0].TrustPolicy.Admits("arn:aws:iam::"+e.srv.PlatformAccountID()+":root", e.extID))

	require.Empty(t, round(), "an unchanged drift is not reported again")

	// The customer "fixes" it by dropping the external ID condition.
	open, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
		e.srv.PlatformAccountID() + `:root"},"Action":"sts:AssumeRole"}]}`))
	require.NoError(t, err)
	require.NoError(t, e.customer.UpdateTrustPolicy("reportsa", open))
	evs = round()
	require.Equal(t, map[DriftKind]bool{DriftUntrusted: false, DriftExternalIDNotRequired: true}, drifts(evs))
	for _, ev := range evs {
		if ev.Drift == DriftExternalIDNotRequired {
			require.Contains(t, ev.Message, "confused deputy")
			require.Contains(t, ev.Hint, "sts:ExternalId")
		}
	}

	// The right trust policy is back, and the permission goes.
	trust, err := policy.TrustPolicy(e.srv.PlatformAccountID(), e.extID)
	require.NoError(t, err)
	require.NoError(t, e.customer.UpdateTrustPolicy("reportsa", trust))
	require.NoError(t, e.customer.DeleteRolePolicy("reportsa", monPolicy))
	evs = round()
	require.Equal(t, map[DriftKind]bool{DriftExternalIDNotRequired: false, DriftPermissionMissing: true}, drifts(evs))
	for _, ev := range evs {
		if ev.Drift == DriftPermissionMissing {
			require.Equal(t, "s3:ListBucket", ev.Action)
			require.Equal(t, "arn:aws:s3:::"+monBucket, ev.Resource)
			require.NotNil(t, ev.PolicyToAdd)
		}
	}

	stop()
}

// monitorInterval is the interval of the monitors startMonitor runs.
const monitorInterval = time.Hour

// startMonitor runs a Monitor of e's connections on a fake clock until the
// test stops it. round advances one interval, lets the round run to its
// end (the monitor waits on the clock again) and returns what it reported;
// stop cancels the monitor and checks it stopped and may run again.
func startMonitor(t *testing.T, e *monitorEnv) (clk *fakeClock, round func() []DriftEvent, stop func()) {
	t.Helper()
	clk = newFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	events := make(chan DriftEvent, 16)
	m := NewMonitor(e.r, e.source, func(ev DriftEvent) { events <- ev }, func(o *MonitorOptions) {
		o.Interval, o.Jitter, o.Clock = monitorInterval, 0.5, clk
		o.STSRate, o.STSBurst = 100, 10
		o.OnError = func(err error) { t.Errorf("monitor error: %v", err) }
		o.rand = func() float64 { return 1 } // the longest first wait, the shortest later ones
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	round = func() []DriftEvent {
		t.Helper()
		clk.waitWaiters(1)
		clk.Advance(monitorInterval)
		clk.waitWaiters(1)
		var out []DriftEvent
		for {
			select {
			case ev := <-events:
				out = append(out, ev)
			default:
				return out
			}
		}
	}
	stop = func() {
		t.Helper()
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
		require.ErrorIs(t, m.Run(canceled()), context.Canceled, "a stopped monitor may run again")
	}
	return clk, round, stop
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestMonitorRateLimit(t *testing.T) {
	e := newMonitorEnv(t, 3)
	clk := newFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	m := NewMonitor(e.r, e.source, func(DriftEvent) {}, func(o *MonitorOptions) {
		o.Interval, o.Jitter, o.Clock = time.Hour, -1, clk
		o.STSRate, o.STSBurst, o.Concurrency = 1, 1, 1
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	// Each connection costs two STS calls (fresh AssumeRole and the probe);
	// at one call a second, the clock must move a second for each.
	for want := int32(1); want <= 6; want++ {
		clk.waitWaiters(1)
		require.Equal(t, want, e.sts.calls.Load(), "STS calls after %d s", want-1)
		clk.Advance(time.Second)
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

func TestMonitorConcurrencyBound(t *testing.T) {
	e := newMonitorEnv(t, 6)
	e.sts.gate, e.sts.entered = make(chan struct{}), make(chan struct{}, 100)
	clk := newFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	rounds := make(chan struct{}, 1)
	source := func(ctx context.Context) ([]Connection, error) {
		select {
		case rounds <- struct{}{}:
			return e.conns, nil
		default:
			return nil, errors.New("one round only")
		}
	}
	m := NewMonitor(e.r, source, func(DriftEvent) {}, func(o *MonitorOptions) {
		o.Interval, o.Jitter, o.Clock = time.Hour, -1, clk
		o.STSRate, o.STSBurst, o.Concurrency = 1000, 100, 2
		o.OnError = func(error) {}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	<-e.sts.entered
	<-e.sts.entered // two connections are being checked at once
	for range 12 {  // six connections, two calls each
		e.sts.gate <- struct{}{}
	}
	clk.waitWaiters(1) // the round is over
	require.Equal(t, int32(12), e.sts.calls.Load())
	require.Equal(t, int32(2), e.sts.maxSeen.Load(), "never more than two at once")
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

func TestMonitorStopsWithItsContext(t *testing.T) {
	e := newMonitorEnv(t, 2)
	e.sts.gate, e.sts.entered = make(chan struct{}), make(chan struct{}, 100) // every STS call hangs
	clk := newFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	m := NewMonitor(e.r, e.source, func(DriftEvent) {}, func(o *MonitorOptions) {
		o.Jitter, o.Clock = -1, clk
		o.OnError = func(error) {}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	<-e.sts.entered // a check is under way (no jitter: the first round starts at once)
	require.ErrorIs(t, m.Run(ctx), ErrMonitorRunning)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	// goleak in TestMain checks that nothing Run started is left.
}

// TestMonitorRoleDeletedAndKeyPermissionRemoved: a deleted role is an
// untrusted one within one interval, and resolved once it is back; an
// access-key connection whose user loses the permission drifts too, with
// no STS call for it.
func TestMonitorRoleDeletedAndKeyPermissionRemoved(t *testing.T) {
	e := newMonitorEnv(t, 1)
	_, err := e.customer.CreateUser("lister")
	require.NoError(t, err)
	perms, err := policy.LeastPrivilege(policy.Requirement{Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + monBucket})
	require.NoError(t, err)
	require.NoError(t, e.customer.PutUserPolicy("lister", "s3", perms))
	key, err := e.customer.CreateAccessKey("lister")
	require.NoError(t, err)
	e.conns = append(e.conns, Connection{ID: "c-key", WorkspaceID: swWorkspace, Kind: "s3list", Region: "us-east-1", Endpoint: e.srv.URL(),
		Auth: Auth{Type: AuthAccessKey, AccessKeyID: key.AccessKeyID, SecretAccessKey: Secret(key.SecretAccessKey)}})
	_, round, stop := startMonitor(t, e)
	seen := func(evs []DriftEvent) map[string]bool {
		out := map[string]bool{}
		for _, ev := range evs {
			out[ev.ConnectionID+" "+string(ev.Drift)] = !ev.Resolved
		}
		return out
	}
	require.Empty(t, round(), "healthy connections report nothing")

	require.NoError(t, e.customer.DeleteRole("reportsa"))
	require.NoError(t, e.customer.DeleteUserPolicy("lister", "s3"))
	require.Equal(t, map[string]bool{"c-reportsa " + string(DriftUntrusted): true, "c-key " + string(DriftPermissionMissing): true}, seen(round()))

	trust, err := policy.TrustPolicy(e.srv.PlatformAccountID(), e.extID)
	require.NoError(t, err)
	_, err = e.customer.CreateRole("reportsa", trust, localaws.WithPolicy(monPolicy, perms))
	require.NoError(t, err)
	require.NoError(t, e.customer.PutUserPolicy("lister", "s3", perms))
	require.Equal(t, map[string]bool{"c-reportsa " + string(DriftUntrusted): false, "c-key " + string(DriftPermissionMissing): false}, seen(round()))
	stop()
}
