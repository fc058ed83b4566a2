package policy

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func loadManaged(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "managed", "aws-managed-policies.json.gz"))
	require.NoError(t, err)
	defer f.Close()
	z, err := gzip.NewReader(f)
	require.NoError(t, err)
	var docs map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(z).Decode(&docs))
	return docs
}

func TestManagedPoliciesSweep(t *testing.T) {
	docs := loadManaged(t)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	slices.Sort(names)
	counts := map[string]int{}
	for _, n := range names {
		d, err := Parse(docs[n])
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		for _, f := range Lint(d, IdentityPolicyKind) {
			counts[f.Code]++
			if f.Code == CodeUnknownAction || f.Code == CodeResourceTypeMismatch {
				t.Logf("%s: %s", n, f)
			}
		}
	}
	t.Logf("%d policies: %v", len(names), counts)
}
