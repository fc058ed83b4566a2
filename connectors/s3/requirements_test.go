package s3

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRequirementsInThePartitionOfTheRegion(t *testing.T) {
	tests := []struct{ region, bucketARN string }{
		{"eu-west-1", "arn:aws:s3:::acme-reports"},
		{"cn-north-1", "arn:aws-cn:s3:::acme-reports"},
		{"us-gov-west-1", "arn:aws-us-gov:s3:::acme-reports"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			reqs := RequirementsIn(tt.region, []Operation{OpListObjects, OpGetObject}, "acme-reports", "reports/")
			require.Len(t, reqs, 2)
			require.Equal(t, tt.bucketARN, reqs[0].Resource)
			require.Equal(t, tt.bucketARN+"/reports/*", reqs[1].Resource)
		})
	}
}
