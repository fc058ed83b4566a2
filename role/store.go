package role

import (
	"context"
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
