package s3

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
)

// KindName is the connector kind this package registers.
const KindName = "s3"

func init() {
	connectors.Register(connectors.Kind{
		Name:  KindName,
		Title: "Amazon S3",
		Fields: []connectors.Field{
			{Key: "bucket", Label: "Bucket", Hint: "Restrict the connection to this bucket; leave empty to reach every bucket the role allows.",
				Validate: ValidateBucketName},
			{Key: "prefix", Label: "Key prefix", Hint: "Restrict the connection to keys under this prefix, such as reports/ (needs a bucket).",
				Validate: func(v string) error {
					if len(v) > 1024 {
						return errors.New("must be at most 1024 bytes")
					}
					return nil
				}},
		},
		New: func(cfg aws.Config, c connectors.Connection) (connectors.Checker, error) {
			conn := New(cfg, func(o *Options) { o.Bucket, o.Prefix = c.Fields["bucket"], c.Fields["prefix"] })
			return conn, conn.err
		},
	})
}
