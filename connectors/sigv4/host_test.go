package sigv4

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseHost(t *testing.T) {
	tests := []struct {
		host string
		want Endpoint
	}{
		{"runtime-v2-lex.us-east-1.amazonaws.com", Endpoint{Service: "lex", Region: "us-east-1"}},
		{"runtime.lex.eu-west-1.amazonaws.com", Endpoint{Service: "lex", Region: "eu-west-1"}},
		{"runtime-v2-lex-fips.us-gov-west-1.amazonaws.com", Endpoint{Service: "lex", Region: "us-gov-west-1", FIPS: true}},
		{"email.eu-central-1.amazonaws.com", Endpoint{Service: "ses", Region: "eu-central-1"}},
		{"lambda.ap-southeast-2.amazonaws.com:443", Endpoint{Service: "lambda", Region: "ap-southeast-2"}},
		{"lambda.us-east-1.api.aws", Endpoint{Service: "lambda", Region: "us-east-1", DualStack: true}},
		{"abcdef.lambda-url.us-west-2.on.aws", Endpoint{Service: "lambda", Region: "us-west-2"}},
		{"a1b2c3.execute-api.eu-north-1.amazonaws.com", Endpoint{Service: "execute-api", Region: "eu-north-1"}},
		{"monitoring.us-east-2.amazonaws.com", Endpoint{Service: "monitoring", Region: "us-east-2"}},
		{"logs.cn-north-1.amazonaws.com.cn", Endpoint{Service: "logs", Region: "cn-north-1"}},
		{"sts.amazonaws.com", Endpoint{Service: "sts", Region: "us-east-1"}},
		{"sts-fips.us-east-2.amazonaws.com", Endpoint{Service: "sts", Region: "us-east-2", FIPS: true}},
		{"iam.amazonaws.com", Endpoint{Service: "iam", Region: "us-east-1"}},
		{"iam.us-gov.amazonaws.com", Endpoint{Service: "iam", Region: "us-gov-west-1"}},
		{"ec2.dualstack.eu-west-3.amazonaws.com", Endpoint{Service: "ec2", Region: "eu-west-3", DualStack: true}},
		{"s3.amazonaws.com", Endpoint{Service: "s3", Region: "us-east-1"}},
		{"s3.us-west-2.amazonaws.com", Endpoint{Service: "s3", Region: "us-west-2"}},
		{"s3-us-west-2.amazonaws.com", Endpoint{Service: "s3", Region: "us-west-2"}},
		{"s3-external-1.amazonaws.com", Endpoint{Service: "s3", Region: "us-east-1"}},
		{"my-bucket.s3.amazonaws.com", Endpoint{Service: "s3", Region: "us-east-1", Bucket: "my-bucket"}},
		{"My.Dotted.S3.Bucket.s3.eu-west-1.amazonaws.com.", Endpoint{Service: "s3", Region: "eu-west-1", Bucket: "my.dotted.s3.bucket"}},
		{"b.s3.dualstack.ap-northeast-1.amazonaws.com", Endpoint{Service: "s3", Region: "ap-northeast-1", Bucket: "b", DualStack: true}},
		{"b.s3-fips.dualstack.us-east-1.amazonaws.com", Endpoint{Service: "s3", Region: "us-east-1", Bucket: "b", FIPS: true, DualStack: true}},
		{"ap-111122223333.s3-accesspoint.us-west-2.amazonaws.com", Endpoint{Service: "s3", Region: "us-west-2"}},
		{"b.s3.cn-northwest-1.amazonaws.com.cn", Endpoint{Service: "s3", Region: "cn-northwest-1", Bucket: "b"}},
		{"b.s3.dualstack.cn-north-1.amazonaws.com.cn", Endpoint{Service: "s3", Region: "cn-north-1", Bucket: "b", DualStack: true}},
		{"lambda.cn-north-1.api.amazonwebservices.com.cn", Endpoint{Service: "lambda", Region: "cn-north-1", DualStack: true}},
		{"iam.cn-north-1.amazonaws.com.cn", Endpoint{Service: "iam", Region: "cn-north-1"}},
		{"sts.us-gov-west-1.amazonaws.com", Endpoint{Service: "sts", Region: "us-gov-west-1"}},
		{"lambda-fips.us-gov-east-1.amazonaws.com", Endpoint{Service: "lambda", Region: "us-gov-east-1", FIPS: true}},
		{"b.s3-fips.dualstack.us-gov-west-1.amazonaws.com", Endpoint{Service: "s3", Region: "us-gov-west-1", Bucket: "b", FIPS: true, DualStack: true}},
		{"lambda-fips.us-east-1.api.aws", Endpoint{Service: "lambda", Region: "us-east-1", FIPS: true, DualStack: true}},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, err := ParseHost(tt.host)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseHostRejects(t *testing.T) {
	for _, host := range []string{"", "127.0.0.1:9000", "localhost", "example.com", "amazonaws.com", ".amazonaws.com", "a..b.amazonaws.com", "us-east-1.amazonaws.com", "bad_svc.us-east-1.amazonaws.com"} {
		t.Run(host, func(t *testing.T) {
			_, err := ParseHost(host)
			require.ErrorIs(t, err, ErrUnknownHost)
		})
	}
}

func FuzzParseHost(f *testing.F) {
	for _, s := range []string{"runtime-v2-lex.us-east-1.amazonaws.com", "b.s3.dualstack.eu-west-1.amazonaws.com", "sts.amazonaws.com", "x.on.aws", "s3-us-west-2.amazonaws.com:443"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		ep, err := ParseHost(host)
		if err != nil {
			return
		}
		if ep.Service == "" || ep.Region == "" {
			t.Fatalf("ParseHost(%q) = %+v without service or region", host, ep)
		}
		if !regionPattern.MatchString(ep.Region) {
			t.Fatalf("ParseHost(%q) region %q is not a region", host, ep.Region)
		}
	})
}

func TestParseErrorCode(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"__type":"com.amazonaws.lex#ThrottlingException","message":"x"}`, "ThrottlingException"},
		{`{"code":"TooManyRequestsException"}`, "TooManyRequestsException"},
		{`{"Code":"Throttling"}`, "Throttling"},
		{`{"__type":"ValidationException:http://internal"}`, "ValidationException"},
		{`<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce</Message></Error>`, "SlowDown"},
		{`<ErrorResponse><Error><Type>Sender</Type><Code> Throttling </Code></Error></ErrorResponse>`, "Throttling"},
		{`not an error body`, ""},
		{`{"broken"`, ""},
		{`<Code>unterminated`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			require.Equal(t, tt.want, ParseErrorCode([]byte(tt.body)))
		})
	}
}

func FuzzParseErrorCode(f *testing.F) {
	f.Add([]byte(`{"__type":"a#B"}`))
	f.Add([]byte(`<Code>X</Code>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_ = ParseErrorCode(body) // must not panic
	})
}
