package sigv4path

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"":                          "/",
		"/":                         "/",
		"/example/..":               "/",
		"/example1/example2/../..":  "/",
		"/./":                       "/",
		"/./example":                "/example",
		"//example//":               "/example/",
		"//":                        "/",
		"/a/./b/../c/":              "/a/c/",
		"/a/b/..":                   "/a",
		"/..":                       "/",
		"/a%2F..%2Fb/c":             "/a%2F..%2Fb/c", // an escaped slash is no separator
		"/2015-03-31/functions/f/x": "/2015-03-31/functions/f/x",
		"/.a/..b/...":               "/.a/..b/...",
		"relative/path":             "/relative/path",
	}
	for in, want := range tests {
		require.Equal(t, want, Normalize(in), in)
		require.Equal(t, want != in, needsNormalizing(in), in)
	}
	allocs := testing.AllocsPerRun(100, func() { _ = Normalize("/2015-03-31/functions/f/invocations") })
	require.Zero(t, allocs)
}

func TestApply(t *testing.T) {
	u, err := url.Parse("https://example.amazonaws.com//a/./b%20c/../d?x=1")
	require.NoError(t, err)
	Apply(u)
	require.Equal(t, "/a/d", u.EscapedPath())
	require.Equal(t, "x=1", u.RawQuery)

	u, _ = url.Parse("https://example.amazonaws.com/a%2Fb//c")
	Apply(u)
	require.Equal(t, "/a%2Fb/c", u.EscapedPath())
	require.Equal(t, "/a/b/c", u.Path)

	o := &url.URL{Scheme: "https", Host: "h", Opaque: "//h/x/../y z"}
	Apply(o)
	require.Equal(t, "//h/y z", o.Opaque)
}

// FuzzNormalize: the result starts with "/", holds no empty, "." or ".."
// segment, and normalising it again changes nothing.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "/", "//a//", "/a/../b", "/./", "/a%2F../b", "/.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		n := Normalize(p)
		if n == "" || n[0] != '/' {
			t.Fatalf("Normalize(%q) = %q", p, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize(%q) = %q, again %q", p, n, again)
		}
	})
}
