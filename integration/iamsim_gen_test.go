//go:build integration

package integration

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// The differential test's generator: random identity policies and requests
// over every condition operator family, their Not/IgnoreCase/IfExists forms
// and set prefixes, wildcards in actions, resources and values, policy
// variables (with and without defaults, resolved and not) and multi-valued
// keys (absent, empty, several values). Values come from small pools, so that
// conditions match as often as they fail.

// diffCase is one generated case, as the node driver reads it.
type diffCase struct {
	Policy   map[string]any `json:"policy"`
	Action   string         `json:"action"`
	Resource string         `json:"resource"`
	Context  map[string]any `json:"context"`
}

// keyKind is a context key's type in the Service Authorization Reference.
type keyKind int

const (
	kString keyKind = iota
	kStrings
	kARN
	kBool
	kNumber
	kDate
	kIP
)

type ctxKey struct {
	name string
	kind keyKind
}

// Global condition keys only: iam-simulate checks that a key is valid for
// the action, and the global ones are valid for all.
var diffKeys = []ctxKey{
	{"aws:username", kString},
	{"aws:PrincipalTag/team", kString},
	{"aws:PrincipalTag/env", kString},
	{"aws:SourceAccount", kString},
	{"aws:TagKeys", kStrings},
	{"aws:CalledVia", kStrings},
	{"aws:PrincipalArn", kARN},
	{"aws:SourceArn", kARN},
	{"aws:SecureTransport", kBool},
	{"aws:MultiFactorAuthPresent", kBool},
	{"aws:MultiFactorAuthAge", kNumber},
	{"aws:CurrentTime", kDate},
	{"aws:SourceIp", kIP},
}

var (
	stringPool   = []string{"red", "blue", "Red", "alice", "bob", "111122223333", "prod", "dev"}
	likePool     = []string{"r*", "*e*", "b?b", "*", "al*ce", "RED", "pro?"}
	tagPool      = []string{"env", "team", "cost", "Env", ""}
	tagLikePool  = []string{"e*", "t?am", "*", "c*t"}
	arnPool      = []string{"arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/ops", "arn:aws:s3:::b1", "arn:aws:lambda:us-east-1:111122223333:function:f"}
	arnLikePool  = []string{"arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:role/app", "arn:aws:s3:::*", "arn:aws:*:*:111122223333:*", "arn:aws:iam::111122223333:role/${aws:username}"}
	numberPool   = []string{"0", "300", "3600", "86400"}
	datePool     = []string{"2026-01-01T00:00:00Z", "2026-06-15T12:00:00Z", "2027-01-01T00:00:00Z"}
	ipPool       = []string{"203.0.113.7", "198.51.100.20", "10.0.0.1"}
	cidrPool     = []string{"203.0.113.0/24", "198.51.100.0/28", "10.0.0.0/8", "203.0.113.7"}
	variablePool = []string{"${aws:username}", "${aws:PrincipalTag/team}", "${aws:username, 'bob'}", "${aws:PrincipalTag/env}"}
)

var stringOps = []string{"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"}
var arnOps = []string{"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}
var numberOps = []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}
var dateOps = []string{"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"}

// requests an action can be made on, with a resource of the right type.
var diffRequests = []struct{ action, resource string }{
	{"s3:GetObject", "arn:aws:s3:::b1/home/bob/a.txt"},
	{"s3:GetObject", "arn:aws:s3:::b2/red/x"},
	{"s3:PutObject", "arn:aws:s3:::b1/home/alice/b.txt"},
	{"s3:DeleteObject", "arn:aws:s3:::b2/blue/y"},
	{"s3:ListBucket", "arn:aws:s3:::b1"},
	{"s3:GetBucketTagging", "arn:aws:s3:::b2"},
}

var actionPatterns = []string{"s3:GetObject", "s3:Get*", "s3:*Object", "s3:*", "*", "s3:?etObject", "s3:ListBucket", "s3:PutObject", "S3:getobject", "s3:Delete*"}

var resourcePatterns = []string{
	"*", "arn:aws:s3:::b1/*", "arn:aws:s3:::b?/*", "arn:aws:s3:::b1", "arn:aws:s3:::*",
	"arn:aws:s3:::b1/home/${aws:username}/*", "arn:aws:s3:::b2/${aws:PrincipalTag/team}/*",
	"arn:aws:s3:::b2/${aws:PrincipalTag/team, 'blue'}/*", "arn:aws:s3:::${aws:PrincipalTag/env}", "arn:aws:s3:::b*",
	// Short ARNs, which IAM pads with "*" parts: "arn:aws:*:b1" has region
	// b1 and names no bucket, though as one glob it would match arn:aws:s3:::b1.
	"arn:aws:s3:*", "arn:aws:*:b1", "arn:aws:s3:::b1/home/*:*",
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// oneOrMany returns one value as a string or several as an array.
func oneOrMany(r *rand.Rand, pool []string) any {
	if r.IntN(3) > 0 {
		return pick(r, pool)
	}
	n := 1 + r.IntN(3)
	out := make([]string, 0, n)
	for range n {
		out = append(out, pick(r, pool))
	}
	return out
}

// genCondition returns one operator and its key block.
func genCondition(r *rand.Rand) (string, map[string]any) {
	k := pick(r, diffKeys)
	ifExists := func(op string) string {
		if r.IntN(5) == 0 {
			return op + "IfExists"
		}
		return op
	}
	if r.IntN(8) == 0 {
		return "Null", map[string]any{k.name: pick(r, []string{"true", "false"})}
	}
	withVar := func(pool []string) []string {
		if r.IntN(3) == 0 {
			return append(slices.Clone(pool), variablePool...)
		}
		return pool
	}
	switch k.kind {
	case kString:
		op := pick(r, stringOps)
		pool := stringPool
		if op == "StringLike" || op == "StringNotLike" {
			pool = likePool
		}
		return ifExists(op), map[string]any{k.name: oneOrMany(r, withVar(pool))}
	case kStrings:
		op := pick(r, stringOps)
		pool := tagPool
		if op == "StringLike" || op == "StringNotLike" {
			pool = tagLikePool
		}
		prefix := pick(r, []string{"ForAnyValue:", "ForAllValues:"})
		return prefix + op, map[string]any{k.name: oneOrMany(r, withVar(pool))}
	case kARN:
		op := pick(r, arnOps)
		pool := arnPool
		if op == "ArnLike" || op == "ArnNotLike" {
			pool = arnLikePool
		}
		return ifExists(op), map[string]any{k.name: oneOrMany(r, pool)}
	case kBool:
		v := pick(r, []string{"true", "false", "${aws:SecureTransport}", "${aws:MultiFactorAuthPresent}"})
		return ifExists("Bool"), map[string]any{k.name: v}
	case kNumber:
		return ifExists(pick(r, numberOps)), map[string]any{k.name: oneOrMany(r, numberPool)}
	case kDate:
		return ifExists(pick(r, dateOps)), map[string]any{k.name: oneOrMany(r, datePool)}
	default:
		return ifExists(pick(r, []string{"IpAddress", "NotIpAddress"})), map[string]any{k.name: oneOrMany(r, cidrPool)}
	}
}

func genStatement(r *rand.Rand) map[string]any {
	s := map[string]any{"Effect": "Allow"}
	if r.IntN(4) == 0 {
		s["Effect"] = "Deny"
	}
	if r.IntN(8) == 0 {
		s["NotAction"] = oneOrMany(r, actionPatterns)
	} else {
		s["Action"] = oneOrMany(r, actionPatterns)
	}
	if r.IntN(8) == 0 {
		s["NotResource"] = oneOrMany(r, resourcePatterns)
	} else {
		s["Resource"] = oneOrMany(r, resourcePatterns)
	}
	if n := r.IntN(3); n > 0 {
		cond := map[string]any{}
		for range n {
			op, block := genCondition(r)
			if prev, ok := cond[op].(map[string]any); ok {
				for k, v := range block {
					prev[k] = v
				}
				continue
			}
			cond[op] = block
		}
		s["Condition"] = cond
	}
	return s
}

func genContextValue(r *rand.Rand, k ctxKey) any {
	switch k.kind {
	case kString:
		return pick(r, stringPool)
	case kStrings:
		n := r.IntN(4) // 0: present but empty
		out := make([]string, 0, n)
		for range n {
			out = append(out, pick(r, tagPool))
		}
		return out
	case kARN:
		return pick(r, arnPool)
	case kBool:
		return pick(r, []string{"true", "false"})
	case kNumber:
		return pick(r, []string{"0", "120", "3600", "100000"})
	case kDate:
		return pick(r, datePool)
	default:
		return pick(r, ipPool)
	}
}

func genCase(r *rand.Rand) diffCase {
	n := 1 + r.IntN(3)
	stmts := make([]any, 0, n)
	for range n {
		stmts = append(stmts, genStatement(r))
	}
	req := pick(r, diffRequests)
	ctx := map[string]any{}
	for _, k := range diffKeys {
		if r.IntN(2) == 0 {
			ctx[k.name] = genContextValue(r, k)
		}
	}
	return diffCase{
		Policy:   map[string]any{"Version": "2012-10-17", "Statement": stmts},
		Action:   req.action,
		Resource: req.resource,
		Context:  ctx,
	}
}

// requestContext converts the driver's context to policy.Request's.
func requestContext(c map[string]any) map[string][]string {
	out := make(map[string][]string, len(c))
	for k, v := range c {
		switch v := v.(type) {
		case string:
			out[k] = []string{v}
		case []string:
			out[k] = v
		default:
			panic(fmt.Sprintf("context %s: %T", k, v))
		}
	}
	return out
}
