package policy

import "strings"

// expandVariables compiles a Resource pattern or condition value of a
// Version 2012-10-17 policy, replacing its policy variables as "IAM policy
// elements: Variables and tags" describes:
//   - ${key} becomes the request's value for the condition key (matched
//     case-insensitively), taken literally, so a value cannot smuggle in a
//     wildcard;
//   - ${key, 'default'} falls back to default when the key is absent;
//   - ${*}, ${?} and ${$} stand for a literal *, ? and $.
//
// ok is false when a variable has no single value and no default: the
// pattern then matches nothing, as IAM treats it.
func expandVariables(pattern string, ctx foldedContext) (toks []globTok, ok bool) {
	rest := pattern
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			return append(toks, compileGlob(rest)...), true
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return append(toks, compileGlob(rest)...), true
		}
		toks = append(toks, compileGlob(rest[:i])...)
		value, resolved := resolveVariable(rest[i+2:i+j], ctx)
		if !resolved {
			return nil, false
		}
		for _, r := range value {
			toks = append(toks, globTok{r: r})
		}
		rest = rest[i+j+1:]
	}
}

// resolveVariable returns the text a variable body ("aws:username",
// "aws:username, 'none'", "*") stands for.
func resolveVariable(body string, ctx foldedContext) (string, bool) {
	switch body {
	case "*", "?", "$":
		return body, true
	}
	key, def, hasDefault := strings.Cut(body, ",")
	key = strings.TrimSpace(key)
	if vals, ok := ctx.get(key); ok && len(vals) == 1 {
		return vals[0], true
	}
	if hasDefault {
		def = strings.TrimSpace(def)
		if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			return def[1 : len(def)-1], true
		}
	}
	return "", false
}

// tokensText returns the runes of compiled tokens, for the operators that
// compare whole strings.
func tokensText(toks []globTok) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteRune(t.r)
	}
	return b.String()
}

// literalEscaper writes each character a Version 2012-10-17 pattern reads
// specially as the policy variable that stands for it literally.
var literalEscaper = strings.NewReplacer("$", "${$}", "*", "${*}", "?", "${?}")

// Literal returns s escaped for use inside a Resource pattern or a
// String/Arn condition value of a Version 2012-10-17 policy, so that it
// matches s and nothing else: "*" becomes ${*}, "?" becomes ${?} and "$"
// becomes ${$} (which also keeps "${HOME}" from being read as a policy
// variable). Use it for every value a user typed (an S3 key prefix, an
// email address) that a policy pattern embeds; wildcards the pattern means
// go outside it: Literal(prefix) + "*".
func Literal(s string) string {
	if !strings.ContainsAny(s, "$*?") {
		return s
	}
	return literalEscaper.Replace(s)
}
