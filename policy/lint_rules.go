package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/scope"
)

// The rules Lint applies per kind of policy and per action, and the helpers
// that word their fixes.

// trust applies the rules for role trust policies.
func (l *linter) trust(i int, s *Statement) {
	if s.Principal == nil && s.NotPrincipal == nil {
		l.add(CodeMissingPrincipal, SeverityError, i, "a trust policy statement needs a Principal naming who may assume the role; add {\"AWS\": \"arn:aws:iam::ACCOUNT:root\"}")
	}
	if len(s.Resource) > 0 || len(s.NotResource) > 0 {
		l.add(CodeResourceInTrustPolicy, SeverityError, i, "a trust policy has no Resource element (the role is the resource), so IAM refuses it; remove Resource")
	}
	if s.Effect != EffectAllow || !statementCovers(s, "sts:AssumeRole") {
		return
	}
	// Service and federated principals do not pass an external ID.
	if s.NotPrincipal == nil && (s.Principal == nil || (!s.Principal.Wildcard && len(s.Principal.AWS) == 0)) {
		return
	}
	found, optional, wildcard := false, "", false
	for _, name := range sortedKeys(s.Condition) {
		op, ok := parseOperator(name)
		if !ok {
			continue
		}
		for _, key := range sortedKeys(s.Condition[name]) {
			if !strings.EqualFold(key, ExternalIDCondition) {
				continue
			}
			switch {
			case op.base == opNull:
				optional = name
			case op.ifExists || op.set == setAllValues || op.base.negated():
				optional = name
			default:
				found = true
				for _, v := range s.Condition[name][key] {
					if op.base == opStringLike && strings.ContainsAny(v, "*?") {
						wildcard = true
						continue
					}
					if err := scope.ValidateExternalID(v); err != nil {
						l.add(CodeInvalidExternalID, SeverityError, i, "external ID %s can never be sent, because STS refuses it (%v); use the ID the platform shows", echo.Quote(v), err)
					}
				}
			}
		}
	}
	switch {
	case !found && optional != "":
		l.add(CodeOptionalExternalID, SeveritySecurityWarning, i, "the %s condition on sts:ExternalId also admits callers that send no external ID; use {\"StringEquals\": {\"sts:ExternalId\": \"YOUR_EXTERNAL_ID\"}}", optional)
	case !found:
		l.add(CodeMissingExternalID, SeveritySecurityWarning, i, "anyone in the trusted account can assume the role without an external ID (the confused-deputy problem); add \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"YOUR_EXTERNAL_ID\"}}")
	case wildcard:
		l.add(CodeWildcardExternalID, SeveritySecurityWarning, i, "StringLike with a wildcard lets callers guess the external ID; use StringEquals with the exact ID")
	}
}

// statementCovers reports whether the statement's Action/NotAction covers
// the action.
func statementCovers(s *Statement, action string) bool {
	if s.Action != nil {
		return anyMatch(s.Action, action, actionMatch)
	}
	return !anyMatch(s.NotAction, action, actionMatch)
}

// identity applies the rules for identity policies.
func (l *linter) identity(i int, s *Statement) {
	if s.Principal != nil || s.NotPrincipal != nil {
		l.add(CodePrincipalInIdentity, SeverityError, i, "an identity policy has no Principal element (it applies to the identity it is attached to), so IAM refuses it; remove Principal")
	}
	l.resources(i, s)
}

// resourcePolicy applies the rules for resource-based policies.
func (l *linter) resourcePolicy(i int, s *Statement) {
	if s.Principal == nil && s.NotPrincipal == nil {
		l.add(CodeMissingPrincipal, SeverityError, i, "a resource-based policy statement needs a Principal naming who the statement applies to; add one, such as {\"AWS\": \"arn:aws:iam::ACCOUNT:root\"}")
	}
	l.resources(i, s)
}

// resources checks that the statement has resources and that they are ARNs.
func (l *linter) resources(i int, s *Statement) {
	if s.Resource == nil && s.NotResource == nil {
		l.add(CodeMissingResource, SeverityError, i, "a %s statement needs a Resource; add the ARNs the actions apply to", l.kind)
	}
	for _, r := range append(append(Strings{}, s.Resource...), s.NotResource...) {
		if r == "*" {
			continue
		}
		a, err := arn.Parse(r)
		if err != nil || a.Service == "" || strings.ContainsAny(a.Service, "*?") {
			l.add(CodeMalformedARN, SeverityError, i, "resource %s is not an ARN; write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE or \"*\"", echo.Quote(r))
		}
	}
}

// actions applies the catalog: unknown actions, "*" on resource-level
// actions, resources of the wrong type and actions that need a condition.
func (l *linter) actions(i int, s *Statement) {
	var starActions []string
	for _, pattern := range append(append(Strings{}, s.Action...), s.NotAction...) {
		if pattern == "*" {
			continue
		}
		prefix, name, _ := strings.Cut(pattern, ":")
		svc, catalogued := LookupService(prefix)
		if !catalogued {
			if !strings.ContainsAny(prefix, "*?") && !managedOnly(prefix+":") {
				l.add(CodeUnknownAction, SeverityWarning, i, "%s names service %s, which the Service Authorization Reference does not list%s; check the prefix", pattern, echo.Quote(prefix), didYouMeanService(prefix))
			}
			continue
		}
		if !strings.ContainsAny(name, "*?") {
			if _, ok := LookupAction(pattern); !ok && !managedOnly(pattern) {
				l.add(CodeUnknownAction, SeverityWarning, i, "%s is not an action the catalog knows for %s%s; check the spelling against the Service Authorization Reference", pattern, svc.Name, didYouMean(svc, name))
			}
		}
		if !slices.Contains(s.Action, pattern) {
			continue
		}
		for _, a := range svc.Actions {
			if globMatch(name, a.Name, true) && a.ResourceLevel() && !slices.Contains(starActions, a.String()) {
				starActions = append(starActions, a.String())
			}
		}
	}
	if s.Effect == EffectAllow && slices.Contains(s.Action, "*") && l.kind != TrustPolicyKind {
		extent := ""
		if slices.Contains(s.Resource, "*") {
			extent = " on every resource, which is administrator access"
		}
		l.add(CodeAllActions, SeveritySecurityWarning, i, "\"Action\": \"*\" grants every action of every AWS service%s; list the actions the integration needs (LeastPrivilege builds them)", extent)
	} else if s.Effect == EffectAllow && slices.Contains(s.Resource, "*") && len(starActions) > 0 && l.kind != TrustPolicyKind {
		l.add(CodeStarResource, SeveritySecurityWarning, i, "\"Resource\": \"*\" grants %s on every resource, though %s resource-level permissions; list the ARNs instead", strings.Join(starActions, ", "), supportWord(len(starActions)))
	}
	if l.kind == TrustPolicyKind || len(s.Resource) == 0 {
		return
	}
	// Exact catalogued actions only: a wildcard action may mean actions the
	// catalog does not hold.
	var known []Action
	allKnown := true
	for _, pattern := range s.Action {
		a, ok := LookupAction(pattern)
		if !ok {
			allKnown = false
			continue
		}
		known = append(known, a)
		fits := false
		for _, r := range s.Resource {
			// A malformed ARN is reported as such, not again as a
			// resource of the wrong type.
			fits = fits || a.AdmitsResource(r) || !wellFormedResource(r)
		}
		if !fits {
			l.add(CodeResourceTypeMismatch, SeverityError, i, "%s acts on %s, and none of this statement's resources is one, so the grant has no effect; %s", a, typeNames(a), resourceFix(a, s.Resource))
		}
		if keys := a.ScopingKeys(); !a.ResourceLevel() && len(keys) > 0 && s.Effect == EffectAllow && slices.Contains(s.Resource, "*") && !mentionsAny(s.Condition, keys) {
			l.add(CodeMissingScopeCondition, SeveritySuggestion, i, "%s has no resource-level permission but can be narrowed with %s; add a condition such as {\"StringEquals\": {%s: \"VALUE\"}}", a, strings.Join(keys, " or "), echo.Quote(keys[0]))
		}
	}
	if !allKnown || len(known) == 0 || s.Action == nil {
		return
	}
	for _, r := range s.Resource {
		used := !wellFormedResource(r)
		for _, a := range known {
			used = used || a.AdmitsResource(r)
		}
		if !used {
			l.add(CodeUnusedResource, SeverityWarning, i, "resource %s is of no type that this statement's actions act on, so it grants nothing; remove it or move it to a statement with the right actions", r)
		}
	}
}

// isAlnum reports whether s holds only ASCII letters and digits, the only
// characters IAM accepts in a Sid.
func isAlnum(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func supportWord(n int) string {
	if n == 1 {
		return "it supports"
	}
	return "they support"
}

// wellFormedResource reports whether Lint reads r as "*" or an ARN.
func wellFormedResource(r string) bool {
	if r == "*" {
		return true
	}
	a, err := arn.Parse(r)
	return err == nil && a.Service != "" && !strings.ContainsAny(a.Service, "*?")
}

func typeNames(a Action) string {
	var names []string
	for _, rt := range a.ResourceTypes() {
		names = append(names, fmt.Sprintf("%s ARNs (%s)", rt.Name, rt.ARN()))
	}
	switch {
	case len(names) == 0:
		return "\"*\" only (it supports no resource-level permission)"
	case !a.ResourceLevel():
		return "\"*\" (it supports no resource-level permission) or, for the one feature that has them, " + strings.Join(names, " or ")
	}
	return strings.Join(names, " or ")
}

// resourceFix suggests a resource that fits the action, derived from one
// the statement has: a bucket's objects (arn:aws:s3:::b/*) for an object
// action given the bucket, the bucket for a bucket action given an object
// ARN, a log group's streams (log-group:g:*) for a stream action.
func resourceFix(a Action, resources Strings) string {
	if !a.ResourceLevel() {
		return "use \"*\" in a statement of its own"
	}
	for _, r := range resources {
		candidates := []string{r + ":*", r + "/*"}
		if parts := strings.SplitN(r, ":", 6); len(parts) == 6 {
			if i := strings.IndexByte(parts[5], '/'); i > 0 {
				candidates = append(candidates, strings.Join(parts[:5], ":")+":"+parts[5][:i])
			}
		}
		for _, c := range candidates {
			if c != r && a.AdmitsResource(c) {
				return fmt.Sprintf("instead of %s use %s", r, c)
			}
		}
	}
	return "add an ARN of the right type"
}

func mentionsAny(c Conditions, keys []string) bool {
	for _, block := range c {
		for k := range block {
			for _, want := range keys {
				if strings.EqualFold(k, want) {
					return true
				}
			}
		}
	}
	return false
}

// didYouMean names a catalogued action whose name differs from name only in
// case or by at most two edits.
func didYouMean(svc Service, name string) string {
	best, bestDist := "", 3
	for _, a := range svc.Actions {
		if d := editDistance(strings.ToLower(a.Name), strings.ToLower(name)); d < bestDist {
			best, bestDist = a.String(), d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// didYouMeanService names a service prefix at most two edits from prefix.
func didYouMeanService(prefix string) string {
	best, bestDist := "", 3
	for p := range catalogIndex() {
		if d := editDistance(p, strings.ToLower(prefix)); d < bestDist || (d == bestDist && p < best) {
			best, bestDist = p, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", echo.Quote(best))
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
