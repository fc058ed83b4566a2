package policy

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// baseOp is a condition operator without its set prefix and IfExists suffix.
type baseOp int

const (
	opStringEquals baseOp = iota
	opStringNotEquals
	opStringEqualsIgnoreCase
	opStringNotEqualsIgnoreCase
	opStringLike
	opStringNotLike
	opNumericEquals
	opNumericNotEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateNotEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opNotIPAddress
	opArnEquals
	opArnLike
	opArnNotEquals
	opArnNotLike
	opNull
)

// baseOps maps each operator name of "IAM JSON policy elements: Condition
// operators" to its meaning.
var baseOps = map[string]baseOp{
	"StringEquals": opStringEquals, "StringNotEquals": opStringNotEquals,
	"StringEqualsIgnoreCase": opStringEqualsIgnoreCase, "StringNotEqualsIgnoreCase": opStringNotEqualsIgnoreCase,
	"StringLike": opStringLike, "StringNotLike": opStringNotLike,
	"NumericEquals": opNumericEquals, "NumericNotEquals": opNumericNotEquals,
	"NumericLessThan": opNumericLessThan, "NumericLessThanEquals": opNumericLessThanEquals,
	"NumericGreaterThan": opNumericGreaterThan, "NumericGreaterThanEquals": opNumericGreaterThanEquals,
	"DateEquals": opDateEquals, "DateNotEquals": opDateNotEquals,
	"DateLessThan": opDateLessThan, "DateLessThanEquals": opDateLessThanEquals,
	"DateGreaterThan": opDateGreaterThan, "DateGreaterThanEquals": opDateGreaterThanEquals,
	"Bool": opBool, "BinaryEquals": opBinaryEquals,
	"IpAddress": opIPAddress, "NotIpAddress": opNotIPAddress,
	"ArnEquals": opArnEquals, "ArnLike": opArnLike, "ArnNotEquals": opArnNotEquals, "ArnNotLike": opArnNotLike,
	"Null": opNull,
}

func operatorNames() []string {
	return []string{"StringEquals", "StringLike", "ArnLike", "Bool", "NumericLessThan", "DateGreaterThan", "IpAddress", "Null",
		"their Not/IgnoreCase/IfExists variants and the ForAnyValue:/ForAllValues: prefixes"}
}

// setQualifier is the ForAnyValue:/ForAllValues: prefix of an operator.
type setQualifier int

const (
	setNone setQualifier = iota
	setAnyValue
	setAllValues
)

// operator is a parsed condition operator name.
type operator struct {
	base     baseOp
	set      setQualifier
	ifExists bool
}

// parseOperator splits "ForAllValues:StringLikeIfExists" into its parts.
// Operator names are case-sensitive in IAM; Null takes no IfExists.
func parseOperator(name string) (operator, bool) {
	var op operator
	if rest, ok := strings.CutPrefix(name, "ForAnyValue:"); ok {
		op.set, name = setAnyValue, rest
	} else if rest, ok := strings.CutPrefix(name, "ForAllValues:"); ok {
		op.set, name = setAllValues, rest
	}
	if rest, ok := strings.CutSuffix(name, "IfExists"); ok {
		op.ifExists, name = true, rest
	}
	b, ok := baseOps[name]
	if !ok || (b == opNull && (op.ifExists || op.set != setNone)) {
		return operator{}, false
	}
	op.base = b
	return op, true
}

// negated reports whether the operator is a "not" form, which is true when
// no value matches.
func (b baseOp) negated() bool {
	switch b {
	case opStringNotEquals, opStringNotEqualsIgnoreCase, opStringNotLike, opNumericNotEquals,
		opDateNotEquals, opNotIPAddress, opArnNotEquals, opArnNotLike:
		return true
	}
	return false
}

// positive returns the operator whose negation b is.
func (b baseOp) positive() baseOp {
	switch b {
	case opStringNotEquals:
		return opStringEquals
	case opStringNotEqualsIgnoreCase:
		return opStringEqualsIgnoreCase
	case opStringNotLike:
		return opStringLike
	case opNumericNotEquals:
		return opNumericEquals
	case opDateNotEquals:
		return opDateEquals
	case opNotIPAddress:
		return opIPAddress
	case opArnNotEquals:
		return opArnEquals
	case opArnNotLike:
		return opArnLike
	}
	return b
}

// checkValue returns a message when a policy value cannot be compared with
// this operator, so Parse refuses what IAM refuses.
func (op operator) checkValue(v string) string {
	switch op.base {
	case opNumericEquals, opNumericNotEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		if _, ok := parseNumber(v); !ok {
			return fmt.Sprintf("%s is not a number", echo.Quote(v))
		}
	case opDateEquals, opDateNotEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		if _, ok := parseDate(v); !ok {
			return fmt.Sprintf("%s is not a date; write ISO 8601 such as \"2026-01-02T15:04:05Z\" or epoch seconds", echo.Quote(v))
		}
	case opBool:
		// A policy variable is resolved when the policy is evaluated
		// ("Condition operators": Bool supports policy variables).
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") && !hasVariable(v) {
			return fmt.Sprintf("%s is not a boolean; write true, false or a policy variable such as \"${aws:SecureTransport}\"", echo.Quote(v))
		}
	case opNull:
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
			return fmt.Sprintf("%s is not a boolean; write true or false (Null takes no policy variable)", echo.Quote(v))
		}
	case opIPAddress, opNotIPAddress:
		if _, ok := parseIPRange(v); !ok {
			return fmt.Sprintf("%s is not an IP address or CIDR range such as \"203.0.113.0/24\"", echo.Quote(v))
		}
	case opBinaryEquals:
		if _, err := base64.StdEncoding.DecodeString(v); err != nil {
			return fmt.Sprintf("%s is not base64", echo.Quote(v))
		}
	}
	return ""
}

// evalCondition evaluates one operator/key pair against the request context,
// following "IAM JSON policy elements: Condition operators" (its "Important"
// note on absent keys), "Multivalued context keys" and "IAM policy elements:
// Variables and tags":
//   - several policy values of one key are ORed;
//   - a key absent from the request makes a positive operator false and a
//     negated one ("StringNotEquals") true, because no value matches; the
//     IfExists forms are true for an absent key;
//   - ForAnyValue: is true when at least one request value matches (false
//     for an absent key); ForAllValues: when every request value matches
//     (true for an absent or empty key);
//   - Null is true when the key's presence is the opposite of the value,
//     and a key whose values are all empty (aws:TagKeys = [] or "") counts
//     as null: "Multivalued context key examples" documents Null false as
//     the guard that stops ForAllValues from holding for a key that "resolves
//     to a null dataset, such as an empty string";
//   - a policy value whose variable cannot be resolved matches no request
//     value, and it also stops a negated operator from holding for a request
//     value that is present: the variables page warns that such a variable
//     "might cause the entire statement to be invalid", and answering "not
//     equal to a value nobody knows" with true would grant access in exactly
//     that case. An absent key keeps the rule above: there is nothing to
//     compare, whatever the variable's value.
func evalCondition(op operator, values []policyValue, ctx []string, present bool) bool {
	if op.base == opNull {
		want := strings.EqualFold(values[0].raw, "true") // "true" means "key must be absent"
		for _, v := range values[1:] {
			if strings.EqualFold(v.raw, "true") != want {
				return true // both true and false listed: ORed, always satisfied
			}
		}
		return want != (present && !allEmpty(ctx))
	}
	if !present {
		switch {
		case op.ifExists:
			return true
		case op.set == setAllValues:
			return true
		case op.set == setAnyValue:
			return false
		}
		return op.base.negated()
	}
	pos, neg := op.base.positive(), op.base.negated()
	unresolved := false
	for i := range values {
		unresolved = unresolved || values[i].unresolved
	}
	matchOne := func(c string) bool {
		for i := range values {
			if compare(pos, c, &values[i]) {
				return true
			}
		}
		return false
	}
	// holds applies the operator itself to one request value: a negated
	// operator holds when no policy value matches and every policy value
	// could be compared.
	holds := func(c string) bool {
		if neg {
			return !unresolved && !matchOne(c)
		}
		return matchOne(c)
	}
	switch op.set {
	case setAnyValue:
		for _, c := range ctx {
			if holds(c) {
				return true
			}
		}
		return false
	case setAllValues:
		for _, c := range ctx {
			if !holds(c) {
				return false
			}
		}
		return true
	}
	// A single-valued key: any request value matching any policy value.
	any := false
	for _, c := range ctx {
		if matchOne(c) {
			any = true
			break
		}
	}
	if neg {
		return !any && !unresolved
	}
	return any
}

// allEmpty reports whether a key's request values are a null data set: none,
// or only empty strings.
func allEmpty(values []string) bool {
	for _, v := range values {
		if v != "" {
			return false
		}
	}
	return true
}

// policyValue is one value of a condition key, with its policy variables
// expanded when the policy language version has them.
type policyValue struct {
	raw        string
	toks       []globTok // set when raw held variables that were expanded
	unresolved bool      // a variable had no value: the value matches nothing
}

// policyValues prepares the values of one key for comparison. Variables are
// expanded only for the string and ARN operators ("IAM policy elements:
// Variables and tags") and only in Version 2012-10-17 documents.
// It appends to out, so that one scratch slice serves a whole evaluation.
func policyValues(out []policyValue, op operator, values Strings, ctx foldedContext, vars bool) []policyValue {
	expand := vars && op.base.takesVariables()
	for _, v := range values {
		pv := policyValue{raw: v}
		if expand && strings.Contains(v, "${") {
			toks, ok := expandVariables(v, ctx)
			pv.toks, pv.unresolved = toks, !ok
		}
		out = append(out, pv)
	}
	return out
}

// takesVariables reports whether the operator's values may hold policy
// variables; "IAM JSON policy elements: Condition operators" lists them as
// supported for the string, Bool and ARN operators only.
func (b baseOp) takesVariables() bool {
	switch b.positive() {
	case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opArnEquals, opArnLike, opBool:
		return true
	}
	return false
}

// text returns the value as a string to compare whole.
func (v policyValue) text() string {
	if v.toks != nil {
		return tokensText(v.toks)
	}
	return v.raw
}

// compare applies a positive operator to one request value and one policy value.
func compare(b baseOp, ctx string, pv *policyValue) bool {
	if pv.unresolved {
		return false
	}
	pol := pv.raw
	switch b {
	case opStringEquals:
		return ctx == pv.text()
	case opStringEqualsIgnoreCase:
		return strings.EqualFold(ctx, pv.text())
	case opStringLike:
		if pv.toks != nil {
			return matchTokens(pv.toks, []rune(ctx))
		}
		return globMatch(pol, ctx, false)
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		c, ok1 := parseNumber(ctx)
		p, ok2 := parseNumber(pol)
		if !ok1 || !ok2 {
			return false
		}
		return ordered(b-opNumericEquals, cmpFloat(c, p))
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		c, ok1 := parseDate(ctx)
		p, ok2 := parseDate(pol)
		if !ok1 || !ok2 {
			return false
		}
		return ordered(b-opDateEquals, c.Compare(p))
	case opBool:
		// Both sides must be booleans: a variable that resolves to
		// anything else matches nothing.
		want := pv.text()
		return isBool(want) && isBool(ctx) && strings.EqualFold(ctx, want)
	case opBinaryEquals:
		c, err1 := base64.StdEncoding.DecodeString(ctx)
		p, err2 := base64.StdEncoding.DecodeString(pol)
		return err1 == nil && err2 == nil && bytes.Equal(c, p)
	case opIPAddress:
		addr, err := netip.ParseAddr(ctx)
		r, ok := parseIPRange(pol)
		return err == nil && ok && r.Contains(addr.Unmap())
	case opArnEquals, opArnLike:
		// AWS documents ArnEquals and ArnLike alike: each of the six
		// colon-separated parts is matched on its own, wildcards allowed.
		if pv.toks != nil {
			return arnMatchTokens(pv.toks, ctx)
		}
		return arnMatch(pol, ctx)
	}
	return false
}

func isBool(s string) bool { return strings.EqualFold(s, "true") || strings.EqualFold(s, "false") }

// hasVariable reports whether a value holds a policy variable "${...}".
func hasVariable(v string) bool {
	i := strings.Index(v, "${")
	return i >= 0 && strings.IndexByte(v[i:], '}') > 0
}

// ordered maps a comparison result to an ordering operator, whose offset
// from the family's Equals is 0 Equals, 1 NotEquals (unused here: negation
// is handled by the caller), 2 LessThan, 3 LessThanEquals, 4 GreaterThan,
// 5 GreaterThanEquals.
func ordered(offset baseOp, c int) bool {
	switch offset {
	case 0:
		return c == 0
	case 2:
		return c < 0
	case 3:
		return c <= 0
	case 4:
		return c > 0
	case 5:
		return c >= 0
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// dateLayouts are the ISO 8601 forms IAM accepts, most specific first.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"}

// parseDate reads an ISO 8601 date or epoch seconds (aws:EpochTime).
func parseDate(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > -1e11 && n < 1e11 {
		return time.Unix(n, 0).UTC(), true
	}
	return time.Time{}, false
}

// parseIPRange reads a CIDR range or a single address.
func parseIPRange(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}
