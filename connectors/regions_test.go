package connectors

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResourceARN(t *testing.T) {
	tests := []struct {
		name                                          string
		partition, service, region, account, resource string
		want                                          string
	}{
		{name: "defaults: region's partition, any account", service: "lambda", region: "eu-west-1", resource: "function:*",
			want: "arn:aws:lambda:eu-west-1:*:function:*"},
		{name: "china region", service: "logs", region: "cn-north-1", account: "111122223333", resource: "log-group:app:*",
			want: "arn:aws-cn:logs:cn-north-1:111122223333:log-group:app:*"},
		{name: "unknown region falls back to aws", service: "ses", region: "xx-test-1", account: "111122223333", resource: "identity/example.com",
			want: "arn:aws:ses:xx-test-1:111122223333:identity/example.com"},
		{name: "explicit partition wins", partition: "aws-us-gov", service: "lex", region: "us-east-1", resource: "bot-alias/B/A",
			want: "arn:aws-us-gov:lex:us-east-1:*:bot-alias/B/A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, ResourceARN(tt.partition, tt.service, tt.region, tt.account, tt.resource))
		})
	}
}

func TestRegionalEndpoint(t *testing.T) {
	tests := []struct{ service, region, want string }{
		{"sts", "us-east-1", "https://sts.us-east-1.amazonaws.com"},
		{"sts", "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn"},
		{"runtime-v2-lex", "us-gov-west-1", "https://runtime-v2-lex.us-gov-west-1.amazonaws.com"},
		{"sts", "eusc-de-east-1", "https://sts.eusc-de-east-1.amazonaws.eu"},
		{"sts", "xx-new-1", "https://sts.xx-new-1.amazonaws.com"},
	}
	for _, tt := range tests {
		t.Run(tt.service+"/"+tt.region, func(t *testing.T) {
			require.Equal(t, tt.want, RegionalEndpoint(tt.service, tt.region))
		})
	}
}

// TestClosestRegions: a typo anywhere in a region code gets the regions it
// was probably meant to be, not only a wrong last number.
func TestClosestRegions(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"us-est-1", []string{"us-east-1", "us-west-1"}},  // a letter dropped in the middle
		{"US-EAST-1", []string{"us-east-1"}},              // case only
		{"eu-cental-1", []string{"eu-central-1"}},         // a letter dropped
		{"us-east-9", []string{"us-east-1", "us-east-2"}}, // the number wrong
		{"ap-southeast-9", []string{"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7"}},
		{"local", nil}, // nothing close
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, closestRegions(tt.in))
		})
	}
}
