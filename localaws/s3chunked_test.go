package localaws

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func chunkedRequest(t testing.TB, body, decodedLen string) *http.Request {
	r, err := http.NewRequest(http.MethodPut, "http://127.0.0.1/b/k", strings.NewReader(body))
	require.NoError(t, err)
	r.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
	r.Header.Set("Content-Encoding", "aws-chunked")
	if decodedLen != "" {
		r.Header.Set("X-Amz-Decoded-Content-Length", decodedLen)
	}
	return r
}

func TestDecodeAWSChunked(t *testing.T) {
	cases := []struct {
		name, body, decodedLen, want, err string
	}{
		{"two chunks and a trailer", "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", "11", "hello world", ""},
		{"chunk extensions", "3;chunk-signature=abc\r\nabc\r\n0\r\n\r\n", "3", "abc", ""},
		{"empty", "0\r\n\r\n", "0", "", ""},
		{"length mismatch", "3\r\nabc\r\n0\r\n\r\n", "4", "", "X-Amz-Decoded-Content-Length says 4"},
		{"truncated chunk", "9\r\nabc", "", "", "bad chunk size"},
		{"no header", "abc", "", "", "missing chunk header"},
		{"not hex", "zz\r\nabc\r\n", "", "", "bad chunk size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := chunkedRequest(t, tc.body, tc.decodedLen)
			err := decodeAWSChunked(r)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			got, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			require.Equal(t, tc.want, string(got))
			require.Equal(t, int64(len(tc.want)), r.ContentLength)
			require.Empty(t, r.Header.Get("Content-Encoding"))
		})
	}

	plain, err := http.NewRequest(http.MethodPut, "http://127.0.0.1/b/k", strings.NewReader("5\r\nhello"))
	require.NoError(t, err)
	require.NoError(t, decodeAWSChunked(plain), "a signed payload is left alone")
	got, err := io.ReadAll(plain.Body)
	require.NoError(t, err)
	require.Equal(t, "5\r\nhello", string(got))
}

func FuzzDecodeAWSChunked(f *testing.F) {
	f.Add("5\r\nhello\r\n0\r\n\r\n")
	f.Add("ffffffffffffffff\r\n")
	f.Add("-1\r\n")
	f.Fuzz(func(t *testing.T, body string) {
		r := chunkedRequest(t, body, "")
		if err := decodeAWSChunked(r); err != nil {
			return
		}
		got, err := io.ReadAll(r.Body)
		if err != nil || int64(len(got)) != r.ContentLength || len(got) > len(body) {
			t.Fatalf("decoded %d bytes (ContentLength %d) from %d: %v", len(got), r.ContentLength, len(body), err)
		}
	})
}
