package policy

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		fold, want bool
	}{
		{"", "", false, true},
		{"*", "", false, true},
		{"?", "", false, false},
		{"a*b*c", "axxbyyc", false, true},
		{"a*b*c", "axxbyy", false, false},
		{"s3:Get*", "S3:GETOBJECT", true, true},
		{"s3:Get*", "S3:GETOBJECT", false, false},
		{"é?", "éü", false, true},
		{"*?", "ü", false, true},
		{"**a", "a", false, true},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, globMatch(tt.pattern, tt.s, tt.fold), "%q %q", tt.pattern, tt.s)
	}
}

// FuzzGlobMatch checks the allocation-free matcher against a regular
// expression and against the token matcher used for expanded variables.
func FuzzGlobMatch(f *testing.F) {
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/k")
	f.Add("a?c*", "abcdef")
	f.Add("*é*", "xéy")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		var re strings.Builder
		re.WriteString("(?s)^")
		for _, r := range pattern {
			switch r {
			case '*':
				re.WriteString(".*")
			case '?':
				re.WriteString(".")
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString("$")
		want := regexp.MustCompile(re.String()).MatchString(s)
		if got := globMatch(pattern, s, false); got != want {
			t.Fatalf("globMatch(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
		if got := matchTokens(compileGlob(pattern), []rune(s)); got != want {
			t.Fatalf("matchTokens(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
		if arnMatch(pattern, s) != arnMatchTokens(compileGlob(pattern), s) {
			t.Fatalf("arnMatch and arnMatchTokens disagree on %q %q", pattern, s)
		}
	})
}

// TestContextKeysDifferingInCase: IAM matches condition keys
// case-insensitively, so two spellings of one key are one key.
func TestContextKeysDifferingInCase(t *testing.T) {
	ctx := foldedContext(map[string][]string{"aws:TagKeys": {"a"}, "AWS:TAGKEYS": {"b"}, "aws:tagkeys": {"c"}})
	got, ok := ctx.get("Aws:TagKeys")
	require.True(t, ok)
	require.ElementsMatch(t, []string{"a", "b", "c"}, got)
	_, ok = ctx.get("aws:other")
	require.False(t, ok)
	d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b","c"]}}}}`)
	require.Equal(t, Allow, d.Evaluate(Request{Action: "x:Y", Context: ctx}))
}

// TestShortARNPattern: a Resource pattern with fewer than six parts is read
// with its missing parts as "*" (as @cloud-copilot/iam-simulate expands it
// for identity policies), so a wildcard in it never spans a colon. Before,
// such a pattern was matched as one glob, and "arn:aws:*:111122223333:role/x"
// (service *, region 111122223333) granted the IAM role
// arn:aws:iam::111122223333:role/x.
func TestShortARNPattern(t *testing.T) {
	role := "arn:aws:iam::111122223333:role/x"
	tests := []struct {
		pattern, value string
		want           bool
	}{
		{"arn:aws:*:111122223333:role/x", role, false},
		{"arn:aws:*:111122223333", role, false},
		{"arn:aws:iam::*", role, true},
		{"arn:aws:iam::111122223333:*", role, true},
		{"arn:aws:s3:*", "arn:aws:s3:::bucket/key:with:colons", true},
		{"arn:aws:s3:*", role, false},
		{"arn:*", role, true},
		{"arn:aws:iam::111122223333:role/x", role, true},
		// Not ARNs: plain globs, as before.
		{"a*:b", "a:x:b", true},
		{"*", role, true},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, arnMatch(tt.pattern, tt.value), "arnMatch(%q, %q)", tt.pattern, tt.value)
		require.Equal(t, tt.want, arnMatchTokens(compileGlob(tt.pattern), tt.value), "arnMatchTokens(%q, %q)", tt.pattern, tt.value)
	}
	d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:*:${aws:PrincipalAccount}:role/x"}}`)
	require.Equal(t, ImplicitDeny, d.Evaluate(Request{Action: "iam:GetRole", Resource: role, Context: map[string][]string{"aws:PrincipalAccount": {"111122223333"}}}))
}

// TestShortARNInNotResource: a NotResource holding a short ARN applies to
// nothing, matching or not, as the differential peer answers (seed 42 of
// TestDifferentialIAMSimulate found it): an Allow never grants "everything
// but arn:aws:*:b1", and a Deny does not deny on its strength.
func TestShortARNInNotResource(t *testing.T) {
	obj := "arn:aws:s3:::b1/home/alice/b.txt"
	allow := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:*:b1","arn:aws:s3:::b2/*"]}}`)
	require.Equal(t, ImplicitDeny, allow.Evaluate(Request{Action: "s3:PutObject", Resource: obj}))
	require.Equal(t, ImplicitDeny, allow.Evaluate(Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b2/x"}))
	deny := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:*"}]}`)
	require.Equal(t, Allow, deny.Evaluate(Request{Action: "s3:PutObject", Resource: obj}))
	// A full ARN in NotResource keeps its meaning.
	full := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b2/*"}}`)
	require.Equal(t, Allow, full.Evaluate(Request{Action: "s3:PutObject", Resource: obj}))
}
