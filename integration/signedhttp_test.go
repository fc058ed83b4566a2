//go:build integration

package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/role"
)

// assumedConfig is an aws.Config for MinIO whose credentials come from a
// role.Cache over MinIO's STS: temporary credentials with a session token,
// as a platform's connectors get them.
func (p minioPeer) assumedConfig(t *testing.T, spec role.Spec) aws.Config {
	t.Helper()
	cache := role.NewCache(p.STS())
	t.Cleanup(func() { require.NoError(t, cache.Close()) })
	provider, err := cache.Provider(spec)
	require.NoError(t, err)
	return p.Config(provider)
}

// objectURL is MinIO's path-style URL for bucket/key, the key escaped as a
// client would put it on the wire.
func (p minioPeer) objectURL(bucket, key string) string {
	u, err := url.Parse(p.URL)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + bucket + "/" + key
	return u.String()
}

func (p minioPeer) adminGet(t *testing.T, bucket, key string) []byte {
	t.Helper()
	out, err := p.adminS3().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err, "reading back %s/%s with the root credentials", bucket, key)
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	return b
}

// s3Error is S3's XML error document.
type s3Error struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// send does req through the connector and returns the status and body.
func send(t *testing.T, c *signedhttp.Connector, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func requireOK(t *testing.T, status int, body []byte, what string) {
	t.Helper()
	if status/100 != 2 {
		var e s3Error
		_ = xml.Unmarshal(body, &e)
		t.Fatalf("%s: MinIO answered %d %s: %s", what, status, e.Code, e.Message)
	}
}

// These requests are written by hand as raw S3 REST calls: MinIO recomputes
// the SigV4 signature of each from what arrived and refuses any mismatch, so
// a pass means the connector's canonical request (path, query, headers,
// payload hash, session token) is the one S3 expects.
func TestSignedHTTPRawS3Calls(t *testing.T) {
	p := startedMinIO(t)
	ctx := context.Background()
	bucket := p.newBucket(t, "it-signed-")
	cfg := p.assumedConfig(t, role.Spec{RoleARN: integrationRole, ExternalID: externalID(t, "31", "41")})
	conn := signedhttp.New(cfg, func(o *signedhttp.Options) { o.Service = "s3" })

	t.Run("PUT with a body", func(t *testing.T) {
		keys := []string{
			"plain.txt",
			"dir/sub/nested.json",
			"dir/with space+plus&amp=equals.txt",
			"dir/ünïcödé ✓.txt",
			"dir/reserved!'()*~$@,;:.txt",
		}
		for _, key := range keys {
			t.Run(key, func(t *testing.T) {
				content := "content of " + key
				req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.objectURL(bucket, key), strings.NewReader(content))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "text/plain; charset=utf-8")
				req.Header.Set("X-Amz-Meta-Tenant", "acme")
				status, body := send(t, conn, req)
				requireOK(t, status, body, "PUT "+key)
				require.Equal(t, content, string(p.adminGet(t, bucket, key)))
				head, err := p.adminS3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
				require.NoError(t, err)
				require.Equal(t, "acme", head.Metadata["tenant"], "signed x-amz-meta header arrived")
			})
		}
	})

	t.Run("GET with a query string", func(t *testing.T) {
		tests := []struct {
			name  string
			query url.Values
			want  []string // keys listed
		}{
			{"prefix", url.Values{"list-type": {"2"}, "prefix": {"dir/sub/"}}, []string{"dir/sub/nested.json"}},
			{"prefix with space, plus and ampersand", url.Values{"list-type": {"2"}, "prefix": {"dir/with space+plus&"}}, []string{"dir/with space+plus&amp=equals.txt"}},
			{"unicode prefix", url.Values{"list-type": {"2"}, "prefix": {"dir/ünï"}}, []string{"dir/ünïcödé ✓.txt"}},
			{"delimiter and max-keys", url.Values{"list-type": {"2"}, "delimiter": {"/"}, "max-keys": {"1"}}, []string{}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				u := p.URL + "/" + bucket + "?" + tc.query.Encode()
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
				require.NoError(t, err)
				status, body := send(t, conn, req)
				requireOK(t, status, body, "GET "+u)
				var list struct {
					Contents []struct {
						Key string `xml:"Key"`
					} `xml:"Contents"`
					CommonPrefixes []struct {
						Prefix string `xml:"Prefix"`
					} `xml:"CommonPrefixes"`
					MaxKeys int `xml:"MaxKeys"`
				}
				require.NoError(t, xml.Unmarshal(body, &list))
				got := []string{}
				for _, c := range list.Contents {
					got = append(got, c.Key)
				}
				require.Equal(t, tc.want, got)
				if tc.query.Get("max-keys") == "1" {
					require.Equal(t, 1, list.MaxKeys)
					require.Len(t, list.CommonPrefixes, 1, "max-keys=1 reached MinIO: one common prefix")
				}
			})
		}
		t.Run("object with response overrides", func(t *testing.T) {
			u := p.objectURL(bucket, "plain.txt") + "?" + url.Values{"response-content-type": {"application/x-awsconnect"}, "response-cache-control": {"no-store"}}.Encode()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			require.NoError(t, err)
			resp, err := conn.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			requireOK(t, resp.StatusCode, body, "GET "+u)
			require.Equal(t, "content of plain.txt", string(body))
			require.Equal(t, "application/x-awsconnect", resp.Header.Get("Content-Type"))
			require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
		})
	})

	t.Run("streamed body", func(t *testing.T) {
		data := make([]byte, 3<<20+17)
		_, _ = rand.Read(data)
		// A pipe has neither GetBody nor Seek: the connector cannot hash it in
		// advance and, for S3, signs it UNSIGNED-PAYLOAD.
		pr, pw := io.Pipe()
		go func() {
			for b := data; len(b) > 0; {
				n := min(len(b), 64<<10)
				if _, err := pw.Write(b[:n]); err != nil {
					return
				}
				b = b[n:]
			}
			_ = pw.Close()
		}()
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.objectURL(bucket, "stream/blob.bin"), pr)
		require.NoError(t, err)
		req.ContentLength = int64(len(data))
		status, body := send(t, conn, req)
		requireOK(t, status, body, "PUT of a streamed body")
		require.Equal(t, sha256.Sum256(data), sha256.Sum256(p.adminGet(t, bucket, "stream/blob.bin")))
	})

	t.Run("seekable body", func(t *testing.T) {
		data := bytes.Repeat([]byte("seek"), 1<<18) // 1 MiB
		// An *os.File-like body: a ReadSeeker without GetBody, hashed by
		// seeking back.
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.objectURL(bucket, "seek/blob.bin"), nil)
		require.NoError(t, err)
		req.Body = readSeekCloser{bytes.NewReader(data)}
		req.ContentLength = int64(len(data))
		status, body := send(t, conn, req)
		requireOK(t, status, body, "PUT of a seekable body")
		require.Equal(t, data, p.adminGet(t, bucket, "seek/blob.bin"))
	})

	t.Run("DELETE", func(t *testing.T) {
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, p.objectURL(bucket, "plain.txt"), nil)
		require.NoError(t, err)
		status, body := send(t, conn, req)
		requireOK(t, status, body, "DELETE")
		_, err = p.adminS3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("plain.txt")})
		require.Error(t, err, "the object is gone")
	})

	t.Run("presigned GET with a plain client", func(t *testing.T) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.objectURL(bucket, "dir/ünïcödé ✓.txt"), nil)
		require.NoError(t, err)
		pre, err := conn.Presign(ctx, req, 5*time.Minute)
		require.NoError(t, err)
		require.NotContains(t, pre.String(), "X-Amz-Signature", "String redacts the signed query")
		resp, err := httpClient.Get(pre.URL)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		requireOK(t, resp.StatusCode, body, "GET of the presigned URL")
		require.Equal(t, "content of dir/ünïcödé ✓.txt", string(body))
	})

	t.Run("presigned PUT with a plain client", func(t *testing.T) {
		key := "presigned/a+b=c&d.txt"
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.objectURL(bucket, key), nil)
		require.NoError(t, err)
		pre, err := conn.Presign(ctx, req, time.Minute)
		require.NoError(t, err)
		put, err := http.NewRequestWithContext(ctx, http.MethodPut, pre.URL, strings.NewReader("uploaded without credentials"))
		require.NoError(t, err)
		for k, v := range pre.Header {
			put.Header[k] = v
		}
		resp, err := httpClient.Do(put)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		requireOK(t, resp.StatusCode, body, "PUT to the presigned URL")
		require.Equal(t, "uploaded without credentials", string(p.adminGet(t, bucket, key)))
	})

	t.Run("MinIO refuses an expired presigned URL", func(t *testing.T) {
		// The transport's clock seam signs as of two hours ago, so a URL
		// valid for one hour has expired by MinIO's clock: no waiting.
		past := signedhttp.New(cfg, func(o *signedhttp.Options) {
			o.Service = "s3"
			o.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) }
		})
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.objectURL(bucket, "dir/sub/nested.json"), nil)
		require.NoError(t, err)
		pre, err := past.Presign(ctx, req, time.Hour)
		require.NoError(t, err)
		resp, err := httpClient.Get(pre.URL)
		require.NoError(t, err)
		body := readAll(t, resp.Body)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, "%s", body)
		var e s3Error
		require.NoError(t, xml.Unmarshal(body, &e))
		require.Equal(t, "AccessDenied", e.Code, "%s", e.Message)
		require.Contains(t, e.Message, "expired")
	})

	t.Run("MinIO refuses a wrong signature", func(t *testing.T) {
		bad := p.Config(credentials.NewStaticCredentialsProvider(p.AccessKey, "not-the-secret", ""))
		badConn := signedhttp.New(bad, func(o *signedhttp.Options) { o.Service = "s3" })
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.objectURL(bucket, "dir/sub/nested.json"), nil)
		require.NoError(t, err)
		status, body := send(t, badConn, req)
		require.Equal(t, http.StatusForbidden, status)
		var e s3Error
		require.NoError(t, xml.Unmarshal(body, &e))
		require.Equal(t, "SignatureDoesNotMatch", e.Code)
	})
}

// readSeekCloser is a request body that can seek but offers no GetBody.
type readSeekCloser struct{ *bytes.Reader }

func (readSeekCloser) Close() error { return nil }
