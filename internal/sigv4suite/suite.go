package sigv4suite

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
)

//go:embed v4
var files embed.FS

// Case is one test of the suite: a request, how to sign it, and the
// signatures and canonical requests AWS's reference signer computes.
type Case struct {
	// Name is the test's directory name, such as "get-relative-normalized".
	Name string
	// Method, Path (as on the wire, the query excluded) and RawQuery are
	// request.txt's request line; Host is its Host header.
	Method, Path, RawQuery, Host string
	// Header holds request.txt's headers, folded lines joined.
	Header http.Header
	// Body is request.txt's body.
	Body []byte
	// AccessKeyID, SecretAccessKey and SessionToken are the credentials.
	AccessKeyID, SecretAccessKey, SessionToken string
	// Region and Service make the credential scope.
	Region, Service string
	// Time is the signing time.
	Time time.Time
	// Expires is the presigned URL's lifetime.
	Expires time.Duration
	// Normalize says whether the path is normalised (every service but S3).
	Normalize bool
	// SignBody says whether X-Amz-Content-Sha256 is added and signed.
	SignBody bool
	// OmitSessionToken says the token is added after signing, unsigned.
	OmitSessionToken bool
	// HeaderSignature and QuerySignature are the expected signatures of the
	// Authorization header and of the presigned URL.
	HeaderSignature, QuerySignature string
	// HeaderCanonicalRequest and QueryCanonicalRequest are the expected
	// canonical requests.
	HeaderCanonicalRequest, QueryCanonicalRequest string
	// SignedRequest is header-signed-request.txt: the request with its
	// X-Amz-Date, token and Authorization headers.
	SignedRequest string
	// QuerySignedRequest is query-signed-request.txt: the presigned request.
	QuerySignedRequest string
}

// URL returns the request's URL in the form the SDK's signer reads as
// given: the wire path in Opaque, so that a path Go would escape (a space,
// UTF-8) is signed as the suite sends it.
func (c Case) URL() *url.URL {
	return &url.URL{Scheme: "https", Host: c.Host, Opaque: "//" + c.Host + c.Path, RawQuery: c.RawQuery}
}

// Request returns a new http.Request for the case, unsigned.
func (c Case) Request() *http.Request {
	r := &http.Request{
		Method:        c.Method,
		URL:           c.URL(),
		Host:          c.Host,
		Header:        c.Header.Clone(),
		ContentLength: int64(len(c.Body)),
		Proto:         "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
	r.Header.Del("Host")
	return r
}

// Cases returns every case of the suite, sorted by name.
func Cases() ([]Case, error) {
	dirs, err := fs.ReadDir(files, "v4")
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		c, err := load(d.Name())
		if err != nil {
			return nil, fmt.Errorf("sigv4suite: %s: %w", d.Name(), err)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Case) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func read(name, file string) (string, error) {
	b, err := files.ReadFile(path.Join("v4", name, file))
	return string(b), err
}

func load(name string) (Case, error) {
	c := Case{Name: name}
	ctxText, err := read(name, "context.json")
	if err != nil {
		return c, err
	}
	var ctx struct {
		Credentials struct {
			AccessKeyID     string `json:"access_key_id"`
			SecretAccessKey string `json:"secret_access_key"`
			Token           string `json:"token"`
		} `json:"credentials"`
		Expiration       int    `json:"expiration_in_seconds"`
		Normalize        bool   `json:"normalize"`
		Region           string `json:"region"`
		Service          string `json:"service"`
		SignBody         bool   `json:"sign_body"`
		Timestamp        string `json:"timestamp"`
		OmitSessionToken bool   `json:"omit_session_token"`
	}
	if err := json.Unmarshal([]byte(ctxText), &ctx); err != nil {
		return c, err
	}
	c.AccessKeyID, c.SecretAccessKey, c.SessionToken = ctx.Credentials.AccessKeyID, ctx.Credentials.SecretAccessKey, ctx.Credentials.Token
	c.Region, c.Service, c.Normalize, c.SignBody, c.OmitSessionToken = ctx.Region, ctx.Service, ctx.Normalize, ctx.SignBody, ctx.OmitSessionToken
	c.Expires = time.Duration(ctx.Expiration) * time.Second
	if c.Time, err = time.Parse(time.RFC3339, ctx.Timestamp); err != nil {
		return c, err
	}
	for file, dst := range map[string]*string{
		"header-signature.txt":         &c.HeaderSignature,
		"query-signature.txt":          &c.QuerySignature,
		"header-canonical-request.txt": &c.HeaderCanonicalRequest,
		"query-canonical-request.txt":  &c.QueryCanonicalRequest,
		"header-signed-request.txt":    &c.SignedRequest,
		"query-signed-request.txt":     &c.QuerySignedRequest,
	} {
		s, err := read(name, file)
		if err != nil {
			return c, err
		}
		*dst = s
	}
	c.HeaderSignature, c.QuerySignature = strings.TrimSpace(c.HeaderSignature), strings.TrimSpace(c.QuerySignature)
	raw, err := read(name, "request.txt")
	if err != nil {
		return c, err
	}
	head, body, _ := strings.Cut(raw, "\n\n")
	c.Body = []byte(body)
	lines := strings.Split(head, "\n")
	first := lines[0]
	sp, last := strings.IndexByte(first, ' '), strings.LastIndexByte(first, ' ')
	if sp < 0 || last <= sp {
		return c, fmt.Errorf("request line %q", first)
	}
	c.Method = first[:sp]
	c.Path, c.RawQuery, _ = strings.Cut(first[sp+1:last], "?")
	c.Header = http.Header{}
	var prev string
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			// An obsolete line folding: the value goes on, joined by a
			// space (RFC 7230, 3.2.4).
			vs := c.Header[prev]
			vs[len(vs)-1] += " " + strings.TrimSpace(l)
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return c, fmt.Errorf("header line %q", l)
		}
		prev = http.CanonicalHeaderKey(k)
		c.Header[prev] = append(c.Header[prev], v)
	}
	c.Host = c.Header.Get("Host")
	return c, nil
}

// SignedHeader returns the value of a header of SignedRequest, such as
// "Authorization" or "X-Amz-Date".
func (c Case) SignedHeader(name string) string {
	for _, l := range strings.Split(c.SignedRequest, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// PresignedTarget returns the request target of QuerySignedRequest: the
// path and the query with the X-Amz-* parameters.
func (c Case) PresignedTarget() string {
	first, _, _ := strings.Cut(c.QuerySignedRequest, "\n")
	sp, last := strings.IndexByte(first, ' '), strings.LastIndexByte(first, ' ')
	if sp < 0 || last <= sp {
		return ""
	}
	return first[sp+1 : last]
}

// SignatureOf returns the Signature= value of an Authorization header.
func SignatureOf(authorization string) string {
	_, sig, _ := strings.Cut(authorization, "Signature=")
	return sig
}
