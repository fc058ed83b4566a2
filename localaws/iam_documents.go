package localaws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/policy"
)

// IAM's quotas, from "IAM and AWS STS quotas"; sizes are counted in
// characters without white space, as IAM counts them.
const (
	// maxRoleInlinePolicies is the aggregate size of a role's inline policies.
	maxRoleInlinePolicies = 10240
	// maxManagedPerRole is how many managed policies a role may have attached.
	maxManagedPerRole = 10
	// maxTags is how many tags an IAM entity may carry.
	maxTags = 50
)

// iamCode is an error code of IAM's API.
type iamCode string

// The IAM error codes the server answers, with their HTTP statuses below.
const (
	errNoSuchEntity    iamCode = "NoSuchEntity"
	errEntityExists    iamCode = "EntityAlreadyExists"
	errMalformedPolicy iamCode = "MalformedPolicyDocument"
	errLimitExceeded   iamCode = "LimitExceeded"
	errDeleteConflict  iamCode = "DeleteConflict"
	errInvalidInput    iamCode = "InvalidInput"
	errIAMValidation   iamCode = "ValidationError"
)

// iamStatus is the HTTP status IAM answers each code with.
var iamStatus = map[iamCode]int{
	errNoSuchEntity:    http.StatusNotFound,
	errEntityExists:    http.StatusConflict,
	errMalformedPolicy: http.StatusBadRequest,
	errLimitExceeded:   http.StatusConflict,
	errDeleteConflict:  http.StatusConflict,
	errInvalidInput:    http.StatusBadRequest,
	errIAMValidation:   http.StatusBadRequest,
}

// iamError builds one of IAM's errors; Go methods return it as their error,
// the IAM API writes it in awsQuery.
func iamError(code iamCode, format string, args ...any) *apiError {
	return newError(iamStatus[code], string(code), fmt.Sprintf(format, args...))
}

// iamDocument is a policy as IAM keeps it: parsed, for evaluation, and the
// text it was given, which IAM hands back (URL-encoded) as it was sent.
type iamDocument struct {
	doc  *policy.Document
	text string
}

// size is the number of characters IAM counts against its quotas: the
// text without white space outside strings.
func (d iamDocument) size() int {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(d.text)); err != nil {
		return utf8.RuneCountInString(d.text)
	}
	return utf8.RuneCount(b.Bytes())
}

// encoded is the text as IAM's responses carry it: percent-encoded per
// RFC 3986, which the AWS CLI decodes and the SDK leaves to the caller.
func (d iamDocument) encoded() string {
	return strings.ReplaceAll(url.QueryEscape(d.text), "+", "%20")
}

// parseIAMDocument reads a policy with the library's strict grammar, which
// refuses what IAM refuses; the reason becomes MalformedPolicyDocument's
// message.
func parseIAMDocument(text string) (iamDocument, *apiError) {
	if strings.TrimSpace(text) == "" {
		return iamDocument{}, iamError(errMalformedPolicy, "Syntax errors in policy.")
	}
	doc, err := policy.Parse([]byte(text))
	if err != nil {
		return iamDocument{}, iamError(errMalformedPolicy, "%s", strings.TrimPrefix(err.Error(), "policy: "))
	}
	return iamDocument{doc: doc, text: text}, nil
}

// parseIdentityPolicy applies IAM's rules for permission policies: no
// Principal, a Resource in every statement, actions prefixed by a service.
func parseIdentityPolicy(text string) (iamDocument, *apiError) {
	d, err := parseIAMDocument(text)
	if err != nil {
		return d, err
	}
	for _, st := range d.doc.Statement {
		switch {
		case st.Principal != nil || st.NotPrincipal != nil:
			return d, iamError(errMalformedPolicy, "Policy document should not specify a principal.")
		case len(st.Resource) == 0 && len(st.NotResource) == 0:
			return d, iamError(errMalformedPolicy, "Policy statement must contain resources.")
		}
		for _, a := range append(append([]string(nil), st.Action...), st.NotAction...) {
			if a != "*" && !strings.Contains(a, ":") {
				return d, iamError(errMalformedPolicy, "Actions/Conditions must be prefixed by a vendor, e.g., iam, sdb, ec2, etc.")
			}
		}
	}
	return d, nil
}

// parseTrustPolicy applies IAM's rules for a role trust policy: a
// Principal in every statement and no Resource, STS actions only, AWS
// principals that exist, and the ACLSizePerRole quota. The server's lock
// must be held (principals are looked up).
func (s *Server) parseTrustPolicy(text string) (iamDocument, *apiError) {
	d, err := parseIAMDocument(text)
	if err != nil {
		return d, err
	}
	for _, st := range d.doc.Statement {
		switch {
		case len(st.Resource) > 0 || len(st.NotResource) > 0:
			return d, iamError(errMalformedPolicy, "Has prohibited field Resource")
		case st.Principal == nil && st.NotPrincipal == nil:
			return d, iamError(errMalformedPolicy, "Missing required field Principal")
		}
		for _, a := range append(append([]string(nil), st.Action...), st.NotAction...) {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "sts:") {
				return d, iamError(errMalformedPolicy, "AssumeRole policy may only specify STS AssumeRole actions.")
			}
		}
		for _, p := range []*policy.Principal{st.Principal, st.NotPrincipal} {
			if p == nil {
				continue
			}
			for _, v := range p.AWS {
				if !s.validPrincipal(v) {
					return d, iamError(errMalformedPolicy, "Invalid principal in policy: \"AWS\":\"%s\"", v)
				}
			}
		}
	}
	if n := d.size(); n > policy.TrustPolicyQuota {
		return d, iamError(errLimitExceeded, "Cannot exceed quota for ACLSizePerRole: %d", policy.TrustPolicyQuota)
	}
	return d, nil
}

// validPrincipal reports whether IAM would accept an AWS principal: "*",
// an account ID, or the ARN of an account root, user, role or role
// session; a user or role of an account this server holds must exist, as
// IAM checks when the policy is saved. The server's lock must be held.
func (s *Server) validPrincipal(v string) bool {
	if v == "*" || iamarn.IsAccountID(v) {
		return true
	}
	a, err := arn.Parse(v)
	if err != nil || !iamarn.IsAccountID(a.AccountID) {
		return false
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	switch {
	case a.Service == "iam" && a.Resource == "root":
		return true
	case a.Service == "iam" && (kind == "user" || kind == "role") && rest != "":
		acct := s.accounts[a.AccountID]
		if acct == nil || a.Partition != "aws" {
			return true // another AWS: not ours to check
		}
		name := rest[strings.LastIndexByte(rest, '/')+1:]
		if kind == "user" {
			_, ok := acct.users[name]
			return ok
		}
		r := acct.roleNamed(name)
		return r != nil && acct.roleARN(r) == v
	case a.Service == "sts" && kind == "assumed-role" && strings.Count(rest, "/") == 1:
		return true
	}
	return false
}

// iamNamePattern is IAM's alphabet for user, role and policy names.
var iamNamePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)

// iamPathPattern is IAM's rule for paths: "/" or "/a/b/".
var iamPathPattern = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)

// iamName checks a name in IAM's words: roles and users have up to 64
// characters, policies up to 128.
func iamName(field, name string) *apiError {
	limit := 64
	if field == "policyName" {
		limit = 128
	}
	switch {
	case name == "":
		return iamError(errIAMValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	case len(name) > limit:
		return iamError(errIAMValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", name, field, limit)
	case !iamNamePattern.MatchString(name):
		return iamError(errIAMValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", name, field)
	}
	return nil
}

// iamPath checks an IAM path.
func iamPath(path string) *apiError {
	if len(path) > 512 || !iamPathPattern.MatchString(path) {
		return iamError(errIAMValidation, "1 validation error detected: Value '%s' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F) (a path starts and ends with /)", path)
	}
	return nil
}

// maxDescriptionLen is IAM's limit on a role's or a managed policy's
// description, in characters.
const maxDescriptionLen = 1000

// iamDescription applies IAM's rule for Description (CreateRole,
// CreatePolicy): at most 1,000 characters of tab, line feed, carriage
// return, printable ASCII and U+00A1 to U+00FF.
func iamDescription(d string) *apiError {
	if n := utf8.RuneCountInString(d); n > maxDescriptionLen {
		return iamError(errIAMValidation, "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to %d (it is %d characters)", maxDescriptionLen, n)
	}
	for i, r := range []rune(d) {
		if !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa1 && r <= 0xff)) {
			return iamError(errIAMValidation, "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]* (character %d is %q)", i+1, r)
		}
	}
	return nil
}

// checkTags applies IAM's tag rules.
func checkTags(tags []iamTag) *apiError {
	if len(tags) > maxTags {
		return iamError(errLimitExceeded, "The number of tags has reached the maximum limit.")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.key == "" || utf8.RuneCountInString(t.key) > 128:
			return iamError(errIAMValidation, "1 validation error detected: Value '%s' at 'tags.key' failed to satisfy constraint: Member must have length between 1 and 128", t.key)
		case utf8.RuneCountInString(t.value) > 256:
			return iamError(errIAMValidation, "1 validation error detected: Value '%s' at 'tags.value' failed to satisfy constraint: Member must have length less than or equal to 256", t.value)
		case strings.HasPrefix(strings.ToLower(t.key), "aws:"):
			return iamError(errInvalidInput, "User is not authorized to perform: tag keys beginning with aws: are reserved for AWS use")
		case seen[strings.ToLower(t.key)]:
			return iamError(errInvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[strings.ToLower(t.key)] = true
	}
	return nil
}

// mergeTags sets tags on top of old: a key already there (compared without
// case, as IAM does) takes the new value.
func mergeTags(old, tags []iamTag) []iamTag {
	out := append([]iamTag(nil), old...)
	for _, t := range tags {
		i := -1
		for j, o := range out {
			if strings.EqualFold(o.key, t.key) {
				i = j
			}
		}
		if i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// sortedKeys returns m's keys in order, so that maps are applied the same
// way every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
