package s3

import (
	"errors"

	"github.com/aws/smithy-go"
)

// Error is a failed S3 call: the operation, the bucket and key it addressed,
// and the SDK's error (a smithy.APIError for S3's own answers), which Unwrap
// returns.
//
// It is not modified after it is returned, so several goroutines may read it.
type Error struct {
	// Op is the S3 API operation ("GetObject").
	Op string
	// Bucket and Key name what was addressed; Key is "" for bucket calls.
	Bucket, Key string
	// Err is the SDK's error.
	Err error
}

// Error returns "s3: <Op> s3://bucket/key: <cause>".
func (e *Error) Error() string {
	where := "s3://" + e.Bucket
	if e.Key != "" {
		where += "/" + e.Key
	}
	if e.Bucket == "" {
		where = "(all buckets)"
	}
	return "s3: " + e.Op + " " + where + ": " + e.Err.Error()
}

// Unwrap returns the SDK's error.
func (e *Error) Unwrap() error { return e.Err }

// Code returns S3's error code ("NoSuchKey", "AccessDenied"), or "".
func (e *Error) Code() string {
	var ae smithy.APIError
	if errors.As(e.Err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wrap(op, bucket, key string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Bucket: bucket, Key: key, Err: err}
}
