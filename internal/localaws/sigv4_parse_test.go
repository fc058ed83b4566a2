package localaws

import (
	"errors"
	"strings"
	"testing"

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
			authorization{"AKIAX", "20261128", "us-east-1", "sts", "host;x-amz-date", sig}, ""},
		{"no spaces", "AWS4-HMAC-SHA256 Credential=AKIAX/20261128/eu-west-1/s3/aws4_request,SignedHeaders=host,Signature=" + sig,
			authorization{"AKIAX", "20261128", "eu-west-1", "s3", "host", sig}, ""},
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
