package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/awsconnect/awsconnect/localaws"
)

// startConsole runs a console against a fresh local AWS behind an httptest
// server; everything stops when the test ends.
func startConsole(t *testing.T) (*console, *httptest.Server) {
	t.Helper()
	local, err := localaws.Start()
	require.NoError(t, err)
	t.Cleanup(func() { _ = local.Close() })
	c, err := newConsole(t.Context(), local, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	srv := httptest.NewServer(c.handler())
	t.Cleanup(srv.Close)
	return c, srv
}

// client posts forms and does not follow redirects, so that a test sees
// each answer.
type client struct {
	t   *testing.T
	srv *httptest.Server
}

func (c client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	hc := c.srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, string(b)
}

func (c client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), http.MethodGet, c.srv.URL+path, nil)
	require.NoError(c.t, err)
	return c.do(req)
}

func (c client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), http.MethodPost, c.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// A browser's same-origin form post.
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// fieldErrors maps each input that a .field-error is shown beside to its
// messages, read from the page as a browser lays it out: the error belongs
// to the input of its enclosing field.
func fieldErrors(t *testing.T, page string) map[string][]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	out := map[string][]string{}
	var walk func(n *html.Node, input string)
	walk = func(n *html.Node, input string) {
		if n.Type == html.ElementNode {
			if hasClass(n, "field") || hasClass(n, "choice-group") || attr(n, "id") == "operations" {
				input = firstInputName(n)
			}
			if hasClass(n, "field-error") {
				out[input] = append(out[input], textOf(n))
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, input)
		}
	}
	walk(doc, "")
	return out
}

// inputValue returns the value attribute of the input named name, and
// whether the page has one.
func inputValue(t *testing.T, page, name string) (string, bool) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	var val string
	var found bool
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "name") == name && attr(n, "type") != "radio" && attr(n, "type") != "checkbox" {
			val, found = attr(n, "value"), true
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return val, found
}

func firstInputName(n *html.Node) string {
	if n.Type == html.ElementNode && (n.Data == "input" || n.Data == "select") {
		return attr(n, "name")
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if name := firstInputName(ch); name != "" {
			return name
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
