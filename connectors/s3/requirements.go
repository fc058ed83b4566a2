package s3

import (
	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// Operation names a connector operation, for [Kind]'s Requirements and
// ParseOperation; it is connectors.Operation, the name every kind uses.
type Operation = connectors.Operation

// The connector's operations. Download and PresignGet need what GetObject
// needs; PresignPut what PutObject needs.
const (
	OpListBuckets    Operation = "ListBuckets"
	OpListObjects    Operation = "ListObjects"
	OpGetObject      Operation = "GetObject"
	OpPutObject      Operation = "PutObject"
	OpUpload         Operation = "Upload"
	OpDeleteObject   Operation = "DeleteObject"
	OpBucketLocation Operation = "BucketLocation"
	OpDownload       Operation = "Download"
	OpPresignGet     Operation = "PresignGet"
	OpPresignPut     Operation = "PresignPut"
)

// AllOperations lists every operation, for a connection that may use them all.
func AllOperations() []Operation {
	return []Operation{OpListBuckets, OpListObjects, OpGetObject, OpPutObject, OpUpload, OpDeleteObject,
		OpBucketLocation, OpDownload, OpPresignGet, OpPresignPut}
}

// Requirements returns the permissions the given operations need on bucket
// (all buckets when "") and, for object operations and listings, on keys under
// prefix, in the aws partition; pass them to policy.LeastPrivilege for the
// role's permissions policy. Check needs what OpListBuckets needs. For a
// role in another partition use [RequirementsIn].
func Requirements(ops []Operation, bucket, prefix string) []policy.Requirement {
	return requirementsIn("aws", ops, bucket, prefix)
}

// RequirementsIn is [Requirements] for the partition of region (arn:aws-cn:
// resources for cn-north-1, arn:aws-us-gov: for us-gov-west-1): IAM in
// those partitions matches no arn:aws: resource, so a policy generated for
// the aws partition would grant nothing.
func RequirementsIn(region string, ops []Operation, bucket, prefix string) []policy.Requirement {
	return requirementsIn(partitionOf(region), ops, bucket, prefix)
}

func requirementsIn(partition string, ops []Operation, bucket, prefix string) []policy.Requirement {
	var out []policy.Requirement
	seen := map[string]bool{}
	add := func(r policy.Requirement) {
		k := r.Action + " " + r.Resource
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	for _, op := range ops {
		switch op {
		case OpListBuckets:
			if bucket == "" {
				add(policy.Requirement{Action: "s3:ListAllMyBuckets"})
			} else {
				add(listBucket(partition, bucket, prefix))
			}
		case OpListObjects:
			add(listBucket(partition, bucket, prefix))
		case OpGetObject, OpDownload, OpPresignGet:
			add(policy.Requirement{Action: "s3:GetObject", Resource: objectARN(partition, bucket, prefix)})
		case OpPutObject, OpPresignPut:
			add(policy.Requirement{Action: "s3:PutObject", Resource: objectARN(partition, bucket, prefix)})
		case OpUpload:
			// Multipart upload is authorised as s3:PutObject; a failed one is
			// aborted, which needs its own action.
			add(policy.Requirement{Action: "s3:PutObject", Resource: objectARN(partition, bucket, prefix)})
			add(policy.Requirement{Action: "s3:AbortMultipartUpload", Resource: objectARN(partition, bucket, prefix)})
		case OpDeleteObject:
			add(policy.Requirement{Action: "s3:DeleteObject", Resource: objectARN(partition, bucket, prefix)})
		case OpBucketLocation:
			add(policy.Requirement{Action: "s3:GetBucketLocation", Resource: bucketARN(partition, bucket)})
		}
	}
	return out
}

// listBucket is s3:ListBucket on the bucket, limited by the s3:prefix
// condition key to the prefix when there is one.
func listBucket(partition, bucket, prefix string) policy.Requirement {
	r := policy.Requirement{Action: "s3:ListBucket", Resource: bucketARN(partition, bucket)}
	if prefix != "" {
		r.Condition = policy.Conditions{"StringLike": {"s3:prefix": policy.Strings{policy.Literal(prefix) + "*"}}}
	}
	return r
}

func bucketARN(partition, bucket string) string {
	if bucket == "" {
		bucket = "*"
	}
	return "arn:" + partition + ":s3:::" + bucket
}

// objectARN is the pattern of the objects under prefix: the prefix is
// literal (a key prefix may hold "*", "?" or "${", which a policy would
// otherwise read as a wildcard or a variable), the trailing "*" is not.
func objectARN(partition, bucket, prefix string) string {
	return bucketARN(partition, bucket) + "/" + policy.Literal(prefix) + "*"
}

func partitionOf(region string) string {
	if p := connectors.RegionPartition(region); p != "" {
		return p
	}
	return "aws"
}
