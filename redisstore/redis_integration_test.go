//go:build integration

package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awsconnect/awsconnect/internal/peer"
	"github.com/awsconnect/awsconnect/localaws"
)

// redisAddr is the Redis scripts/integration started, or the test skips.
func redisAddr(t *testing.T) string {
	t.Helper()
	return peer.Require(t, "run scripts/integration, which starts redis-server on loopback", "AWSCONNECT_IT_REDIS_ADDR")[0]
}

func newTestStore(t *testing.T, addr string, ring *KeyRing, optFns ...func(*Options)) (*Store, *redis.Client) {
	t.Helper()
	c := newClient(t, addr)
	prefix := fmt.Sprintf("it:%s:%d:", t.Name(), time.Now().UnixNano())
	s, err := New(c, ring, append([]func(*Options){func(o *Options) { o.Prefix = prefix; o.Timeout = time.Second }}, optFns...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestRedisRoundTrip(t *testing.T) {
	s, c := newTestStore(t, redisAddr(t), mustRing(t, randomBytes(32), testKey("k1")))
	ctx := context.Background()
	k := storeKey(t, roleA, extA)
	want := testCreds(time.Now())
	if _, ok, err := s.Get(ctx, k); ok || err != nil {
		t.Fatalf("empty store: ok=%v err=%v", ok, err)
	}
	if err := s.Put(ctx, k, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Get(ctx, k)
	if err != nil || !ok || got != want {
		t.Fatalf("Get = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	// What Redis holds: an HMAC name, an opaque value, the credentials' TTL.
	names, err := c.Keys(ctx, s.opts.Prefix+"*").Result()
	if err != nil || len(names) != 1 {
		t.Fatalf("names = %v, %v", names, err)
	}
	raw, _ := c.Get(ctx, names[0]).Bytes()
	for _, clear := range []string{roleA, extA, "111122223333", "ConnectorA", want.SecretAccessKey, want.SessionToken, want.AccessKeyID} {
		if strings.Contains(names[0], clear) || strings.Contains(string(raw), clear) {
			t.Errorf("Redis holds %q in clear", clear)
		}
	}
	ttl, _ := c.PTTL(ctx, names[0]).Result()
	if ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("TTL %v; want the credentials' remaining hour", ttl)
	}
	if err := s.Delete(ctx, k); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get(ctx, k); ok {
		t.Fatal("deleted value still read")
	}
}

// TestRedisMovedValueRefused: a value copied under another tenant's name
// is a miss, logged without its content.
func TestRedisMovedValueRefused(t *testing.T) {
	var logs logBuffer
	s, c := newTestStore(t, redisAddr(t), mustRing(t, randomBytes(32), testKey("k1")), func(o *Options) { o.Logger = logs.logger() })
	ctx := context.Background()
	a, b := storeKey(t, roleA, extA), storeKey(t, roleA, extB)
	ca := testCreds(time.Now())
	if err := s.Put(ctx, a, ca); err != nil {
		t.Fatal(err)
	}
	raw, err := c.Get(ctx, s.ValueName(a)).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, s.ValueName(b), raw, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Get(ctx, b)
	if ok || err != nil || got.AccessKeyID != "" {
		t.Fatalf("moved value: %+v, %v, %v; want a miss", got, ok, err)
	}
	out := logs.String()
	if !strings.Contains(out, "failed to decrypt") || !strings.Contains(out, "authentication") {
		t.Fatalf("log = %q; want the refusal and its reason", out)
	}
	for _, secret := range []string{ca.SecretAccessKey, ca.SessionToken, ca.AccessKeyID, fmt.Sprintf("%x", raw[:8])} {
		if strings.Contains(out, secret) {
			t.Fatalf("log holds %q", secret)
		}
	}
	if _, ok, _ := s.Get(ctx, a); !ok {
		t.Fatal("the original value no longer reads")
	}
}

// TestRedisLeaseOnlyHolderReleases: SET NX gives the lease to one caller;
// a holder whose lease was taken over (after expiry) does not delete the
// new holder's lease.
func TestRedisLeaseOnlyHolderReleases(t *testing.T) {
	s, c := newTestStore(t, redisAddr(t), mustRing(t, randomBytes(32), testKey("k1")))
	ctx := context.Background()
	k := storeKey(t, roleA, extA)
	rel1, ok, err := s.Lease(ctx, k, time.Minute)
	if err != nil || !ok {
		t.Fatalf("first lease: %v, %v", ok, err)
	}
	if _, ok, err := s.Lease(ctx, k, time.Minute); ok || err != nil {
		t.Fatalf("second lease while held: %v, %v", ok, err)
	}
	name := s.leaseName(s.ring.name(k.Bytes()))
	ttl, _ := c.PTTL(ctx, name).Result()
	if ttl <= 0 || ttl > time.Minute {
		t.Fatalf("lease TTL %v", ttl)
	}
	// The lease expired and another worker took it.
	if err := c.Set(ctx, name, "someone-else", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	rel1(ctx)
	if v, _ := c.Get(ctx, name).Result(); v != "someone-else" {
		t.Fatalf("the old holder's release deleted the new holder's lease (now %q)", v)
	}
	c.Del(ctx, name)
	rel2, ok, err := s.Lease(ctx, k, time.Minute)
	if err != nil || !ok {
		t.Fatalf("lease after release: %v, %v", ok, err)
	}
	rel2(ctx)
	if n, _ := c.Exists(ctx, name).Result(); n != 0 {
		t.Fatal("the holder's release left its lease")
	}
}

// TestRedisRotation: entries written under the old key read after the key
// rotates; a ring without the old key treats them as misses.
func TestRedisRotation(t *testing.T) {
	addr := redisAddr(t)
	names := randomBytes(32)
	old, next := testKey("2025"), testKey("2026")
	s1, c := newTestStore(t, addr, mustRing(t, names, old))
	mk := func(r *KeyRing) *Store {
		s, err := New(c, r, func(o *Options) { o.Prefix = s1.opts.Prefix; o.Timeout = time.Second })
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ctx := context.Background()
	k := storeKey(t, roleA, extA)
	want := testCreds(time.Now())
	if err := s1.Put(ctx, k, want); err != nil {
		t.Fatal(err)
	}
	rotated := mk(mustRing(t, names, next, old))
	if got, ok, err := rotated.Get(ctx, k); !ok || err != nil || got != want {
		t.Fatalf("rotated ring reading an old-key entry: %v, %v", ok, err)
	}
	var logs logBuffer
	dropped := mk(mustRing(t, names, next))
	dropped.opts.Logger = logs.logger()
	if _, ok, err := dropped.Get(ctx, k); ok || err != nil {
		t.Fatalf("ring without the old key: ok=%v err=%v; want a miss", ok, err)
	}
	if !strings.Contains(logs.String(), "key_id=2025") {
		t.Fatalf("log = %q; want the unknown key named", logs.String())
	}
	// The rewrite under the new key is readable by both new rings.
	if err := rotated.Put(ctx, k, want); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := dropped.Get(ctx, k); !ok {
		t.Fatal("the entry rewritten under the new key does not read")
	}
}

// redisServer runs a redis-server of its own on a fixed loopback port, so a
// test can kill it and start it again at the same address.
type redisServer struct {
	t    *testing.T
	bin  string
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	redisAddr(t)
	bin := peer.Require(t, "run scripts/integration", "AWSCONNECT_IT_REDIS_SERVER")[0]
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	r := &redisServer{t: t, bin: bin, port: port}
	r.start()
	t.Cleanup(r.kill)
	return r
}

func (r *redisServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = exec.Command(r.bin, "--bind", "127.0.0.1", "--port", fmt.Sprint(r.port),
		"--save", "", "--appendonly", "no", "--dir", r.t.TempDir())
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: r.addr(), MaxRetries: -1})
	defer c.Close()
	for i := 0; ; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if i > 200 {
			r.t.Fatalf("redis-server on %s did not answer: %v", r.addr(), err)
		}
		time.Sleep(25 * time.Millisecond) // polling for readiness, not a timing assertion
	}
}

func (r *redisServer) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Signal(syscall.SIGKILL)
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// TestRedisKilledAndBack: with Redis gone every call fails fast (then not
// at all, the breaker open) and never hangs; once Redis is back, the first
// probe after the cooldown closes the breaker and the store works again.
func TestRedisKilledAndBack(t *testing.T) {
	srv := startRedis(t)
	clock := localaws.NewClock(time.Now())
	s, _ := newTestStore(t, srv.addr(), mustRing(t, randomBytes(32), testKey("k1")), func(o *Options) {
		o.Now = clock.Now
		o.BreakerThreshold = 2
		o.BreakerCooldown = time.Minute
	})
	ctx := context.Background()
	k := storeKey(t, roleA, extA)
	if err := s.Put(ctx, k, testCreds(clock.Now())); err != nil {
		t.Fatal(err)
	}
	srv.kill()
	for i := range 2 {
		if _, ok, err := s.Get(ctx, k); ok || err == nil || errors.Is(err, ErrUnavailable) {
			t.Fatalf("call %d with Redis killed: ok=%v err=%v", i, ok, err)
		}
	}
	if _, _, err := s.Get(ctx, k); !errors.Is(err, ErrUnavailable) || s.Available() {
		t.Fatalf("after 2 failures: %v; want the breaker open", err)
	}
	srv.start()
	if _, _, err := s.Get(ctx, k); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("before the cooldown: %v; want no call to Redis", err)
	}
	clock.Add(time.Minute)
	// The restarted Redis is empty (no persistence): a miss, no error.
	if _, ok, err := s.Get(ctx, k); ok || err != nil {
		t.Fatalf("probe after restart: ok=%v err=%v; want a clean miss", ok, err)
	}
	if !s.Available() {
		t.Fatal("the breaker did not close after a successful probe")
	}
	if err := s.Put(ctx, k, testCreds(clock.Now())); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Get(ctx, k); !ok || err != nil {
		t.Fatalf("after recovery: ok=%v err=%v", ok, err)
	}
}
