package iamarn

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Partitions as published in the SDK's partitions.json (aws, aws-cn,
// aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc).
func TestValidPartition(t *testing.T) {
	for _, p := range []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"} {
		require.True(t, ValidPartition(p), p)
	}
	for _, p := range []string{"", "azure", "awsx", "aws-", "aws--cn", "aws-CN", "aws-c n", "Aws"} {
		require.False(t, ValidPartition(p), p)
	}
}

func TestIsAccountID(t *testing.T) {
	require.True(t, IsAccountID("111122223333"))
	for _, s := range []string{"", "11112222333", "1111222233334", "11112222333x", "１１１１２２２２３３３３"} {
		require.False(t, IsAccountID(s), s)
	}
}

// The rules follow the IAM API reference, CreateRole: RoleName
// ([\w+=,.@-]{1,64}) and Path ((\u002F)|(\u002F[\u0021-\u007E]+\u002F),
// 1-512 characters).
func TestSplitRole(t *testing.T) {
	tests := []struct {
		rest, path, name, problem string
	}{
		{rest: "Connector", path: "/", name: "Connector"},
		{rest: "service-role/Connector", path: "/service-role/", name: "Connector"},
		{rest: "a/b/c+=,.@_-9", path: "/a/b/", name: "c+=,.@_-9"},
		{rest: "", path: "/", problem: "role name is missing after the path"},
		{rest: "path/", path: "/path/", problem: "role name is missing after the path"},
		{rest: strings.Repeat("n", 64), path: "/", name: strings.Repeat("n", 64)},
		{rest: strings.Repeat("n", 65), path: "/", name: strings.Repeat("n", 65), problem: "role name must be 1-64 characters, got 65"},
		{rest: "bad name", path: "/", name: "bad name", problem: `role name may contain only letters, digits and +=,.@_-, got " " at offset 3`},
		{rest: "a//b", path: "/a//", name: "b", problem: `role path "/a//" has an empty segment ("//")`},
		{rest: "pä/x", path: "/pä/", name: "x", problem: `role path may contain only printable ASCII characters, got "/pä/"`},
		{rest: strings.Repeat("p", 511) + "/x", path: "/" + strings.Repeat("p", 511) + "/", name: "x", problem: "role path must be 1-512 characters, got 513"},
	}
	for _, tt := range tests {
		t.Run(tt.rest, func(t *testing.T) {
			path, name, problem := SplitRole(tt.rest)
			require.Equal(t, tt.problem, problem)
			require.Equal(t, tt.path, path)
			require.Equal(t, tt.name, name)
		})
	}
}

// FuzzSplitRole checks that SplitRole never panics, that its parts always
// reassemble the input, and that whatever it accepts obeys IAM's rules.
func FuzzSplitRole(f *testing.F) {
	for _, s := range []string{"Connector", "a/b/c", "a//b", "pä/x", "", "/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rest string) {
		path, name, problem := SplitRole(rest)
		if path+name != "/"+rest {
			t.Fatalf("SplitRole(%q) = %q + %q, which is not the input", rest, path, name)
		}
		if problem != "" {
			return
		}
		if name == "" || len(name) > MaxRoleNameLen || len(path) > MaxPathLen || strings.Contains(path, "//") {
			t.Fatalf("SplitRole(%q) accepted path %q, name %q", rest, path, name)
		}
		for _, r := range name {
			if !IsNameRune(r) {
				t.Fatalf("SplitRole(%q) accepted name %q with %q", rest, name, r)
			}
		}
	})
}
