package policy

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// TestPolicyVariables follows "IAM policy elements: Variables and tags":
// variables work in Resource and in string and ARN condition values of
// Version 2012-10-17 policies only; ${*}, ${?} and ${$} are literal
// characters; a default value applies when the key is absent; a missing key
// makes the pattern match nothing.
func TestPolicyVariables(t *testing.T) {
	doc := func(version, resource, cond string) *Document {
		v := ""
		if version != "" {
			v = `"Version":"` + version + `",`
		}
		c := ""
		if cond != "" {
			c = `,"Condition":` + cond
		}
		return mustParse(t, `{`+v+`"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"`+resource+`"`+c+`}}`)
	}
	type ctx = map[string][]string
	tests := []struct {
		name     string
		d        *Document
		resource string
		ctx      ctx
		want     Decision
	}{
		{"own home folder", doc(Version2012, "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*", ""), "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/a.txt", ctx{"aws:username": {"bob"}}, Allow},
		{"someone else's folder", doc(Version2012, "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*", ""), "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/a.txt", ctx{"aws:username": {"bob"}}, ImplicitDeny},
		{"key absent", doc(Version2012, "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*", ""), "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/a.txt", nil, ImplicitDeny},
		{"multivalued key cannot be a variable", doc(Version2012, "arn:aws:s3:::b/${aws:TagKeys}", ""), "arn:aws:s3:::b/x", ctx{"aws:TagKeys": {"x", "y"}}, ImplicitDeny},
		{"a value is taken literally", doc(Version2012, "arn:aws:s3:::b/home/${aws:username}/*", ""), "arn:aws:s3:::b/home/bob/a", ctx{"aws:username": {"*"}}, ImplicitDeny},
		{"keys fold case", doc(Version2012, "arn:aws:s3:::b/${AWS:UserName}", ""), "arn:aws:s3:::b/bob", ctx{"aws:username": {"bob"}}, Allow},
		{"Version 2008 keeps the text", doc(Version2008, "arn:aws:s3:::b/${aws:username}", ""), "arn:aws:s3:::b/bob", ctx{"aws:username": {"bob"}}, ImplicitDeny},
		{"no Version keeps the text", doc("", "arn:aws:s3:::b/${aws:username}", ""), "arn:aws:s3:::b/${aws:username}", ctx{"aws:username": {"bob"}}, Allow},
		{"${*} is a literal asterisk", doc(Version2012, "arn:aws:s3:::b/${*}", ""), "arn:aws:s3:::b/*", nil, Allow},
		{"${*} is not a wildcard", doc(Version2012, "arn:aws:s3:::b/${*}", ""), "arn:aws:s3:::b/x", nil, ImplicitDeny},
		{"${?} and ${$}", doc(Version2012, "arn:aws:s3:::b/${?}${$}", ""), "arn:aws:s3:::b/?$", nil, Allow},
		{"default value", doc(Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*", ""), "arn:aws:s3:::b/company-wide/x", nil, Allow},
		{"default value unused", doc(Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*", ""), "arn:aws:s3:::b/company-wide/x", ctx{"aws:PrincipalTag/team": {"red"}}, ImplicitDeny},
		{"condition StringLike", doc(Version2012, "*", `{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}`), "arn:aws:s3:::b", ctx{"aws:username": {"bob"}, "s3:prefix": {"home/bob/docs"}}, Allow},
		{"condition StringEquals", doc(Version2012, "*", `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`), "arn:aws:s3:::b", ctx{"aws:username": {"bob"}, "s3:prefix": {"home/alice"}}, ImplicitDeny},
		{"condition ArnLike", doc(Version2012, "*", `{"ArnLike":{"aws:SourceArn":"arn:aws:iam::${aws:PrincipalAccount}:role/*"}}`), "arn:aws:s3:::b", ctx{"aws:PrincipalAccount": {"123456789012"}, "aws:SourceArn": {"arn:aws:iam::123456789012:role/x"}}, Allow},
		// "If AWS cannot resolve a variable this might cause the entire
		// statement to be invalid": never an Allow (issue 18, finding 1).
		{"negated condition with an unresolved variable", doc(Version2012, "*", `{"StringNotEquals":{"s3:prefix":"home/${aws:username}"}}`), "arn:aws:s3:::b", ctx{"s3:prefix": {"home/bob"}}, ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.d.Evaluate(Request{Action: "s3:GetObject", Resource: tt.resource, Context: tt.ctx}))
		})
	}
}

func TestArnMatchTokensSplitsOnLiteralColons(t *testing.T) {
	// A colon that came from ${...} expansion is literal text, still a
	// separator position in the value, so the pattern is matched whole.
	toks, ok := expandVariables("arn:aws:s3:::${k}", foldedContext(map[string][]string{"k": {"a:b"}}))
	require.True(t, ok)
	require.True(t, arnMatchTokens(toks, "arn:aws:s3:::a:b"))
	require.False(t, arnMatchTokens(compileGlob("arn:aws:s3:::x"), "arn:aws:s3:::y"))
	require.True(t, arnMatchTokens(compileGlob("*"), ""))
	_, ok = expandVariables("${unterminated", nil)
	require.True(t, ok)
}

// allowResource is a Version 2012-10-17 policy allowing s3:GetObject on
// the one Resource pattern.
func allowResource(pattern string) *Document {
	return &Document{Version: Version2012, Statement: []Statement{{Effect: EffectAllow, Action: Strings{"s3:GetObject"}, Resource: Strings{pattern}}}}
}

// TestLiteral: a value escaped with Literal matches itself and nothing its
// wildcards or variables would otherwise admit.
func TestLiteral(t *testing.T) {
	tests := []struct {
		value, other string // other matches value read as a pattern, but is not value
	}{
		{"reports/*", "reports/2026"},
		{"a?c/", "abc/"},
		{"${aws:username}/", "bob/"},
		{"$HOME/", ""},
		{"plain/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			d := allowResource("arn:aws:s3:::b/" + Literal(tt.value) + "*")
			eval := func(key string) Decision {
				return d.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/" + key,
					Context: map[string][]string{"aws:username": {"bob"}}})
			}
			require.Equal(t, Allow, eval(tt.value+"x.csv"), "the value itself")
			if tt.other != "" {
				require.Equal(t, ImplicitDeny, eval(tt.other+"x.csv"), "what the value would match unescaped")
			}
		})
	}
	require.Equal(t, "plain", Literal("plain"))
	require.Equal(t, "${$}{HOME}${*}${?}", Literal("${HOME}*?"))
}

// FuzzLiteral: the pattern Literal(s) matches s and only s.
func FuzzLiteral(f *testing.F) {
	for _, s := range []string{"", "a*", "?", "${aws:username}", "$", "${$}", "}{*", "x/${*}/y"} {
		f.Add(s, s+"z")
	}
	f.Fuzz(func(t *testing.T, s, other string) {
		if !utf8.ValidString(s) || !utf8.ValidString(other) {
			return // a policy is JSON text, and its matching reads runes: "\x80" and "\x91" are both U+FFFD
		}
		d := allowResource("arn:aws:s3:::b/" + Literal(s))
		for _, key := range []string{s, other} {
			got := d.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/" + key})
			if want := key == s; (got == Allow) != want {
				t.Fatalf("Literal(%q) = %q: key %q gave %v, want a match %v", s, Literal(s), key, got, want)
			}
		}
	})
}
