package s3

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateBucketName(t *testing.T) {
	tests := []struct{ name, why string }{
		{"acme-reports", ""},
		{"my.dotted.bucket", ""},
		{"a1b", ""},
		{"ab", "3-63 characters"},
		{strings.Repeat("a", 64), "3-63 characters"},
		{"Acme", `character 'A' at position 1`},
		{"acme_reports", `character '_' at position 5`},
		{"-acme", "begin and end"},
		{"acme.", "begin and end"},
		{"acme..reports", "adjacent dots"},
		{"192.168.5.4", "IP address"},
		{"xn--acme", `prefix "xn--"`},
		{"sthree-acme", `prefix "sthree-"`},
		{"acme-s3alias", `suffix "-s3alias"`},
		{"acme--ol-s3", `suffix "--ol-s3"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateBucketName(tt.name)
			if tt.why == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidBucketName)
			require.ErrorContains(t, err, tt.why)
		})
	}
}

func FuzzValidateBucketName(f *testing.F) {
	for _, s := range []string{"acme-reports", "a..b", "1.2.3.4", "xn--x", "Ab_c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if ValidateBucketName(name) != nil {
			return
		}
		// Every accepted name is usable as a DNS label sequence in a
		// virtual-hosted URL and in an ARN.
		if len(name) < 3 || len(name) > 63 || strings.ContainsAny(name, "/:*?_ ") || strings.ToLower(name) != name {
			t.Fatalf("accepted %q", name)
		}
	})
}

func TestRestriction(t *testing.T) {
	r := restriction{bucket: "acme-reports", prefix: "reports/"}
	tests := []struct {
		bucket, key string
		ok          bool
	}{
		{"", "reports/a", true},
		{"acme-reports", "reports/a/b", true},
		{"acme-reports", "reports/../secrets", true}, // S3 keys are literal
		{"acme-reports", "report", false},
		{"acme-reports", "secrets/a", false},
		{"other", "reports/a", false},
	}
	for _, tt := range tests {
		t.Run(tt.bucket+"/"+tt.key, func(t *testing.T) {
			_, err := r.object(tt.bucket, tt.key)
			if tt.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrOutsideRestriction)
			}
		})
	}
}
