package policy

import (
	"bytes"
	"encoding/json"
	"unicode"
)

// The policy language versions IAM accepts. Version2012 is the current one and
// the only one in which policy variables such as ${aws:username} work; IAM
// treats a document without a Version as Version2008.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect is a statement's Effect element; a plain string value.
type Effect string

// The two effects IAM accepts; the spelling is case-sensitive.
const (
	EffectAllow Effect = "Allow"
	EffectDeny  Effect = "Deny"
)

// Document is an IAM policy document: an identity policy, a trust policy or
// any other resource-based policy. json.Marshal writes the IAM JSON form
// (elements in IAM's documented order, Statement always an array, a
// one-element list as a plain string, condition operators and keys sorted), so
// that the output is stable and Parse(json.Marshal(d)) gives d back.
// json.Unmarshal into a Document runs [Parse], with all its checks.
//
// A Document is a plain value: it is safe for concurrent reads (Evaluate,
// Lint, Marshal) as long as nobody modifies it at the same time.
type Document struct {
	// Version is the policy language version, Version2012 or Version2008, or
	// "" when the element is absent.
	Version string `json:"Version,omitempty"`
	// ID is the optional Id element.
	ID string `json:"Id,omitempty"`
	// Statement holds the statements in document order.
	Statement []Statement `json:"Statement"`
}

// Statement is one element of a document's Statement array. Exactly one of
// Action and NotAction is set; at most one of Resource and NotResource and at
// most one of Principal and NotPrincipal.
//
// Statement is a plain value with the concurrency guarantees of [Document].
type Statement struct {
	// Sid is the optional statement ID.
	Sid string `json:"Sid,omitempty"`
	// Effect is EffectAllow or EffectDeny.
	Effect Effect `json:"Effect"`
	// Principal names who the statement applies to (resource-based and trust
	// policies only).
	Principal *Principal `json:"Principal,omitempty"`
	// NotPrincipal names who the statement does not apply to.
	NotPrincipal *Principal `json:"NotPrincipal,omitempty"`
	// Action lists action patterns such as "s3:GetObject" or "s3:Get*".
	Action Strings `json:"Action,omitempty"`
	// NotAction lists the action patterns the statement does not cover.
	NotAction Strings `json:"NotAction,omitempty"`
	// Resource lists resource ARN patterns, or "*".
	Resource Strings `json:"Resource,omitempty"`
	// NotResource lists the resource ARN patterns the statement does not cover.
	NotResource Strings `json:"NotResource,omitempty"`
	// Condition holds the Condition block; nil when absent.
	Condition Conditions `json:"Condition,omitempty"`
}

// Strings is an element value that IAM accepts either as one string or as an
// array of strings. It marshals as a plain string when it holds exactly one
// element and as an array otherwise. Like any slice it is safe for
// concurrent reads only.
type Strings []string

// MarshalJSON writes a one-element list as a string, as IAM itself does.
func (s Strings) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return json.Marshal(s[0])
	}
	return json.Marshal([]string(s))
}

// Principal is a Principal or NotPrincipal element: either the wildcard "*"
// (Wildcard set, all lists empty) or a map from principal type to values.
//
// Principal is a plain value with the concurrency guarantees of [Document].
type Principal struct {
	// Wildcard is true for the bare "*" form, which admits everyone,
	// including anonymous callers.
	Wildcard bool
	// AWS lists account IDs ("123456789012"), account root ARNs, IAM role,
	// user and assumed-role session ARNs, or "*".
	AWS Strings
	// Service lists service principals such as "lambda.amazonaws.com".
	Service Strings
	// Federated lists identity providers such as "cognito-identity.amazonaws.com".
	Federated Strings
	// CanonicalUser lists Amazon S3 canonical user IDs.
	CanonicalUser Strings
}

// AWSPrincipal returns the principal {"AWS": values}.
func AWSPrincipal(values ...string) *Principal { return &Principal{AWS: values} }

// principalKeys are the principal types in the order they are marshalled.
var principalKeys = []string{"AWS", "Service", "Federated", "CanonicalUser"}

func (p *Principal) list(key string) *Strings {
	switch key {
	case "AWS":
		return &p.AWS
	case "Service":
		return &p.Service
	case "Federated":
		return &p.Federated
	case "CanonicalUser":
		return &p.CanonicalUser
	}
	return nil
}

// MarshalJSON writes "*" for the wildcard and an object with the non-empty
// principal types otherwise.
func (p Principal) MarshalJSON() ([]byte, error) {
	if p.Wildcard {
		return []byte(`"*"`), nil
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	for _, k := range principalKeys {
		v := *p.list(k)
		if len(v) == 0 {
			continue
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		kb, _ := json.Marshal(k)
		vb, err := v.MarshalJSON()
		if err != nil {
			return nil, err
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Conditions is a Condition block: condition operator (such as
// "StringEquals" or "ForAnyValue:StringLikeIfExists") to condition key (such
// as "sts:ExternalId") to values. Boolean and number values are held in their
// JSON text ("true", "10") and marshalled as strings, which IAM accepts
// interchangeably. Like any map it is safe for concurrent reads only.
type Conditions map[string]map[string]Strings

// Clone returns a deep copy of c.
func (c Conditions) Clone() Conditions {
	if c == nil {
		return nil
	}
	out := make(Conditions, len(c))
	for op, keys := range c {
		m := make(map[string]Strings, len(keys))
		for k, v := range keys {
			m[k] = append(Strings(nil), v...)
		}
		out[op] = m
	}
	return out
}

// Clone returns a deep copy of d, which the caller may modify freely; nil
// for a nil d.
func (d *Document) Clone() *Document {
	if d == nil {
		return nil
	}
	out := &Document{Version: d.Version, ID: d.ID, Statement: make([]Statement, len(d.Statement))}
	for i, s := range d.Statement {
		s.Principal, s.NotPrincipal = s.Principal.clone(), s.NotPrincipal.clone()
		s.Action, s.NotAction = cloneStrings(s.Action), cloneStrings(s.NotAction)
		s.Resource, s.NotResource = cloneStrings(s.Resource), cloneStrings(s.NotResource)
		s.Condition = s.Condition.Clone()
		out.Statement[i] = s
	}
	return out
}

func cloneStrings(s Strings) Strings {
	if s == nil {
		return nil
	}
	return append(Strings{}, s...)
}

func (p *Principal) clone() *Principal {
	if p == nil {
		return nil
	}
	return &Principal{Wildcard: p.Wildcard, AWS: cloneStrings(p.AWS), Service: cloneStrings(p.Service), Federated: cloneStrings(p.Federated), CanonicalUser: cloneStrings(p.CanonicalUser)}
}

// UnmarshalJSON parses data with [Parse] into d.
func (d *Document) UnmarshalJSON(data []byte) error {
	p, err := Parse(data)
	if err != nil {
		return err
	}
	*d = *p
	return nil
}

// JSON returns the compact IAM JSON of d, as json.Marshal does.
func (d *Document) JSON() ([]byte, error) {
	return json.Marshal(d)
}

// Indented returns the IAM JSON of d indented with two spaces, the form the
// IAM console shows and customers paste.
func (d *Document) Indented() ([]byte, error) {
	return json.MarshalIndent(d, "", "  ")
}

// String returns the compact IAM JSON of d; documents hold no secrets.
func (d *Document) String() string {
	b, err := json.Marshal(d)
	if err != nil {
		return "policy: " + err.Error()
	}
	return string(b)
}

// Size returns the number of characters IAM counts against its policy size
// quotas: the compact JSON without white space outside strings.
func (d *Document) Size() int {
	b, err := json.Marshal(d)
	if err != nil {
		return 0
	}
	return countNonSpace(b)
}

// countNonSpace counts the runes of JSON text outside white space that is
// not inside a string, the way IAM measures policy size.
func countNonSpace(b []byte) int {
	n := 0
	inString, escaped := false, false
	for _, r := range string(b) {
		switch {
		case inString:
			n++
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				inString = false
			}
		case r == '"':
			inString = true
			n++
		case unicode.IsSpace(r):
		default:
			n++
		}
	}
	return n
}
