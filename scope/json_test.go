package scope

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/golden"
)

// TestPlanJSONGolden pins the JSON of a switch plan, as the settings screen's
// confirmation reads it, and of the zero (empty) plan, which the docs call
// valid and which must marshal.
func TestPlanJSONGolden(t *testing.T) {
	d := Deriver{Prefix: "acme_iam_external_id"}
	plan, err := d.PlanSwitch(ProjectMode, []Connection{
		{ID: "c1", WorkspaceID: "12345", ProjectID: "6789", RoleARN: roleA, ExternalID: "acme_iam_external_id_12345"},
		{ID: "c2", WorkspaceID: "12345", ProjectID: "6790", RoleARN: roleA, ExternalID: "acme_iam_external_id_12345"},
	})
	require.NoError(t, err)
	require.NotEmpty(t, plan.Warnings(), "the golden shows a warning")
	got := golden.JSON(t, "plan.golden", plan)
	golden.JSON(t, "plan_zero.golden", Plan{})

	var back Plan
	require.NoError(t, json.Unmarshal(got, &back))
	require.Equal(t, plan, back, "a plan reads back as it was")

	var zero Plan
	b, err := json.Marshal(Plan{})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &zero))
	require.True(t, zero.Empty())
	require.Equal(t, Mode(""), zero.To)
}

func TestZeroModeJSON(t *testing.T) {
	type settings struct {
		Mode Mode `json:"mode"`
	}
	b, err := json.Marshal(settings{})
	require.NoError(t, err)
	require.JSONEq(t, `{"mode":""}`, string(b))
	s := settings{Mode: ProjectMode}
	require.NoError(t, json.Unmarshal(b, &s))
	require.Equal(t, Mode(""), s.Mode)
}
