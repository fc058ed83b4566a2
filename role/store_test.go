package role

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
)

// memStore is an in-memory Store for the cache's tests: a map, a lease
// table, failure injection and call counts.
type memStore struct {
	now func() time.Time

	mu     sync.Mutex
	values map[string]aws.Credentials
	leases map[string]string // key -> holder token
	tokens int
	calls  map[string]int // operation -> calls

	fail      func(op string) error // optional: an error for the call
	block     bool                  // calls wait for their context to end
	denyLease bool                  // every lease is held by "another worker"
	denied    chan struct{}         // optional: signalled on each denied lease
}

func newMemStore(now func() time.Time) *memStore {
	return &memStore{now: now, values: map[string]aws.Credentials{}, leases: map[string]string{}, calls: map[string]int{}}
}

func (m *memStore) enter(ctx context.Context, op string) error {
	m.mu.Lock()
	m.calls[op]++
	fail, block := m.fail, m.block
	m.mu.Unlock()
	if block {
		<-ctx.Done()
		return ctx.Err()
	}
	if fail != nil {
		return fail(op)
	}
	return nil
}

func (m *memStore) Get(ctx context.Context, k StoreKey) (aws.Credentials, bool, error) {
	if err := m.enter(ctx, "get"); err != nil {
		return aws.Credentials{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.values[k.s]
	if ok && !c.Expires.After(m.now()) {
		return aws.Credentials{}, false, nil
	}
	return c, ok, nil
}

func (m *memStore) Put(ctx context.Context, k StoreKey, c aws.Credentials) error {
	if err := m.enter(ctx, "put"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.values[k.s] = c
	return nil
}

func (m *memStore) Delete(ctx context.Context, k StoreKey) error {
	if err := m.enter(ctx, "delete"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.values, k.s)
	return nil
}

func (m *memStore) Lease(ctx context.Context, k StoreKey, _ time.Duration) (func(context.Context), bool, error) {
	if err := m.enter(ctx, "lease"); err != nil {
		return nil, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, held := m.leases[k.s]; held || m.denyLease {
		if m.denied != nil {
			select {
			case m.denied <- struct{}{}:
			default:
			}
		}
		return nil, false, nil
	}
	m.tokens++
	token := fmt.Sprint(m.tokens)
	m.leases[k.s] = token
	return func(context.Context) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.leases[k.s] == token {
			delete(m.leases, k.s)
		}
	}, true, nil
}

func (m *memStore) count(op string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls[op]
}

func (m *memStore) put(t *testing.T, c *Cache, s Spec, creds aws.Credentials) {
	t.Helper()
	k, err := c.StoreKey(s)
	require.NoError(t, err)
	m.mu.Lock()
	m.values[k.s] = creds
	m.mu.Unlock()
}

func (m *memStore) get(t *testing.T, c *Cache, s Spec) (aws.Credentials, bool) {
	t.Helper()
	k, err := c.StoreKey(s)
	require.NoError(t, err)
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[k.s]
	return v, ok
}

// worker is one more Cache over its own fake STS, sharing the env's clock,
// as another process of the fleet would.
func (e *env) worker(st Store, optFns ...func(*Options)) (*Cache, *fakeSTS) {
	f := &fakeSTS{now: e.clock.Now}
	fns := append([]func(*Options){func(o *Options) {
		o.Now = e.clock.Now
		o.rand = func() float64 { return 0 }
		o.Store = st
	}}, optFns...)
	c := NewCache(f, fns...)
	e.t.Cleanup(func() { _ = c.Close() })
	return c, f
}

// newStoreEnv is an env whose cache has a memStore on the env's clock.
func newStoreEnv(t *testing.T, optFns ...func(*Options)) (*env, *memStore) {
	st := newMemStore(nil)
	e := newEnv(t, append([]func(*Options){func(o *Options) { o.Store = st }}, optFns...)...)
	st.now = e.clock.Now
	return e, st
}

// TestStoreSharesCredentialsAcrossWorkers: the second worker's miss is
// answered by what the first put, without calling STS.
func TestStoreSharesCredentialsAcrossWorkers(t *testing.T) {
	e, st := newStoreEnv(t)
	s := spec(roleA, extA)
	first := e.get(s)
	require.EqualValues(t, 1, e.sts.calls.Load())
	require.Equal(t, 1, st.count("put"))

	other, otherSTS := e.worker(st)
	got, err := other.Retrieve(context.Background(), s)
	require.NoError(t, err)
	require.Equal(t, first.AccessKeyID, got.AccessKeyID)
	require.Equal(t, first.Expires, got.Expires, "the same windows apply to credentials from the store")
	require.Zero(t, otherSTS.calls.Load(), "the second worker did not call STS")
	stats := other.Stats()
	require.EqualValues(t, 1, stats.StoreHits)
	require.Zero(t, stats.Refreshes, "Refreshes counts STS calls only")

	// Another key is not answered by this one's value.
	_, err = other.Retrieve(context.Background(), spec(roleA, extB))
	require.NoError(t, err)
	require.EqualValues(t, 1, otherSTS.calls.Load())
}

func TestStoreKeyCoversEverySessionOption(t *testing.T) {
	c := NewCache(&fakeSTS{now: time.Now})
	defer c.Close()
	base := Spec{RoleARN: roleA, ExternalID: extA, WorkspaceID: "w1"}
	variants := map[string]func(*Spec){
		"external ID":     func(s *Spec) { s.ExternalID = extB },
		"role":            func(s *Spec) { s.RoleARN = roleB },
		"workspace":       func(s *Spec) { s.WorkspaceID = "w2" },
		"session name":    func(s *Spec) { s.SessionName = "explicit" },
		"duration":        func(s *Spec) { s.Duration = 2 * time.Hour },
		"policy":          func(s *Spec) { s.Policy = `{"Version":"2012-10-17","Statement":[]}` },
		"policy ARNs":     func(s *Spec) { s.PolicyARNs = []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"} },
		"tags":            func(s *Spec) { s.Tags = map[string]string{"k": "v"} },
		"source identity": func(s *Spec) { s.SourceIdentity = "alice" },
	}
	bk, err := c.StoreKey(base)
	require.NoError(t, err)
	seen := map[string]string{string(bk.Bytes()): "base"}
	for name, mutate := range variants {
		s := base
		mutate(&s)
		k, err := c.StoreKey(s)
		require.NoError(t, err, name)
		if prev, dup := seen[string(k.Bytes())]; dup {
			t.Errorf("%s and %s share a store key", name, prev)
		}
		seen[string(k.Bytes())] = name
	}
	// Stable across caches; the session-name prefix is part of the key.
	other := NewCache(&fakeSTS{now: time.Now})
	defer other.Close()
	ok, _ := other.StoreKey(base)
	require.Equal(t, bk, ok)
	prefixed := NewCache(&fakeSTS{now: time.Now}, func(o *Options) { o.SessionNamePrefix = "other" })
	defer prefixed.Close()
	pk, _ := prefixed.StoreKey(base)
	require.NotEqual(t, bk, pk)
	// Printing never shows the ARN or external ID.
	for _, out := range []string{fmt.Sprint(bk), fmt.Sprintf("%+v %#v %s", bk, bk, bk)} {
		require.NotContains(t, out, extA)
		require.NotContains(t, out, "ConnectorA")
	}
	_, err = c.StoreKey(Spec{RoleARN: roleA})
	require.ErrorIs(t, err, ErrMissingExternalID)
}

// TestStoreFailuresNeverFailRetrieve: a store that fails or hangs on every
// call costs STS calls, never an error.
func TestStoreFailuresNeverFailRetrieve(t *testing.T) {
	for name, setup := range map[string]func(*memStore){
		"errors": func(m *memStore) { m.fail = func(op string) error { return errors.New(op + ": connection refused") } },
		"hangs":  func(m *memStore) { m.block = true },
	} {
		t.Run(name, func(t *testing.T) {
			e, st := newStoreEnv(t, func(o *Options) { o.StoreTimeout = 5 * time.Millisecond })
			setup(st)
			for i := range 3 {
				c, err := e.cache.Retrieve(context.Background(), spec(roleA, fmt.Sprintf("ext_%d", i)))
				require.NoError(t, err)
				require.NotEmpty(t, c.AccessKeyID)
			}
			require.EqualValues(t, 3, e.sts.calls.Load())
			s := e.cache.Stats()
			require.EqualValues(t, 3*3, s.StoreErrors, "get, lease and put failed for each key")
			require.EqualValues(t, 3, s.Refreshes)
		})
	}
}

// TestLeaseWaitsForTheHolder: a worker that finds the key's lease taken
// waits for the store to fill and calls STS not at all.
func TestLeaseWaitsForTheHolder(t *testing.T) {
	e, st := newStoreEnv(t, func(o *Options) { o.StoreLeaseWait = time.Hour; o.RefreshTimeout = 4 * time.Hour })
	st.denyLease = true
	st.denied = make(chan struct{}, 1)
	s := spec(roleA, extA)
	holder := aws.Credentials{AccessKeyID: "ASIAHOLDER", SecretAccessKey: "s", SessionToken: "t",
		CanExpire: true, Expires: e.clock.Now().Add(time.Hour)}
	got := make(chan aws.Credentials, 1)
	go func() {
		c, err := e.cache.Retrieve(context.Background(), s)
		require.NoError(t, err)
		got <- c
	}()
	<-st.denied // the waiter saw the lease taken
	st.put(t, e.cache, s, holder)
	c := <-got
	require.Equal(t, "ASIAHOLDER", c.AccessKeyID)
	require.Zero(t, e.sts.calls.Load())
	require.EqualValues(t, 1, e.cache.Stats().StoreHits)
}

// TestLeaseWaitIsBounded: when the holder never fills the store, the
// waiter calls STS itself after StoreLeaseWait.
func TestLeaseWaitIsBounded(t *testing.T) {
	e, st := newStoreEnv(t, func(o *Options) { o.StoreLeaseWait = 20 * time.Millisecond })
	st.denyLease = true
	c := e.get(spec(roleA, extA))
	require.NotEmpty(t, c.AccessKeyID)
	require.EqualValues(t, 1, e.sts.calls.Load())
	require.EqualValues(t, 1, e.cache.Stats().LeaseTimeouts)
	_, stored := st.get(t, e.cache, spec(roleA, extA))
	require.True(t, stored, "what the waiter got from STS is stored for the others")
}

// TestLeaseHolderLooksAgain: a worker that gets the lease right after
// another released it finds that worker's credentials instead of calling.
func TestLeaseHolderLooksAgain(t *testing.T) {
	e, st := newStoreEnv(t)
	s := spec(roleA, extA)
	var once atomic.Bool
	st.fail = func(op string) error {
		// Between this worker's lookup and its lease, another worker
		// fills the store.
		if op == "lease" && once.CompareAndSwap(false, true) {
			st.mu.Lock()
			k, _ := e.cache.StoreKey(s)
			st.values[k.s] = aws.Credentials{AccessKeyID: "ASIAOTHER", SecretAccessKey: "s", CanExpire: true, Expires: e.clock.Now().Add(time.Hour)}
			st.mu.Unlock()
		}
		return nil
	}
	require.Equal(t, "ASIAOTHER", e.get(s).AccessKeyID)
	require.Zero(t, e.sts.calls.Load())
}

// TestStoreValueNearExpiryIsNotUsed: credentials inside the refresh window
// are not taken from the store: the worker would refresh them at once.
func TestStoreValueNearExpiryIsNotUsed(t *testing.T) {
	e, st := newStoreEnv(t)
	s := spec(roleA, extA)
	st.put(t, e.cache, s, aws.Credentials{AccessKeyID: "ASIAOLD", SecretAccessKey: "s", CanExpire: true, Expires: e.clock.Now().Add(4 * time.Minute)})
	c := e.get(s)
	require.NotEqual(t, "ASIAOLD", c.AccessKeyID)
	require.EqualValues(t, 1, e.sts.calls.Load())
	v, _ := st.get(t, e.cache, s)
	require.Equal(t, c.AccessKeyID, v.AccessKeyID, "the new credentials replaced the old in the store")
}

// TestBackgroundRefreshTakesNewerFromStore: a worker whose credentials
// enter the refresh window picks up the ones another worker already
// refreshed.
func TestBackgroundRefreshTakesNewerFromStore(t *testing.T) {
	e, st := newStoreEnv(t)
	s := spec(roleA, extA)
	first := e.get(s)
	e.advance(56 * time.Minute)
	newer := aws.Credentials{AccessKeyID: "ASIANEWER", SecretAccessKey: "s", CanExpire: true, Expires: e.clock.Now().Add(time.Hour)}
	st.put(t, e.cache, s, newer)
	require.Equal(t, first.AccessKeyID, e.get(s).AccessKeyID, "stale credentials are served while refreshing")
	e.settle()
	require.Equal(t, "ASIANEWER", e.get(s).AccessKeyID)
	require.EqualValues(t, 1, e.sts.calls.Load())
	require.EqualValues(t, 1, e.cache.Stats().StaleServed)
}

// TestRetrieveFreshBypassesStore: a Connect check proves the role now, and
// its result replaces the fleet's entry.
func TestRetrieveFreshBypassesStore(t *testing.T) {
	e, st := newStoreEnv(t)
	s := spec(roleA, extA)
	st.put(t, e.cache, s, aws.Credentials{AccessKeyID: "ASIASTORED", SecretAccessKey: "s", CanExpire: true, Expires: e.clock.Now().Add(time.Hour)})
	c, err := e.cache.RetrieveFresh(context.Background(), s)
	require.NoError(t, err)
	require.NotEqual(t, "ASIASTORED", c.AccessKeyID)
	require.EqualValues(t, 1, e.sts.calls.Load())
	require.Zero(t, st.count("get"))
	require.Zero(t, st.count("lease"))
	v, _ := st.get(t, e.cache, s)
	require.Equal(t, c.AccessKeyID, v.AccessKeyID)
}

func TestInvalidateDeletesFromStore(t *testing.T) {
	e, st := newStoreEnv(t)
	a, b, c := spec(roleA, extA), spec(roleB, extA), spec(roleB, extB)
	for _, s := range []Spec{a, b, c} {
		e.get(s)
	}
	require.True(t, e.cache.Invalidate(a))
	_, ok := st.get(t, e.cache, a)
	require.False(t, ok)
	require.Equal(t, 2, e.cache.InvalidateRole(roleB))
	_, ok = st.get(t, e.cache, b)
	require.False(t, ok)
	_, ok = st.get(t, e.cache, c)
	require.False(t, ok)
	// The next miss calls STS rather than reading back the invalidated value.
	e.get(a)
	require.EqualValues(t, 4, e.sts.calls.Load())
}

// TestRetiredNeverFromStore: a retired external ID is refused before the
// store is asked.
func TestRetiredNeverFromStore(t *testing.T) {
	e, st := newStoreEnv(t, func(o *Options) { o.Retired = func(id string) bool { return id == extB } })
	st.put(t, e.cache, spec(roleA, extB), aws.Credentials{AccessKeyID: "ASIARETIRED", SecretAccessKey: "s", CanExpire: true, Expires: e.clock.Now().Add(time.Hour)})
	_, err := e.cache.Retrieve(context.Background(), spec(roleA, extB))
	require.ErrorIs(t, err, ErrExternalIDRetired)
	require.Zero(t, st.count("get"))
}

// TestStoreHitsSkipTheRateLimit: a cold worker reads the fleet's
// credentials without spending STS tokens; a store miss still needs one.
func TestStoreHitsSkipTheRateLimit(t *testing.T) {
	e, st := newStoreEnv(t, func(o *Options) { o.RateLimit = RateLimit{PerSecond: 1, Burst: 1, KeyShare: 1} })
	for i := range 5 {
		st.put(t, e.cache, spec(roleA, fmt.Sprintf("ext_%d", i)), aws.Credentials{AccessKeyID: fmt.Sprintf("ASIA%d", i),
			SecretAccessKey: "s", CanExpire: true, Expires: e.clock.Now().Add(time.Hour)})
	}
	for i := range 5 {
		require.Equal(t, fmt.Sprintf("ASIA%d", i), e.get(spec(roleA, fmt.Sprintf("ext_%d", i))).AccessKeyID)
	}
	require.Zero(t, e.cache.Stats().RateLimited)
	e.get(spec(roleA, "ext_miss_1")) // the one token
	_, err := e.cache.Retrieve(context.Background(), spec(roleA, "ext_miss_2"))
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	require.ErrorIs(t, err, ErrRateLimited)
	require.EqualValues(t, 1, e.sts.calls.Load())
	s := e.cache.Stats()
	require.EqualValues(t, 1, s.RateLimited)
	require.Zero(t, s.RefreshFailures, "a refusal is not a failure of the key")
	require.False(t, strings.Contains(err.Error(), "SECRET"))
}
