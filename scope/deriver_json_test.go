package scope

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeriverJSON: a Deriver marshals with snake_case names and its secret
// redacted; reading that back is refused with ErrRedactedSecret, not taken
// as a key (which would change every external ID), while a Deriver whose
// secret the platform wrote itself (base64) or left out reads back.
func TestDeriverJSON(t *testing.T) {
	d := Deriver{Prefix: "acme_iam_external_id", Secret: []byte("hmac key of the platform")}
	b, err := json.Marshal(d)
	require.NoError(t, err)
	require.JSONEq(t, `{"prefix":"acme_iam_external_id","secret":"[REDACTED]"}`, string(b))
	var back Deriver
	err = json.Unmarshal(b, &back)
	require.ErrorIs(t, err, ErrRedactedSecret)
	require.ErrorContains(t, err, "secret manager")
	require.Equal(t, Deriver{}, back)

	require.NoError(t, json.Unmarshal([]byte(`{"prefix":"acme_iam_external_id","secret":"aG1hYyBrZXkgb2YgdGhlIHBsYXRmb3Jt"}`), &back))
	require.Equal(t, d, back)
	require.NoError(t, json.Unmarshal([]byte(`{"prefix":"acme"}`), &back))
	require.Equal(t, Deriver{Prefix: "acme"}, back)
	require.ErrorContains(t, json.Unmarshal([]byte(`{"secret":"not base64!"}`), &back), "base64 of the HMAC key")

	zero, err := json.Marshal(Deriver{})
	require.NoError(t, err)
	require.JSONEq(t, `{"prefix":""}`, string(zero))
}
