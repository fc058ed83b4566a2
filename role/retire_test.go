package role

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// Finding 8b: InvalidateExternalID dropped the credentials but an old
// Provider re-assumed the role with the ID. RetireExternalID stops every use.
func TestRetireExternalID(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.cache.Provider(spec(roleA, extA))
	require.NoError(t, err)
	_, err = p.Retrieve(ctx)
	require.NoError(t, err)
	e.get(spec(roleB, extA))
	e.get(spec(roleA, extB))
	require.EqualValues(t, 3, e.sts.calls.Load())

	require.Equal(t, 2, e.cache.RetireExternalID(extA))
	require.Equal(t, 1, e.cache.Len())
	for name, call := range map[string]func() error{
		"old Provider":  func() error { _, err := p.Retrieve(ctx); return err },
		"Retrieve":      func() error { _, err := e.cache.Retrieve(ctx, spec(roleA, extA)); return err },
		"RetrieveFresh": func() error { _, err := e.cache.RetrieveFresh(ctx, spec(roleB, extA)); return err },
		"new Provider":  func() error { _, err := e.cache.Provider(spec(roleA, extA)); return err },
	} {
		err := call()
		require.ErrorIs(t, err, ErrExternalIDRetired, name)
		require.True(t, strings.HasPrefix(err.Error(), "role: "), err.Error())
	}
	require.EqualValues(t, 3, e.sts.calls.Load(), "no call with a retired ID")
	require.Positive(t, e.cache.Stats().RetiredRefusals)
	e.get(spec(roleA, extB)) // other IDs unaffected

	require.True(t, e.cache.UnretireExternalID(extA))
	require.False(t, e.cache.UnretireExternalID(extA))
	_, err = p.Retrieve(ctx)
	require.NoError(t, err, "a rolled-back switch")
	require.EqualValues(t, 4, e.sts.calls.Load())
}

// TestRetireDuringCall: a call in flight when its ID is retired completes,
// but its credentials are neither returned nor cached.
func TestRetireDuringCall(t *testing.T) {
	e := newEnv(t)
	e.sts.gate = make(chan struct{})
	e.sts.enter = make(chan struct{}, 1)
	done := make(chan error)
	go func() {
		_, err := e.cache.Retrieve(context.Background(), spec(roleA, extA))
		done <- err
	}()
	<-e.sts.enter
	e.cache.RetireExternalID(extA)
	close(e.sts.gate)
	require.ErrorIs(t, <-done, ErrExternalIDRetired)
	require.Zero(t, e.cache.Len())
}

// TestOptionsRetired: the fleet-wide answer is consulted on the miss path
// and before every call, including a background refresh.
func TestOptionsRetired(t *testing.T) {
	var retired atomic.Bool
	e := newEnv(t, func(o *Options) {
		o.Retired = func(id string) bool { return id == extA && retired.Load() }
	})
	s := spec(roleA, extA)
	e.get(s)
	retired.Store(true)
	_, err := e.cache.Retrieve(context.Background(), spec(roleB, extA))
	require.ErrorIs(t, err, ErrExternalIDRetired)
	e.advance(DefaultDuration) // the cached entry needs a call: refused
	_, err = e.cache.Retrieve(context.Background(), s)
	require.ErrorIs(t, err, ErrExternalIDRetired)
	require.EqualValues(t, 1, e.sts.calls.Load())
}
