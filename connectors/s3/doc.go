// Package s3 is the Amazon S3 connector: list buckets and objects (as
// iterators over pages), get, put and delete objects, stream large objects up
// and down (multipart upload from a part size on, concurrent ranged
// download, through the SDK's feature/s3/transfermanager), presign GET and
// PUT URLs, and read a bucket's region.
//
// A connector may be restricted to one bucket and a key prefix
// ([Options].Bucket, [Options].Prefix, or the connection fields "bucket" and
// "prefix"); every operation checks the restriction before sending a request
// and fails with [ErrOutsideRestriction] outside it. The restriction is a
// guard in the platform, not a substitute for the role's policy: generate
// that policy from [Requirements] with the same bucket and prefix.
//
// The package registers the connector kind "s3" in connectors.DefaultRegistry.
//
// # From a connection
//
// [Kind] is the connector kind this package registers (importing it
// registers no other). [NewFromConnection] builds the typed Connector for a
// connection of this kind from the aws.Config connectors.Resolver.Config
// returns, honouring the connection's fields. Kind.Requirements(conn, ops)
// returns the permissions of the chosen operations plus those Check uses,
// scoped to the connection's resources in its role's partition, so the
// policy generated from them passes Connect.
//
// # Required IAM permissions
//
// Per operation ([Requirements] returns them for policy.LeastPrivilege):
//
//	ListBuckets      s3:ListAllMyBuckets on *; when restricted to a bucket,
//	                 s3:ListBucket on arn:aws:s3:::BUCKET (with s3:prefix under a prefix)
//	ListObjects      s3:ListBucket on arn:aws:s3:::BUCKET, s3:prefix condition under a prefix
//	GetObject, Download, PresignGet
//	                 s3:GetObject on arn:aws:s3:::BUCKET/PREFIX*
//	PutObject, PresignPut
//	                 s3:PutObject on arn:aws:s3:::BUCKET/PREFIX*
//	Upload           s3:PutObject and s3:AbortMultipartUpload on arn:aws:s3:::BUCKET/PREFIX*
//	DeleteObject     s3:DeleteObject on arn:aws:s3:::BUCKET/PREFIX*
//	BucketLocation   s3:GetBucketLocation on arn:aws:s3:::BUCKET
//
// Check needs what ListBuckets needs. The ARNs above are the aws
// partition's; [RequirementsIn] writes them for the partition of a region
// (arn:aws-cn:s3:::BUCKET in China).
//
// # Large objects
//
// Upload reads any io.Reader (no Seek or length needed): a body shorter than
// [Options].PartSize goes in one PutObject, a longer one in parts sent
// [Options].Concurrency at a time; if a part or the body itself fails, the
// multipart upload is aborted, so no parts are left to pay for. Download
// fetches byte ranges of PartSize in parallel into an io.WriterAt. Both run
// on feature/s3/transfermanager (the successor of the deprecated
// feature/s3/manager), which also sends a CRC32 checksum with every upload.
package s3
