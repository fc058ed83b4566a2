package role

import (
	"context"
	"log/slog"
	"time"
	"weak"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// The OpenTelemetry instruments a Cache records when Options.MeterProvider
// is set, named in OpenTelemetry's style (dot-separated namespaces, units
// in UCUM, no _total suffixes). Attributes are bounded enumerations only:
// no role ARN, external ID, account or session name ever becomes an
// attribute, so the number of series does not grow with tenants and no
// metric backend learns who the platform's customers are.
const (
	meterName = "github.com/awsconnect/awsconnect/role"

	// Counted at collection time from the cache's own counters (see
	// Stats), so the hit path records nothing more than it does without
	// metrics.
	MetricHits          = "awsconnect.credentials.cache.hits"           // {retrieval}
	MetricMisses        = "awsconnect.credentials.cache.misses"         // {retrieval}
	MetricStaleServed   = "awsconnect.credentials.cache.stale_served"   // {retrieval}
	MetricNegativeHits  = "awsconnect.credentials.cache.negative_hits"  // {retrieval}
	MetricRateLimited   = "awsconnect.credentials.cache.rate_limited"   // {call}
	MetricEntries       = "awsconnect.credentials.cache.entries"        // {entry}, gauge
	MetricEvictions     = "awsconnect.credentials.cache.evictions"      // {entry}
	MetricAssumeActive  = "awsconnect.sts.assume_role.active"           // {call}, up-down
	MetricRefreshes     = "awsconnect.credentials.refreshes"            // {refresh}; trigger, source
	MetricFailures      = "awsconnect.credentials.refresh.failures"     // {refresh}; trigger, error.type
	MetricAssumeRole    = "awsconnect.sts.assume_role.duration"         // s; error.type on failure
	MetricStoreHits     = "awsconnect.credentials.store.hits"           // {lookup}
	MetricStoreMisses   = "awsconnect.credentials.store.misses"         // {lookup}
	MetricStoreErrors   = "awsconnect.credentials.store.errors"         // {call}; operation
	MetricStoreDuration = "awsconnect.credentials.store.duration"       // s; operation
	MetricStoreLeases   = "awsconnect.credentials.store.lease.outcomes" // {lease}; outcome

	// AttrTrigger says why credentials were obtained: "background" (a
	// refresh while the current ones are still served), "blocking" (a
	// caller is waiting: none usable), "forced" (RetrieveFresh).
	AttrTrigger = attribute.Key("awsconnect.refresh.trigger")
	// AttrSource says where a refresh found its credentials: "sts" or
	// "store" (the second-level Store, filled by another worker).
	AttrSource = attribute.Key("awsconnect.credentials.source")
	// AttrErrorType is OpenTelemetry's error.type: the failure's Reason,
	// in snake case ("trust_policy", "throttled", ...; see Reason.Name).
	AttrErrorType = attribute.Key("error.type")
	// AttrStoreOperation names the Store call: "get", "put", "delete",
	// "lease".
	AttrStoreOperation = attribute.Key("awsconnect.store.operation")
	// AttrLeaseOutcome says how a miss that asked for the store's lease
	// went: "granted" (this worker called STS), "filled" (another worker
	// filled the store while this one waited), "timed_out" (the wait hit
	// Options.StoreLeaseWait and this worker called STS), "unavailable"
	// (the store could not be asked; this worker called STS).
	AttrLeaseOutcome = attribute.Key("awsconnect.store.lease.outcome")
)

// Values of AttrTrigger, AttrSource and AttrLeaseOutcome.
const (
	triggerBackground = iota
	triggerBlocking
	triggerForced
	numTriggers
)

var triggerNames = [numTriggers]string{"background", "blocking", "forced"}

const (
	sourceSTS = iota
	sourceStore
	numSources
)

var sourceNames = [numSources]string{"sts", "store"}

const (
	opGet = iota
	opPut
	opDelete
	opLease
	numOps
)

var opNames = [numOps]string{"get", "put", "delete", "lease"}

const (
	leaseGranted = iota
	leaseFilled
	leaseTimedOut
	leaseUnavailable
	numLeaseOutcomes
)

var leaseNames = [numLeaseOutcomes]string{"granted", "filled", "timed_out", "unavailable"}

// reasonMetricNames are the Reasons as error.type values: stable snake case,
// unlike Reason.String, which is prose for people.
var reasonMetricNames = map[Reason]string{
	ReasonUnknown:             "unknown",
	ReasonTrustPolicy:         "trust_policy",
	ReasonDurationTooLong:     "duration_too_long",
	ReasonRegionDisabled:      "region_disabled",
	ReasonPlatformCredentials: "platform_credentials",
	ReasonThrottled:           "throttled",
	ReasonNetwork:             "network",
	ReasonInvalidRequest:      "invalid_request",
	ReasonClockSkew:           "clock_skew",
	ReasonPlatformPermission:  "platform_permission",
	ReasonServiceUnavailable:  "service_unavailable",
}

// Name returns r as a stable snake-case identifier ("trust_policy"), the
// value of the error.type attribute on the cache's metrics.
func (r Reason) Name() string {
	if n, ok := reasonMetricNames[r]; ok {
		return n
	}
	return "unknown"
}

// assumeBuckets are the AssumeRole duration histogram's bounds in seconds:
// STS answers in tens of milliseconds; the tail up to RefreshTimeout (30 s)
// is throttling and retries.
var assumeBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// storeBuckets: a store on a local network answers in under a millisecond.
var storeBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25}

// metrics holds a Cache's synchronous instruments, with every attribute
// set built once so recording allocates nothing. A nil *metrics records
// nothing: that is a Cache without a MeterProvider.
type metrics struct {
	refreshes, failures                           metric.Int64Counter
	assume, storeDur                              metric.Float64Histogram
	storeHits, storeMisses, storeErrors, storeLea metric.Int64Counter
	reg                                           metric.Registration

	refreshOpts [numTriggers][numSources]metric.AddOption
	failOpts    map[Reason][numTriggers]metric.AddOption
	assumeOK    metric.RecordOption
	assumeFail  map[Reason]metric.RecordOption
	opAdd       [numOps]metric.AddOption
	opRecord    [numOps]metric.RecordOption
	leaseOpts   [numLeaseOutcomes]metric.AddOption
}

// newMetrics creates the instruments on mp's meter and registers the
// observable ones, which read c through a weak pointer so the meter
// provider does not keep a dropped Cache alive. Instruments that fail to be
// created are logged and left as no-ops: metrics never stop the cache.
func newMetrics(mp metric.MeterProvider, c *Cache) *metrics {
	meter := mp.Meter(meterName)
	logErr := func(name string, err error) {
		if err != nil {
			c.opts.Logger.LogAttrs(context.Background(), slog.LevelWarn, "role: creating a metric failed; it will not be recorded",
				slog.String("metric", name), slog.String("error", err.Error()))
		}
	}
	counter := func(name, unit, desc string) metric.Int64Counter {
		i, err := meter.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		logErr(name, err)
		return i
	}
	histogram := func(name, desc string, bounds []float64) metric.Float64Histogram {
		i, err := meter.Float64Histogram(name, metric.WithUnit("s"), metric.WithDescription(desc),
			metric.WithExplicitBucketBoundaries(bounds...))
		logErr(name, err)
		return i
	}
	m := &metrics{
		refreshes:   counter(MetricRefreshes, "{refresh}", "Credentials obtained for a key, by trigger and source (STS or the second-level store)."),
		failures:    counter(MetricFailures, "{refresh}", "AssumeRole calls that failed, by trigger and classified reason."),
		assume:      histogram(MetricAssumeRole, "Duration of AssumeRole calls made by the cache.", assumeBuckets),
		storeDur:    histogram(MetricStoreDuration, "Duration of calls to the second-level store, by operation.", storeBuckets),
		storeHits:   counter(MetricStoreHits, "{lookup}", "Misses of the local cache answered by the second-level store."),
		storeMisses: counter(MetricStoreMisses, "{lookup}", "Lookups in the second-level store that found no usable credentials."),
		storeErrors: counter(MetricStoreErrors, "{call}", "Calls to the second-level store that failed (the cache went on to STS), by operation."),
		storeLea:    counter(MetricStoreLeases, "{lease}", "How misses that asked for the store's lease went."),
		failOpts:    map[Reason][numTriggers]metric.AddOption{},
		assumeFail:  map[Reason]metric.RecordOption{},
		assumeOK:    metric.WithAttributeSet(attribute.NewSet()),
	}
	for t := range numTriggers {
		for s := range numSources {
			m.refreshOpts[t][s] = metric.WithAttributeSet(attribute.NewSet(
				AttrTrigger.String(triggerNames[t]), AttrSource.String(sourceNames[s])))
		}
	}
	for r, name := range reasonMetricNames {
		var opts [numTriggers]metric.AddOption
		for t := range numTriggers {
			opts[t] = metric.WithAttributeSet(attribute.NewSet(AttrTrigger.String(triggerNames[t]), AttrErrorType.String(name)))
		}
		m.failOpts[r] = opts
		m.assumeFail[r] = metric.WithAttributeSet(attribute.NewSet(AttrErrorType.String(name)))
	}
	for op := range numOps {
		set := attribute.NewSet(AttrStoreOperation.String(opNames[op]))
		m.opAdd[op] = metric.WithAttributeSet(set)
		m.opRecord[op] = metric.WithAttributeSet(set)
	}
	for o := range numLeaseOutcomes {
		m.leaseOpts[o] = metric.WithAttributeSet(attribute.NewSet(AttrLeaseOutcome.String(leaseNames[o])))
	}

	observableCounter := func(name, unit, desc string) metric.Int64ObservableCounter {
		i, err := meter.Int64ObservableCounter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		logErr(name, err)
		return i
	}
	hits := observableCounter(MetricHits, "{retrieval}", "Retrievals answered from cached credentials without waiting (sampled beyond 1,024 per entry, see role.Stats.Hits).")
	misses := observableCounter(MetricMisses, "{retrieval}", "Retrievals that waited for credentials (from STS or the second-level store).")
	stale := observableCounter(MetricStaleServed, "{retrieval}", "Retrievals answered with credentials due for refresh, while a refresh ran or backed off.")
	negative := observableCounter(MetricNegativeHits, "{retrieval}", "STS calls not made because the key's last failure was still held (negative cache or backoff).")
	limited := observableCounter(MetricRateLimited, "{call}", "STS calls refused by the cache's rate limit.")
	evictions := observableCounter(MetricEvictions, "{entry}", "Entries dropped to stay within MaxEntries.")
	entries, err := meter.Int64ObservableGauge(MetricEntries, metric.WithUnit("{entry}"), metric.WithDescription("Keys held in the local cache."))
	logErr(MetricEntries, err)
	active, err := meter.Int64ObservableUpDownCounter(MetricAssumeActive, metric.WithUnit("{call}"), metric.WithDescription("AssumeRole calls in progress."))
	logErr(MetricAssumeActive, err)

	wc := weak.Make(c)
	reg, err := meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		c := wc.Value()
		if c == nil {
			return nil
		}
		s := c.Stats()
		o.ObserveInt64(hits, int64(s.Hits))
		o.ObserveInt64(misses, int64(s.Misses))
		o.ObserveInt64(stale, int64(s.StaleServed))
		o.ObserveInt64(negative, int64(s.NegativeHits))
		o.ObserveInt64(limited, int64(s.RateLimited))
		o.ObserveInt64(evictions, int64(s.Evictions))
		o.ObserveInt64(entries, int64(s.Entries))
		o.ObserveInt64(active, s.InFlight)
		return nil
	}, hits, misses, stale, negative, limited, evictions, entries, active)
	logErr("callback", err)
	m.reg = reg
	return m
}

// close unregisters the observable instruments (Cache.Close).
func (m *metrics) close() {
	if m != nil && m.reg != nil {
		_ = m.reg.Unregister()
	}
}

func (m *metrics) refreshed(trigger, source int) {
	if m != nil {
		m.refreshes.Add(context.Background(), 1, m.refreshOpts[trigger][source])
	}
}

func (m *metrics) failed(trigger int, r Reason) {
	if m == nil {
		return
	}
	opts, ok := m.failOpts[r]
	if !ok {
		opts = m.failOpts[ReasonUnknown]
	}
	m.failures.Add(context.Background(), 1, opts[trigger])
}

// assumed records one AssumeRole call's duration; err is nil on success.
func (m *metrics) assumed(d time.Duration, err *AssumeRoleError) {
	if m == nil {
		return
	}
	opt := m.assumeOK
	if err != nil {
		var ok bool
		if opt, ok = m.assumeFail[err.Reason]; !ok {
			opt = m.assumeFail[ReasonUnknown]
		}
	}
	m.assume.Record(context.Background(), d.Seconds(), opt)
}

// stored records one Store call: its duration, and its error if any.
func (m *metrics) stored(op int, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.storeDur.Record(context.Background(), d.Seconds(), m.opRecord[op])
	if err != nil {
		m.storeErrors.Add(context.Background(), 1, m.opAdd[op])
	}
}

func (m *metrics) storeLookup(hit bool) {
	if m == nil {
		return
	}
	if hit {
		m.storeHits.Add(context.Background(), 1)
	} else {
		m.storeMisses.Add(context.Background(), 1)
	}
}

func (m *metrics) lease(outcome int) {
	if m != nil {
		m.storeLea.Add(context.Background(), 1, m.leaseOpts[outcome])
	}
}
