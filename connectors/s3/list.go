package s3

import (
	"context"
	"iter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Bucket is one bucket of the account.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Bucket struct {
	// Name is the bucket name.
	Name string `json:"name"`
	// CreationDate is when the bucket was created; zero when unknown (a
	// restricted connector lists its bucket without ListAllMyBuckets).
	CreationDate time.Time `json:"creation_date,omitzero"`
	// Region is the bucket's region, when S3 reports it.
	Region string `json:"region,omitempty"`
}

// ListBuckets yields the account's buckets, page by page. A connector
// restricted to one bucket yields only that bucket, after proving that it is
// reachable (HeadBucket, or a one-key listing under the prefix), and needs no
// s3:ListAllMyBuckets.
func (c *Connector) ListBuckets(ctx context.Context) iter.Seq2[Bucket, error] {
	return func(yield func(Bucket, error) bool) {
		if c.err != nil {
			yield(Bucket{}, c.err)
			return
		}
		if b := c.restrict.bucket; b != "" {
			if _, err := c.probe(ctx, false); err != nil {
				yield(Bucket{}, err)
				return
			}
			yield(Bucket{Name: b}, nil)
			return
		}
		p := s3.NewListBucketsPaginator(c.client, &s3.ListBucketsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(Bucket{}, wrap("ListBuckets", "", "", err))
				return
			}
			for _, b := range page.Buckets {
				if !yield(Bucket{Name: aws.ToString(b.Name), CreationDate: aws.ToTime(b.CreationDate), Region: aws.ToString(b.BucketRegion)}, nil) {
					return
				}
			}
		}
	}
}

// ListOptions select the objects ListObjects yields.
//
// ListObjects copies it, so the caller may reuse or change it afterwards.
type ListOptions struct {
	// Prefix limits the listing to keys that begin with it; it must lie under
	// the connection's prefix. Default the connection's prefix. Optional.
	Prefix string
	// Delimiter groups keys that share a prefix up to it ("/" for folders)
	// into one [Entry] with IsPrefix set. Default none. Optional.
	Delimiter string
	// PageSize is the number of keys asked per request (1-1000). Default 1000,
	// S3's maximum. Optional.
	PageSize int32
	// StartAfter starts the listing after this key. Optional.
	StartAfter string
}

// Entry is one item of a listing: an object, or (with a delimiter) a common
// prefix standing for the keys below it.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Entry struct {
	// Key is the object key, or the common prefix when IsPrefix is set.
	Key string `json:"key"`
	// IsPrefix marks a common prefix ("folder").
	IsPrefix bool `json:"is_prefix"`
	// Size is the object's size in bytes; 0 for a prefix.
	Size int64 `json:"size"`
	// ETag is the object's entity tag, as S3 lists it (quoted); "" for a
	// prefix.
	ETag string `json:"etag,omitempty"`
	// LastModified is when the object was last written; zero for a prefix.
	LastModified time.Time `json:"last_modified,omitzero"`
	// StorageClass is the object's storage class, such as STANDARD; ""
	// for a prefix.
	StorageClass string `json:"storage_class,omitempty"`
}

// ListObjects yields the objects (and common prefixes) of a bucket in key
// order, fetching pages of PageSize keys as the caller iterates; stopping the
// loop stops the requests. A failure is yielded once, as the last item.
// A "" bucket means the connection's bucket.
func (c *Connector) ListObjects(ctx context.Context, bucket string, opts ListOptions) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		if c.err != nil {
			yield(Entry{}, c.err)
			return
		}
		b, err := c.restrict.resolveBucket(bucket)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		prefix, err := c.restrict.listPrefix(opts.Prefix)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		in := &s3.ListObjectsV2Input{Bucket: aws.String(b)}
		if prefix != "" {
			in.Prefix = aws.String(prefix)
		}
		if opts.Delimiter != "" {
			in.Delimiter = aws.String(opts.Delimiter)
		}
		if opts.StartAfter != "" {
			in.StartAfter = aws.String(opts.StartAfter)
		}
		pageSize := opts.PageSize
		if pageSize <= 0 || pageSize > 1000 {
			pageSize = 1000
		}
		in.MaxKeys = aws.Int32(pageSize)
		p := s3.NewListObjectsV2Paginator(c.client, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(Entry{}, wrap("ListObjectsV2", b, prefix, err))
				return
			}
			// A page holds its objects and its common prefixes in two
			// lists, each in key order; merging them keeps the whole listing
			// in key order, as a folder view expects.
			cps, objs := page.CommonPrefixes, page.Contents
			for len(cps) > 0 || len(objs) > 0 {
				var e Entry
				if len(objs) == 0 || (len(cps) > 0 && aws.ToString(cps[0].Prefix) < aws.ToString(objs[0].Key)) {
					e = Entry{Key: aws.ToString(cps[0].Prefix), IsPrefix: true}
					cps = cps[1:]
				} else {
					o := objs[0]
					objs = objs[1:]
					e = Entry{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), ETag: aws.ToString(o.ETag),
						LastModified: aws.ToTime(o.LastModified), StorageClass: string(o.StorageClass)}
				}
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}
