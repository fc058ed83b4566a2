package policy

import "strings"

// Request is one authorisation question: may Principal perform Action on
// Resource, given the request context?
//
// Request is a plain value; Evaluate does not modify it.
type Request struct {
	// Principal is the caller's ARN (a role, user, assumed-role session or
	// account root ARN, a 12-digit account ID, or a service principal such
	// as "lambda.amazonaws.com"). It is checked against Principal and
	// NotPrincipal in trust and resource-based policies; leave it "" for
	// identity policies, which have no Principal element.
	Principal string
	// Action is the action being authorised, such as "s3:GetObject".
	Action string
	// Resource is the ARN of the resource acted on; "" for trust policies,
	// whose statements carry no Resource element.
	Resource string
	// Context maps condition keys, such as "sts:ExternalId" or
	// "aws:SecureTransport", to the request's values. Keys are matched
	// case-insensitively, as IAM does; values are compared as the condition
	// operator says; they also feed policy variables. A key that is
	// absent is absent: Evaluate fills in nothing (the embedded AWS, for
	// one, adds aws:PrincipalArn and the other global keys itself).
	Context map[string][]string
}

// Decision is the outcome of evaluating a request. The zero value is
// ImplicitDeny, so a forgotten evaluation denies. Decisions are plain values,
// safe to share.
type Decision int

const (
	// ImplicitDeny: no statement allows the request.
	ImplicitDeny Decision = iota
	// Allow: a statement allows the request and none denies it.
	Allow
	// ExplicitDeny: a Deny statement matches the request; nothing overrides it.
	ExplicitDeny
)

// String returns "ImplicitDeny", "Allow" or "ExplicitDeny".
func (d Decision) String() string {
	switch d {
	case ImplicitDeny:
		return "ImplicitDeny"
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "Decision(?)"
}

// Evaluate decides r against d alone, following "Policy evaluation logic":
// a matching Deny statement gives ExplicitDeny whatever else matches; else a
// matching Allow statement gives Allow; else ImplicitDeny. A statement
// matches when its principal, action and resource elements name the request
// and all its conditions hold (see [Request] for what an empty Principal or
// Resource means). In a Version 2012-10-17 document, policy variables such
// as ${aws:username} in Resource, NotResource and string or ARN condition
// values are replaced from r.Context ("IAM policy elements: Variables and
// tags"); a variable without a value matches nothing, makes a negated
// condition false and makes a statement with it in NotResource apply to
// nothing, so it never grants. A nil document denies implicitly.
func (d *Document) Evaluate(r Request) Decision {
	if d == nil {
		return ImplicitDeny
	}
	ctx := foldedContext(r.Context)
	vars := d.Version == Version2012
	dec := ImplicitDeny
	for i := range d.Statement {
		s := &d.Statement[i]
		if !s.matches(r, ctx, vars) {
			continue
		}
		if s.Effect == EffectDeny {
			return ExplicitDeny
		}
		if s.Effect == EffectAllow {
			dec = Allow
		}
	}
	return dec
}

// Matching returns the indexes of the statements of d that match r, whatever
// their effect, so that a caller can say which statement allowed or denied a
// request.
func (d *Document) Matching(r Request) []int {
	if d == nil {
		return nil
	}
	ctx := foldedContext(r.Context)
	vars := d.Version == Version2012
	var out []int
	for i := range d.Statement {
		if d.Statement[i].matches(r, ctx, vars) {
			out = append(out, i)
		}
	}
	return out
}

// EvaluateAll decides r the way AWS combines the policies of one principal
// ("Policy evaluation logic", "Session policies"): an explicit Deny in any
// document wins; otherwise the request is allowed only if some identity
// policy allows it and, when session is not nil, the session policy allows
// it too, because a session policy limits the session to the intersection of
// the two. With no identity policies the answer is ImplicitDeny.
func EvaluateAll(r Request, session *Document, identity ...*Document) Decision {
	identityAllows := false
	for _, d := range identity {
		switch d.Evaluate(r) {
		case ExplicitDeny:
			return ExplicitDeny
		case Allow:
			identityAllows = true
		}
	}
	sessionAllows := true
	if session != nil {
		switch session.Evaluate(r) {
		case ExplicitDeny:
			return ExplicitDeny
		case ImplicitDeny:
			sessionAllows = false
		}
	}
	if identityAllows && sessionAllows {
		return Allow
	}
	return ImplicitDeny
}

// foldedContext is a request context whose keys are looked up
// case-insensitively. It scans rather than building a lower-cased copy:
// contexts hold a dozen keys, and most evaluations look up none.
type foldedContext map[string][]string

// get returns the values of key, merging keys that differ only in case.
func (c foldedContext) get(key string) ([]string, bool) {
	var out []string
	found, merged := false, false
	for k, v := range c {
		if !strings.EqualFold(k, key) {
			continue
		}
		switch {
		case !found:
			out, found = v, true
		case !merged:
			out, merged = append(append([]string(nil), out...), v...), true
		default:
			out = append(out, v...)
		}
	}
	return out, found
}

// matches reports whether the statement applies to r; vars says whether
// policy variables are expanded (Version 2012-10-17 only).
func (s *Statement) matches(r Request, ctx foldedContext, vars bool) bool {
	switch {
	case s.Principal != nil && !principalMatch(s.Principal, r.Principal):
		return false
	case s.NotPrincipal != nil && principalMatch(s.NotPrincipal, r.Principal):
		return false
	case s.Action != nil && !anyMatch(s.Action, r.Action, actionMatch):
		return false
	case s.NotAction != nil && anyMatch(s.NotAction, r.Action, actionMatch):
		return false
	case s.Resource != nil && !resourceMatch(s.Resource, r.Resource, ctx, vars):
		return false
	case s.NotResource != nil && !outsideNotResource(s.NotResource, r.Resource, ctx, vars):
		return false
	}
	holds, valid := conditionsHold(s.Condition, ctx, vars)
	if !valid {
		// An operator Parse would refuse (a document built in Go with a
		// typo): fail safe, so an Allow never applies and a Deny always does.
		return s.Effect == EffectDeny
	}
	return holds
}

func anyMatch(patterns Strings, v string, match func(p, v string) bool) bool {
	for _, p := range patterns {
		if match(p, v) {
			return true
		}
	}
	return false
}

// resourceMatch matches the Resource or NotResource patterns, expanding
// policy variables when vars is set; a pattern whose variable has no value
// matches nothing.
func resourceMatch(patterns Strings, resource string, ctx foldedContext, vars bool) bool {
	for _, p := range patterns {
		if vars && strings.Contains(p, "${") {
			if toks, ok := expandVariables(p, ctx); ok && arnMatchTokens(toks, resource) {
				return true
			}
			continue
		}
		if arnMatch(p, resource) {
			return true
		}
	}
	return false
}

// outsideNotResource reports whether the resource is known to lie outside
// every NotResource pattern. A pattern whose policy variable cannot be
// resolved makes the statement invalid ("IAM policy elements: Variables and
// tags": an unresolved variable "might cause the entire statement to be
// invalid"), and an invalid statement applies to nothing: NotResource never
// grants, or denies, because a variable is missing.
//
// A short ARN pattern ("arn:aws:*:b1", fewer than six parts) makes the
// statement apply to nothing too: IAM pads it with "*" parts, and a
// resource outside the padded pattern is not proven outside what the
// policy's author meant (@cloud-copilot/iam-simulate, the differential
// peer, holds such a mismatch as not invertible), so NotResource never
// grants everything else on its strength.
func outsideNotResource(patterns Strings, resource string, ctx foldedContext, vars bool) bool {
	for _, p := range patterns {
		if isShortARN(p) {
			return false
		}
	}
	if resourceMatch(patterns, resource, ctx, vars) {
		return false
	}
	if !vars {
		return true
	}
	for _, p := range patterns {
		if strings.Contains(p, "${") {
			if _, ok := expandVariables(p, ctx); !ok {
				return false
			}
		}
	}
	return true
}

// conditionsHold ANDs every operator and every key of a Condition block. It
// reports valid=false when the block holds an operator name or an empty
// value list that Parse would refuse.
func conditionsHold(c Conditions, ctx foldedContext, vars bool) (holds, valid bool) {
	holds = true
	var scratch []policyValue
	for name, keys := range c {
		op, ok := parseOperator(name)
		if !ok {
			return false, false
		}
		for key, values := range keys {
			if len(values) == 0 {
				return false, false
			}
			got, present := ctx.get(key)
			scratch = policyValues(scratch[:0], op, values, ctx, vars)
			if !evalCondition(op, scratch, got, present) {
				holds = false
			}
		}
	}
	return holds, true
}
