package policy

import (
	"encoding/json"
	"strings"
	"testing"

	goldenfile "github.com/awsconnect/awsconnect/internal/golden"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Assert(t, name, got)
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
		{"not an ARN", "platform", []string{"abc"}, ErrInvalidAccountID, "or an ARN"},
		{"root ARN, short account", "arn:aws:iam::1111:root", []string{"abc"}, ErrInvalidAccountID, `account ID must be 12 digits, got "1111"`},
		{"malformed ARN", "arn:aws:iam", []string{"abc"}, ErrInvalidPrincipal, "is not an ARN"},
		{"odd partition", "arn:azure:iam::111122223333:root", []string{"abc"}, ErrInvalidPrincipal, "partition must look like aws"},
		{"session ARN", "arn:aws-cn:sts::111122223333:assumed-role/platform/s1", []string{"abc"}, ErrInvalidPrincipal, "trust the role itself, arn:aws-cn:iam::111122223333:role/platform"},
		{"user ARN", "arn:aws:iam::111122223333:user/bob", []string{"abc"}, ErrInvalidPrincipal, `names "user/bob"`},
		{"S3 ARN", "arn:aws:s3:::bucket", []string{"abc"}, ErrInvalidPrincipal, "not an IAM principal"},
		{"role without name", "arn:aws:iam::111122223333:role/path/", []string{"abc"}, ErrInvalidPrincipal, "role name is missing"},
		{"role name bad rune", "arn:aws:iam::111122223333:role/a*b", []string{"abc"}, ErrInvalidPrincipal, "at offset 1"},
		{"role path wildcard", "arn:aws:iam::111122223333:role/*/platform", []string{"abc"}, ErrInvalidPrincipal, "holds a wildcard"},
		{"role path empty segment", "arn:aws:iam::111122223333:role/a//b", []string{"abc"}, ErrInvalidPrincipal, "empty segment"},
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

// TestTrustPolicyPrincipals follows "AWS JSON policy elements: Principal"
// (AWS account principals; IAM role principals) and "How to use an external
// ID ...": the platform may be trusted as an account, in any partition, or
// as one role, and the helpers agree with what TrustPolicy wrote.
func TestTrustPolicyPrincipals(t *testing.T) {
	const ext = "acme_iam_external_id_12345"
	tests := []struct {
		name      string
		principal string
		want      string // the Principal written
		admitted  []string
		refused   []string
	}{
		{
			name: "account ID", principal: platform, want: "arn:aws:iam::111122223333:root",
			admitted: []string{"arn:aws:iam::111122223333:role/platform", "arn:aws:sts::111122223333:assumed-role/other/s", "111122223333"},
			refused:  []string{"arn:aws:iam::444455556666:role/platform", "arn:aws-cn:iam::111122223333:role/platform"},
		},
		{
			name: "China root ARN", principal: "arn:aws-cn:iam::111122223333:root", want: "arn:aws-cn:iam::111122223333:root",
			admitted: []string{"arn:aws-cn:iam::111122223333:role/platform", "arn:aws-cn:sts::111122223333:assumed-role/platform/s"},
			refused:  []string{"arn:aws:iam::111122223333:role/platform", "arn:aws-us-gov:sts::111122223333:assumed-role/platform/s"},
		},
		{
			name: "GovCloud role ARN", principal: "arn:aws-us-gov:iam::111122223333:role/svc/platform", want: "arn:aws-us-gov:iam::111122223333:role/svc/platform",
			admitted: []string{"arn:aws-us-gov:iam::111122223333:role/svc/platform", "arn:aws-us-gov:sts::111122223333:assumed-role/platform/awsconnect"},
			refused: []string{"arn:aws-us-gov:iam::111122223333:role/svc/other", "arn:aws-us-gov:sts::111122223333:assumed-role/other/awsconnect",
				"arn:aws-us-gov:iam::111122223333:root", "arn:aws:sts::111122223333:assumed-role/platform/awsconnect"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := TrustPolicy(tt.principal, ext)
			require.NoError(t, err)
			require.Equal(t, Strings{tt.want}, d.Statement[0].Principal.AWS)
			require.Empty(t, Lint(d, TrustPolicyKind))
			b, err := json.Marshal(d)
			require.NoError(t, err)
			again, err := Parse(b)
			require.NoError(t, err)
			require.Equal(t, d, again)
			for _, caller := range tt.admitted {
				require.True(t, d.Admits(caller, ext), caller)
				require.False(t, d.AdmitsWithoutExternalID(caller), caller)
				require.False(t, d.Admits(caller, "another_id"), caller)
				require.NoError(t, d.CheckTrust(caller, ext), caller)
			}
			for _, caller := range tt.refused {
				require.False(t, d.Admits(caller, ext), caller)
				require.ErrorIs(t, d.CheckTrust(caller, ext), ErrNotAdmitted, caller)
			}
		})
	}
}

// TestCheckTrustNamesCallersPartition: the statement CheckTrust suggests
// names a principal that exists in the caller's partition.
func TestCheckTrustNamesCallersPartition(t *testing.T) {
	d, err := TrustPolicy("arn:aws:iam::999999999999:root", "ext_1")
	require.NoError(t, err)
	for caller, root := range map[string]string{
		"arn:aws-cn:sts::111122223333:assumed-role/platform/s": "arn:aws-cn:iam::111122223333:root",
		"arn:aws:iam::111122223333:role/platform":              "arn:aws:iam::111122223333:root",
		"111122223333": "arn:aws:iam::111122223333:root",
	} {
		err := d.CheckTrust(caller, "ext_1")
		require.ErrorIs(t, err, ErrNotAdmitted)
		require.Contains(t, err.Error(), `{"AWS": "`+root+`"}`)
	}
}

// FuzzTrustPolicyPrincipal: whatever TrustPolicy accepts as the platform
// principal gives a policy that Lint finds no error in, that round-trips
// through Parse, and that admits that principal (a role's session for a role
// ARN) with the external ID only.
func FuzzTrustPolicyPrincipal(f *testing.F) {
	for _, s := range []string{platform, "arn:aws-cn:iam::111122223333:root", "arn:aws-us-gov:iam::111122223333:role/a/b/platform",
		"arn:aws:iam::111122223333:user/x", "arn:aws:sts::111122223333:assumed-role/p/s", "arn:aws-:iam::111122223333:root", "12345678901a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, principal string) {
		d, err := TrustPolicy(principal, "ext_1")
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidPrincipal)
			require.True(t, strings.HasPrefix(err.Error(), "policy: "), err.Error())
			return
		}
		for _, f := range Lint(d, TrustPolicyKind) {
			require.NotEqual(t, SeverityError, f.Severity, f.String())
		}
		b, err := json.Marshal(d)
		require.NoError(t, err)
		again, err := Parse(b)
		require.NoError(t, err)
		require.Equal(t, d, again)
		caller := d.Statement[0].Principal.AWS[0]
		if a, err := arn.Parse(caller); err == nil && strings.HasPrefix(a.Resource, "role/") {
			caller = "arn:" + a.Partition + ":sts::" + a.AccountID + ":assumed-role/" + a.Resource[strings.LastIndexByte(a.Resource, '/')+1:] + "/s"
		}
		require.True(t, d.Admits(caller, "ext_1"), caller)
		require.False(t, d.AdmitsWithoutExternalID(caller), caller)
	})
}
