package s3_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/golden"
)

// TestJSONGolden pins the JSON of what a file browser shows: listing
// entries (an object and a common prefix), buckets, object info and write
// results; and that each zero value marshals and every value reads back.
func TestJSONGolden(t *testing.T) {
	modified := time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
	values := map[string]any{
		"entries.golden": []s3.Entry{
			{Key: "exports/", IsPrefix: true},
			{Key: "exports/2026-11-28.csv", Size: 1024, ETag: `"9b2cf535f27731c974343645a3985328"`, LastModified: modified, StorageClass: "STANDARD"},
		},
		"buckets.golden":     []s3.Bucket{{Name: "acme-reports", CreationDate: modified, Region: "eu-west-1"}, {Name: "restricted"}},
		"object_info.golden": s3.ObjectInfo{Bucket: "acme-reports", Key: "exports/a.csv", Size: 3, ETag: `"abc"`, ContentType: "text/csv", LastModified: modified, Metadata: map[string]string{"owner": "ops"}},
		"upload.golden":      s3.UploadResult{PutResult: s3.PutResult{Bucket: "acme-reports", Key: "exports/big.bin", ETag: `"d41d-3"`, VersionID: "v1"}, Parts: 3},
		"zero.golden":        []any{s3.Entry{}, s3.Bucket{}, s3.ObjectInfo{}, s3.UploadResult{}},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			got := golden.JSON(t, name, v)
			if name == "zero.golden" {
				return // a list of several types: it has no one type to read back into
			}
			back := reflectNew(v)
			require.NoError(t, json.Unmarshal(got, back))
			again, err := json.MarshalIndent(back, "", "  ")
			require.NoError(t, err)
			require.Equal(t, string(got), string(again)+"\n", "reads back as it was")
		})
	}
}

// reflectNew returns a pointer to a new value of v's type, for decoding.
func reflectNew(v any) any {
	switch v.(type) {
	case []s3.Entry:
		return &[]s3.Entry{}
	case []s3.Bucket:
		return &[]s3.Bucket{}
	case s3.ObjectInfo:
		return &s3.ObjectInfo{}
	}
	return &s3.UploadResult{}
}
