package scope

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	roleA = "arn:aws:iam::111122223333:role/acme-sqs"
	roleB = "arn:aws:iam::111122223333:role/acme-s3"
)

func TestPlanSwitchWorkspaceToProject(t *testing.T) {
	d := Deriver{Prefix: "acme_iam_external_id"}
	conns := []Connection{
		{ID: "c1", WorkspaceID: "12345", ProjectID: "6789", RoleARN: roleA, ExternalID: "acme_iam_external_id_12345"},
		{ID: "c2", WorkspaceID: "12345", ProjectID: "6790", RoleARN: roleB, ExternalID: "acme_iam_external_id_12345"},
	}
	plan, err := d.PlanSwitch(ProjectMode, conns)
	require.NoError(t, err)
	require.False(t, plan.Empty())
	require.Equal(t, ProjectMode, plan.To)
	require.Equal(t, []Change{
		{ConnectionID: "c1", RoleARN: roleA, OldExternalID: "acme_iam_external_id_12345", NewExternalID: "acme_iam_external_id_12345_6789"},
		{ConnectionID: "c2", RoleARN: roleB, OldExternalID: "acme_iam_external_id_12345", NewExternalID: "acme_iam_external_id_12345_6790"},
	}, plan.Changes)
	require.Equal(t, []RoleUpdate{
		{
			RoleARN: roleB, ConnectionIDs: []string{"c2"},
			Transitional: []string{"acme_iam_external_id_12345", "acme_iam_external_id_12345_6790"},
			Final:        []string{"acme_iam_external_id_12345_6790"},
		},
		{
			RoleARN: roleA, ConnectionIDs: []string{"c1"},
			Transitional: []string{"acme_iam_external_id_12345", "acme_iam_external_id_12345_6789"},
			Final:        []string{"acme_iam_external_id_12345_6789"},
		},
	}, plan.Roles)
	require.Empty(t, plan.Warnings())
}

func TestPlanSwitchProjectToWorkspace(t *testing.T) {
	d := Deriver{Prefix: "acme_iam_external_id"}
	// Two projects shared one role in project mode; in workspace mode the role
	// needs only the workspace's ID.
	conns := []Connection{
		{ID: "c1", WorkspaceID: "12345", ProjectID: "6789", RoleARN: roleA, ExternalID: "acme_iam_external_id_12345_6789"},
		{ID: "c2", WorkspaceID: "12345", ProjectID: "6790", RoleARN: roleA, ExternalID: "acme_iam_external_id_12345_6790"},
	}
	plan, err := d.PlanSwitch(WorkspaceMode, conns)
	require.NoError(t, err)
	require.Len(t, plan.Changes, 2)
	require.Equal(t, []RoleUpdate{{
		RoleARN: roleA, ConnectionIDs: []string{"c1", "c2"},
		Transitional: []string{"acme_iam_external_id_12345", "acme_iam_external_id_12345_6789", "acme_iam_external_id_12345_6790"},
		Final:        []string{"acme_iam_external_id_12345"},
	}}, plan.Roles)
}

func TestPlanSwitchSharedRoleFlagged(t *testing.T) {
	var d Deriver
	conns := []Connection{
		{ID: "c2", WorkspaceID: "1", ProjectID: "b", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c1", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
	}
	plan, err := d.PlanSwitch(ProjectMode, conns)
	require.NoError(t, err)
	require.Len(t, plan.Roles, 1)
	r := plan.Roles[0]
	require.True(t, r.SharedAcrossProjects)
	require.False(t, r.SharedAcrossWorkspaces)
	require.Equal(t, []string{"c1", "c2"}, r.ConnectionIDs)
	require.Equal(t, []string{"awsconnect_iam_external_id_1_a", "awsconnect_iam_external_id_1_b"}, r.Final)
	require.Equal(t, []string{
		"role " + roleA + " is shared by connections of different projects, so it must trust 2 external IDs and any of those projects can use it; give each project its own role",
	}, plan.Warnings())
}

func TestPlanSwitchSharedAcrossWorkspacesFlagged(t *testing.T) {
	var d Deriver
	plan, err := d.PlanSwitch(ProjectMode, []Connection{
		{ID: "c1", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c2", WorkspaceID: "2", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_2"},
	})
	require.NoError(t, err)
	require.True(t, plan.Roles[0].SharedAcrossWorkspaces)
	require.True(t, plan.Roles[0].SharedAcrossProjects)
	require.Len(t, plan.Warnings(), 2)
}

func TestPlanSwitchNothingToDo(t *testing.T) {
	var d Deriver
	conns := []Connection{
		{ID: "c1", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c2", WorkspaceID: "1", ProjectID: "b", RoleARN: roleB, ExternalID: "awsconnect_iam_external_id_1"},
	}
	plan, err := d.PlanSwitch(WorkspaceMode, conns)
	require.NoError(t, err)
	require.True(t, plan.Empty(), "a switch to the mode in force is an empty plan")
	require.Empty(t, plan.Roles)
	require.Equal(t, WorkspaceMode, plan.To)

	plan, err = d.PlanSwitch(ProjectMode, nil)
	require.NoError(t, err)
	require.True(t, plan.Empty())
}

// A half-finished switch plans only what is left, and a role whose other
// connection already moved still lists every ID its connections need.
func TestPlanSwitchResumes(t *testing.T) {
	var d Deriver
	conns := []Connection{
		{ID: "c1", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1_a"},
		{ID: "c2", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c3", WorkspaceID: "1", ProjectID: "b", RoleARN: roleB, ExternalID: "awsconnect_iam_external_id_1_b"},
	}
	plan, err := d.PlanSwitch(ProjectMode, conns)
	require.NoError(t, err)
	require.Equal(t, []Change{{ConnectionID: "c2", RoleARN: roleA, OldExternalID: "awsconnect_iam_external_id_1", NewExternalID: "awsconnect_iam_external_id_1_a"}}, plan.Changes)
	require.Equal(t, []RoleUpdate{{
		RoleARN: roleA, ConnectionIDs: []string{"c1", "c2"},
		Transitional: []string{"awsconnect_iam_external_id_1", "awsconnect_iam_external_id_1_a"},
		Final:        []string{"awsconnect_iam_external_id_1_a"},
	}}, plan.Roles)
}

func TestPlanSwitchInvalidInput(t *testing.T) {
	var d Deriver
	_, err := d.PlanSwitch("org", nil)
	require.ErrorIs(t, err, ErrInvalidMode)

	conns := []Connection{
		{ID: "", WorkspaceID: "1", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c1", WorkspaceID: "1", ProjectID: "a", RoleARN: "arn:aws:s3:::bucket", ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c2", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: ""},
		{ID: "c3", WorkspaceID: "1", ProjectID: "", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c3", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
		{ID: "c4", WorkspaceID: "1", ProjectID: "a", RoleARN: roleA, ExternalID: "awsconnect_iam_external_id_1"},
	}
	plan, err := d.PlanSwitch(ProjectMode, conns)
	require.Equal(t, Plan{}, plan)
	require.ErrorIs(t, err, ErrInvalidConnection)
	require.ErrorIs(t, err, ErrInvalidTenantID)
	require.EqualError(t, err, `connection 0 (""): scope: invalid connection: ID is empty
connection 1 ("c1"): scope: invalid connection: role ARN "arn:aws:s3:::bucket" is not an IAM role ARN like arn:aws:iam::111122223333:role/name
connection 2 ("c2"): scope: invalid connection: the external ID its role trusts today: scope: invalid external ID: length 0 is outside AWS's 2 to 1224 characters
connection 3 ("c3"): scope: invalid tenant ID: project ID is empty
connection 4 ("c3"): scope: invalid connection: ID "c3" appears twice; list each connection once`)
}
