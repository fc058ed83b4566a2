package s3

import (
	"fmt"
	"net"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Options configures a [Connector].
//
// It is read only by the constructor, which keeps a copy.
type Options struct {
	// Bucket restricts the connector to one bucket: operations on any other
	// bucket fail with ErrOutsideRestriction before a request is sent, and a
	// "" bucket argument means this one. Default "" (any bucket). Optional.
	Bucket string
	// Prefix restricts the connector to keys under this prefix within Bucket.
	// Requires Bucket. Default "" (the whole bucket). Optional.
	Prefix string
	// UsePathStyle addresses buckets in the path (endpoint/bucket/key) instead
	// of the host name. Default true when the aws.Config has a BaseEndpoint
	// whose host is an IP address or localhost (a local emulator), false
	// otherwise. Optional.
	UsePathStyle *bool
	// PartSize is the multipart part size and the threshold from which
	// Upload uses multipart upload; Download fetches ranges of this size.
	// Default and minimum [MinPartSize] (5 MiB, S3's minimum part size).
	// Optional.
	PartSize int64
	// Concurrency is the number of parts sent or fetched at once. Default
	// [DefaultConcurrency] (5). Optional.
	Concurrency int
	// ClientOptions adjust the SDK client. Default none. Optional.
	ClientOptions []func(*s3.Options)
}

// The multipart defaults of [Options].
const (
	// MinPartSize is S3's smallest part (every part but the last must be
	// at least 5 MiB). It is also the default part size, so that uploads
	// of a few MiB already go in parallel parts.
	MinPartSize = 5 << 20
	// DefaultConcurrency is how many parts go at once by default, the
	// SDK's own default.
	DefaultConcurrency = 5
)

// Connector is the Amazon S3 connector for one connection. Every operation
// enforces the connection's bucket and prefix restriction before sending a
// request.
//
// A Connector is safe for concurrent use by multiple goroutines.
type Connector struct {
	client   *s3.Client
	presign  *s3.PresignClient
	transfer *transfermanager.Client
	restrict restriction
	region   string
	err      error // a configuration error every operation returns
}

// New returns a Connector for the connection whose aws.Config is cfg (from
// connectors.Resolver.Config). An invalid restriction (a prefix without a
// bucket, a malformed bucket name) is reported by every operation and by
// Check.
func New(cfg aws.Config, optFns ...func(*Options)) *Connector {
	o := Options{PartSize: MinPartSize, Concurrency: DefaultConcurrency}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.UsePathStyle == nil {
		o.UsePathStyle = aws.Bool(localEndpoint(cfg.BaseEndpoint))
	}
	if o.PartSize < MinPartSize {
		o.PartSize = MinPartSize
	}
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	clientOpts := append([]func(*s3.Options){func(so *s3.Options) { so.UsePathStyle = *o.UsePathStyle }}, o.ClientOptions...)
	client := s3.NewFromConfig(cfg, clientOpts...)
	c := &Connector{
		client:  client,
		presign: s3.NewPresignClient(client),
		transfer: transfermanager.New(client, func(t *transfermanager.Options) {
			t.PartSizeBytes, t.Concurrency = o.PartSize, o.Concurrency
			// A body shorter than one part goes in a single PutObject.
			t.MultipartUploadThreshold = o.PartSize
			// Ranged GETs work for every object; the default (by part
			// number) splits only objects that were uploaded in parts.
			t.GetObjectType = tmtypes.GetObjectRanges
		}),
		restrict: restriction{bucket: o.Bucket, prefix: o.Prefix},
		region:   cfg.Region,
	}
	switch {
	case o.Prefix != "" && o.Bucket == "":
		c.err = fmt.Errorf("s3: a prefix restriction (%q) needs a bucket restriction", o.Prefix)
	case o.Bucket != "":
		c.err = ValidateBucketName(o.Bucket)
	}
	return c
}

// Client returns the underlying SDK client, for operations this connector
// does not wrap. Calls made through it are not restricted.
func (c *Connector) Client() *s3.Client { return c.client }

// Bucket and Prefix return the connector's restriction ("" when none).
func (c *Connector) Bucket() string { return c.restrict.bucket }

// Prefix returns the key prefix the connector is restricted to.
func (c *Connector) Prefix() string { return c.restrict.prefix }

// localEndpoint reports whether an endpoint override points at a local
// emulator, where virtual-hosted bucket names cannot resolve.
func localEndpoint(endpoint *string) bool {
	if endpoint == nil {
		return false
	}
	u, err := url.Parse(*endpoint)
	if err != nil {
		return false
	}
	host := u.Hostname()
	return host == "localhost" || net.ParseIP(host) != nil
}
