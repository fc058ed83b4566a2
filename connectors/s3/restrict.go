package s3

import (
	"errors"
	"fmt"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrOutsideRestriction is wrapped by the errors of operations that reach
// outside the connection's bucket and prefix restriction. Such calls are
// refused before any request is sent.
var ErrOutsideRestriction = errors.New("s3: outside the connection's restriction")

// restriction is the bucket and key prefix a connector is confined to.
type restriction struct {
	bucket, prefix string
}

// bucket resolves the bucket argument of an operation: "" means the
// restricted bucket; any other bucket must be it.
func (r restriction) resolveBucket(bucket string) (string, error) {
	switch {
	case bucket == "" && r.bucket == "":
		return "", fmt.Errorf("s3: no bucket given and the connection is not restricted to one; pass a bucket name")
	case bucket == "":
		return r.bucket, nil
	case r.bucket != "" && bucket != r.bucket:
		return "", fmt.Errorf("%w: bucket %s; the connection may only use bucket %s", ErrOutsideRestriction, echo.Quote(bucket), echo.Quote(r.bucket))
	}
	if err := ValidateBucketName(bucket); err != nil {
		return "", err
	}
	return bucket, nil
}

// object resolves the bucket and checks the key against the prefix. Keys are
// compared literally, as S3 and IAM compare them: S3 does not resolve "..",
// so "reports/../x" is a key under "reports/".
func (r restriction) object(bucket, key string) (string, error) {
	b, err := r.resolveBucket(bucket)
	if err != nil {
		return "", err
	}
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	if !strings.HasPrefix(key, r.prefix) {
		return "", fmt.Errorf("%w: key %s is not under the prefix %s", ErrOutsideRestriction, echo.Quote(key), echo.Quote(r.prefix))
	}
	return b, nil
}

// listPrefix resolves a listing prefix: "" means the restricted prefix; any
// other must lie under it.
func (r restriction) listPrefix(prefix string) (string, error) {
	if prefix == "" {
		return r.prefix, nil
	}
	if !strings.HasPrefix(prefix, r.prefix) {
		return "", fmt.Errorf("%w: listing prefix %s is not under the prefix %s", ErrOutsideRestriction, echo.Quote(prefix), echo.Quote(r.prefix))
	}
	return prefix, nil
}
