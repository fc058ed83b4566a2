package scope

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDeriverExternalID(t *testing.T) {
	acme := Deriver{Prefix: "acme_iam_external_id"}
	tests := []struct {
		name      string
		d         Deriver
		mode      Mode
		workspace string
		project   string
		want      string
		wantErr   error
		errText   string
	}{
		{name: "default prefix workspace", mode: WorkspaceMode, workspace: "12345", want: "awsconnect_iam_external_id_12345"},
		{name: "default prefix project", mode: ProjectMode, workspace: "12345", project: "6789", want: "awsconnect_iam_external_id_12345_6789"},
		{name: "custom prefix workspace", d: acme, mode: WorkspaceMode, workspace: "12345", want: "acme_iam_external_id_12345"},
		{name: "custom prefix project", d: acme, mode: ProjectMode, workspace: "12345", project: "6789", want: "acme_iam_external_id_12345_6789"},
		{name: "tenant IDs with punctuation", mode: ProjectMode, workspace: "ws-1.a", project: "p@x:y/z", want: "awsconnect_iam_external_id_ws-1.a_p@x:y/z"},
		{name: "separator in workspace", mode: WorkspaceMode, workspace: "1_2", wantErr: ErrInvalidTenantID,
			errText: `scope: invalid tenant ID: workspace ID "1_2" contains the separator "_" at position 2; tenant IDs may not contain it, so that every tenant gets a distinct external ID`},
		{name: "separator in project", mode: ProjectMode, workspace: "1", project: "2_3", wantErr: ErrInvalidTenantID},
		{name: "empty workspace", mode: WorkspaceMode, wantErr: ErrInvalidTenantID, errText: "scope: invalid tenant ID: workspace ID is empty"},
		{name: "empty project in project mode", mode: ProjectMode, workspace: "1", wantErr: ErrInvalidTenantID, errText: "scope: invalid tenant ID: project ID is empty"},
		{name: "project in workspace mode", mode: WorkspaceMode, workspace: "1", project: "2", wantErr: ErrInvalidTenantID,
			errText: `scope: invalid tenant ID: project ID "2" given in workspace mode; pass an empty project ID, or use project mode`},
		{name: "bad character", mode: WorkspaceMode, workspace: "a b", wantErr: ErrInvalidTenantID,
			errText: `scope: invalid tenant ID: workspace ID "a b" has character ' ' at position 2; use letters, digits and +=,.@:/-`},
		{name: "invalid mode", mode: "org", workspace: "1", wantErr: ErrInvalidMode},
		{name: "bad prefix", d: Deriver{Prefix: "acme corp"}, mode: WorkspaceMode, workspace: "1", wantErr: ErrInvalidPrefix},
		{name: "too long", mode: ProjectMode, workspace: strings.Repeat("w", 600), project: strings.Repeat("p", 600), wantErr: ErrInvalidTenantID,
			errText: "scope: invalid tenant ID: the derived external ID would be 1228 characters, over AWS's 1224; shorten the prefix or the tenant IDs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.d.ExternalID(tt.mode, tt.workspace, tt.project)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				if tt.errText != "" {
					require.EqualError(t, err, tt.errText)
				}
				require.Empty(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.NoError(t, ValidateExternalID(got))
		})
	}
}

// The ambiguity the separator rule exists for: workspace "1_2" against
// workspace "1", project "2".
func TestDeriverInjectiveAcrossModes(t *testing.T) {
	var d Deriver
	project, err := d.ExternalID(ProjectMode, "1", "2")
	require.NoError(t, err)
	_, err = d.ExternalID(WorkspaceMode, "1_2", "")
	require.ErrorIs(t, err, ErrInvalidTenantID)
	workspace, err := d.ExternalID(WorkspaceMode, "1", "")
	require.NoError(t, err)
	require.NotEqual(t, project, workspace)
}

func TestDeriverSecretTag(t *testing.T) {
	d := Deriver{Prefix: "acme", Secret: []byte("k1")}
	ws, err := d.ExternalID(WorkspaceMode, "12345", "")
	require.NoError(t, err)
	require.Regexp(t, `^acme_12345_[0-9a-f]{20}$`, ws)

	pr, err := d.ExternalID(ProjectMode, "12345", "6789")
	require.NoError(t, err)
	require.Regexp(t, `^acme_12345_6789_[0-9a-f]{20}$`, pr)

	again, err := d.ExternalID(WorkspaceMode, "12345", "")
	require.NoError(t, err)
	require.Equal(t, ws, again, "derivation is deterministic")

	other, err := Deriver{Prefix: "acme", Secret: []byte("k2")}.ExternalID(WorkspaceMode, "12345", "")
	require.NoError(t, err)
	require.NotEqual(t, ws, other, "another secret gives another tag")

	tenant, err := d.Parse(pr)
	require.NoError(t, err)
	require.Equal(t, Tenant{Mode: ProjectMode, WorkspaceID: "12345", ProjectID: "6789"}, tenant)

	// A tag is bound to its tenant: the workspace's tag does not verify for
	// the project, nor does a tag made with another secret.
	forged := pr[:len(pr)-tagLen] + ws[len(ws)-tagLen:]
	_, err = d.Parse(forged)
	require.ErrorIs(t, err, ErrForeignExternalID)
	_, err = d.Parse(other)
	require.ErrorIs(t, err, ErrForeignExternalID)
}

func TestDeriverParse(t *testing.T) {
	d := Deriver{Prefix: "acme_iam_external_id"}
	tests := []struct {
		id      string
		want    Tenant
		wantErr error
	}{
		{id: "acme_iam_external_id_12345", want: Tenant{Mode: WorkspaceMode, WorkspaceID: "12345"}},
		{id: "acme_iam_external_id_12345_6789", want: Tenant{Mode: ProjectMode, WorkspaceID: "12345", ProjectID: "6789"}},
		{id: "other_iam_external_id_12345", wantErr: ErrForeignExternalID},
		{id: "acme_iam_external_id_1_2_3", wantErr: ErrForeignExternalID},
		{id: "acme_iam_external_id_1__", wantErr: ErrForeignExternalID},
		{id: "acme_iam_external_id_", wantErr: ErrForeignExternalID},
		{id: "a", wantErr: ErrInvalidExternalID},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := d.Parse(tt.id)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
