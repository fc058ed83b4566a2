package redisstore

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awsconnect/awsconnect/localaws"
)

// deadAddr returns a loopback address nothing listens on: connecting is
// refused at once, as when Redis is down.
func deadAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func newClient(t *testing.T, addr string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestNewRefusesClientIgnoringDeadlines(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: deadAddr(t)})
	defer c.Close()
	_, err := New(c, mustRing(t, randomBytes(32), testKey("k1")))
	if err == nil || !strings.Contains(err.Error(), "ContextTimeoutEnabled") {
		t.Fatalf("New = %v; want a refusal naming ContextTimeoutEnabled", err)
	}
	if _, err := New(nil, mustRing(t, randomBytes(32), testKey("k1"))); err == nil {
		t.Fatal("New accepted a nil client")
	}
	if _, err := New(newClient(t, deadAddr(t)), nil); err == nil {
		t.Fatal("New accepted a nil key ring")
	}
}

// TestBreakerOpensAndProbes: with Redis down every call fails, never
// panics or hangs; after the threshold the store stops calling Redis, and
// after the cooldown it lets exactly one probe through.
func TestBreakerOpensAndProbes(t *testing.T) {
	clock := localaws.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	var logs logBuffer
	s, err := New(newClient(t, deadAddr(t)), mustRing(t, randomBytes(32), testKey("k1")), func(o *Options) {
		o.Now = clock.Now
		o.BreakerThreshold = 3
		o.BreakerCooldown = 10 * time.Second
		o.Logger = logs.logger()
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	k := storeKey(t, roleA, extA)
	for i := range 3 {
		_, ok, err := s.Get(ctx, k)
		if ok || err == nil || errors.Is(err, ErrUnavailable) {
			t.Fatalf("call %d against a dead Redis: ok=%v err=%v; want a Redis error", i, ok, err)
		}
	}
	if s.Available() {
		t.Fatal("the breaker did not open after 3 failures")
	}
	if !strings.Contains(logs.String(), "store off") {
		t.Fatalf("opening was not logged: %s", logs.String())
	}
	if err := s.Put(ctx, k, testCreds(clock.Now())); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Put while open = %v; want ErrUnavailable", err)
	}
	if _, _, err := s.Lease(ctx, k, time.Second); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Lease while open = %v; want ErrUnavailable", err)
	}
	clock.Add(10 * time.Second)
	if !s.Available() {
		t.Fatal("after the cooldown a probe should be due")
	}
	if _, _, err := s.Get(ctx, k); err == nil || errors.Is(err, ErrUnavailable) {
		t.Fatalf("probe = %v; want it to reach (dead) Redis", err)
	}
	if _, _, err := s.Get(ctx, k); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("after a failed probe = %v; want ErrUnavailable until the next cooldown", err)
	}
}

func TestBreakerHalfOpenLetsOneProbe(t *testing.T) {
	clock := localaws.NewClock(time.Unix(1_800_000_000, 0))
	b := breaker{threshold: 1, cooldown: time.Second, now: clock.Now, logger: (&logBuffer{}).logger()}
	if !b.allow() {
		t.Fatal("a closed breaker refused")
	}
	b.done(errors.New("boom"))
	if b.allow() {
		t.Fatal("an open breaker allowed a call")
	}
	clock.Add(time.Second)
	if !b.allow() {
		t.Fatal("no probe after the cooldown")
	}
	if b.allow() {
		t.Fatal("a second probe while the first is in flight")
	}
	b.done(context.Canceled) // the probe's caller gave up: no verdict
	if !b.allow() {
		t.Fatal("a cancelled probe should let the next one through")
	}
	b.done(redis.Nil) // an answer: Redis is back
	for range 3 {
		if !b.allow() {
			t.Fatal("the breaker did not close after a successful probe")
		}
		b.done(nil)
	}
}

// TestTimeoutBoundsEveryCall: a Redis that accepts connections but never
// answers costs each call the store's timeout, not the caller's.
// silentRedis is the address of a listener that accepts connections and
// never answers, as a hung Redis; it closes when the test ends.
func silentRedis(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // read nothing, answer nothing
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

// TestCallerDeadlinesDoNotOpenTheBreaker: callers whose own deadlines end
// before Options.Timeout say nothing about Redis, so however many of them
// give up, the breaker stays closed; Redis failing within the store's own
// timeout still opens it.
func TestCallerDeadlinesDoNotOpenTheBreaker(t *testing.T) {
	s, err := New(newClient(t, silentRedis(t)), mustRing(t, randomBytes(32), testKey("k1")), func(o *Options) {
		o.Timeout = 200 * time.Millisecond
		o.BreakerThreshold = 2
	})
	if err != nil {
		t.Fatal(err)
	}
	k := storeKey(t, roleA, extA)
	for i := range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		_, ok, err := s.Get(ctx, k)
		cancel()
		if ok || err == nil || errors.Is(err, ErrUnavailable) {
			t.Fatalf("call %d with a short caller deadline = %v, %v; want the caller's timeout", i, ok, err)
		}
	}
	if !s.Available() {
		t.Fatal("callers' own deadlines opened the breaker")
	}
	for range 2 {
		_, _, _ = s.Get(context.Background(), k) // the store's own timeout: Redis is failing
	}
	if s.Available() {
		t.Fatal("the breaker did not open after Redis timed out twice under the store's own timeout")
	}
}

func TestTimeoutBoundsEveryCall(t *testing.T) {
	s, err := New(newClient(t, silentRedis(t)), mustRing(t, randomBytes(32), testKey("k1")), func(o *Options) {
		o.Timeout = 20 * time.Millisecond
	})
	if err != nil {
		t.Fatal(err)
	}
	k := storeKey(t, roleA, extA)
	_, ok, err := s.Get(context.Background(), k)
	var ne net.Error
	if ok || !(errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()) {
		t.Fatalf("Get against a silent Redis = %v, %v; want a timeout", ok, err)
	}
	release, granted, err := s.Lease(context.Background(), k, time.Second)
	if granted || release != nil || err == nil {
		t.Fatalf("Lease against a silent Redis = %v, %v; want an error and no lease", granted, err)
	}
}

func TestStoreStringHidesKeys(t *testing.T) {
	s, err := New(newClient(t, deadAddr(t)), mustRing(t, []byte("NAMESECRETNAMESECRETNAMESECRET!!"), testKey("k1")))
	if err != nil {
		t.Fatal(err)
	}
	if out := s.String(); strings.Contains(out, "NAMESECRET") || !strings.Contains(out, "k1") {
		t.Fatalf("String = %q", out)
	}
}
