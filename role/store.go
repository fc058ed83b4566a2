package role

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Store is a second-level store of credentials, usually shared by every
// worker of a platform (package redisstore implements it on Redis), so a
// fleet calls AssumeRole once per key per credential lifetime instead of once
// per worker. A Cache consults it only on its miss path, before calling STS,
// and writes to it after every successful AssumeRole; the local hit path
// never touches it.
//
// A Store is never a new way to fail: the Cache treats every error it
// returns, and every call that outlives Options.StoreTimeout, as a miss and
// goes on to STS. An implementation should still answer quickly and stop
// trying when its backend is down (a circuit breaker), since each miss waits
// for it.
//
// Implementations must be safe for concurrent use, must keep a value under
// the key it was put under (a value read back under another key must never
// be returned), and must not let the backend learn a key's role ARN or
// external ID, which StoreKey.Bytes holds in clear.
type Store interface {
	// Get returns the credentials last put under key, with ok false when
	// there are none (or none that can be read, such as a value this
	// platform's keys cannot decrypt: that is a miss, not an error).
	// Credentials.Expires is STS's expiry.
	Get(ctx context.Context, key StoreKey) (creds aws.Credentials, ok bool, err error)

	// Put stores creds under key until creds.Expires (STS's expiry), after
	// which Get must not return them. It replaces any earlier value.
	Put(ctx context.Context, key StoreKey, creds aws.Credentials) error

	// Delete removes key's value, if any. Cache.Invalidate and its siblings
	// call it for the keys they drop, so the next miss calls STS instead
	// of reading back the credentials just invalidated.
	Delete(ctx context.Context, key StoreKey) error

	// Lease tries to take key's lease for at most ttl, so that one worker of
	// the fleet calls STS for the key while the others wait for the value
	// to appear. granted reports whether this caller now holds it; release,
	// non-nil when granted, gives it up, and gives up only this caller's
	// lease (never one another worker took after ours expired). A lease
	// that is not released expires after ttl, so a worker that dies while
	// holding one delays the others by at most ttl and
	// Options.StoreLeaseWait.
	//
	// A Store with no way to coordinate workers grants every lease: the
	// Cache then behaves as with no lease.
	Lease(ctx context.Context, key StoreKey, ttl time.Duration) (release func(context.Context), granted bool, err error)
}

// StoreKey identifies one cache key in a Store: the role ARN, the external
// ID and every session option of a Spec, as they are sent to STS. Two
// StoreKeys are equal exactly when their credentials are interchangeable,
// in every process of a fleet (it does not depend on the process's seed or
// memory layout), and the encoding is unambiguous: no field's value can make
// it equal to another key's.
//
// It prints as a fixed placeholder; Bytes holds the role ARN and external ID
// in clear, so a shared Store must not use it as a name or store it as it
// is (package redisstore names entries with an HMAC of it and binds the
// value to it as AES-GCM associated data).
type StoreKey struct {
	s string
}

// storeKeyVersion starts every StoreKey, so a future change to the
// encoding makes new keys that can never match entries written by old code.
const storeKeyVersion = "awsconnect.role.v1"

// Bytes returns the key's canonical encoding. The slice is the caller's.
func (k StoreKey) Bytes() []byte { return []byte(k.s) }

// IsZero reports whether k is the zero StoreKey, which no Cache passes.
func (k StoreKey) IsZero() bool { return k.s == "" }

// String returns a placeholder: the key holds a role ARN and an external ID
// that logs and a shared store's names must not reveal.
func (k StoreKey) String() string { return "role.StoreKey(redacted)" }

// GoString is String, so %#v hides the key too.
func (k StoreKey) GoString() string { return k.String() }

// newStoreKey encodes k and in: everything stscreds sends for the entry.
// It uses the session name actually sent (derived with this cache's
// SessionNamePrefix) rather than the IDs it was derived from, so two
// workers configured with different prefixes never share credentials whose
// session names differ.
func newStoreKey(k *key, in *assumeInput) StoreKey {
	var b strings.Builder
	writeLP(&b, storeKeyVersion)
	writeLP(&b, k.roleARN)
	writeLP(&b, k.externalID)
	writeLP(&b, in.sessionName)
	writeLP(&b, strconv.FormatInt(int64(k.duration/time.Second), 10))
	writeLP(&b, k.policy)
	writeLP(&b, k.policyARNs)
	writeLP(&b, k.tags)
	writeLP(&b, k.transitive)
	writeLP(&b, k.sourceIdentity)
	return StoreKey{s: b.String()}
}

// StoreKey returns the key under which c keeps spec's credentials in its
// Store, e.g. for a tool that deletes one entry fleet-wide or for testing a
// Store implementation. It fails as Retrieve would on an invalid spec.
func (c *Cache) StoreKey(spec Spec) (StoreKey, error) {
	k := keyOf(&spec, DefaultDuration)
	in, err := validate(&spec, DefaultDuration, c.opts.SessionNamePrefix)
	if err != nil {
		return StoreKey{}, err
	}
	return newStoreKey(&k, &in), nil
}

// Defaults for the Store options, each with the reason for its number.
const (
	// DefaultStoreTimeout bounds each call the cache makes to its Store. A
	// shared store on the platform's network answers in a millisecond or
	// two; a quarter of a second is a store in trouble, and the cache would
	// rather call STS than wait longer.
	DefaultStoreTimeout = 250 * time.Millisecond
	// DefaultStoreLeaseWait is how long a worker that found another
	// worker's lease on a key waits for the store to fill before calling
	// STS itself: STS answers in well under a second, so five seconds
	// covers a slow call and a retry, and bounds what a worker that died
	// holding a lease costs the others.
	DefaultStoreLeaseWait = 5 * time.Second

	// storePollFirst and storePollMax space a waiting worker's lookups: the
	// first soon (the holder's STS call may be nearly done), then doubling,
	// so a fleet waiting on one key costs Redis a few calls per second per
	// worker.
	storePollFirst = 10 * time.Millisecond
	storePollMax   = 160 * time.Millisecond
)

// obtain gets credentials for f's key: from the Store when it holds usable
// ones, else from STS, under the store's lease when one can be had, and
// then puts them in the store. It runs inside the key's single call (see
// run). Every store failure is a miss: obtain fails only as STS does, or
// with a *RateLimitError when the rate limit refuses the STS call a store
// miss needs. source is sourceSTS or sourceStore.
func (c *Cache) obtain(ctx context.Context, f *flight) (creds aws.Credentials, source int, err error) {
	e := f.e
	st := c.opts.Store
	if st == nil {
		creds, err := c.assumeTimed(ctx, e)
		return creds, sourceSTS, err
	}
	sk := newStoreKey(&e.key, &e.in)
	release := func(context.Context) {}
	if !f.fresh {
		// RetrieveFresh must prove the role as it is now: never from the
		// store, and never waiting for another worker's call.
		if creds, ok := c.storeGet(ctx, e, sk); ok {
			return creds, sourceStore, nil
		}
		var ok bool
		if release, creds, ok = c.storeLease(ctx, e, sk); ok {
			return creds, sourceStore, nil
		}
	}
	defer release(ctx)
	if c.global != nil {
		if err := c.takeToken(e); err != nil {
			return aws.Credentials{}, sourceSTS, err
		}
	}
	creds, err = c.assumeTimed(ctx, e)
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, c.opts.StoreTimeout)
		start := time.Now()
		perr := st.Put(sctx, sk, creds)
		cancel()
		c.metrics.stored(opPut, time.Since(start), perr)
		if perr != nil {
			c.stats.storeErrors.Add(1)
			c.logStoreError(ctx, e, "put", perr)
		}
	}
	return creds, sourceSTS, err
}

// assumeTimed is entry.assume, timed for the AssumeRole duration metric.
func (c *Cache) assumeTimed(ctx context.Context, e *entry) (aws.Credentials, error) {
	start := time.Now()
	creds, err := e.assume(ctx)
	var are *AssumeRoleError
	if err != nil && !errors.As(err, &are) {
		are = &AssumeRoleError{Reason: ReasonUnknown}
	}
	c.metrics.assumed(time.Since(start), are)
	return creds, err
}

// storeGet looks key up in the store, bounded by StoreTimeout. It returns
// credentials only when they have the whole refresh window left: anything
// shorter this worker would refresh at once, and a background refresh
// must never take back the credentials it is replacing.
func (c *Cache) storeGet(ctx context.Context, e *entry, sk StoreKey) (aws.Credentials, bool) {
	sctx, cancel := context.WithTimeout(ctx, c.opts.StoreTimeout)
	start := time.Now()
	creds, ok, err := c.opts.Store.Get(sctx, sk)
	cancel()
	c.metrics.stored(opGet, time.Since(start), err)
	if err != nil {
		c.stats.storeErrors.Add(1)
		c.logStoreError(ctx, e, "get", err)
		return aws.Credentials{}, false
	}
	if ok {
		window := min(c.opts.RefreshWindow, e.key.duration/2)
		ok = creds.AccessKeyID != "" && creds.Expires.After(c.now().Add(window))
	}
	c.metrics.storeLookup(ok)
	if !ok {
		c.stats.storeMisses.Add(1)
		return aws.Credentials{}, false
	}
	creds.CanExpire = true
	return creds, true
}

// storeLease takes the key's lease so that this worker alone calls STS, or,
// when another worker holds it, waits up to StoreLeaseWait for that worker
// to fill the store. It returns the credentials another worker stored
// (ok), or the release of this worker's lease (a no-op when none was
// taken: the store failed or the wait ran out, and this worker calls STS
// regardless).
func (c *Cache) storeLease(ctx context.Context, e *entry, sk StoreKey) (release func(context.Context), creds aws.Credentials, ok bool) {
	none := func(context.Context) {}
	var deadline <-chan time.Time
	poll := storePollFirst
	for {
		sctx, cancel := context.WithTimeout(ctx, c.opts.StoreTimeout)
		start := time.Now()
		// The lease outlives a slow STS call by nothing: a holder still
		// calling after RefreshTimeout has been cancelled anyway.
		rel, granted, err := c.opts.Store.Lease(sctx, sk, c.opts.RefreshTimeout)
		cancel()
		c.metrics.stored(opLease, time.Since(start), err)
		if err != nil {
			c.stats.storeErrors.Add(1)
			c.logStoreError(ctx, e, "lease", err)
			c.metrics.lease(leaseUnavailable)
			return none, aws.Credentials{}, false
		}
		if granted {
			if rel == nil {
				rel = none
			}
			// The holder before us may have filled the store between our
			// lookup and our lease: look once more before calling STS.
			if creds, ok := c.storeGet(ctx, e, sk); ok {
				rel(ctx)
				c.metrics.lease(leaseFilled)
				return none, creds, true
			}
			c.metrics.lease(leaseGranted)
			return rel, aws.Credentials{}, false
		}
		if deadline == nil {
			t := time.NewTimer(c.opts.StoreLeaseWait)
			defer t.Stop()
			deadline = t.C
		}
		p := time.NewTimer(poll)
		select {
		case <-p.C:
		case <-deadline:
			p.Stop()
			c.stats.leaseTimeouts.Add(1)
			c.metrics.lease(leaseTimedOut)
			return none, aws.Credentials{}, false
		case <-ctx.Done():
			p.Stop()
			return none, aws.Credentials{}, false
		}
		poll = min(2*poll, storePollMax)
		if creds, ok := c.storeGet(ctx, e, sk); ok {
			c.metrics.lease(leaseFilled)
			return none, creds, true
		}
	}
}

// takeToken takes the rate limiter's token for e's key. With a Store the
// limiter is consulted here, after the store missed, rather than before
// the call starts: credentials another worker already stored cost STS
// nothing, so a worker starting cold is not held to the rate limit while
// it reads the fleet's credentials.
func (c *Cache) takeToken(e *entry) error {
	now := c.now()
	c.keysMu.Lock()
	defer c.keysMu.Unlock()
	ks := c.keys[e.key]
	if ks == nil {
		return nil // only run removes a state with a call in flight
	}
	return c.takeTokenLocked(e, ks, now)
}

// storeDelete removes the entries of keys this cache dropped from the
// store, so the next miss (here or on another worker) calls STS instead of
// reading back what was invalidated. Best effort, bounded by StoreTimeout
// in all.
func (c *Cache) storeDelete(keys []StoreKey) {
	if c.opts.Store == nil || len(keys) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.StoreTimeout)
	defer cancel()
	for _, sk := range keys {
		start := time.Now()
		err := c.opts.Store.Delete(ctx, sk)
		c.metrics.stored(opDelete, time.Since(start), err)
		if err != nil {
			c.stats.storeErrors.Add(1)
			c.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "role: deleting an invalidated entry from the store failed; it stays until it expires",
				slog.String("error", err.Error()))
		}
	}
}

func (c *Cache) logStoreError(ctx context.Context, e *entry, op string, err error) {
	c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "role: store call failed; calling STS instead",
		slog.String("operation", op),
		slog.String("role_arn", e.key.roleARN),
		slog.String("external_id", e.key.externalID),
		slog.String("error", err.Error()),
	)
}
