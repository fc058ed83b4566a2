package policy

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./policy -update to create %s", path)
	require.Equal(t, string(want), string(got))
}

const platform = "111122223333"

// TestTrustPolicy follows "How to use an external ID when granting access to
// your AWS resources to a third party" (IAM User Guide): the trust policy
// names the third party's account and requires sts:ExternalId.
func TestTrustPolicy(t *testing.T) {
	d, err := TrustPolicy(platform, "acme_iam_external_id_12345")
	require.NoError(t, err)
	b, err := d.Indented()
	require.NoError(t, err)
	golden(t, "trust_one_id.json", append(b, '\n'))

	two, err := TrustPolicy(platform, "acme_iam_external_id_12345", "acme_iam_external_id_12345_6789", "acme_iam_external_id_12345")
	require.NoError(t, err)
	b, err = two.Indented()
	require.NoError(t, err)
	golden(t, "trust_scope_switch.json", append(b, '\n'))
	require.Equal(t, Strings{"acme_iam_external_id_12345", "acme_iam_external_id_12345_6789"}, two.Statement[0].Condition["StringEquals"][ExternalIDCondition])

	// The generated JSON parses back to the same document.
	again, err := Parse(b)
	require.NoError(t, err)
	require.Equal(t, two, again)
}

func TestTrustPolicyRefuses(t *testing.T) {
	long := strings.Repeat("a", 1224)
	tests := []struct {
		name    string
		account string
		ids     []string
		want    error
		message string
	}{
		{"short account", "12345", []string{"abc"}, ErrInvalidAccountID, `"12345" must be the 12 digits`},
		{"account ARN", "arn:aws:iam::111122223333:root", []string{"abc"}, ErrInvalidAccountID, "12 digits"},
		{"no external ID", platform, nil, ErrInvalidExternalID, "no external ID given"},
		{"one-character ID", platform, []string{"a"}, ErrInvalidExternalID, `policy: external ID "a": scope: invalid external ID: length 1 is outside`},
		{"space in ID", platform, []string{"a b"}, ErrInvalidExternalID, "scope: invalid external ID"},
		{"empty ID among good", platform, []string{"abc", ""}, ErrInvalidExternalID, "scope: invalid external ID"},
		{"ID too long", platform, []string{long + "a"}, ErrInvalidExternalID, "scope: invalid external ID"},
		{"over the quota", platform, []string{long, long + "", strings.Repeat("b", 1224)}, ErrTooLarge, "over IAM's 2048-character trust policy quota"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := TrustPolicy(tt.account, tt.ids...)
			require.Nil(t, d)
			require.ErrorIs(t, err, tt.want)
			require.Contains(t, err.Error(), tt.message)
			require.True(t, strings.HasPrefix(err.Error(), "policy: "))
		})
	}
	// The rule is scope's, so callers may test with either sentinel.
	_, err := TrustPolicy(platform, "a")
	require.ErrorIs(t, err, scope.ErrInvalidExternalID)

	// One maximal ID still fits.
	var d *Document
	d, err = TrustPolicy(platform, long)
	require.NoError(t, err)
	require.LessOrEqual(t, d.Size(), TrustPolicyQuota)
}

// TestAdmits follows "How to use an external ID ..." and "The confused
// deputy problem" (IAM User Guide).
func TestAdmits(t *testing.T) {
	caller := "arn:aws:iam::111122223333:role/platform"
	session := "arn:aws:sts::111122223333:assumed-role/platform/awsconnect"
	generated, err := TrustPolicy(platform, "ext_old", "ext_new")
	require.NoError(t, err)
	noID := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}`)
	ifExists := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Condition":{"StringEqualsIfExists":{"sts:ExternalId":"ext_new"}}}}`)
	otherAccount := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext_new"}}}}`)
	tests := []struct {
		name        string
		doc         *Document
		caller, id  string
		admits      bool
		admitsNoID  bool
		checkErr    error
		checkSubstr string
	}{
		{"generated, new ID", generated, caller, "ext_new", true, false, nil, ""},
		{"generated, old ID, session caller", generated, session, "ext_old", true, false, nil, ""},
		{"generated, wrong ID", generated, caller, "ext_other", false, false, ErrNotAdmitted, `does not admit arn:aws:iam::111122223333:role/platform with external ID ext_other; add a statement that allows sts:AssumeRole to {"AWS": "arn:aws:iam::111122223333:root"} with the condition {"StringEquals": {"sts:ExternalId": "ext_other"}}`},
		{"generated, other account", generated, "arn:aws:iam::444455556666:role/platform", "ext_new", false, false, ErrNotAdmitted, "444455556666"},
		{"no ID condition", noID, caller, "ext_new", true, true, ErrConfusedDeputy, `can assume the role with no external ID; add to its Allow statement the condition {"StringEquals": {"sts:ExternalId": "ext_new"}}`},
		{"IfExists lets a call without ID in", ifExists, caller, "ext_new", true, true, ErrConfusedDeputy, "no external ID"},
		{"other account", otherAccount, caller, "ext_new", false, false, ErrNotAdmitted, "does not admit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.admits, tt.doc.Admits(tt.caller, tt.id))
			require.Equal(t, tt.admitsNoID, tt.doc.AdmitsWithoutExternalID(tt.caller))
			err := tt.doc.CheckTrust(tt.caller, tt.id)
			if tt.checkErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.checkErr)
			require.Contains(t, err.Error(), tt.checkSubstr)
		})
	}
	require.ErrorIs(t, generated.CheckTrust(caller, ""), ErrInvalidExternalID)
}

func TestDocumentSizeIgnoresWhitespace(t *testing.T) {
	d, err := TrustPolicy(platform, "ext")
	require.NoError(t, err)
	compact, err := json.Marshal(d)
	require.NoError(t, err)
	require.Equal(t, len(compact), d.Size())
	ind, err := d.Indented()
	require.NoError(t, err)
	require.Equal(t, len(compact), countNonSpace(ind))
	require.Equal(t, 9, countNonSpace([]byte(`{"a b": 1}`)))
}
