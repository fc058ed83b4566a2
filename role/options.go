package role

import (
	"go.opentelemetry.io/otel/metric"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Defaults for Options. Each says why it is that number.
const (
	// DefaultRefreshWindow: five minutes before expiry a background refresh
	// starts. Long enough to ride out a few failed attempts with backoff
	// before the mandatory window, short enough to keep one AssumeRole per
	// key per session lifetime.
	DefaultRefreshWindow = 5 * time.Minute
	// DefaultRefreshJitter spreads the start of background refreshes over
	// the last half of the refresh window, so keys created together (after a
	// deploy) do not refresh together and trip STS's rate limit.
	DefaultRefreshJitter = 0.5
	// DefaultMandatoryWindow: in the last minute callers wait for fresh
	// credentials. A request signed with credentials that have a minute left
	// still completes; long transfers take a new Provider.Retrieve per part.
	DefaultMandatoryWindow = time.Minute
	// DefaultMaxEntries covers the connections a large platform keeps hot
	// while bounding memory: an entry costs about 600 bytes of bookkeeping
	// (BenchmarkCacheEntryBytes) plus its credentials, whose session token
	// AWS gives no fixed size (often around 1 KB), so 10,000 entries hold
	// some 15-20 MiB.
	DefaultMaxEntries = 10000
	// DefaultIdleTimeout drops entries unused for an hour: by then their
	// credentials (default lifetime one hour) are worthless anyway.
	DefaultIdleTimeout = time.Hour
	// DefaultRetryBackoff is the first wait after a failed refresh; it
	// doubles per consecutive failure up to DefaultMaxRetryBackoff, so a
	// five-minute refresh window holds about five attempts.
	DefaultRetryBackoff = 5 * time.Second
	// DefaultMaxRetryBackoff bounds the wait between attempts.
	DefaultMaxRetryBackoff = 2 * time.Minute
	// DefaultRefreshTimeout bounds one shared AssumeRole call, which no
	// caller's context cancels.
	DefaultRefreshTimeout = 30 * time.Second
	// DefaultNegativeTTL is how long a key whose AssumeRole failed for a
	// reason retrying cannot fix (see Reason.Retryable) answers with that
	// error without calling STS, for its first failure; it doubles per
	// consecutive failure up to DefaultMaxNegativeTTL. Ten seconds is
	// shorter than it takes a customer to edit a trust policy and click
	// again, and long enough that a broken tenant costs STS a handful of
	// calls a minute whatever its traffic.
	DefaultNegativeTTL = 10 * time.Second
	// DefaultMaxNegativeTTL bounds the negative cache: a key is tried at
	// least once a minute, so a fix the platform is not told about is
	// noticed within a minute.
	DefaultMaxNegativeTTL = time.Minute
	// DefaultKeyShare is the largest fraction of the platform-wide rate
	// limit one key may use: a tenant that hammers Connect gets a tenth of
	// the budget, and the other nine tenths stay for everyone else.
	DefaultKeyShare = 0.1

	// minMandatoryWindow keeps a margin for requests signed just before
	// the window starts.
	minMandatoryWindow = 10 * time.Second
	// sweepInterval is how often idle entries and spent per-key state are
	// swept (each sweep itself runs at most every IdleTimeout/4).
	sweepInterval = time.Second
	shardCount    = 64
)

// Options configure a Cache. Zero values mean the documented default.
// NewCache reads them once and keeps a copy; changing them afterwards has no
// effect.
type Options struct {
	// RefreshWindow is how long before expiry a single background refresh
	// starts while callers keep receiving the current credentials; raised to
	// MandatoryWindow if smaller. Default DefaultRefreshWindow (5 minutes).
	// Optional.
	RefreshWindow time.Duration
	// RefreshJitter is the fraction of RefreshWindow, between 0 and 1, by
	// which the start of a refresh is randomly moved later; a negative value
	// means no jitter. Default DefaultRefreshJitter (0.5). Optional.
	RefreshJitter float64
	// MandatoryWindow is how long before expiry callers stop receiving the
	// current credentials and wait for a refresh; at least 10 seconds.
	// Default DefaultMandatoryWindow (1 minute). Optional.
	MandatoryWindow time.Duration
	// MaxEntries bounds the number of cached keys; the least recently used
	// entry is evicted beyond it. Default DefaultMaxEntries (10,000). Optional.
	MaxEntries int
	// IdleTimeout drops entries not used for this long. Default
	// DefaultIdleTimeout (1 hour). Optional.
	IdleTimeout time.Duration
	// RetryBackoff is the first wait after a failed refresh, doubled per
	// consecutive failure and jittered. Default DefaultRetryBackoff (5
	// seconds). Optional.
	RetryBackoff time.Duration
	// MaxRetryBackoff bounds the wait between failed refreshes. Default
	// DefaultMaxRetryBackoff (2 minutes). Optional.
	MaxRetryBackoff time.Duration
	// RefreshTimeout bounds one AssumeRole call. Default
	// DefaultRefreshTimeout (30 seconds). Optional.
	RefreshTimeout time.Duration
	// NegativeTTL is how long a key answers with its last error, without
	// calling STS, after an AssumeRole failure retrying cannot fix (trust
	// policy refused, role missing, duration too long, region disabled,
	// invalid request, platform credentials or permissions, clock skew;
	// see Reason.Retryable). It doubles per consecutive failure up to
	// MaxNegativeTTL and is jittered (between half and all of it).
	// RetrieveFresh ignores it. Default DefaultNegativeTTL (10 seconds).
	// Optional.
	NegativeTTL time.Duration
	// MaxNegativeTTL bounds NegativeTTL's doubling. Default
	// DefaultMaxNegativeTTL (1 minute). Optional.
	MaxNegativeTTL time.Duration
	// RateLimit bounds AssumeRole calls platform-wide and per key. Default:
	// no limit. Optional.
	RateLimit RateLimit
	// Retired reports whether an external ID has been retired fleet-wide
	// (the platform persists retirements; RetireExternalID covers one
	// process). It is consulted when a key is added to the cache and before
	// every AssumeRole call, never on the hit path, and must be safe for
	// concurrent use and fast. Default: only RetireExternalID retires.
	// Optional.
	Retired func(externalID string) bool
	// SessionNamePrefix starts derived session names (see
	// DeriveSessionName). Default "awsconnect". Optional.
	SessionNamePrefix string
	// PlatformAccountID is the platform's AWS account, named in
	// AssumeRoleError hints. Default "": taken from STS's AccessDenied
	// message when it names the caller. Optional.
	PlatformAccountID string
	// Store is a second-level store, usually shared by a fleet of workers
	// (see package redisstore): on a miss the cache looks there before
	// calling STS, takes the store's lease so that one worker calls STS
	// per key, and puts what STS returns. The hit path never touches it,
	// and no Retrieve fails because of it: every store error is a miss.
	// RetrieveFresh skips the lookup and the lease but still puts.
	// Invalidate, InvalidateRole, InvalidateExternalID and
	// RetireExternalID delete the entries they drop from it (eviction and
	// idle expiry do not). With a Store, RateLimit counts only the STS
	// calls a store miss makes. Default: none. Optional.
	Store Store
	// StoreTimeout bounds each call to Store. Default DefaultStoreTimeout
	// (250 ms). Optional.
	StoreTimeout time.Duration
	// StoreLeaseWait bounds how long a miss waits for another worker that
	// holds the key's lease to fill the store; then it calls STS itself.
	// At most half of RefreshTimeout. Default DefaultStoreLeaseWait (5 s).
	// Optional.
	StoreLeaseWait time.Duration
	// MeterProvider receives the cache's OpenTelemetry metrics (see
	// MetricHits and the other Metric names; attributes never name a
	// role, external ID or account). Counts the cache already keeps are
	// observed at collection time, so the hit path costs the same with
	// metrics as without. Default: none, and nothing is recorded.
	// Optional.
	MeterProvider metric.MeterProvider
	// Logger records refresh failures (role ARN, external ID, reason; never
	// secrets) at Warn and successful AssumeRole calls at Debug. Default: a
	// logger that discards. Optional.
	Logger *slog.Logger
	// Now is the clock; tests pass a fake. It is read on every call, the
	// hit path included. Default time.Now. Optional.
	Now func() time.Time

	rand func() float64 // jitter source; tests make it deterministic
}

// setDefaults replaces zero values with the documented defaults and brings
// the windows into a consistent order.
func (o *Options) setDefaults() {
	if o.MandatoryWindow <= 0 {
		o.MandatoryWindow = DefaultMandatoryWindow
	}
	o.MandatoryWindow = max(o.MandatoryWindow, minMandatoryWindow)
	if o.RefreshWindow <= 0 {
		o.RefreshWindow = DefaultRefreshWindow
	}
	o.RefreshWindow = max(o.RefreshWindow, o.MandatoryWindow)
	if o.RefreshJitter == 0 {
		o.RefreshJitter = DefaultRefreshJitter
	}
	o.RefreshJitter = min(max(o.RefreshJitter, 0), 1)
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = DefaultRetryBackoff
	}
	if o.MaxRetryBackoff <= 0 {
		o.MaxRetryBackoff = DefaultMaxRetryBackoff
	}
	o.MaxRetryBackoff = max(o.MaxRetryBackoff, o.RetryBackoff)
	if o.RefreshTimeout <= 0 {
		o.RefreshTimeout = DefaultRefreshTimeout
	}
	if o.NegativeTTL <= 0 {
		o.NegativeTTL = DefaultNegativeTTL
	}
	if o.MaxNegativeTTL <= 0 {
		o.MaxNegativeTTL = DefaultMaxNegativeTTL
	}
	o.MaxNegativeTTL = max(o.MaxNegativeTTL, o.NegativeTTL)
	o.RateLimit.setDefaults()
	if o.SessionNamePrefix == "" {
		o.SessionNamePrefix = defaultSessionName
	}
	if o.StoreTimeout <= 0 {
		o.StoreTimeout = DefaultStoreTimeout
	}
	if o.StoreLeaseWait <= 0 {
		o.StoreLeaseWait = DefaultStoreLeaseWait
	}
	o.StoreLeaseWait = min(o.StoreLeaseWait, o.RefreshTimeout/2)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.rand == nil {
		o.rand = rand.Float64
	}
}
