package policy

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/iamarn"
)

// Kind says what a linted document is for, since the rules differ: a trust
// policy needs a Principal and an external ID, an identity policy must not
// have a Principal. It is a plain value.
type Kind int

const (
	// IdentityPolicyKind is a permissions policy attached to a role, user or
	// group (or passed as a session policy).
	IdentityPolicyKind Kind = iota
	// TrustPolicyKind is a role trust policy.
	TrustPolicyKind
	// ResourcePolicyKind is a resource-based policy other than a trust
	// policy, such as an S3 bucket policy or a Lambda function policy: it
	// names a Principal and a Resource. Its size quota is the service's, so
	// Lint does not check it.
	ResourcePolicyKind
)

// String returns "identity policy", "trust policy" or "resource policy".
func (k Kind) String() string {
	switch k {
	case TrustPolicyKind:
		return "trust policy"
	case ResourcePolicyKind:
		return "resource policy"
	}
	return "identity policy"
}

// Severity ranks a finding, with IAM Access Analyzer's four levels. It is a
// plain value; lower is more severe.
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
	CodeInvalidExternalID      = "INVALID_EXTERNAL_ID"
	CodeAllowNotAction         = "ALLOW_WITH_NOT_ACTION"
	CodeAllowNotResource       = "ALLOW_WITH_NOT_RESOURCE"
	CodeAllowNotPrincipal      = "ALLOW_WITH_NOT_PRINCIPAL"
	CodeStarResource           = "STAR_RESOURCE_FOR_RESOURCE_LEVEL_ACTION"
	CodeAllActions             = "ALL_ACTIONS"
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
	Code string `json:"code"`
	// Severity ranks the finding.
	Severity Severity `json:"severity"`
	// Statement is the 0-based index of the statement, or -1 for the
	// document as a whole.
	Statement int `json:"statement"`
	// Message says what is wrong and how to fix it.
	Message string `json:"message"`
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
	if n := d.Size(); n > quota && l.kind != ResourcePolicyKind {
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
		// IAM's rule; services check the Sids of their own resource
		// policies (Lambda allows hyphens, S3 spaces).
		if !isAlnum(s.Sid) && l.kind != ResourcePolicyKind {
			l.add(CodeInvalidSid, SeverityError, i, "Sid %q holds characters IAM refuses; use only ASCII letters and digits, such as %s", s.Sid, echo.Quote(alnumTitle(s.Sid)))
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
	switch l.kind {
	case TrustPolicyKind:
		l.trust(i, s)
	case ResourcePolicyKind:
		l.resourcePolicy(i, s)
	default:
		l.identity(i, s)
	}
	l.actions(i, s)
}

func (l *linter) conditions(i int, s *Statement) {
	for _, name := range sortedKeys(s.Condition) {
		if _, ok := parseOperator(name); !ok {
			l.add(CodeInvalidCondition, SeverityError, i, "condition operator %s does not exist, so IAM refuses the policy; see \"IAM JSON policy elements: Condition operators\" for the names", echo.Quote(name))
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
			if v == "*" || iamarn.IsAccountID(v) {
				continue
			}
			a, err := arn.Parse(v)
			switch {
			case err != nil || a.Service == "" || a.Resource == "":
				l.add(CodeMalformedARN, SeverityError, i, "principal %s is neither an account ID nor an IAM ARN; write \"123456789012\" or \"arn:aws:iam::123456789012:role/NAME\"", echo.Quote(v))
			case !iamarn.ValidPartition(a.Partition):
				l.add(CodeMalformedARN, SeverityError, i, "principal %s is in partition %s, which does not exist; write aws, aws-cn, aws-us-gov or another aws-* partition", echo.Quote(v), echo.Quote(a.Partition))
			case l.kind == TrustPolicyKind && !iamarn.IsAccountID(a.AccountID) && !strings.ContainsAny(a.AccountID, "*?"):
				// Wildcard accounts are reported as wildcard principals;
				// resource policies have principals such as CloudFront's
				// arn:aws:iam::cloudfront:user/... whose account is a name.
				l.add(CodeMalformedARN, SeverityError, i, "principal %s names account %s; an account ID is 12 digits", echo.Quote(v), echo.Quote(a.AccountID))
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
	l.add(CodeWildcardPrincipal, sev, i, "Principal %s admits every AWS account; name the account, such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}", echo.Quote(v))
}
