package localaws

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseAuthorization(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	cases := []struct {
		name, in string
		want     authorization
		err      string
	}{
		{"SDK format", "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig,
			authorization{accessKeyID: "AKIAX", date: "20261128", region: "us-east-1", service: "sts", signedHeaders: "host;x-amz-date", signature: sig}, ""},
		{"no spaces", "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/eu-west-1/s3/aws4_request,SignedHeaders=host,Signature=" + sig,
			authorization{accessKeyID: "AKIAX", date: "20261128", region: "eu-west-1", service: "s3", signedHeaders: "host", signature: sig}, ""},
		{"other algorithm", "AWS4-ECDSA-P256-SHA256 Credential=x", authorization{}, "algorithm must be"},
		{"no components", "AWS4-HMAC-SHA256", authorization{}, "algorithm must be"},
		{"bare word", "AWS4-HMAC-SHA256 Credential", authorization{}, "is not key=value"},
		{"unknown component", "AWS4-HMAC-SHA256 Foo=bar", authorization{}, "unknown component"},
		{"scope too short", "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/aws4_request, SignedHeaders=host, Signature=" + sig, authorization{}, "Credential must be"},
		{"empty scope part", "AWS4-HMAC-SHA256 Credential=AKIAX//us-east-1/sts/aws4_request, SignedHeaders=host, Signature=" + sig, authorization{}, "empty component"},
		{"no signature", "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host", authorization{}, "are required"},
		{"short signature", "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abcd", authorization{}, "64 hex digits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseAuthorization(tc.in)
			if tc.err != "" {
				require.ErrorIs(t, err, errMalformedAuthorization)
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestParsePresigned(t *testing.T) {
	sig := strings.Repeat("0f", 32)
	base := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=" + sig
	cases := []struct {
		name, query, err string
		want             authorization
	}{
		{"valid", base + "&X-Amz-Expires=900", "", authorization{accessKeyID: "AKIAX", date: "20261128", region: "us-east-1",
			service: "s3", signedHeaders: "host", signature: sig, presigned: true, expires: 15 * time.Minute}},
		{"no expiry", base, "X-Amz-Expires must be", authorization{}},
		{"expiry over a week", base + "&X-Amz-Expires=604801", "X-Amz-Expires must be", authorization{}},
		{"other algorithm", strings.Replace(base, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1) + "&X-Amz-Expires=1", "X-Amz-Algorithm must be", authorization{}},
		{"no signature", strings.TrimSuffix(base, sig) + "&X-Amz-Expires=1", "are required", authorization{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			got, err := parsePresigned(q)
			if tc.err != "" {
				require.ErrorIs(t, err, errMalformedAuthorization)
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func FuzzParsePresigned(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Expires=60&X-Amz-Signature=" + strings.Repeat("0", 64))
	f.Add("X-Amz-Expires=-1")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		a, err := parsePresigned(q)
		if err != nil {
			if !errors.Is(err, errMalformedAuthorization) {
				t.Fatalf("error %v does not wrap errMalformedAuthorization", err)
			}
			return
		}
		if !a.presigned || a.expires <= 0 || a.expires > maxPresignExpiry || a.service == "" || len(a.signature) != 64 {
			t.Fatalf("accepted an invalid presigned query %q: %+v", query, a)
		}
	})
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIAX/20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("0", 64))
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=")
	f.Add("AWS AKIA:sig")
	f.Fuzz(func(t *testing.T, in string) {
		a, err := parseAuthorization(in)
		if err != nil {
			if !errors.Is(err, errMalformedAuthorization) {
				t.Fatalf("error %v does not wrap errMalformedAuthorization", err)
			}
			return
		}
		if a.accessKeyID == "" || a.service == "" || a.region == "" || a.date == "" || a.signedHeaders == "" || len(a.signature) != 64 {
			t.Fatalf("accepted an incomplete header %q: %+v", in, a)
		}
	})
}
