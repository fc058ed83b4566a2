package s3

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsconnect/awsconnect/connectors/sigv4"
)

// UploadResult is what S3 answered to an Upload.
//
// It is a plain value: safe to copy and to read from several goroutines.
type UploadResult struct {
	PutResult
	// Parts is the number of parts of a multipart upload, 0 for a single
	// PutObject.
	Parts int `json:"parts"`
}

// Upload streams r to an object. Bodies up to the part size go in one
// PutObject; larger ones use multipart upload, sending parts in parallel and
// aborting the upload (so no parts are left behind) if any part fails.
// r need not be seekable or of known length. A "" bucket means the
// connection's bucket.
func (c *Connector) Upload(ctx context.Context, bucket, key string, r io.Reader, optFns ...func(*PutOptions)) (UploadResult, error) {
	if c.err != nil {
		return UploadResult{}, c.err
	}
	b, err := c.restrict.object(bucket, key)
	if err != nil {
		return UploadResult{}, err
	}
	var o PutOptions
	for _, fn := range optFns {
		fn(&o)
	}
	in := &transfermanager.UploadObjectInput{Bucket: aws.String(b), Key: aws.String(key), Body: r, Metadata: o.Metadata}
	if o.ContentType != "" {
		in.ContentType = aws.String(o.ContentType)
	}
	out, err := c.transfer.UploadObject(ctx, in)
	if err != nil {
		return UploadResult{}, wrap("Upload", b, key, err)
	}
	return UploadResult{
		PutResult: PutResult{Bucket: b, Key: key, ETag: aws.ToString(out.ETag), VersionID: aws.ToString(out.VersionID)},
		Parts:     len(out.CompletedParts),
	}, nil
}

// Download writes an object to w, fetching it in parallel byte ranges of the
// part size when it is larger, and returns the number of bytes written.
// A "" bucket means the connection's bucket.
func (c *Connector) Download(ctx context.Context, bucket, key string, w io.WriterAt) (int64, error) {
	if c.err != nil {
		return 0, c.err
	}
	b, err := c.restrict.object(bucket, key)
	if err != nil {
		return 0, err
	}
	out, err := c.transfer.DownloadObject(ctx, &transfermanager.DownloadObjectInput{Bucket: aws.String(b), Key: aws.String(key), WriterAt: w})
	if err != nil {
		return 0, wrap("Download", b, key, err)
	}
	return aws.ToInt64(out.ContentLength), nil
}

// NewWriteAtBuffer returns an in-memory io.WriterAt for Download.
func NewWriteAtBuffer() *tmtypes.WriteAtBuffer { return tmtypes.NewWriteAtBuffer(nil) }

// PresignGet returns a URL that downloads the object without credentials
// until it expires (at most 7 days, and never beyond the connection's
// temporary credentials). A "" bucket means the connection's bucket.
func (c *Connector) PresignGet(ctx context.Context, bucket, key string, expires time.Duration) (sigv4.PresignedRequest, error) {
	return c.presignObject(ctx, "PresignGetObject", bucket, key, expires, func(b string) (*v4.PresignedHTTPRequest, error) {
		return c.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String(key)}, s3.WithPresignExpires(expires))
	})
}

// PresignPut returns a URL that uploads the object without credentials until
// it expires; a non-empty contentType is signed, so the upload must send that
// Content-Type. A "" bucket means the connection's bucket.
func (c *Connector) PresignPut(ctx context.Context, bucket, key, contentType string, expires time.Duration) (sigv4.PresignedRequest, error) {
	return c.presignObject(ctx, "PresignPutObject", bucket, key, expires, func(b string) (*v4.PresignedHTTPRequest, error) {
		in := &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(key)}
		if contentType != "" {
			in.ContentType = aws.String(contentType)
		}
		return c.presign.PresignPutObject(ctx, in, s3.WithPresignExpires(expires))
	})
}

// presignObject checks the restriction and the expiry, then lets sign
// presign the call for the resolved bucket.
func (c *Connector) presignObject(ctx context.Context, op, bucket, key string, expires time.Duration,
	sign func(bucket string) (*v4.PresignedHTTPRequest, error)) (sigv4.PresignedRequest, error) {
	if c.err != nil {
		return sigv4.PresignedRequest{}, c.err
	}
	b, err := c.restrict.object(bucket, key)
	if err != nil {
		return sigv4.PresignedRequest{}, err
	}
	if err := checkExpiry(expires); err != nil {
		return sigv4.PresignedRequest{}, err
	}
	out, err := sign(b)
	if err != nil {
		return sigv4.PresignedRequest{}, wrap(op, b, key, err)
	}
	return sigv4.PresignedRequest{Method: out.Method, URL: out.URL, Header: withoutHost(out.SignedHeader), Expires: c.expiry(ctx, expires)}, nil
}

// withoutHost drops Host from the signed headers: it is in the URL, and an
// http.Client sets it from there.
func withoutHost(signed http.Header) http.Header {
	header := http.Header{}
	for k, v := range signed {
		if k != "Host" {
			header[k] = v
		}
	}
	return header
}

// expiry is when a URL presigned now for d stops working: after d, or when
// the temporary credentials that signed it expire, if sooner (S3 refuses a
// URL whose session token has expired, whatever X-Amz-Expires says).
func (c *Connector) expiry(ctx context.Context, d time.Duration) time.Time {
	until := time.Now().Add(d)
	provider := c.client.Options().Credentials
	if provider == nil {
		return until
	}
	if creds, err := provider.Retrieve(ctx); err == nil && creds.CanExpire && creds.Expires.Before(until) {
		return creds.Expires
	}
	return until
}

func checkExpiry(d time.Duration) error {
	if d < time.Second || d > sigv4.MaxPresignExpiry {
		return fmt.Errorf("s3: presign expiry %s is outside 1s to 7 days", d)
	}
	return nil
}
