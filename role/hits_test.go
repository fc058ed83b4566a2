package role

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Finding 9: every hit added 1 to the entry's counter, so every hit on one
// key wrote one shared cache line. Beyond its first exactHits hits an entry
// now writes its counter once per hitSample hits on average.
func TestHitCountingSampledBeyondExact(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.cache.Provider(spec(roleA, extA))
	require.NoError(t, err)
	_, err = p.Retrieve(ctx) // the miss
	require.NoError(t, err)
	for range exactHits - 1 {
		_, _ = p.Retrieve(ctx)
	}
	require.EqualValues(t, exactHits-1, e.cache.Stats().Hits, "exact at first")

	const more = 1 << 20
	for range more {
		_, _ = p.Retrieve(ctx)
	}
	ent := p.(*provider).e.Load()
	got := ent.hits.Load()
	require.Zero(t, (got-exactHits)%hitSample, "beyond the exact phase the counter moves only in steps of %d", hitSample)
	writes := (got - exactHits) / hitSample
	require.Less(t, writes, uint64(more/hitSample*2), "about one write per %d hits", hitSample)
	// The estimate's standard deviation is 8·√more = 8192; allow 6σ.
	want := float64(exactHits - 1 + more)
	require.InDelta(t, want, float64(e.cache.Stats().Hits), 6*8*math.Sqrt(more))
}

// Finding 8a: the hash covered role ARN, external ID and duration only, so
// 5,000 connections on one role and external ID shared one chain.
func TestHashCoversEveryField(t *testing.T) {
	e := newEnv(t)
	for i := range 5000 {
		e.get(Spec{RoleARN: roleA, ExternalID: extA, SessionName: fmt.Sprintf("conn-%d", i)})
	}
	longest := 0
	for i := range e.cache.shards {
		e.cache.shards[i].m.Range(func(_, head any) bool {
			n := 0
			for p := head.(*entry); p != nil; p = p.next.Load() {
				n++
			}
			longest = max(longest, n)
			return true
		})
	}
	require.LessOrEqual(t, longest, 2, "longest hash chain over 5,000 keys on one role and external ID")

	base := Spec{RoleARN: roleA, ExternalID: extA}
	bk := keyOf(&base, DefaultDuration)
	for name, mut := range map[string]func(*Spec){
		"session name": func(s *Spec) { s.SessionName = "x1" },
		"workspace":    func(s *Spec) { s.WorkspaceID = "w" },
		"project":      func(s *Spec) { s.ProjectID = "p" },
		"connection":   func(s *Spec) { s.ConnectionID = "c" },
		"policy":       func(s *Spec) { s.Policy = "{}" },
		"policy ARNs":  func(s *Spec) { s.PolicyARNs = []string{"arn:aws:iam::aws:policy/A"} },
		"tags":         func(s *Spec) { s.Tags = map[string]string{"a": "b"} },
		"transitive":   func(s *Spec) { s.Tags = map[string]string{"a": "b"}; s.TransitiveTagKeys = []string{"a"} },
		"source":       func(s *Spec) { s.SourceIdentity = "me" },
		"duration":     func(s *Spec) { s.Duration = 2 * time.Hour },
	} {
		s := base
		mut(&s)
		k := keyOf(&s, DefaultDuration)
		require.NotEqual(t, e.cache.hash(&bk), e.cache.hash(&k), name)
	}
	// Length prefixes: moving a boundary between fields changes the hash.
	a := key{roleARN: roleA, workspaceID: "ab", projectID: "c", duration: time.Hour}
	b := key{roleARN: roleA, workspaceID: "a", projectID: "bc", duration: time.Hour}
	require.NotEqual(t, e.cache.hash(&a), e.cache.hash(&b))
}

// Finding 8d: errors quoted their input whole (a 1 MiB role ARN made a
// 1 MiB error).
func TestErrorsTruncateEchoedInput(t *testing.T) {
	huge := "arn:aws:iam::123456789012:role/" + strings.Repeat("x", 1<<20)
	for name, in := range map[string]string{
		"too long":   huge,
		"whitespace": " " + huge,
		"partition":  "arn:" + strings.Repeat("p", 1000) + ":iam::123456789012:role/R",
	} {
		_, err := ParseRoleARN(in)
		require.ErrorIs(t, err, ErrInvalidRoleARN, name)
		require.Less(t, len(err.Error()), 400, "%s: %d bytes of error", name, len(err.Error()))
		require.Contains(t, err.Error(), fmt.Sprintf("…(%d bytes)", len(in)), name)
	}
	_, err := validate(&Spec{RoleARN: roleA, ExternalID: extA, PolicyARNs: []string{strings.Repeat("y", 1<<20)}}, DefaultDuration, "")
	require.ErrorIs(t, err, ErrInvalidSpec)
	require.Less(t, len(err.Error()), 400)
	_, err = validate(&Spec{RoleARN: roleA, ExternalID: extA, Tags: map[string]string{strings.Repeat("k", 1<<20): "v"}}, DefaultDuration, "")
	require.ErrorIs(t, err, ErrInvalidSpec)
	require.Less(t, len(err.Error()), 400)

	require.Equal(t, `"short"`, echo("short"))
	cut := echo(strings.Repeat("é", 100)) // 200 bytes; the cut falls on a rune boundary
	require.True(t, strings.HasSuffix(cut, "…(200 bytes)"), cut)
	require.NotContains(t, cut, `\x`, "no split rune")
}
