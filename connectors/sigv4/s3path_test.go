package sigv4

import (
	"net/url"
	"testing"
)

func TestS3EscapedPath(t *testing.T) {
	tests := []struct {
		name, url, want string
	}{
		{"plain", "http://h/bucket/dir/key.txt", "/bucket/dir/key.txt"},
		{"space and unicode", "http://h/b/a%20b/%C3%BC.txt", "/b/a%20b/%C3%BC.txt"},
		{"sub-delimiters Go leaves literal", "http://h/b/a+b&c=d!$'()*,;:@.txt", "/b/a%2Bb%26c%3Dd%21%24%27%28%29%2A%2C%3B%3A%40.txt"},
		{"unreserved kept", "http://h/b/A-Z_a.z~0", "/b/A-Z_a.z~0"},
		{"escaped slash in a key stays escaped", "http://h/b/a%2Fb", "/b/a%2Fb"},
		{"lower-case escapes normalised", "http://h/b/%c3%bc", "/b/%C3%BC"},
		{"empty segments kept", "http://h/b//k/", "/b//k/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			got := s3EscapedPath(u)
			if got != tc.want {
				t.Fatalf("s3EscapedPath(%s) = %s, want %s", tc.url, got, tc.want)
			}
			u.RawPath = got
			if u.EscapedPath() != tc.want {
				t.Fatalf("the request would be sent as %s, not %s", u.EscapedPath(), tc.want)
			}
		})
	}
}
