package localaws

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// parseCase is one input to a SigV4 parser: want is the parsed form, or err
// a fragment of the error, which must wrap the parser's sentinel.
type parseCase struct {
	name, in, err string
	want          authorization
}

// runParseCases runs cases through parse, whose errors wrap sentinel.
func runParseCases(t *testing.T, parse func(string) (authorization, error), sentinel error, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parse(tc.in)
			if tc.err != "" {
				require.ErrorIs(t, err, sentinel)
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// parsePresignedQuery parses a raw query string as parsePresigned sees it.
func parsePresignedQuery(query string) (authorization, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return authorization{}, err
	}
	return parsePresigned(q)
}

func TestParseAuthorization(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	runParseCases(t, parseAuthorization, errMalformedAuthorization, []parseCase{
		{name: "SDK format", in: "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig,
			want: authorization{accessKeyID: "AKIAX", date: "20261128", region: "us-east-1", service: "sts", signedHeaders: "host;x-amz-date", signature: sig}},
		{name: "no spaces", in: "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/eu-west-1/s3/aws4_request,SignedHeaders=host,Signature=" + sig,
			want: authorization{accessKeyID: "AKIAX", date: "20261128", region: "eu-west-1", service: "s3", signedHeaders: "host", signature: sig}},
		{name: "other algorithm", in: "AWS4-ECDSA-P256-SHA256 Credential=x", err: "algorithm must be"},
		{name: "no components", in: "AWS4-HMAC-SHA256", err: "algorithm must be"},
		{name: "bare word", in: "AWS4-HMAC-SHA256 Credential", err: "is not key=value"},
		{name: "unknown component", in: "AWS4-HMAC-SHA256 Foo=bar", err: "unknown component"},
		{name: "scope too short", in: "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/aws4_request, SignedHeaders=host, Signature=" + sig, err: "Credential must be"},
		{name: "empty scope part", in: "AWS4-HMAC-SHA256 Credential=AKIAX//us-east-1/sts/aws4_request, SignedHeaders=host, Signature=" + sig, err: "empty component"},
		{name: "no signature", in: "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host", err: "are required"},
		{name: "short signature", in: "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abcd", err: "64 hex digits"},
	})
}

func TestParsePresigned(t *testing.T) {
	sig := strings.Repeat("0f", 32)
	base := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=" + sig
	sts := strings.Replace(base, "%2Fs3%2F", "%2Fsts%2F", 1)
	runParseCases(t, parsePresignedQuery, errMalformedPresign, []parseCase{
		{name: "valid", in: base + "&X-Amz-Expires=900", want: authorization{accessKeyID: "AKIAX", date: "20261128", region: "us-east-1",
			service: "s3", signedHeaders: "host", signature: sig, presigned: true, expires: 15 * time.Minute}},
		{name: "S3 requires an expiry", in: base, err: "X-Amz-Expires must be"},
		{name: "other services default to 15 minutes", in: sts, want: authorization{accessKeyID: "AKIAX", date: "20261128", region: "us-east-1",
			service: "sts", signedHeaders: "host", signature: sig, presigned: true, expires: defaultPresignExpiry}},
		{name: "expiry of a week", in: base + "&X-Amz-Expires=604800", want: authorization{accessKeyID: "AKIAX", date: "20261128", region: "us-east-1",
			service: "s3", signedHeaders: "host", signature: sig, presigned: true, expires: maxPresignExpiry}},
		{name: "expiry over a week", in: base + "&X-Amz-Expires=604801", err: "X-Amz-Expires must be 1 to 604800 seconds"},
		{name: "negative expiry", in: base + "&X-Amz-Expires=-1", err: "X-Amz-Expires must be"},
		{name: "other algorithm", in: strings.Replace(base, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1) + "&X-Amz-Expires=1", err: "X-Amz-Algorithm only supports"},
		{name: "bad credential", in: strings.Replace(base, "%2Faws4_request", "", 1) + "&X-Amz-Expires=1", err: "X-Amz-Credential must be"},
		{name: "no signature", in: strings.TrimSuffix(base, sig) + "&X-Amz-Expires=1", err: "X-Amz-Signature are required"},
	})
}

// fuzzParser checks that parse either refuses in with sentinel or returns
// a complete authorization.
func fuzzParser(t *testing.T, in string, parse func(string) (authorization, error), sentinel error) authorization {
	a, err := parse(in)
	if err != nil {
		if !errors.Is(err, sentinel) {
			t.Fatalf("error %v does not wrap %v", err, sentinel)
		}
		return authorization{}
	}
	if a.accessKeyID == "" || a.service == "" || a.region == "" || a.date == "" || a.signedHeaders == "" || len(a.signature) != 64 {
		t.Fatalf("accepted an incomplete signature %q: %+v", in, a)
	}
	return a
}

func FuzzParsePresigned(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Expires=60&X-Amz-Signature=" + strings.Repeat("0", 64))
	f.Add("X-Amz-Expires=-1")
	f.Fuzz(func(t *testing.T, query string) {
		if _, err := url.ParseQuery(query); err != nil {
			return
		}
		a := fuzzParser(t, query, parsePresignedQuery, errMalformedPresign)
		if a.signature != "" && (!a.presigned || a.expires <= 0 || a.expires > maxPresignExpiry) {
			t.Fatalf("accepted an invalid presigned query %q: %+v", query, a)
		}
	})
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("0", 64))
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=")
	f.Add("AWS AKIA:sig")
	f.Fuzz(func(t *testing.T, in string) {
		fuzzParser(t, in, parseAuthorization, errMalformedAuthorization)
	})
}
