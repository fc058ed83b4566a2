//go:build integration

package integration

import "strings"

// divergence is one documented way in which policy.Evaluate and
// @cloud-copilot/iam-simulate answer a case differently on purpose.
type divergence struct {
	// ID names the divergence in the test's summary.
	ID string
	// What says what each side does.
	What string
	// Supported says which side AWS's documentation supports, and where.
	Supported string
	// Matches reports whether a disagreeing case is this divergence: the
	// case must hold the construct the divergence is about.
	Matches func(c diffCase) bool
}

// divergences is every documented disagreement; the closing note of issue
// 18 quotes it. A disagreement that matches none fails the test.
var divergences = []divergence{
	{
		ID: "null-on-empty-multivalued-key",
		What: "A multi-valued key present with no values or only empty strings (aws:TagKeys = [] or [\"\"]): " +
			"policy.Evaluate treats it as null, so Null false does not hold and Null true does; iam-simulate treats any present key as not null.",
		Supported: "policy.Evaluate. \"Multivalued context key examples\" (IAM User Guide): ForAllValues \"returns true if there are no context keys " +
			"in the request, or if the context key value resolves to a null dataset, such as an empty string. To prevent missing context keys or " +
			"context keys with empty values from evaluating to true, include the Null condition operator in your policy with a value of false\".",
		Matches: func(c diffCase) bool {
			return anyCondition(c, func(op, key string, _ any) bool {
				return op == "Null" && emptyValues(c.Context[key])
			})
		},
	},
	{
		ID: "negated-arn-operator-with-unresolved-variable",
		What: "ArnNotLike/ArnNotEquals (and IfExists) with the key present and a value whose policy variable has no value: " +
			"policy.Evaluate holds the condition false (the statement does not apply); iam-simulate holds it true, so an Allow grants.",
		Supported: "policy.Evaluate. \"IAM policy elements: Variables and tags\": \"If AWS cannot resolve a variable this might cause the entire " +
			"statement to be invalid\"; iam-simulate itself answers so for StringNotEquals and StringNotLike.",
		Matches: func(c diffCase) bool {
			return anyCondition(c, func(op, key string, values any) bool {
				base := strings.TrimSuffix(op, "IfExists")
				if base != "ArnNotLike" && base != "ArnNotEquals" {
					return false
				}
				if _, present := c.Context[key]; !present {
					return false
				}
				for _, v := range asStrings(values) {
					if unresolved(v, c.Context) {
						return true
					}
				}
				return false
			})
		},
	},
}

// classify returns the divergence a disagreement is, or nil.
func classify(c diffCase, _, _ string) *divergence {
	for i := range divergences {
		if divergences[i].Matches(c) {
			return &divergences[i]
		}
	}
	return nil
}

// anyCondition reports whether some statement has a condition for which f
// holds.
func anyCondition(c diffCase, f func(op, key string, values any) bool) bool {
	stmts, _ := c.Policy["Statement"].([]any)
	for _, s := range stmts {
		cond, _ := s.(map[string]any)["Condition"].(map[string]any)
		for op, block := range cond {
			for key, values := range block.(map[string]any) {
				if f(op, key, values) {
					return true
				}
			}
		}
	}
	return false
}

func asStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
	}
	return nil
}

// emptyValues reports whether a context value is present and holds no
// value but empty strings.
func emptyValues(v any) bool {
	vs, ok := v.([]string)
	if !ok {
		return false
	}
	for _, s := range vs {
		if s != "" {
			return false
		}
	}
	return true
}

// unresolved reports whether a policy value holds a variable without a
// default whose key the context lacks.
func unresolved(v string, ctx map[string]any) bool {
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			return false
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			return false
		}
		body := v[i+2 : i+j]
		if !strings.Contains(body, ",") {
			if _, ok := ctx[strings.TrimSpace(body)]; !ok {
				return true
			}
		}
		v = v[i+j+1:]
	}
}
