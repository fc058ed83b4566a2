package s3

import (
	"context"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ObjectInfo describes a stored object.
//
// It is a plain value: safe to copy and to read from several goroutines.
type ObjectInfo struct {
	// Bucket names the object's bucket.
	Bucket string `json:"bucket"`
	// Key is the object's key.
	Key string `json:"key"`
	// Size is the object's length in bytes.
	Size int64 `json:"size"`
	// ETag is S3's entity tag, quotes included.
	ETag string `json:"etag"`
	// ContentType is the object's media type.
	ContentType string `json:"content_type,omitempty"`
	// LastModified is when the object was last written.
	LastModified time.Time `json:"last_modified,omitzero"`
	// Metadata is the user metadata (x-amz-meta-*).
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Object is an object being downloaded: its info and its body, which the
// caller must close.
//
// Its Body, like any io.ReadCloser, belongs to one goroutine at a time.
type Object struct {
	ObjectInfo
	// Body streams the object's content.
	Body io.ReadCloser `json:"-"`
}

// GetObject starts downloading an object and returns its body as a stream.
// A "" bucket means the connection's bucket.
func (c *Connector) GetObject(ctx context.Context, bucket, key string) (*Object, error) {
	if c.err != nil {
		return nil, c.err
	}
	b, err := c.restrict.object(bucket, key)
	if err != nil {
		return nil, err
	}
	out, err := c.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String(key)})
	if err != nil {
		return nil, wrap("GetObject", b, key, err)
	}
	return &Object{Body: out.Body, ObjectInfo: ObjectInfo{
		Bucket: b, Key: key, Size: aws.ToInt64(out.ContentLength), ETag: aws.ToString(out.ETag),
		ContentType: aws.ToString(out.ContentType), LastModified: aws.ToTime(out.LastModified), Metadata: out.Metadata,
	}}, nil
}

// PutOptions are the optional settings of PutObject and Upload.
//
// It is read only during the call it configures; its Metadata map must not
// change until that call returns.
type PutOptions struct {
	// ContentType is the object's media type. Default S3's
	// binary/octet-stream. Optional.
	ContentType string
	// Metadata is stored as x-amz-meta-* user metadata. Optional.
	Metadata map[string]string
}

// PutResult is what S3 answered to a write.
//
// It is a plain value: safe to copy and to read from several goroutines.
type PutResult struct {
	// Bucket names the bucket written to.
	Bucket string `json:"bucket"`
	// Key is the key of the object written.
	Key string `json:"key"`
	// ETag is the new object's entity tag.
	ETag string `json:"etag"`
	// VersionID is set when the bucket is versioned.
	VersionID string `json:"version_id,omitempty"`
}

// PutObject writes an object in a single request. body must be seekable or
// have a known length for S3 to accept it; for streams and large objects use
// [Connector.Upload]. A "" bucket means the connection's bucket.
func (c *Connector) PutObject(ctx context.Context, bucket, key string, body io.Reader, optFns ...func(*PutOptions)) (PutResult, error) {
	if c.err != nil {
		return PutResult{}, c.err
	}
	b, err := c.restrict.object(bucket, key)
	if err != nil {
		return PutResult{}, err
	}
	var o PutOptions
	for _, fn := range optFns {
		fn(&o)
	}
	in := &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(key), Body: body, Metadata: o.Metadata}
	if o.ContentType != "" {
		in.ContentType = aws.String(o.ContentType)
	}
	out, err := c.client.PutObject(ctx, in)
	if err != nil {
		return PutResult{}, wrap("PutObject", b, key, err)
	}
	return PutResult{Bucket: b, Key: key, ETag: aws.ToString(out.ETag), VersionID: aws.ToString(out.VersionId)}, nil
}

// DeleteObject deletes an object; deleting a missing object succeeds, as in
// S3. A "" bucket means the connection's bucket.
func (c *Connector) DeleteObject(ctx context.Context, bucket, key string) error {
	if c.err != nil {
		return c.err
	}
	b, err := c.restrict.object(bucket, key)
	if err != nil {
		return err
	}
	_, err = c.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b), Key: aws.String(key)})
	return wrap("DeleteObject", b, key, err)
}

// BucketLocation returns the region a bucket is in. S3 answers an empty
// location constraint for us-east-1, which this returns as "us-east-1".
func (c *Connector) BucketLocation(ctx context.Context, bucket string) (string, error) {
	if c.err != nil {
		return "", c.err
	}
	b, err := c.restrict.resolveBucket(bucket)
	if err != nil {
		return "", err
	}
	out, err := c.client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b)})
	if err != nil {
		return "", wrap("GetBucketLocation", b, "", err)
	}
	switch loc := string(out.LocationConstraint); loc {
	case "":
		return "us-east-1", nil
	case "EU":
		return "eu-west-1", nil // the legacy constraint of the oldest Irish buckets
	default:
		return loc, nil
	}
}
