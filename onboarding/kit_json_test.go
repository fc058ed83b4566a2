package onboarding_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	goldenfile "github.com/awsconnect/awsconnect/internal/golden"
)

// TestKitJSONGolden pins what a screen reads of a kit: its names, the
// external ID and both policies, which parse back to the kit's own.
func TestKitJSONGolden(t *testing.T) {
	k := quickstartKit(t)
	b := goldenfile.JSON(t, "kit.json", k)
	var got struct {
		RoleName    string          `json:"role_name"`
		ExternalID  string          `json:"external_id"`
		Trust       json.RawMessage `json:"trust_policy"`
		Permissions json.RawMessage `json:"permissions_policy"`
	}
	require.NoError(t, json.Unmarshal(b, &got))
	require.Equal(t, k.RoleName(), got.RoleName)
	require.Equal(t, k.ExternalID(), got.ExternalID)
	requireSameDocument(t, k.TrustPolicy(), got.Trust)
	requireSameDocument(t, k.Permissions(), got.Permissions)
}
