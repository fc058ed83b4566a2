package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// Parse reads an IAM policy document strictly. It accepts every form IAM
// accepts — Statement as an object or an array; Action, NotAction, Resource,
// NotResource and principal values as a string or an array; Principal "*" or
// a map of AWS, Service, Federated and CanonicalUser; condition values as
// strings, booleans or numbers — and rejects malformed JSON, unknown elements,
// duplicate keys, wrong types, unknown condition operators, and statements
// without Effect or Action/NotAction. A leading UTF-8 byte-order mark is
// ignored. Errors are *[ParseError] values naming
// the statement and element at fault.
//
// Input longer than [MaxParseSize] is refused with [ErrInputTooLarge]
// before anything is decoded, so a hostile paste cannot make Parse allocate
// a hundred times its size.
func Parse(data []byte) (*Document, error) {
	if len(data) > MaxParseSize {
		return nil, docErr("", ErrInputTooLarge, fmt.Sprintf("the input is %d bytes, over Parse's limit of %d bytes (%d KiB); IAM's own limits are far smaller (%d characters for a customer managed policy, %d for a role's inline policies, %d or %d for a trust policy), so this is not a policy IAM would accept; paste the policy alone", len(data), MaxParseSize, MaxParseSize>>10, ManagedPolicyQuota, inlineRolePolicyQuota, TrustPolicyQuota, 4096))
	}
	// Editors on Windows save a byte-order mark that JSON does not allow;
	// what a customer pastes from such a file is still the policy they mean.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := readNode(dec, 0)
	if err != nil {
		return nil, docErr("", ErrSyntax, "malformed JSON: "+err.Error()+"; check the JSON with a validator")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, docErr("", ErrSyntax, "unexpected data after the policy document; remove it")
	}
	return parseDocument(root)
}

// MaxParseSize is the longest input Parse reads: 512 KiB. IAM counts policy
// size in characters without white space and caps a customer managed policy
// at 6,144, a role's inline policies at 10,240 together and a trust policy at
// 2,048 (4,096 with a raised quota); an S3 bucket policy may have 20 KB. Only
// AWS's own managed policies are larger: the largest,
// AWSSupportServiceRolePolicy, is 152 KB compact and 231 KB indented. 512
// KiB takes any of them pretty-printed, and bounds what Parse allocates
// (about twenty times the input) at about 10 MiB.
const MaxParseSize = 512 << 10

// inlineRolePolicyQuota is IAM's limit on the inline policies of one role,
// quoted in the size error.
const inlineRolePolicyQuota = 10240

// statementParser carries the position used in error messages.
type statementParser struct {
	index int
	sid   string
}

func docErr(elem string, sentinel error, detail string) *ParseError {
	return &ParseError{Statement: -1, Element: elem, Err: sentinel, Detail: detail}
}

func (p statementParser) err(elem string, sentinel error, format string, args ...any) *ParseError {
	return &ParseError{Statement: p.index, Sid: p.sid, Element: elem, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

func parseDocument(root *node) (*Document, error) {
	if root.kind != kindObject {
		return nil, docErr("", ErrWrongType, fmt.Sprintf("the policy must be a JSON object, got %s", root.kind))
	}
	if root.dup != "" {
		return nil, docErr(root.dup, ErrDuplicateKey, dupDetail(root.dup))
	}
	d := &Document{}
	var stmts *node
	for i, k := range root.keys {
		v := root.vals[i]
		switch k {
		case "Version":
			if v.kind != kindString {
				return nil, docErr("Version", ErrWrongType, fmt.Sprintf("must be a string, got %s; use %q", v.kind, Version2012))
			}
			if v.text != Version2012 && v.text != Version2008 {
				return nil, docErr("Version", ErrInvalidValue, fmt.Sprintf("%s is not a policy language version; use %q", echo.Quote(v.text), Version2012))
			}
			d.Version = v.text
		case "Id":
			if v.kind != kindString {
				return nil, docErr("Id", ErrWrongType, fmt.Sprintf("must be a string, got %s", v.kind))
			}
			d.ID = v.text
		case "Statement":
			stmts = v
		default:
			return nil, docErr(k, ErrUnknownElement, fmt.Sprintf("a policy has only Version, Id and Statement; %s", suggest(k, []string{"Version", "Id", "Statement"})))
		}
	}
	if stmts == nil {
		return nil, docErr("Statement", ErrMissingElement, "a policy needs a Statement element; add \"Statement\": [...]")
	}
	var list []*node
	switch stmts.kind {
	case kindObject:
		list = []*node{stmts}
	case kindArray:
		list = stmts.vals
	default:
		return nil, docErr("Statement", ErrWrongType, fmt.Sprintf("must be an object or an array of objects, got %s", stmts.kind))
	}
	if len(list) == 0 {
		return nil, docErr("Statement", ErrMissingElement, "the Statement array is empty; add at least one statement")
	}
	d.Statement = make([]Statement, 0, len(list))
	for i, n := range list {
		s, err := parseStatement(i, n)
		if err != nil {
			return nil, err
		}
		d.Statement = append(d.Statement, s)
	}
	return d, nil
}

var statementKeys = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func parseStatement(i int, n *node) (Statement, error) {
	p := statementParser{index: i}
	var s Statement
	if n.kind != kindObject {
		return s, p.err("", ErrWrongType, "a statement must be an object, got %s", n.kind)
	}
	// Read the Sid first so every later error can name it.
	for j, k := range n.keys {
		if k == "Sid" {
			if n.vals[j].kind != kindString {
				return s, p.err("Sid", ErrWrongType, "must be a string, got %s", n.vals[j].kind)
			}
			s.Sid = n.vals[j].text
			p.sid = s.Sid
		}
	}
	if n.dup != "" {
		return s, p.err(n.dup, ErrDuplicateKey, "%s", dupDetail(n.dup))
	}
	for j, k := range n.keys {
		v := n.vals[j]
		var err error
		switch k {
		case "Sid":
		case "Effect":
			if v.kind != kindString {
				return s, p.err(k, ErrWrongType, "must be the string \"Allow\" or \"Deny\", got %s", v.kind)
			}
			if e := Effect(v.text); e != EffectAllow && e != EffectDeny {
				return s, p.err(k, ErrInvalidValue, "must be \"Allow\" or \"Deny\" (case-sensitive), got %s", echo.Quote(v.text))
			}
			s.Effect = Effect(v.text)
		case "Action", "NotAction":
			var list Strings
			if list, err = p.strings(k, v); err != nil {
				return s, err
			}
			for _, a := range list {
				if !validAction(a) {
					return s, p.err(k, ErrInvalidValue, "%s is not an action; write service:Action, such as \"s3:GetObject\", or \"*\"", echo.Quote(a))
				}
			}
			if k == "Action" {
				s.Action = list
			} else {
				s.NotAction = list
			}
		case "Resource":
			s.Resource, err = p.strings(k, v)
		case "NotResource":
			s.NotResource, err = p.strings(k, v)
		case "Principal":
			s.Principal, err = p.principal(k, v)
		case "NotPrincipal":
			s.NotPrincipal, err = p.principal(k, v)
		case "Condition":
			s.Condition, err = p.condition(v)
		default:
			return s, p.err(k, ErrUnknownElement, "a statement has no such element; %s", suggest(k, statementKeys))
		}
		if err != nil {
			return s, err
		}
	}
	switch {
	case s.Effect == "":
		return s, p.err("Effect", ErrMissingElement, "every statement needs \"Effect\": \"Allow\" or \"Deny\"")
	case s.Action == nil && s.NotAction == nil:
		return s, p.err("Action", ErrMissingElement, "every statement needs Action or NotAction; add \"Action\": \"service:Action\"")
	case s.Action != nil && s.NotAction != nil:
		return s, p.err("NotAction", ErrConflictingElements, "a statement has Action or NotAction, not both; remove one")
	case s.Resource != nil && s.NotResource != nil:
		return s, p.err("NotResource", ErrConflictingElements, "a statement has Resource or NotResource, not both; remove one")
	case s.Principal != nil && s.NotPrincipal != nil:
		return s, p.err("NotPrincipal", ErrConflictingElements, "a statement has Principal or NotPrincipal, not both; remove one")
	}
	return s, nil
}

// validActionRE is IAM's shape for an action: a service prefix, a colon and
// an action name that may hold the wildcards * and ?.
var validActionRE = regexp.MustCompile(`^[A-Za-z0-9-]+:[A-Za-z0-9*?_-]+$`)

func validAction(a string) bool { return a == "*" || validActionRE.MatchString(a) }

// strings reads a string-or-array-of-strings element, which must not be empty.
func (p statementParser) strings(elem string, v *node) (Strings, error) {
	switch v.kind {
	case kindString:
		if v.text == "" {
			return nil, p.err(elem, ErrInvalidValue, "must not be an empty string")
		}
		return Strings{v.text}, nil
	case kindArray:
		if len(v.vals) == 0 {
			return nil, p.err(elem, ErrInvalidValue, "must not be an empty array; list at least one value")
		}
		out := make(Strings, 0, len(v.vals))
		for i, e := range v.vals {
			if e.kind != kindString {
				return nil, p.err(fmt.Sprintf("%s[%d]", elem, i), ErrWrongType, "must be a string, got %s", e.kind)
			}
			if e.text == "" {
				return nil, p.err(fmt.Sprintf("%s[%d]", elem, i), ErrInvalidValue, "must not be an empty string")
			}
			out = append(out, e.text)
		}
		return out, nil
	}
	return nil, p.err(elem, ErrWrongType, "must be a string or an array of strings, got %s", v.kind)
}

func (p statementParser) principal(elem string, v *node) (*Principal, error) {
	switch v.kind {
	case kindString:
		if v.text != "*" {
			return nil, p.err(elem, ErrInvalidValue, "the only string form is \"*\"; write {\"AWS\": %s} for an account or ARN", echo.Quote(v.text))
		}
		return &Principal{Wildcard: true}, nil
	case kindObject:
		if len(v.keys) == 0 {
			return nil, p.err(elem, ErrInvalidValue, "must not be empty; add {\"AWS\": \"arn:aws:iam::ACCOUNT:root\"} or another principal")
		}
		if v.dup != "" {
			return nil, p.err(elem+"."+v.dup, ErrDuplicateKey, "%s", dupDetail(v.dup))
		}
		pr := &Principal{}
		for i, k := range v.keys {
			dst := pr.list(k)
			if dst == nil {
				return nil, p.err(elem+"."+k, ErrUnknownElement, "principal types are AWS, Service, Federated and CanonicalUser; %s", suggest(k, principalKeys))
			}
			list, err := p.strings(elem+"."+k, v.vals[i])
			if err != nil {
				return nil, err
			}
			*dst = list
		}
		return pr, nil
	}
	return nil, p.err(elem, ErrWrongType, "must be \"*\" or an object such as {\"AWS\": \"123456789012\"}, got %s", v.kind)
}

func (p statementParser) condition(v *node) (Conditions, error) {
	if v.kind != kindObject {
		return nil, p.err("Condition", ErrWrongType, "must be an object of condition operators, got %s", v.kind)
	}
	if v.dup != "" {
		return nil, p.err("Condition."+v.dup, ErrDuplicateKey, "%s", dupDetail(v.dup))
	}
	if len(v.keys) == 0 {
		return nil, nil // an empty block constrains nothing; drop it so marshalling round-trips
	}
	c := make(Conditions, len(v.keys))
	for i, opName := range v.keys {
		elem := "Condition." + opName
		op, ok := parseOperator(opName)
		if !ok {
			return nil, p.err(elem, ErrInvalidValue, "unknown condition operator; %s", suggest(opName, operatorNames()))
		}
		block := v.vals[i]
		if block.kind != kindObject {
			return nil, p.err(elem, ErrWrongType, "must be an object of condition keys, got %s", block.kind)
		}
		if block.dup != "" {
			return nil, p.err(elem+"."+block.dup, ErrDuplicateKey, "%s", dupDetail(block.dup))
		}
		if len(block.keys) == 0 {
			return nil, p.err(elem, ErrInvalidValue, "names no condition key; add one or remove the operator")
		}
		keys := make(map[string]Strings, len(block.keys))
		for j, key := range block.keys {
			kelem := elem + "." + key
			if key == "" {
				return nil, p.err(elem, ErrInvalidValue, "a condition key must not be empty")
			}
			vals, err := p.conditionValues(kelem, block.vals[j])
			if err != nil {
				return nil, err
			}
			for _, val := range vals {
				if msg := op.checkValue(val); msg != "" {
					return nil, p.err(kelem, ErrInvalidValue, "%s", msg)
				}
			}
			keys[key] = vals
		}
		c[opName] = keys
	}
	return c, nil
}

func (p statementParser) conditionValues(elem string, v *node) (Strings, error) {
	scalar := func(e *node, at string) (string, error) {
		switch e.kind {
		case kindString, kindNumber, kindBool:
			return e.text, nil
		}
		return "", p.err(at, ErrWrongType, "a condition value must be a string, number or boolean, got %s", e.kind)
	}
	if v.kind != kindArray {
		s, err := scalar(v, elem)
		if err != nil {
			return nil, err
		}
		return Strings{s}, nil
	}
	if len(v.vals) == 0 {
		return nil, p.err(elem, ErrInvalidValue, "must not be an empty array; list at least one value")
	}
	out := make(Strings, 0, len(v.vals))
	for i, e := range v.vals {
		s, err := scalar(e, fmt.Sprintf("%s[%d]", elem, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// suggest names the closest valid spelling of got, or lists the valid ones.
func suggest(got string, valid []string) string {
	for _, v := range valid {
		if strings.EqualFold(v, got) {
			return fmt.Sprintf("did you mean %s? element names are case-sensitive", echo.Quote(v))
		}
	}
	return fmt.Sprintf("use one of %s", strings.Join(valid, ", "))
}
