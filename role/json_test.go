package role

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/golden"
)

// TestStatsJSONGolden pins the JSON of the cache's counters, as a platform's
// status page reads them, every counter under the name LogValue logs it.
func TestStatsJSONGolden(t *testing.T) {
	var s Stats
	v := reflect.ValueOf(&s).Elem()
	for i := 0; i < v.NumField(); i++ { // distinct values, so a swapped name shows
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Uint64:
			f.SetUint(uint64(i + 1))
		case reflect.Int64, reflect.Int:
			f.SetInt(int64(i + 1))
		default:
			t.Fatalf("field %s of kind %s: extend the test", v.Type().Field(i).Name, f.Kind())
		}
	}
	got := golden.JSON(t, "stats.golden", s)
	golden.JSON(t, "stats_zero.golden", Stats{})

	var back Stats
	require.NoError(t, json.Unmarshal(got, &back))
	require.Equal(t, s, back)

	var asJSON map[string]any
	require.NoError(t, json.Unmarshal(got, &asJSON))
	logged := map[string]bool{}
	for _, a := range s.LogValue().Group() {
		logged[a.Key] = true
	}
	require.Len(t, asJSON, v.NumField(), "every counter is in the JSON")
	for k := range asJSON {
		require.True(t, logged[k], "JSON name %q is also the slog name", k)
	}
	require.Len(t, logged, len(asJSON))
}

func TestReasonText(t *testing.T) {
	for r := ReasonUnknown; r <= ReasonServiceUnavailable; r++ {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		var back Reason
		require.NoError(t, json.Unmarshal(b, &back), "%s", b)
		require.Equal(t, r, back)
	}
	b, err := json.Marshal(ReasonTrustPolicy)
	require.NoError(t, err)
	require.Equal(t, `"trust_policy"`, string(b))
	_, err = Reason(99).MarshalText()
	require.ErrorContains(t, err, "not a reason")
	var r Reason
	require.ErrorContains(t, r.UnmarshalText([]byte("trust policy refused")), "use one of unknown, trust_policy")
}
