package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/redis/go-redis/v9"

	"github.com/awsconnect/awsconnect/role"
)

// Defaults for Options, each with the reason for its number.
const (
	// DefaultPrefix starts every name this package writes, so the store
	// can share a Redis database with other data.
	DefaultPrefix = "awsconnect:role:"
	// DefaultTimeout bounds each Redis call. Redis answers in well under a
	// millisecond on a local network; a call that takes 100 ms is a Redis
	// in trouble, and waiting longer only delays the STS call the cache
	// makes instead.
	DefaultTimeout = 100 * time.Millisecond
	// DefaultBreakerThreshold: this many failed calls in a row open the
	// circuit breaker. Low enough that a dead Redis costs a handful of
	// timeouts, high enough that one lost packet does not turn the store
	// off.
	DefaultBreakerThreshold = 5
	// DefaultBreakerCooldown: how long the breaker stays open before one
	// probe call is let through. A Redis restart takes seconds; probing
	// every 5 s finds it back soon without adding load to a Redis that
	// is struggling.
	DefaultBreakerCooldown = 5 * time.Second
)

// Options configure a Store. Zero values mean the documented default.
type Options struct {
	// Prefix starts every Redis name the store writes. Default
	// DefaultPrefix ("awsconnect:role:"). Optional.
	Prefix string
	// Timeout bounds every Redis call, whatever the caller's context.
	// Default DefaultTimeout (100 ms). Optional.
	Timeout time.Duration
	// BreakerThreshold is the number of consecutive failed calls that turn
	// the store off (every call then fails at once with ErrUnavailable).
	// Default DefaultBreakerThreshold (5). Optional.
	BreakerThreshold int
	// BreakerCooldown is how long the store stays off before one call
	// probes Redis again. Default DefaultBreakerCooldown (5 s). Optional.
	BreakerCooldown time.Duration
	// Logger records values that fail to decrypt (the name's HMAC, the key
	// ID and the reason; never the value) and the breaker opening and
	// closing. Default: a logger that discards. Optional.
	Logger *slog.Logger
	// Now is the clock, for the breaker and entry TTLs; tests pass a fake.
	// Default time.Now. Optional.
	Now func() time.Time
}

// Store is a role.Store on Redis: values encrypted with the platform's key
// ring, names that are HMACs, per-key leases, a timeout on every call and a
// circuit breaker. It is safe for concurrent use.
type Store struct {
	client  redis.UniversalClient
	ring    *KeyRing
	opts    Options
	breaker breaker
}

var _ role.Store = (*Store)(nil)

// releaseScript deletes a lease only if it still holds the caller's token:
// a holder whose lease expired (and was taken by another worker) must not
// delete the new holder's lease.
var releaseScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0
`)

// New returns a Store that keeps credentials in client, encrypted with
// ring. The client must honour context deadlines, or a hung Redis would hold
// every cache miss for the client's own read timeout: build a *redis.Client
// or *redis.ClusterClient with ContextTimeoutEnabled set (New refuses one
// without it). The Store does not close the client.
func New(client redis.UniversalClient, ring *KeyRing, optFns ...func(*Options)) (*Store, error) {
	if client == nil {
		return nil, errors.New("redisstore: New needs a Redis client; pass a *redis.Client built with ContextTimeoutEnabled: true")
	}
	if ring == nil {
		return nil, errors.New("redisstore: New needs a key ring; build one with NewKeyRing")
	}
	if !contextTimeouts(client) {
		return nil, errors.New("redisstore: the Redis client ignores context deadlines, so a hung Redis would stall cache misses for its read timeout; set ContextTimeoutEnabled: true in its redis.Options")
	}
	o := Options{}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.BreakerThreshold <= 0 {
		o.BreakerThreshold = DefaultBreakerThreshold
	}
	if o.BreakerCooldown <= 0 {
		o.BreakerCooldown = DefaultBreakerCooldown
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Store{
		client: client,
		ring:   ring,
		opts:   o,
		breaker: breaker{
			threshold: o.BreakerThreshold,
			cooldown:  o.BreakerCooldown,
			now:       o.Now,
			logger:    o.Logger,
		},
	}, nil
}

// contextTimeouts reports whether client applies context deadlines to its
// socket I/O. Clients of other types are trusted to.
func contextTimeouts(client redis.UniversalClient) bool {
	switch c := client.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	}
	return true
}

// Available reports whether the store is calling Redis, i.e. its circuit
// breaker is closed (or a probe is due).
func (s *Store) Available() bool { return !s.breaker.isOpen() }

// ValueName returns the Redis name of key's value: the prefix and the
// HMAC of the key, which reveals neither role ARN nor external ID. An
// operator can DEL it to drop one entry fleet-wide.
func (s *Store) ValueName(key role.StoreKey) string { return s.valueName(s.ring.name(key.Bytes())) }

// valueName and leaseName are the Redis names for a cache key: the prefix
// and the HMAC of the key, so Redis never sees the role ARN or external ID.
func (s *Store) valueName(mac []byte) string {
	return s.opts.Prefix + "v:" + base64.RawURLEncoding.EncodeToString(mac)
}

func (s *Store) leaseName(mac []byte) string {
	return s.opts.Prefix + "l:" + base64.RawURLEncoding.EncodeToString(mac)
}

// call runs f against Redis under the breaker and the per-call timeout.
func (s *Store) call(ctx context.Context, f func(ctx context.Context) error) error {
	if !s.breaker.allow() {
		return ErrUnavailable
	}
	callerDeadline, bounded := ctx.Deadline()
	bounded = bounded && callerDeadline.Before(time.Now().Add(s.opts.Timeout))
	cctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	err := f(cctx)
	if err != nil && (ctx.Err() != nil || bounded && !time.Now().Before(callerDeadline)) {
		// The caller's own deadline or cancellation ended the call before
		// Options.Timeout did (the connection's read deadline can fire a
		// moment before the context says so): that says nothing about
		// Redis, so callers with short deadlines cannot turn the store off
		// for everyone.
		s.breaker.done(context.Canceled)
		return err
	}
	s.breaker.done(err)
	return err
}

// Get implements role.Store. A value that does not decrypt under key (moved
// from another key, written with a key the ring lacks, altered) is a miss,
// logged without its content.
func (s *Store) Get(ctx context.Context, key role.StoreKey) (aws.Credentials, bool, error) {
	k := key.Bytes()
	mac := s.ring.name(k)
	var value []byte
	err := s.call(ctx, func(ctx context.Context) error {
		var err error
		value, err = s.client.Get(ctx, s.valueName(mac)).Bytes()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return aws.Credentials{}, false, nil
	}
	if err != nil {
		return aws.Credentials{}, false, fmt.Errorf("redisstore: get: %w", err)
	}
	creds, keyID, err := open(s.ring, k, value)
	if err != nil {
		s.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "redisstore: a value failed to decrypt; treated as a miss",
			slog.String("name", s.valueName(mac)), slog.String("key_id", keyID), slog.String("reason", err.Error()))
		return aws.Credentials{}, false, nil
	}
	if !creds.Expires.After(s.opts.Now()) {
		return aws.Credentials{}, false, nil
	}
	return creds, true, nil
}

// Put implements role.Store: the value expires in Redis when the
// credentials do. Credentials already expired are not written.
func (s *Store) Put(ctx context.Context, key role.StoreKey, creds aws.Credentials) error {
	ttl := creds.Expires.Sub(s.opts.Now())
	if ttl < time.Millisecond {
		return nil
	}
	k := key.Bytes()
	value, err := seal(s.ring, k, creds)
	if err != nil {
		return err
	}
	name := s.valueName(s.ring.name(k))
	err = s.call(ctx, func(ctx context.Context) error {
		return s.client.Set(ctx, name, value, ttl).Err()
	})
	if err != nil {
		return fmt.Errorf("redisstore: put: %w", err)
	}
	return nil
}

// Delete implements role.Store.
func (s *Store) Delete(ctx context.Context, key role.StoreKey) error {
	name := s.valueName(s.ring.name(key.Bytes()))
	if err := s.call(ctx, func(ctx context.Context) error { return s.client.Del(ctx, name).Err() }); err != nil {
		return fmt.Errorf("redisstore: delete: %w", err)
	}
	return nil
}

// Lease implements role.Store with SET NX PX and a random token; release
// deletes the lease only while it still holds that token (a Lua
// compare-and-delete), so it never frees a lease another worker took after
// this one expired.
func (s *Store) Lease(ctx context.Context, key role.StoreKey, ttl time.Duration) (func(context.Context), bool, error) {
	name := s.leaseName(s.ring.name(key.Bytes()))
	var b [16]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	var granted bool
	err := s.call(ctx, func(ctx context.Context) error {
		var err error
		granted, err = s.client.SetNX(ctx, name, token, max(ttl, time.Millisecond)).Result()
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("redisstore: lease: %w", err)
	}
	if !granted {
		return nil, false, nil
	}
	release := func(ctx context.Context) {
		// The caller may be finished with its context; the release still
		// gets its own timeout.
		ctx = context.WithoutCancel(ctx)
		err := s.call(ctx, func(ctx context.Context) error {
			return releaseScript.Run(ctx, s.client, []string{name}, token).Err()
		})
		if err != nil {
			s.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "redisstore: releasing a lease failed; it expires on its own",
				slog.String("name", name), slog.Duration("ttl", ttl), slog.String("error", err.Error()))
		}
	}
	return release, true, nil
}
