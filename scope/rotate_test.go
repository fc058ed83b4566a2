package scope

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPlanRotation(t *testing.T) {
	old := Deriver{Prefix: "acme_iam_external_id"}
	next := Deriver{Prefix: "acme_iam_external_id", Secret: []byte("rotated after a leak")}
	newC1, err := next.ExternalID(ProjectMode, "12345", "6789")
	require.NoError(t, err)
	conns := []Connection{
		{ID: "c1", WorkspaceID: "12345", ProjectID: "6789", RoleARN: roleA, ExternalID: "acme_iam_external_id_12345_6789"},
		{ID: "c2", WorkspaceID: "12345", ProjectID: "6790", RoleARN: roleA, ExternalID: "acme_iam_external_id_12345_6790"},
	}
	plan, err := old.PlanRotation(next, ProjectMode, conns)
	require.NoError(t, err)
	require.Equal(t, ProjectMode, plan.To, "a rotation keeps the mode")
	require.Len(t, plan.Changes, 2)
	require.Equal(t, "acme_iam_external_id_12345_6789", plan.Changes[0].OldExternalID)
	require.Equal(t, newC1, plan.Changes[0].NewExternalID)
	require.Len(t, plan.Roles, 1)
	require.Len(t, plan.Roles[0].Transitional, 4, "both old and both new IDs")
	require.Len(t, plan.Roles[0].Final, 2)
	require.True(t, plan.Roles[0].SharedAcrossProjects)

	// Half done: c1 already moved. Only c2 is left.
	conns[0].ExternalID = newC1
	plan, err = old.PlanRotation(next, ProjectMode, conns)
	require.NoError(t, err)
	require.Len(t, plan.Changes, 1)
	require.Equal(t, "c2", plan.Changes[0].ConnectionID)

	// Rotating to a deriver that derives the same IDs changes nothing.
	plan, err = old.PlanRotation(Deriver{Prefix: "acme_iam_external_id"}, ProjectMode, conns[1:])
	require.NoError(t, err)
	require.True(t, plan.Empty())

	_, err = old.PlanRotation(Deriver{Prefix: "bad prefix"}, ProjectMode, conns)
	require.ErrorIs(t, err, ErrInvalidPrefix)
}
