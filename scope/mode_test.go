package scope

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		in      string
		want    Mode
		wantErr string
	}{
		{in: "workspace", want: WorkspaceMode},
		{in: "project", want: ProjectMode},
		{in: " Project ", want: ProjectMode},
		{in: "WORKSPACE", want: WorkspaceMode},
		{in: "", wantErr: `scope: invalid mode: mode is empty; use "workspace" or "project"`},
		{in: "team", wantErr: `scope: invalid mode: "team"; use "workspace" or "project"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMode(tt.in)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				require.True(t, errors.Is(err, ErrInvalidMode))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, string(tt.want), got.String())
		})
	}
}

func TestModeJSON(t *testing.T) {
	type settings struct {
		Mode Mode `json:"mode"`
	}
	out, err := json.Marshal(settings{Mode: ProjectMode})
	require.NoError(t, err)
	require.JSONEq(t, `{"mode":"project"}`, string(out))

	var s settings
	require.NoError(t, json.Unmarshal([]byte(`{"mode":"workspace"}`), &s))
	require.Equal(t, WorkspaceMode, s.Mode)

	require.ErrorIs(t, json.Unmarshal([]byte(`{"mode":"org"}`), &s), ErrInvalidMode)
	_, err = json.Marshal(settings{Mode: "org"})
	require.ErrorIs(t, err, ErrInvalidMode, "an invalid mode must never be stored")
}

func TestModeTitle(t *testing.T) {
	require.Equal(t, "Single external ID for the workspace", WorkspaceMode.Title())
	require.Equal(t, "Separate external ID for each project", ProjectMode.Title())
	require.Equal(t, `Unknown external ID scope "x"`, Mode("x").Title())
}
