package localaws

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func init() {
	registerService(serviceSpec{
		name:       "s3",
		protocol:   protocolRESTXML,
		newHandler: newS3Service,
	})
}

// s3Service serves S3 (path-style) through gofakes3, after authorising each
// request against the caller's policies. gofakes3 knows nothing of
// accounts, so the service keeps which account owns each bucket: callers
// reach only their own account's buckets (bucket policies are not modelled)
// and ListBuckets lists only those.
type s3Service struct {
	server  *Server
	backend *s3mem.Backend
	fake    http.Handler

	mu     sync.Mutex          // guards owners
	owners map[string]s3Bucket // by bucket name
}

func newS3Service(s *Server) serviceHandler {
	backend := s3mem.New(s3mem.WithTimeSource(s3Clock{s}))
	fake := gofakes3.New(backend,
		gofakes3.WithTimeSource(s3Clock{s}),
		// The server has judged the clock already, with its own clock.
		gofakes3.WithTimeSkewLimit(0),
		gofakes3.WithoutVersioning(),
	)
	return &s3Service{server: s, backend: backend, fake: fake.Server(), owners: map[string]s3Bucket{}}
}

// s3Clock lends the server's clock to gofakes3 (LastModified, uploads).
type s3Clock struct{ s *Server }

func (c s3Clock) Now() time.Time                  { return c.s.now().In(time.UTC) }
func (c s3Clock) Since(t time.Time) time.Duration { return c.s.now().Sub(t) }

// s3Request is what one S3 request does, as IAM sees it.
type s3Request struct {
	op     string
	action string
	bucket string
	key    string
}

// resource is the request's ARN: the bucket's, the object's, or "*" for
// ListBuckets.
func (q s3Request) resource() string {
	switch {
	case q.bucket == "":
		return "*"
	case q.key == "":
		return "arn:aws:s3:::" + q.bucket
	}
	return "arn:aws:s3:::" + q.bucket + "/" + q.key
}

// unsupportedSubresources are S3 subresources gofakes3 does not implement;
// they are refused rather than misrouted to object operations.
var unsupportedSubresources = []string{
	"acl", "tagging", "policy", "cors", "lifecycle", "encryption", "website", "logging",
	"notification", "replication", "requestPayment", "object-lock", "retention", "legal-hold",
	"ownershipControls", "publicAccessBlock", "accelerate", "analytics", "inventory", "metrics",
	"intelligent-tiering", "restore", "select", "torrent", "attributes",
}

// classifyS3 maps method, path and query to the operation and its IAM action.
func classifyS3(r *http.Request) (s3Request, bool) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	q := r.URL.Query()
	has := func(k string) bool { _, ok := q[k]; return ok }
	for _, sub := range unsupportedSubresources {
		if has(sub) {
			return s3Request{op: "Unsupported:" + sub, bucket: bucket, key: key}, false
		}
	}
	req := s3Request{bucket: bucket, key: key}
	set := func(op, action string) (s3Request, bool) {
		req.op, req.action = op, action
		return req, true
	}
	m := r.Method
	switch {
	case bucket == "":
		if m == http.MethodGet {
			return set("ListBuckets", "s3:ListAllMyBuckets")
		}
	case has("uploadId"):
		switch m {
		case http.MethodPut:
			if r.Header.Get("X-Amz-Copy-Source") != "" {
				return set("UploadPartCopy", "s3:PutObject")
			}
			return set("UploadPart", "s3:PutObject")
		case http.MethodPost:
			return set("CompleteMultipartUpload", "s3:PutObject")
		case http.MethodDelete:
			return set("AbortMultipartUpload", "s3:AbortMultipartUpload")
		case http.MethodGet:
			return set("ListParts", "s3:ListMultipartUploadParts")
		}
	case has("uploads"):
		switch m {
		case http.MethodPost:
			return set("CreateMultipartUpload", "s3:PutObject")
		case http.MethodGet:
			return set("ListMultipartUploads", "s3:ListBucketMultipartUploads")
		}
	case key == "":
		switch {
		case has("versioning") && m == http.MethodGet:
			return set("GetBucketVersioning", "s3:GetBucketVersioning")
		case has("versioning") && m == http.MethodPut:
			return set("PutBucketVersioning", "s3:PutBucketVersioning")
		case has("versions") && m == http.MethodGet:
			return set("ListObjectVersions", "s3:ListBucketVersions")
		case has("location") && m == http.MethodGet:
			return set("GetBucketLocation", "s3:GetBucketLocation")
		case has("delete") && m == http.MethodPost:
			return set("DeleteObjects", "s3:DeleteObject")
		case m == http.MethodGet && q.Get("list-type") == "2":
			return set("ListObjectsV2", "s3:ListBucket")
		case m == http.MethodGet:
			return set("ListObjects", "s3:ListBucket")
		case m == http.MethodHead:
			return set("HeadBucket", "s3:ListBucket")
		case m == http.MethodPut:
			return set("CreateBucket", "s3:CreateBucket")
		case m == http.MethodDelete:
			return set("DeleteBucket", "s3:DeleteBucket")
		}
	default:
		switch m {
		case http.MethodGet:
			return set("GetObject", "s3:GetObject")
		case http.MethodHead:
			return set("HeadObject", "s3:GetObject")
		case http.MethodPut:
			if r.Header.Get("X-Amz-Copy-Source") != "" {
				return set("CopyObject", "s3:PutObject")
			}
			return set("PutObject", "s3:PutObject")
		case http.MethodDelete:
			return set("DeleteObject", "s3:DeleteObject")
		}
	}
	return s3Request{op: "Unsupported:" + m, bucket: bucket, key: key}, false
}

func (h *s3Service) operation(r *http.Request, _ []byte) string {
	req, _ := classifyS3(r)
	return req.op
}

// serve authorises the request, checks the bucket belongs to the caller's
// account, and hands it to gofakes3 (ListBuckets is answered here, because
// it must list only the caller's buckets).
func (h *s3Service) serve(w http.ResponseWriter, r *http.Request, c *call) {
	req, ok := classifyS3(r)
	if !ok {
		c.writeError(w, r, newError(http.StatusNotImplemented, "NotImplemented",
			fmt.Sprintf("localaws does not implement S3 %s %s?%s", r.Method, r.URL.Path, r.URL.RawQuery)))
		return
	}
	if req.op != "CreateBucket" {
		b, exists := h.owner(req.bucket)
		if exists && b.region != c.region {
			// S3 answers this before looking at permissions, naming the
			// bucket's region so that the client can sign for it.
			c.writeError(w, r, newError(http.StatusBadRequest, "AuthorizationHeaderMalformed", fmt.Sprintf(
				"The authorization header is malformed; the region '%s' is wrong; expecting '%s'", c.region, b.region)))
			return
		}
	}
	if err := h.authorizeS3(r, c, req); err != nil {
		c.writeError(w, r, err)
		return
	}
	if req.op == "ListBuckets" {
		h.listBuckets(w, r, c)
		return
	}
	if req.op != "CreateBucket" {
		if b, exists := h.owner(req.bucket); exists && b.account != c.caller.AccountID {
			owner := b.account
			c.writeError(w, r, c.errorf(errAccessDenied, "User: %s is not authorized to perform: %s on resource: %s "+
				"because the bucket belongs to account %s and localaws does not model bucket policies",
				c.caller.ARN, req.action, req.resource(), owner))
			return
		}
	}
	if err := decodeAWSChunked(r); err != nil {
		c.writeError(w, r, newError(http.StatusBadRequest, "InvalidRequest", err.Error()))
		return
	}
	rec := &s3Recorder{ResponseWriter: w, requestID: c.requestID}
	h.fake.ServeHTTP(rec, r)
	if rec.status == 0 || rec.status >= 300 {
		if c.entry != nil && rec.status >= 300 {
			c.entry.ErrorCode = "S3:" + strconv.Itoa(rec.status)
		}
		return
	}
	switch req.op {
	case "CreateBucket":
		h.setOwner(req.bucket, s3Bucket{account: c.caller.AccountID, region: c.region})
	case "DeleteBucket":
		h.setOwner(req.bucket, s3Bucket{})
	}
}

// authorizeS3 asks for the request's action (and, for copies and batch
// deletes, for every object they touch), with S3's condition keys.
func (h *s3Service) authorizeS3(r *http.Request, c *call, req s3Request) error {
	ctx := map[string][]string{}
	q := r.URL.Query()
	if req.action == "s3:ListBucket" {
		for _, k := range []string{"prefix", "delimiter", "max-keys"} {
			if v := q.Get(k); v != "" {
				ctx["s3:"+k] = []string{v}
			}
		}
	}
	switch req.op {
	case "CopyObject", "UploadPartCopy":
		src := strings.TrimPrefix(r.Header.Get("X-Amz-Copy-Source"), "/")
		if i := strings.IndexByte(src, '?'); i >= 0 {
			src = src[:i]
		}
		ctx["s3:x-amz-copy-source"] = []string{src}
		if err := c.authorize("s3:GetObject", "arn:aws:s3:::"+src, ctx); err != nil {
			return err
		}
	case "DeleteObjects":
		keys, err := deleteKeys(c.body)
		if err != nil {
			return newError(http.StatusBadRequest, "MalformedXML", err.Error())
		}
		// AWS would report denied keys one by one inside a 200; refusing
		// the batch keeps the fake simple and still never deletes what the
		// caller may not delete.
		for _, k := range keys {
			if err := c.authorize("s3:DeleteObject", "arn:aws:s3:::"+req.bucket+"/"+k, ctx); err != nil {
				return err
			}
		}
		return nil
	}
	return c.authorize(req.action, req.resource(), ctx)
}

// deleteKeys reads the keys of a DeleteObjects body.
func deleteKeys(body []byte) ([]string, error) {
	var doc struct {
		Objects []struct {
			Key string `xml:"Key"`
		} `xml:"Object"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("the Delete document is not valid XML: %v", err)
	}
	keys := make([]string, len(doc.Objects))
	for i, o := range doc.Objects {
		keys[i] = o.Key
	}
	return keys, nil
}

// listBuckets answers ListBuckets with the caller's account's buckets.
func (h *s3Service) listBuckets(w http.ResponseWriter, r *http.Request, c *call) {
	all, err := h.backend.ListBuckets()
	if err != nil {
		c.writeError(w, r, err)
		return
	}
	type bucket struct {
		Name         string `xml:"Name"`
		CreationDate string `xml:"CreationDate"`
	}
	var res struct {
		XMLName xml.Name `xml:"ListAllMyBucketsResult"`
		Xmlns   string   `xml:"xmlns,attr"`
		Owner   struct {
			ID string `xml:"ID"`
		} `xml:"Owner"`
		Buckets []bucket `xml:"Buckets>Bucket"`
	}
	res.Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"
	res.Owner.ID = c.caller.AccountID
	for _, b := range all {
		if owner, _ := h.owner(b.Name); owner.account == c.caller.AccountID {
			res.Buckets = append(res.Buckets, bucket{Name: b.Name, CreationDate: b.CreationDate.Format(time.RFC3339)})
		}
	}
	sort.Slice(res.Buckets, func(i, j int) bool { return res.Buckets[i].Name < res.Buckets[j].Name })
	w.Header().Set("Content-Type", "application/xml")
	writeXML(w, res)
}

// s3Bucket is what localaws knows of a bucket beyond gofakes3: its owner
// and the region it was created in.
type s3Bucket struct {
	account, region string
}

func (h *s3Service) owner(bucket string) (s3Bucket, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	o, ok := h.owners[bucket]
	return o, ok
}

// setOwner records a bucket's owner and region; the zero s3Bucket forgets
// the bucket.
func (h *s3Service) setOwner(bucket string, b s3Bucket) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if b == (s3Bucket{}) {
		delete(h.owners, bucket)
		return
	}
	h.owners[bucket] = b
}

// s3Recorder keeps the server's request ID in x-amz-request-id (gofakes3
// writes its own counter) and remembers the status.
type s3Recorder struct {
	http.ResponseWriter
	requestID string
	status    int
}

func (w *s3Recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.Header().Set("X-Amz-Request-Id", w.requestID)
	w.ResponseWriter.WriteHeader(code)
}

func (w *s3Recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// CreateBucket creates an S3 bucket owned by the account in the server's
// region (Options.Region), as the customer would in the console. Requests
// signed for another region are refused, as S3 refuses them.
func (a *Account) CreateBucket(name string) error {
	h := a.server.routes["s3"].handler.(*s3Service)
	// The rules S3's CreateBucket applies on the wire (gofakes3 checks
	// them there), so a bucket made in Go is one a client could make.
	if err := gofakes3.ValidateBucketName(name); err != nil {
		return fmt.Errorf("localaws: bucket name %q is not one S3 accepts: %v; use 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit", name, err)
	}
	if _, exists := h.owner(name); exists {
		return fmt.Errorf("localaws: bucket %q already exists", name)
	}
	if err := h.backend.CreateBucket(name); err != nil {
		return fmt.Errorf("localaws: create bucket %q: %w", name, err)
	}
	h.setOwner(name, s3Bucket{account: a.id, region: a.server.opts.Region})
	return nil
}

// Object returns the content of an S3 object, for tests to check what a
// client uploaded.
func (s *Server) Object(bucket, key string) ([]byte, error) {
	h := s.routes["s3"].handler.(*s3Service)
	obj, err := h.backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, fmt.Errorf("localaws: object s3://%s/%s: %w", bucket, key, err)
	}
	defer obj.Contents.Close()
	return io.ReadAll(obj.Contents)
}
