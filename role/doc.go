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
// expired keep being served and attempts back off exponentially; expired
// credentials are never returned. A key with no usable credentials tries
// STS on every Retrieve (concurrent callers share the call, and the SDK
// retryer backs off from throttling), so a customer who fixes their trust
// policy is not kept waiting. The Expires of returned credentials is the
// start of the mandatory window, so an outer cache asks again in time.
//
// The hit path reads a clock the cache advances once a second (reading the
// system clock would cost more than the rest of a hit); the slow path reads
// Options.Now exactly. The hit path stops at least 10 seconds before expiry
// (the floor of the mandatory window, kept even for credentials too
// short-lived for the configured windows) and stops altogether at Close,
// when the coarse clock stops, so the lag never lets expired credentials out.
//
// # Bounds and invalidation
//
// The cache holds at most Options.MaxEntries keys (10,000 by default),
// evicting the least recently used, and drops keys unused for
// Options.IdleTimeout. [Cache.Invalidate] drops one key;
// [Cache.InvalidateRole] and [Cache.InvalidateExternalID] drop every key of a
// role or of an external ID, after the customer changed the role or a scope
// switch retired the ID. Providers outlive the entries they point at.
// [Cache.Stats] reports hits, misses, refreshes, failures, calls in flight,
// entries and evictions. [Cache.Close] stops the background work and waits
// for it; no goroutine outlives the cache.
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
