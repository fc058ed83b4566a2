package policy

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	goldenfile "github.com/awsconnect/awsconnect/internal/golden"
)

// TestFindingJSONGolden pins the JSON of lint findings, as a screen beside a
// pasted policy shows them: severities by name, never as integers.
func TestFindingJSONGolden(t *testing.T) {
	d, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`))
	require.NoError(t, err)
	findings := Lint(d, TrustPolicyKind)
	require.NotEmpty(t, findings)
	got := goldenfile.JSON(t, "findings.golden", findings)
	var back []Finding
	require.NoError(t, json.Unmarshal(got, &back))
	require.Equal(t, findings, back)
	goldenfile.JSON(t, "finding_zero.golden", Finding{})
}

func TestEnumText(t *testing.T) {
	for s := range severityNames {
		b, err := s.MarshalText()
		require.NoError(t, err)
		require.Equal(t, s.String(), string(b))
		var back Severity
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, s, back)
	}
	for d := range decisionNames {
		b, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, `"`+d.String()+`"`, string(b))
		var back Decision
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, d, back)
	}
	_, err := Severity(9).MarshalText()
	require.ErrorContains(t, err, "not a severity")
	_, err = Decision(9).MarshalText()
	require.ErrorContains(t, err, "not a decision")
	var s Severity
	require.ErrorContains(t, json.Unmarshal([]byte(`"error"`), &s), "use ERROR, SECURITY_WARNING")
	require.ErrorContains(t, json.Unmarshal([]byte(`0`), &s), "cannot unmarshal number")
	var d Decision
	require.ErrorContains(t, d.UnmarshalText([]byte("Deny")), "not a decision")
}
