package s3

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
)

// KindName is the connector kind this package registers.
const KindName = "s3"

// The connection fields of the S3 kind.
const (
	FieldBucket = "bucket"
	FieldPrefix = "prefix"
)

// Kind is the Amazon S3 connector kind: its form fields, operations and
// permissions. Importing this package registers it (and only it) into
// connectors.DefaultRegistry; a platform with its own registry registers
// it there. It must not be modified.
var Kind = connectors.Kind{
	Name:        KindName,
	Title:       "Amazon S3",
	Fields:      kindFields,
	Operations:  kindOperations,
	Permissions: permissions,
	New:         connectors.Constructor(NewFromConnection),
}

var kindFields = []connectors.Field{
	{Key: FieldBucket, Label: "Bucket", Hint: "Restrict the connection to this bucket; leave empty to reach every bucket the role allows.",
		Validate: ValidateBucketName},
	{Key: FieldPrefix, Label: "Key prefix", Hint: "Restrict the connection to keys under this prefix, such as reports/ (needs a bucket).",
		Validate: func(v string) error {
			if len(v) > 1024 {
				return errors.New("must be at most 1024 bytes")
			}
			return nil
		}},
}

var kindOperations = []connectors.OperationInfo{
	{Name: OpListBuckets, Title: "List buckets", Actions: []string{"s3:ListAllMyBuckets"}},
	{Name: OpListObjects, Title: "List objects", Actions: []string{"s3:ListBucket"}},
	{Name: OpGetObject, Title: "Read objects", Actions: []string{"s3:GetObject"}},
	{Name: OpPutObject, Title: "Write objects", Actions: []string{"s3:PutObject"}},
	{Name: OpUpload, Title: "Upload large objects (multipart)", Actions: []string{"s3:PutObject", "s3:AbortMultipartUpload"}},
	{Name: OpDeleteObject, Title: "Delete objects", Actions: []string{"s3:DeleteObject"}},
	{Name: OpBucketLocation, Title: "Read a bucket's region", Actions: []string{"s3:GetBucketLocation"}},
	{Name: OpDownload, Title: "Download large objects (ranged)", Actions: []string{"s3:GetObject"}},
	{Name: OpPresignGet, Title: "Share download links (presigned GET)", Actions: []string{"s3:GetObject"}},
	{Name: OpPresignPut, Title: "Share upload links (presigned PUT)", Actions: []string{"s3:PutObject"}},
}

func init() { connectors.Register(Kind) }

// permissions is Kind.Permissions: the operations' requirements and
// Check's, on the connection's bucket and prefix in its partition.
func permissions(c connectors.Connection, ops []connectors.Operation) ([]policy.Requirement, error) {
	bucket, prefix := c.Fields[FieldBucket], c.Fields[FieldPrefix]
	if prefix != "" && bucket == "" {
		return nil, fmt.Errorf("s3: Requirements: the prefix %s needs a bucket; set the connection's bucket field", echo.Quote(prefix))
	}
	p := c.Partition()
	reqs := requirementsIn(p, ops, bucket, prefix)
	return append(reqs, checkRequirement(p, bucket, prefix)), nil
}

// checkRequirement is what Check's call needs (see Check).
func checkRequirement(partition, bucket, prefix string) policy.Requirement {
	return requirementsIn(partition, []Operation{OpListBuckets}, bucket, prefix)[0]
}

// NewFromConnection returns the Connector for a connection of kind "s3"
// whose aws.Config is cfg (from connectors.Resolver.Config), restricted to
// the connection's bucket and prefix fields; optFns adjust the other
// Options. A connection of another kind, with a field the kind does not
// have or with an invalid bucket or prefix is refused.
func NewFromConnection(cfg aws.Config, conn connectors.Connection, optFns ...func(*Options)) (*Connector, error) {
	if err := (connectors.Kind{Name: KindName, Fields: kindFields}).CheckConnection(conn); err != nil {
		return nil, err
	}
	fns := append([]func(*Options){func(o *Options) { o.Bucket, o.Prefix = conn.Fields[FieldBucket], conn.Fields[FieldPrefix] }}, optFns...)
	c := New(cfg, fns...)
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}
