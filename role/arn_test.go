package role

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRoleARN(t *testing.T) {
	tests := []struct {
		in   string
		want RoleARN
	}{
		{"arn:aws:iam::123456789012:role/Connector", RoleARN{"aws", "123456789012", "/", "Connector"}},
		{"arn:aws-cn:iam::123456789012:role/a", RoleARN{"aws-cn", "123456789012", "/", "a"}},
		{"arn:aws-us-gov:iam::123456789012:role/service-role/x+=,.@_-y", RoleARN{"aws-us-gov", "123456789012", "/service-role/", "x+=,.@_-y"}},
		{"arn:aws-iso:iam::123456789012:role/a/b/c/Name", RoleARN{"aws-iso", "123456789012", "/a/b/c/", "Name"}},
		{"arn:aws-iso-b:iam::123456789012:role/R", RoleARN{"aws-iso-b", "123456789012", "/", "R"}},
		{"arn:aws-iso-f:iam::123456789012:role/R", RoleARN{"aws-iso-f", "123456789012", "/", "R"}},
		{"arn:aws:iam::123456789012:role/" + strings.Repeat("n", 64), RoleARN{"aws", "123456789012", "/", strings.Repeat("n", 64)}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRoleARN(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.in, got.String())
		})
	}
}

func TestParseRoleARNRejects(t *testing.T) {
	tests := []struct {
		in, why string
	}{
		{"", "empty"},
		{" arn:aws:iam::123456789012:role/Connector", "white space"},
		{"arn:aws:iam::1:r/x", "20-2048 characters"},
		{"arn:aws:iam::123456789012:role/" + strings.Repeat("p/", 1010) + "x", "20-2048 characters"},
		{"not-an-arn-but-long-enough", "not an ARN"},
		{"arn:gcp:iam::123456789012:role/x", "partition"},
		{"arn:aws-:iam::123456789012:role/x", "partition"},
		{"arn:AWS:iam::123456789012:role/x", "partition"},
		{"arn:aws:s3::123456789012:role/x", `service must be iam, got "s3"`},
		{"arn:aws:sts::123456789012:assumed-role/x/s", "assumed-role session ARN"},
		{"arn:aws:iam:us-east-1:123456789012:role/x", "region must be empty"},
		{"arn:aws:iam::12345678901:role/x", "account ID must be 12 digits, got 11"},
		{"arn:aws:iam::1234567890123:role/x", "account ID must be 12 digits, got 13"},
		{"arn:aws:iam::12345678901a:role/x", `account ID must be 12 digits, got "12345678901a"`},
		{"arn:aws:iam::123456789012:user/x", `resource must start with "role/"`},
		{"arn:aws:iam::123456789012:role/", "role name is missing"},
		{"arn:aws:iam::123456789012:role/path/", "role name is missing"},
		{"arn:aws:iam::123456789012:role/" + strings.Repeat("n", 65), "role name must be 1-64 characters, got 65"},
		{"arn:aws:iam::123456789012:role/bad name", `got " " at offset 3`},
		{"arn:aws:iam::123456789012:role/a//b", "empty segment"},
		{"arn:aws:iam::123456789012:role/" + strings.Repeat("p", 512) + "/x", "role path must be 1-512 characters"},
		{"arn:aws:iam::123456789012:role/pä/x", "printable ASCII"},
	}
	for _, tc := range tests {
		t.Run(tc.why, func(t *testing.T) {
			_, err := ParseRoleARN(tc.in)
			require.ErrorIs(t, err, ErrInvalidRoleARN)
			require.Contains(t, err.Error(), tc.why)
			require.True(t, strings.HasPrefix(err.Error(), "role: invalid role ARN"), err.Error())
		})
	}
}

func FuzzParseRoleARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:iam::123456789012:role/Connector",
		"arn:aws-us-gov:iam::123456789012:role/a/b/c",
		"arn:aws:iam:us-east-1:123456789012:role/x",
		"arn:aws:iam::123456789012:role//x",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRoleARN(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "role: invalid role ARN") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		// Whatever parses round-trips, and its parts obey IAM's rules.
		if r.String() != s {
			t.Fatalf("String() = %q, want %q", r.String(), s)
		}
		if len(r.AccountID) != 12 || r.Name == "" || len(r.Name) > 64 || r.Path[0] != '/' || r.Path[len(r.Path)-1] != '/' {
			t.Fatalf("invalid parts accepted: %+v", r)
		}
		if _, err := ParseRoleARN(r.String()); err != nil {
			t.Fatalf("re-parse: %v", err)
		}
	})
}

func TestDeriveSessionName(t *testing.T) {
	tests := []struct {
		prefix, ws, proj, conn, want string
	}{
		{"", "", "", "", "awsconnect"},
		{"acme", "12345", "", "", "acme-12345"},
		{"acme", "12345", "6789", "", "acme-12345-6789"},
		{"acme", "12345", "6789", "c1", "acme-12345-6789-c1"},
		{"acme", "", "", "conn", "acme-conn"},
		{"a", "", "", "", "a_"},
		{"my platform", "w/1", "p:2", "", "my_platform-w_1-p_2"},
		{"acme", strings.Repeat("w", 80), "", "", "acme-" + strings.Repeat("w", 59)},
		{"äb", "", "", "", "_b"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got := DeriveSessionName(tc.prefix, tc.ws, tc.proj, tc.conn)
			require.Equal(t, tc.want, got)
			require.NoError(t, checkName("SessionName", got))
		})
	}
}

func FuzzDeriveSessionName(f *testing.F) {
	f.Add("awsconnect", "ws", "proj", "conn")
	f.Add("", "日本", "", "x y")
	f.Fuzz(func(t *testing.T, prefix, ws, proj, conn string) {
		if err := checkName("SessionName", DeriveSessionName(prefix, ws, proj, conn)); err != nil {
			t.Fatal(err)
		}
	})
}
