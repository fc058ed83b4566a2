package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Kind says what a linted document is for, since the rules differ: a trust
// policy needs a Principal and an external ID, an identity policy must not
// have a Principal.
type Kind int

const (
	// IdentityPolicyKind is a permissions policy attached to a role, user or
	// group (or passed as a session policy).
	IdentityPolicyKind Kind = iota
	// TrustPolicyKind is a role trust policy.
	TrustPolicyKind
)

// String returns "identity policy" or "trust policy".
func (k Kind) String() string {
	if k == TrustPolicyKind {
		return "trust policy"
	}
	return "identity policy"
}

// Severity ranks a finding, with IAM Access Analyzer's four levels.
type Severity int

const (
	// SeverityError: IAM refuses the policy, or part of it can never work.
	SeverityError Severity = iota
	// SeveritySecurityWarning: the policy grants more than it should.
	SeveritySecurityWarning
	// SeverityWarning: the policy works but does not do what it seems to.
	SeverityWarning
	// SeveritySuggestion: the policy could be tighter or clearer.
	SeveritySuggestion
)

// String returns "ERROR", "SECURITY_WARNING", "WARNING" or "SUGGESTION".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "ERROR"
	case SeveritySecurityWarning:
		return "SECURITY_WARNING"
	case SeverityWarning:
		return "WARNING"
	}
	return "SUGGESTION"
}

// Finding codes, stable for programs to match on.
const (
	CodeMissingVersion         = "MISSING_VERSION"
	CodeOldVersion             = "OLD_VERSION"
	CodePolicyTooLarge         = "POLICY_TOO_LARGE"
	CodeDuplicateSid           = "DUPLICATE_SID"
	CodeInvalidSid             = "INVALID_SID"
	CodePrincipalInIdentity    = "PRINCIPAL_IN_IDENTITY_POLICY"
	CodeMissingPrincipal       = "MISSING_PRINCIPAL"
	CodeWildcardPrincipal      = "WILDCARD_PRINCIPAL"
	CodeMissingExternalID      = "MISSING_EXTERNAL_ID"
	CodeOptionalExternalID     = "OPTIONAL_EXTERNAL_ID"
	CodeWildcardExternalID     = "WILDCARD_EXTERNAL_ID"
	CodeAllowNotAction         = "ALLOW_WITH_NOT_ACTION"
	CodeAllowNotResource       = "ALLOW_WITH_NOT_RESOURCE"
	CodeAllowNotPrincipal      = "ALLOW_WITH_NOT_PRINCIPAL"
	CodeStarResource           = "STAR_RESOURCE_FOR_RESOURCE_LEVEL_ACTION"
	CodeResourceTypeMismatch   = "RESOURCE_TYPE_MISMATCH"
	CodeUnusedResource         = "RESOURCE_MATCHES_NO_ACTION"
	CodeUnknownAction          = "UNKNOWN_ACTION"
	CodeMalformedARN           = "MALFORMED_ARN"
	CodeInvalidCondition       = "INVALID_CONDITION"
	CodeMissingScopeCondition  = "MISSING_SCOPING_CONDITION"
	CodeMissingResource        = "MISSING_RESOURCE"
	CodeResourceInTrustPolicy  = "RESOURCE_IN_TRUST_POLICY"
	CodeMissingEffectOrActions = "MISSING_EFFECT_OR_ACTION"
)

// Finding is one problem Lint found.
//
// Finding is a plain value, safe to share.
type Finding struct {
	// Code identifies the rule, one of the Code constants.
	Code string
	// Severity ranks the finding.
	Severity Severity
	// Statement is the 0-based index of the statement, or -1 for the
	// document as a whole.
	Statement int
	// Message says what is wrong and how to fix it.
	Message string
}

// String returns "SEVERITY CODE Statement[i]: message".
func (f Finding) String() string {
	where := "document"
	if f.Statement >= 0 {
		where = fmt.Sprintf("Statement[%d]", f.Statement)
	}
	return fmt.Sprintf("%s %s %s: %s", f.Severity, f.Code, where, f.Message)
}

// Lint checks d as a policy of the given kind and returns its findings:
// document-level findings first, then each statement's in order. A nil
// slice means nothing was found. The checks follow IAM's grammar and
// quotas, "Security best practices in IAM", the confused-deputy guidance for
// trust policies ("How to use an external ID ..."), and the catalog.
func Lint(d *Document, kind Kind) []Finding {
	l := &linter{kind: kind}
	if d == nil {
		l.add(CodeMissingEffectOrActions, SeverityError, -1, "no policy document; generate one with TrustPolicy or LeastPrivilege")
		return l.out
	}
	l.document(d)
	sids := map[string]int{}
	for i := range d.Statement {
		l.statement(i, &d.Statement[i], sids)
	}
	return l.out
}

type linter struct {
	kind Kind
	out  []Finding
}

func (l *linter) add(code string, sev Severity, i int, format string, args ...any) {
	l.out = append(l.out, Finding{Code: code, Severity: sev, Statement: i, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) document(d *Document) {
	switch d.Version {
	case "":
		l.add(CodeMissingVersion, SeverityWarning, -1, "no Version element, so IAM reads the policy as %s and policy variables such as ${aws:username} stay literal text; add \"Version\": %q", Version2008, Version2012)
	case Version2008:
		l.add(CodeOldVersion, SeverityWarning, -1, "Version %s does not support policy variables; change it to %q", Version2008, Version2012)
	}
	quota, what := ManagedPolicyQuota, "managed policy"
	if l.kind == TrustPolicyKind {
		quota, what = TrustPolicyQuota, "trust policy"
	}
	if n := d.Size(); n > quota {
		l.add(CodePolicyTooLarge, SeverityError, -1, "the policy is %d characters without white space, over IAM's %d-character %s quota; remove statements or merge them", n, quota, what)
	}
	if len(d.Statement) == 0 {
		l.add(CodeMissingEffectOrActions, SeverityError, -1, "the policy has no statement; add one")
	}
}

func (l *linter) statement(i int, s *Statement, sids map[string]int) {
	if s.Sid != "" {
		if j, dup := sids[s.Sid]; dup {
			l.add(CodeDuplicateSid, SeverityError, i, "Sid %q is already used by Statement[%d]; give each statement its own Sid", s.Sid, j)
		} else {
			sids[s.Sid] = i
		}
		if !isAlnum(s.Sid) {
			l.add(CodeInvalidSid, SeverityError, i, "Sid %q holds characters IAM refuses; use only ASCII letters and digits, such as %q", s.Sid, alnumTitle(s.Sid))
		}
	}
	if (s.Effect != EffectAllow && s.Effect != EffectDeny) || (len(s.Action) == 0 && len(s.NotAction) == 0) {
		l.add(CodeMissingEffectOrActions, SeverityError, i, "a statement needs Effect \"Allow\" or \"Deny\" and an Action; add the missing element")
	}
	allow := s.Effect == EffectAllow
	if allow && len(s.NotAction) > 0 {
		l.add(CodeAllowNotAction, SeveritySecurityWarning, i, "Allow with NotAction grants every action except %s, including actions AWS adds later; list the actions to allow in Action instead", strings.Join(s.NotAction, ", "))
	}
	if allow && len(s.NotResource) > 0 {
		l.add(CodeAllowNotResource, SeveritySecurityWarning, i, "Allow with NotResource grants on every resource except %s, including resources created later; list the resources in Resource instead", strings.Join(s.NotResource, ", "))
	}
	if allow && s.NotPrincipal != nil {
		l.add(CodeAllowNotPrincipal, SeveritySecurityWarning, i, "Allow with NotPrincipal admits every principal except the ones listed, including anonymous callers; name the principals to admit in Principal instead")
	}
	l.conditions(i, s)
	l.principals(i, s)
	if l.kind == TrustPolicyKind {
		l.trust(i, s)
	} else {
		l.identity(i, s)
	}
	l.actions(i, s)
}

func (l *linter) conditions(i int, s *Statement) {
	for _, name := range sortedKeys(s.Condition) {
		if _, ok := parseOperator(name); !ok {
			l.add(CodeInvalidCondition, SeverityError, i, "condition operator %q does not exist, so IAM refuses the policy; see \"IAM JSON policy elements: Condition operators\" for the names", name)
			continue
		}
		for _, key := range sortedKeys(s.Condition[name]) {
			if len(s.Condition[name][key]) == 0 {
				l.add(CodeInvalidCondition, SeverityError, i, "condition %s %s has no value; add one", name, key)
			}
		}
	}
}

func (l *linter) principals(i int, s *Statement) {
	for _, p := range []*Principal{s.Principal, s.NotPrincipal} {
		if p == nil {
			continue
		}
		for _, v := range p.AWS {
			if v == "*" || isAccountID(v) {
				continue
			}
			a, err := arn.Parse(v)
			if err != nil || a.Service == "" || a.Resource == "" {
				l.add(CodeMalformedARN, SeverityError, i, "principal %q is neither an account ID nor an IAM ARN; write \"123456789012\" or \"arn:aws:iam::123456789012:role/NAME\"", v)
			}
		}
	}
	if s.Effect != EffectAllow || s.Principal == nil {
		return
	}
	for _, v := range s.Principal.AWS {
		if parts := strings.SplitN(v, ":", 6); v == "*" || (len(parts) == 6 && strings.ContainsAny(parts[4], "*?")) {
			l.wildcardPrincipal(i, s, v)
			return
		}
	}
	if s.Principal.Wildcard {
		l.wildcardPrincipal(i, s, "*")
	}
}

func (l *linter) wildcardPrincipal(i int, s *Statement, v string) {
	sev := SeveritySecurityWarning
	if l.kind == TrustPolicyKind && s.Condition == nil {
		sev = SeverityError
	}
	l.add(CodeWildcardPrincipal, sev, i, "Principal %q admits every AWS account; name the account, such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}", v)
}

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
				if op.base == opStringLike {
					for _, v := range s.Condition[name][key] {
						wildcard = wildcard || strings.ContainsAny(v, "*?")
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
	if s.Resource == nil && s.NotResource == nil {
		l.add(CodeMissingResource, SeverityError, i, "an identity policy statement needs a Resource; add the ARNs the actions apply to")
	}
	for _, r := range append(append(Strings{}, s.Resource...), s.NotResource...) {
		if r == "*" {
			continue
		}
		a, err := arn.Parse(r)
		if err != nil || a.Service == "" || strings.ContainsAny(a.Service, "*?") {
			l.add(CodeMalformedARN, SeverityError, i, "resource %q is not an ARN; write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE or \"*\"", r)
		}
	}
}

// actions applies the catalog: unknown actions, "*" on resource-level
// actions, resources of the wrong type and actions that need a condition.
func (l *linter) actions(i int, s *Statement) {
	var starActions []string
	for _, pattern := range s.Action {
		prefix, name, _ := strings.Cut(pattern, ":")
		svc, catalogued := LookupService(prefix)
		if !catalogued {
			continue
		}
		if !strings.ContainsAny(name, "*?") {
			if _, ok := LookupAction(pattern); !ok {
				l.add(CodeUnknownAction, SeverityWarning, i, "%s is not an action the catalog knows for %s%s; check the spelling against the Service Authorization Reference", pattern, svc.Name, didYouMean(svc, name))
			}
		}
		for _, a := range svc.Actions {
			if actionMatch(pattern, a.String()) && a.ResourceLevel() && !slices.Contains(starActions, a.String()) {
				starActions = append(starActions, a.String())
			}
		}
	}
	if s.Effect == EffectAllow && slices.Contains(s.Resource, "*") && len(starActions) > 0 && l.kind == IdentityPolicyKind {
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
			fits = fits || a.AdmitsResource(r)
		}
		if !fits {
			l.add(CodeResourceTypeMismatch, SeverityError, i, "%s acts on %s, and none of this statement's resources is one, so the grant has no effect; %s", a, typeNames(a), resourceFix(a, s.Resource))
		}
		if !a.ResourceLevel() && len(a.ConditionKeys) > 0 && s.Effect == EffectAllow && slices.Contains(s.Resource, "*") && !mentionsAny(s.Condition, a.ConditionKeys) {
			l.add(CodeMissingScopeCondition, SeveritySuggestion, i, "%s has no resource-level permission but can be narrowed with %s; add a condition such as {\"StringEquals\": {%q: \"VALUE\"}}", a, strings.Join(a.ConditionKeys, " or "), a.ConditionKeys[0])
		}
	}
	if !allKnown || len(known) == 0 || s.Action == nil {
		return
	}
	for _, r := range s.Resource {
		used := false
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

func typeNames(a Action) string {
	var names []string
	for _, rt := range a.ResourceTypes() {
		names = append(names, fmt.Sprintf("%s ARNs (%s)", rt.Name, rt.ARN()))
	}
	if len(names) == 0 {
		return "\"*\" only (it supports no resource-level permission)"
	}
	return strings.Join(names, " or ")
}

// resourceFix suggests the resource that fits: for an S3 object action
// given a bucket ARN, the bucket's objects.
func resourceFix(a Action, resources Strings) string {
	if !a.ResourceLevel() {
		return "use \"*\" in a statement of its own"
	}
	if obj, ok := LookupResourceType("s3", "object"); ok && a.Service == "s3" {
		for _, r := range resources {
			if cand := r + "/*"; obj.Admits(cand) && slices.ContainsFunc(a.ResourceTypes(), func(rt ResourceType) bool { return rt.Name == "object" }) {
				return fmt.Sprintf("for the objects in %s use %s", r, cand)
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
