package scope_test

import (
	"fmt"

	"github.com/awsconnect/awsconnect/scope"
)

func ExampleDeriver_ExternalID() {
	d := scope.Deriver{Prefix: "acme_iam_external_id"}

	workspace, _ := d.ExternalID(scope.WorkspaceMode, "12345", "")
	project, _ := d.ExternalID(scope.ProjectMode, "12345", "6789")
	fmt.Println(workspace)
	fmt.Println(project)

	_, err := d.ExternalID(scope.WorkspaceMode, "1_2", "")
	fmt.Println(err)
	// Output:
	// acme_iam_external_id_12345
	// acme_iam_external_id_12345_6789
	// scope: invalid tenant ID: workspace ID "1_2" contains the separator "_" at position 2; tenant IDs may not contain it, so that every tenant gets a distinct external ID
}

func ExampleDeriver_PlanSwitch() {
	d := scope.Deriver{Prefix: "acme_iam_external_id"}
	active := []scope.Connection{
		{ID: "sqs-devops", WorkspaceID: "12345", ProjectID: "6789", RoleARN: "arn:aws:iam::111122223333:role/devops-queue", ExternalID: "acme_iam_external_id_12345"},
		{ID: "s3-reports", WorkspaceID: "12345", ProjectID: "6790", RoleARN: "arn:aws:iam::111122223333:role/reports", ExternalID: "acme_iam_external_id_12345"},
	}
	plan, err := d.PlanSwitch(scope.ProjectMode, active)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range plan.Changes {
		fmt.Printf("%s: %s -> %s\n", c.ConnectionID, c.OldExternalID, c.NewExternalID)
	}
	for _, r := range plan.Roles {
		fmt.Println(r.RoleARN)
		fmt.Println("  while switching, trust:", r.Transitional)
		fmt.Println("  afterwards, trust:     ", r.Final)
	}
	// Output:
	// sqs-devops: acme_iam_external_id_12345 -> acme_iam_external_id_12345_6789
	// s3-reports: acme_iam_external_id_12345 -> acme_iam_external_id_12345_6790
	// arn:aws:iam::111122223333:role/devops-queue
	//   while switching, trust: [acme_iam_external_id_12345 acme_iam_external_id_12345_6789]
	//   afterwards, trust:      [acme_iam_external_id_12345_6789]
	// arn:aws:iam::111122223333:role/reports
	//   while switching, trust: [acme_iam_external_id_12345 acme_iam_external_id_12345_6790]
	//   afterwards, trust:      [acme_iam_external_id_12345_6790]
}
