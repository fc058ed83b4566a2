package redisstore

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrUnavailable is returned, without calling Redis, while the circuit
// breaker is open: Redis failed Options.BreakerThreshold calls in a row and
// Options.BreakerCooldown has not passed. role.Cache treats it as a miss.
var ErrUnavailable = errors.New("redisstore: Redis is unavailable (circuit breaker open); the cache calls STS directly until a probe succeeds")

// breaker stops calling a Redis that keeps failing, so every cache miss does
// not wait for a timeout, and lets one probe through per cooldown to notice
// when it is back.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time
	logger    *slog.Logger

	mu        sync.Mutex // guards the fields below
	failures  int        // consecutive failures while closed
	openUntil time.Time  // zero while closed
	probing   bool       // a half-open probe is in flight
}

// allow reports whether a call may go to Redis now. A true answer while
// half-open makes the caller the probe; it must call done.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.openUntil.IsZero() {
		return true
	}
	if b.now().Before(b.openUntil) || b.probing {
		return false
	}
	b.probing = true
	return true
}

// done records the outcome of a call allow let through. redis.Nil (no
// such key) is an answer; a caller that cancelled its own context says
// nothing about Redis; everything else, including the per-call timeout, is
// Redis failing.
func (b *breaker) done(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	wasProbe := b.probing
	b.probing = false
	switch {
	case errors.Is(err, context.Canceled):
		// The caller gave up: no verdict on Redis either way.
	case err == nil, errors.Is(err, redis.Nil):
		b.failures = 0
		if !b.openUntil.IsZero() {
			b.openUntil = time.Time{}
			b.logger.LogAttrs(context.Background(), slog.LevelInfo, "redisstore: Redis answers again; using the store")
		}
	case wasProbe:
		b.openUntil = b.now().Add(b.cooldown)
		b.logger.LogAttrs(context.Background(), slog.LevelWarn, "redisstore: Redis still failing; store stays off",
			slog.Duration("retry_in", b.cooldown), slog.String("error", err.Error()))
	case b.openUntil.IsZero():
		b.failures++
		if b.failures >= b.threshold {
			b.openUntil = b.now().Add(b.cooldown)
			b.logger.LogAttrs(context.Background(), slog.LevelWarn, "redisstore: Redis failing; store off, calling STS directly",
				slog.Int("consecutive_failures", b.failures), slog.Duration("retry_in", b.cooldown), slog.String("error", err.Error()))
		}
	}
}

// isOpen reports whether calls are being refused now.
func (b *breaker) isOpen() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.openUntil.IsZero() && (b.now().Before(b.openUntil) || b.probing)
}
