// Package redisstore is a fleet-wide, encrypted second-level store for
// role.Cache on Redis, so a platform's workers call AssumeRole once per key
// per credential lifetime, however many of them there are, and a new or
// restarted worker starts with the fleet's credentials instead of assuming
// every role again.
//
//	ring, err := redisstore.NewKeyRing(nameSecret, redisstore.Key{ID: "2026-01", Secret: key})
//	client := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
//	store, err := redisstore.New(client, ring)
//	cache := role.NewCache(stsClient, func(o *role.Options) { o.Store = store })
//
// It depends on github.com/redis/go-redis/v9, the maintained Redis client;
// it lives in its own package so that a platform that does not use Redis
// does not compile it.
//
// # What is encrypted with what
//
// Each value is the credentials (access key ID, secret access key, session
// token, expiry, account ID) as JSON, encrypted with AES-256-GCM (crypto/aes
// and crypto/cipher) under the key ring's current Key with a fresh random
// 96-bit nonce. The value starts with a format version and the key's ID in
// clear, so a ring holding several keys decrypts values written with any of
// them. The associated data binds the format version, the key ID and the
// entry's full cache key (role.StoreKey: role ARN, external ID, session name,
// duration and every session option): a value copied or renamed to another
// tenant's entry fails authentication and is a miss, never another tenant's
// credentials. Entry names are the HMAC-SHA256 of the cache key under the
// ring's name secret, so names reveal no role ARN or external ID and cannot
// be tested against guesses without the secret.
//
// Random nonces are safe for about 2^32 values per key; rotating keys
// yearly keeps a platform far below that.
//
// # What Redis can and cannot learn
//
// Whoever reads Redis (an operator, a backup, a compromised replica) sees
// the number of cached keys, when each was written and when it expires (the
// TTL is the credentials' expiry), which keys are being assumed right now
// (leases), the IDs of the platform's encryption keys, and the size of each
// value, which grows with the session token. It cannot learn any
// credential, role ARN, external ID, account or session option, nor tell
// which entries belong to one customer. Whoever can write to Redis can
// delete entries or leases (workers then call STS themselves) or replay an
// older value of the same entry (at worst, still-valid credentials that
// were issued for that very key), but cannot make a worker accept
// credentials for a key they were not issued for.
//
// # Rotating keys
//
// Deploy a ring holding the new key as a previous key everywhere; then make
// it the current key (values are rewritten under it as credentials
// refresh); after the longest credential lifetime (one hour by default),
// drop the old key. A worker that meets a value under a key it does not hold
// treats it as a miss and rewrites the entry with its own current key, so a
// rollout in the wrong order costs STS calls, never failures. Changing the
// name secret orphans every entry: it is a flush, and the entries expire on
// their own.
//
// # Failures
//
// The store never makes a Retrieve fail; the cache treats every error as a
// miss and calls STS:
//   - Redis down, unreachable or slow: each call is bounded by
//     Options.Timeout (100 ms). After Options.BreakerThreshold (5) failures
//     in a row the breaker opens: calls fail at once with ErrUnavailable
//     and the fleet calls STS directly, once per key per worker. Every
//     Options.BreakerCooldown (5 s) one call probes Redis; the first that
//     succeeds closes the breaker and the store is used again. A call that
//     the caller's own deadline or cancellation ends first is no failure:
//     callers in a hurry cannot turn the store off for the fleet.
//   - Redis full (maxmemory with noeviction): writes (values and leases)
//     fail and count as failures, so workers call STS without
//     coordinating; reads go on serving what is there. Configure an
//     eviction policy (allkeys-lru) instead: evicted entries are misses.
//   - A value that does not decrypt (altered, moved to another key's name,
//     written with a key the ring lacks, or not written by this package):
//     a miss, logged at Warn with the name, the key ID and the reason, never
//     the value; the next successful AssumeRole overwrites it.
//   - A worker that dies holding a lease: the lease expires after its TTL
//     (the cache passes its RefreshTimeout); the others stop waiting after
//     role.Options.StoreLeaseWait and call STS themselves.
//   - Releasing a lease fails: it expires on its own; logged at Warn.
package redisstore
