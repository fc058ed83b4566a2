package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/iamarn"
)

// globTok is one element of a compiled pattern: a literal rune, or the
// wildcard * (any run of runes, also none) or ? (exactly one rune). Keeping
// the two apart lets a policy variable such as ${*} stand for a literal
// asterisk.
type globTok struct {
	r    rune
	wild bool
}

// compileGlob reads a pattern in which * and ? are wildcards.
func compileGlob(pattern string) []globTok {
	out := make([]globTok, 0, len(pattern))
	for _, r := range pattern {
		out = append(out, globTok{r: r, wild: r == '*' || r == '?'})
	}
	return out
}

// globMatch reports whether s matches pattern, in which * matches any run of
// characters (also none) and ? exactly one; foldCase compares letters
// case-insensitively. It allocates nothing and runs in O(len(pattern) *
// len(s)) at worst, by remembering only the last star, since the embedded
// AWS calls it for every pattern of every request.
func globMatch(pattern, s string, foldCase bool) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		if pi < len(pattern) {
			pr, pn := utf8.DecodeRuneInString(pattern[pi:])
			sr, sn := utf8.DecodeRuneInString(s[si:])
			switch {
			case pr == '*':
				star, mark = pi, si
				pi += pn
				continue
			case pr == '?' || pr == sr || (foldCase && unicode.ToLower(pr) == unicode.ToLower(sr)):
				pi += pn
				si += sn
				continue
			}
		}
		if star < 0 {
			return false
		}
		pi = star + 1
		_, mn := utf8.DecodeRuneInString(s[mark:])
		mark += mn
		si = mark
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}

// matchTokens runs in O(len(p) * len(s)) at worst, by remembering only the
// last star.
func matchTokens(p []globTok, q []rune) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(q) {
		switch {
		case pi < len(p) && ((p[pi].wild && p[pi].r == '?') || (!p[pi].wild && p[pi].r == q[si])):
			pi++
			si++
		case pi < len(p) && p[pi].wild && p[pi].r == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].wild && p[pi].r == '*' {
		pi++
	}
	return pi == len(p)
}

// actionMatch matches an action pattern such as "s3:Get*" against an action
// such as "s3:GetObject"; IAM compares actions case-insensitively.
func actionMatch(pattern, action string) bool {
	return globMatch(pattern, action, true)
}

// arnMatch matches an ARN pattern against an ARN the way IAM matches the
// Resource element and the Arn condition operators ("IAM JSON policy
// elements: Resource"): "*" matches everything; otherwise partition,
// service, region and account are matched part by part, so a wildcard never
// spans one of their colons, while the resource part is matched as a whole,
// so "log-group:app:*" also covers the log streams under that group.
// A short ARN pattern ("arn:aws:s3:*", fewer than six parts) is padded
// with "*" parts, as IAM reads it in identity policies, so that its
// wildcards stay inside their parts too: "arn:aws:*:111122223333:role/x"
// is service *, region 111122223333 and names no IAM role. Patterns that
// are not ARNs are matched as plain globs.
func arnMatch(pattern, value string) bool {
	if pattern == "*" {
		return true
	}
	if strings.Count(value, ":") < 5 {
		return globMatch(pattern, value, false)
	}
	if n := strings.Count(pattern, ":"); n < 5 {
		if !isShortARN(pattern) {
			return globMatch(pattern, value, false)
		}
		pattern += strings.Repeat(":*", 5-n)
	}
	for range 5 {
		var pp, vp string
		pp, pattern, _ = strings.Cut(pattern, ":")
		vp, value, _ = strings.Cut(value, ":")
		if !globMatch(pp, vp, false) {
			return false
		}
	}
	return globMatch(pattern, value, false)
}

// arnMatchTokens is arnMatch for a pattern whose policy variables were
// expanded.
func arnMatchTokens(p []globTok, value string) bool {
	if len(p) == 1 && p[0].wild && p[0].r == '*' {
		return true
	}
	// Split the pattern at its first five literal colons.
	var parts [][]globTok
	last := 0
	for i, t := range p {
		if len(parts) == 5 {
			break
		}
		if !t.wild && t.r == ':' {
			parts = append(parts, p[last:i])
			last = i + 1
		}
	}
	parts = append(parts, p[last:])
	if len(parts) < 6 && isARNPrefix(p) {
		// A short ARN pattern: pad it as arnMatch does.
		for len(parts) < 6 {
			parts = append(parts, []globTok{{r: '*', wild: true}})
		}
	}
	vp := strings.SplitN(value, ":", 6)
	if len(parts) != 6 || len(vp) != 6 {
		return matchTokens(p, []rune(value))
	}
	for i := range parts {
		if !matchTokens(parts[i], []rune(vp[i])) {
			return false
		}
	}
	return true
}

// isShortARN reports whether a pattern is an ARN of fewer than six parts,
// which arnMatch pads with "*" parts.
func isShortARN(pattern string) bool {
	return strings.HasPrefix(pattern, "arn:") && strings.Count(pattern, ":") < 5
}

// isARNPrefix reports whether compiled tokens start with a literal "arn:".
func isARNPrefix(p []globTok) bool {
	if len(p) < 4 {
		return false
	}
	for i, r := range "arn:" {
		if p[i].wild || p[i].r != r {
			return false
		}
	}
	return true
}

// principalMatch reports whether a principal element names the caller, as
// described in "AWS JSON policy elements: Principal":
//   - "*" and {"AWS": "*"} name everyone;
//   - an account ID or an account root ARN names every principal of that
//     account (a root ARN only in its own partition);
//   - a role ARN names the role and every session of it (the assumed-role
//     ARN arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION, which drops the
//     role's path);
//   - any other value names exactly that ARN or service, provider or
//     canonical user.
func principalMatch(p *Principal, caller string) bool {
	if p.Wildcard {
		return true
	}
	for _, v := range p.AWS {
		if awsPrincipalMatch(v, caller) {
			return true
		}
	}
	for _, list := range []Strings{p.Service, p.Federated, p.CanonicalUser} {
		for _, v := range list {
			if v == "*" || v == caller {
				return true
			}
		}
	}
	return false
}

func awsPrincipalMatch(v, caller string) bool {
	if v == "*" || v == caller {
		return true
	}
	if caller == "" {
		return false
	}
	callerARN, err := arn.Parse(caller)
	callerAccount := ""
	if err == nil {
		callerAccount = callerARN.AccountID
	} else if iamarn.IsAccountID(caller) {
		callerAccount = caller
	} else {
		return false
	}
	if iamarn.IsAccountID(v) {
		return v == callerAccount
	}
	pa, err := arn.Parse(v)
	if err != nil || pa.AccountID != callerAccount {
		return false
	}
	// An account ID is unique only within its partition: the root of
	// 111122223333 in aws-cn is another account than in aws. A bare account
	// ID caller carries no partition and matches on the ID alone.
	if callerARN.Partition != "" && callerARN.Partition != pa.Partition {
		return false
	}
	if pa.Service == "iam" && pa.Resource == "root" {
		return true
	}
	// A role principal admits its sessions.
	if roleName, ok := roleNameFromARN(pa); ok && callerARN.Service == "sts" {
		if rest, ok := strings.CutPrefix(callerARN.Resource, "assumed-role/"); ok {
			name, _, found := strings.Cut(rest, "/")
			return found && name == roleName && callerARN.Partition == pa.Partition
		}
	}
	return false
}

// roleNameFromARN returns the role name of an IAM role ARN, without its path.
func roleNameFromARN(a arn.ARN) (string, bool) {
	if a.Service != "iam" {
		return "", false
	}
	rest, ok := strings.CutPrefix(a.Resource, "role/")
	if !ok || rest == "" {
		return "", false
	}
	return rest[strings.LastIndexByte(rest, '/')+1:], true
}
