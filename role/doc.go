// Package role assumes customers' IAM roles with their external IDs and
// caches the temporary credentials for a multi-tenant platform.
//
// A platform holds thousands of connections over hundreds of customer roles.
// [Cache] keeps one entry per key — role ARN, external ID and every session
// option of a [Spec] — so credentials assumed for one tenant are never handed
// to another, and it calls AssumeRole (through the SDK's stscreds) once per
// key per credential lifetime, however many goroutines ask.
//
//	cache := role.NewCache(sts.NewFromConfig(platformCfg))
//	defer cache.Close()
//	creds, err := cache.Provider(role.Spec{
//		RoleARN:     "arn:aws:iam::123456789012:role/Connector",
//		ExternalID:  "acme_iam_external_id_12345",
//		WorkspaceID: "12345",
//	})
//	cfg := platformCfg.Copy()
//	cfg.Credentials = creds // not wrapped in aws.NewCredentialsCache
//
// # Refresh
//
// Credentials move through three states. Fresh: served from memory with no
// lock and no allocation. Stale (inside Options.RefreshWindow, 5 minutes
// before expiry by default, jittered): still served, while one background
// refresh runs. Inside Options.MandatoryWindow (1 minute by default): callers
// wait for the refresh. When a refresh fails, credentials that have not
// expired keep being served; expired credentials are never returned. The
// Expires of returned credentials is the start of the mandatory window, so
// an outer cache asks again in time.
//
// # Clock
//
// Every call reads Options.Now (time.Now by default), the hit path
// included, so no wall-clock movement (a VM resumed, a container thawed, an
// NTP step) ever lets credentials out past their expiry. With time.Now an
// instant counts as passed once it has passed on the wall clock or on the
// monotonic clock, so a step in either direction never makes credentials
// look younger than they are. A clock stepped backwards before the start of
// a wait (only a clock without a monotonic reading, such as a fake, can do
// that) ends the wait: one attempt, and the next wait starts from the new
// time, rather than a wait stretched by the size of the step.
//
// # One call per key, negative cache, backoff
//
// STS quotas belong to the platform's account, so the cache makes at most
// one AssumeRole call per key at a time — whatever the number of callers,
// evictions or invalidations, since the key's call state outlives its entry
// — and after a failure none until the key's wait is over. A failure that
// retrying cannot fix (see [Reason.Retryable]: trust policy refused, role
// missing, duration too long, region disabled, invalid request, platform
// credentials or permissions, clock skew, credentials already expired on
// arrival) is held in a negative cache for Options.NegativeTTL (10 seconds),
// doubling per consecutive failure up to Options.MaxNegativeTTL (1 minute);
// other failures back off from Options.RetryBackoff (5 seconds) up to
// Options.MaxRetryBackoff (2 minutes). Both waits are jittered. While a wait
// holds, callers with nothing usable cached get the last failure at once, an
// [*AssumeRoleError] with FromNegativeCache set and NextAttempt saying when
// the cache will try again. [Cache.Invalidate], [Cache.InvalidateRole] and
// [Cache.InvalidateExternalID] clear the wait; [Cache.RetrieveFresh], which
// a Connect check calls, ignores it.
//
// Waiting costs no goroutine: a key's call runs in one goroutine of the
// cache's, and callers wait in their own; one whose context ends returns
// and leaves nothing behind, even while STS hangs (until RefreshTimeout).
//
// # Rate limit
//
// Options.RateLimit optionally bounds AssumeRole calls with a platform-wide
// token bucket, of which one key may use at most RateLimit.KeyShare (a
// tenth by default) and one tenant (the Spec's WorkspaceID, else its
// ExternalID), over all its keys together, at most RateLimit.TenantShare (a
// quarter by default), so one tenant cannot spend the budget of all however
// many connections it makes. A call
// the limit refuses is not made and not queued: the caller gets a
// [*RateLimitError] (wrapping [ErrRateLimited]) at once, with how long until
// a token is there, while still-valid credentials keep being served.
//
// # Retirement
//
// [Cache.RetireExternalID] drops every entry of an external ID and refuses
// it from then on (errors wrap [ErrExternalIDRetired]) in Retrieve,
// RetrieveFresh and every Provider handed out before, so nothing assumes a
// role with it again; [Cache.UnretireExternalID] rolls it back.
// Options.Retired lets a fleet answer from its own records; it is consulted
// when a key is added and before every call.
//
// # Bounds and invalidation
//
// The cache holds at most Options.MaxEntries keys (10,000 by default),
// evicting the least recently used, and drops keys unused for
// Options.IdleTimeout. [Cache.Invalidate] drops one key;
// [Cache.InvalidateRole] and [Cache.InvalidateExternalID] drop every key of a
// role or of an external ID, after the customer changed the role. Providers
// outlive the entries they point at. [Cache.Stats] reports hits (exact for
// each entry's first 1,024, then sampled so that the hit path writes no
// shared memory on most calls; see Stats.Hits for the precision), misses,
// refreshes, failures, negative-cache answers, rate-limit refusals, retired
// refusals, calls in flight, entries and evictions. [Cache.Close] stops the
// background work and waits for it; no goroutine outlives the cache.
//
// # Dependencies
//
// golang.org/x/time/rate provides the token buckets of Options.RateLimit,
// read with Options.Now so the limit follows the cache's clock.
//
// # A fleet of workers
//
// A platform running many workers can give each Cache the same
// second-level [Store] (Options.Store; package redisstore keeps it in Redis,
// encrypted). On a miss the cache looks there before calling STS; if the
// store has nothing, it takes the key's lease, so one worker of the fleet
// calls STS while the others wait (at most Options.StoreLeaseWait) for the
// store to fill; and it puts every credential STS returns. AssumeRole calls
// then grow with keys, not with workers, and a restarted worker starts with
// the fleet's credentials. The store is never on the hit path and never a
// new way to fail: every store error or timeout (Options.StoreTimeout) is a
// miss, and the cache calls STS itself. Failures are not shared: each
// worker keeps its own negative cache and backoff.
//
// # Metrics
//
// With Options.MeterProvider the cache reports OpenTelemetry metrics
// (MetricHits and the other Metric constants): hits, misses, stale
// credentials served, refreshes by trigger and source, failures by reason
// (error.type), AssumeRole duration, store hits, misses, errors, durations
// and lease outcomes, negative-cache hits, rate-limit refusals, evictions,
// entries and calls in flight. No attribute names a role, an external ID or
// an account. Without a MeterProvider nothing is recorded; with one, the hit
// path costs the same, since hit counts are read at collection time.
//
// # Errors
//
// Invalid specs fail with errors wrapping [ErrInvalidRoleARN],
// [ErrMissingExternalID] or [ErrInvalidSpec]. Failed AssumeRole calls return
// an [*AssumeRoleError] whose Reason classifies the cause and whose Hint says
// what the customer or the platform must change.
//
// # Secrets
//
// No type in this package prints a secret access key or session token: the
// Cache, its providers, Stats and errors print role ARNs and external IDs only,
// in String, GoString, every fmt verb and slog.
//
// # Required IAM permissions
//
// The platform's credentials (the STS client's) need sts:AssumeRole on the
// customer roles, and sts:TagSession when Spec.Tags is used, or
// sts:SetSourceIdentity when Spec.SourceIdentity is. The customer's role must
// trust the platform (its account or its role) with the condition
// sts:ExternalId, as policy.TrustPolicy writes it; for Spec.Tags or
// Spec.SourceIdentity its trust policy must also allow sts:TagSession or
// sts:SetSourceIdentity, which policy.TrustPolicy does not grant, or STS
// answers AccessDenied.
package role
