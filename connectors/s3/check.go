package s3

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awsconnect/awsconnect/connectors"
)

// Check proves the connection reaches S3 with the permission its
// restriction needs, through the least intrusive call: ListBuckets
// (s3:ListAllMyBuckets) for an unrestricted connection, HeadBucket
// (s3:ListBucket) for one restricted to a bucket, and a one-key
// ListObjectsV2 under the prefix (s3:ListBucket with s3:prefix) for one
// restricted to a prefix. It reads no object and writes nothing.
func (c *Connector) Check(ctx context.Context) connectors.CheckReport {
	if c.err != nil {
		return connectors.ConfigFailure("Amazon S3", c.err,
			"Correct the connection's bucket and prefix fields.")
	}
	var rep connectors.CheckReport
	title, err := c.probe(ctx, true)
	rep.Add(connectors.ServiceStep(title, checkRequirement(partitionOf(c.region), c.restrict.bucket, c.restrict.prefix), err))
	return rep
}

// probe makes the check call; ListBuckets uses it for a restricted
// connector. all selects ListBuckets for an unrestricted one.
func (c *Connector) probe(ctx context.Context, all bool) (string, error) {
	b, p := c.restrict.bucket, c.restrict.prefix
	switch {
	case b == "" && all:
		_, err := c.client.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: aws.Int32(1)})
		return "Amazon S3 ListBuckets", wrap("ListBuckets", "", "", err)
	case p == "":
		_, err := c.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)})
		if bodiless(err) {
			// A HEAD answer has no body, so S3's reason (AccessDenied,
			// InvalidAccessKeyId, SignatureDoesNotMatch,
			// AuthorizationHeaderMalformed) is lost and the SDK reports
			// the HTTP status ("Forbidden"). The one-key listing needs the
			// same s3:ListBucket and says it.
			if _, lerr := c.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b), MaxKeys: aws.Int32(1)}); lerr != nil {
				return "Amazon S3 HeadBucket", wrap("ListObjectsV2", b, "", lerr)
			}
		}
		return "Amazon S3 HeadBucket", wrap("HeadBucket", b, "", err)
	default:
		_, err := c.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b), Prefix: aws.String(p), MaxKeys: aws.Int32(1)})
		return "Amazon S3 ListObjectsV2", wrap("ListObjectsV2", b, p, err)
	}
}

// bodiless reports whether err is S3's answer to a HEAD request that lost
// its reason: a 400, 403 or 301 whose error code is only the HTTP status
// text ("Forbidden", "BadRequest"). A 404 needs no more words.
func bodiless(err error) bool {
	var re *smithyhttp.ResponseError
	var ae smithy.APIError
	if !errors.As(err, &re) || !errors.As(err, &ae) {
		return false
	}
	switch status := re.HTTPStatusCode(); status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusMovedPermanently:
		return ae.ErrorCode() == "" || ae.ErrorCode() == strings.ReplaceAll(http.StatusText(status), " ", "")
	}
	return false
}
