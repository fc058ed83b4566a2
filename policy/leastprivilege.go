package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// Requirement is one permission a connector operation needs: an action on a
// resource, optionally under a condition.
//
// Requirement is a plain value; LeastPrivilege does not modify it.
type Requirement struct {
	// Action is the exact action, such as "s3:GetObject"; no wildcards.
	Action string
	// Resource is the resource ARN, which may hold wildcards the caller
	// chose (such as "arn:aws:s3:::reports/*"). Leave it empty for an
	// action without resource-level permissions, such as
	// cloudwatch:PutMetricData, which then gets "*".
	Resource string
	// Condition optionally narrows the grant, such as
	// {"StringEquals": {"cloudwatch:namespace": ["App"]}}.
	Condition Conditions
}

// LeastPrivilege returns the identity policy that grants exactly the
// requirements, in the fewest statements: requirements with the same
// condition are merged into statements whose every Action×Resource pair was
// asked for, so no resource is ever widened. Statements are sorted and their
// Sids derived from their content ("S3Object", "CloudWatchAllResources"),
// so the same requirements in any order give the same document.
//
// It refuses (with ErrInvalidRequirement) wildcard actions, a missing
// resource or "*" for an action that supports resource-level permissions,
// a resource of the wrong type for a catalogued action, a specific resource
// for an action that supports none, and malformed ARNs or conditions; and it
// fails with ErrTooLarge past ManagedPolicyQuota.
func LeastPrivilege(reqs ...Requirement) (*Document, error) {
	if len(reqs) == 0 {
		return nil, fmt.Errorf("%w: no requirements given; a policy needs at least one", ErrInvalidRequirement)
	}
	type group struct {
		cond  Conditions
		pairs map[[2]string]bool // {action, resource}
	}
	groups := map[string]*group{}
	for i, r := range reqs {
		action, resource, err := normalizeRequirement(r)
		if err == nil {
			err = checkConditions(r.Condition)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: requirement %d (%s): %v", ErrInvalidRequirement, i, r.Action, err)
		}
		key := conditionKey(r.Condition)
		g := groups[key]
		if g == nil {
			g = &group{cond: r.Condition.Clone(), pairs: map[[2]string]bool{}}
			groups[key] = g
		}
		g.pairs[[2]string{action, resource}] = true
	}
	var stmts []Statement
	for _, g := range groups {
		stmts = append(stmts, mergePairs(g.pairs, g.cond)...)
	}
	assignSids(stmts)
	d := &Document{Version: Version2012, Statement: stmts}
	if n := d.Size(); n > ManagedPolicyQuota {
		return nil, fmt.Errorf("%w: the policy is %d characters, over IAM's %d-character managed policy quota; split the requirements over several policies", ErrTooLarge, n, ManagedPolicyQuota)
	}
	return d, nil
}

// normalizeRequirement checks one requirement and returns its action in the
// catalog's spelling and its resource.
func normalizeRequirement(r Requirement) (action, resource string, err error) {
	action, resource = r.Action, r.Resource
	if action == "" || strings.ContainsAny(action, "*?") || !validAction(action) {
		return "", "", fmt.Errorf("action %s must name one action exactly, such as \"s3:GetObject\"", echo.Quote(action))
	}
	a, known := LookupAction(action)
	if known {
		action = a.String()
	}
	switch {
	case known && !a.ResourceLevel() && (resource == "" || resource == "*"):
		return action, "*", nil
	case known && !a.ResourceLevel():
		return "", "", fmt.Errorf("%s supports no resource-level permission, so a grant on %s would never match; leave Resource empty and narrow it with a condition%s", action, resource, conditionHint(a))
	case resource == "":
		return "", "", fmt.Errorf("%s needs a Resource%s", action, typeHint(a, known))
	case resource == "*" && known:
		return "", "", fmt.Errorf("%s supports resource-level permissions, so \"*\" would grant it on every resource; name the resource%s", action, typeHint(a, known))
	case resource == "*":
		return action, resource, nil
	}
	if _, err := arn.Parse(resource); err != nil {
		return "", "", fmt.Errorf("resource %s is not an ARN (arn:partition:service:region:account:resource)", echo.Quote(resource))
	}
	if known && !a.AdmitsResource(resource) {
		return "", "", fmt.Errorf("%s is not a resource %s acts on%s", resource, action, typeHint(a, known))
	}
	return action, resource, nil
}

// typeHint names the ARN formats an action expects.
func typeHint(a Action, known bool) string {
	if !known {
		return ""
	}
	var forms []string
	for _, rt := range a.ResourceTypes() {
		forms = append(forms, fmt.Sprintf("%s (%s)", rt.Name, rt.ARN()))
	}
	if len(forms) == 0 {
		return ""
	}
	return ": use an ARN of type " + strings.Join(forms, " or ")
}

func conditionHint(a Action) string {
	if len(a.ConditionKeys) == 0 {
		return ""
	}
	return " such as " + a.ConditionKeys[0]
}

// checkConditions refuses a Condition block Parse would refuse.
func checkConditions(c Conditions) error {
	for name, keys := range c {
		op, ok := parseOperator(name)
		if !ok {
			return fmt.Errorf("unknown condition operator %s", echo.Quote(name))
		}
		if len(keys) == 0 {
			return fmt.Errorf("condition operator %s names no key", name)
		}
		for k, vals := range keys {
			if k == "" || len(vals) == 0 {
				return fmt.Errorf("condition %s needs a key and at least one value", name)
			}
			for _, v := range vals {
				if msg := op.checkValue(v); msg != "" {
					return fmt.Errorf("condition %s %s: %s", name, k, msg)
				}
			}
		}
	}
	return nil
}

// conditionKey is a canonical text of a Condition block: encoding/json sorts
// map keys.
func conditionKey(c Conditions) string {
	if len(c) == 0 {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// mergePairs turns a set of (action, resource) pairs into statements that
// each grant a full Action×Resource product of wanted pairs. Grouping
// resources by their action set and grouping actions by their resource set
// are both exact; the one giving fewer statements wins.
func mergePairs(pairs map[[2]string]bool, cond Conditions) []Statement {
	byResource := map[string][]string{}
	byAction := map[string][]string{}
	for p := range pairs {
		byResource[p[1]] = append(byResource[p[1]], p[0])
		byAction[p[0]] = append(byAction[p[0]], p[1])
	}
	// group keys each value list's signature to the keys that have it.
	group := func(m map[string][]string) map[string][]string {
		out := map[string][]string{}
		for k, vs := range m {
			slices.Sort(vs)
			sig := strings.Join(vs, "\x00")
			out[sig] = append(out[sig], k)
		}
		return out
	}
	byActions, byResources := group(byResource), group(byAction)
	var stmts []Statement
	if len(byActions) <= len(byResources) {
		for sig, resources := range byActions {
			stmts = append(stmts, newStatement(strings.Split(sig, "\x00"), resources, cond))
		}
	} else {
		for sig, actions := range byResources {
			stmts = append(stmts, newStatement(actions, strings.Split(sig, "\x00"), cond))
		}
	}
	return stmts
}

func newStatement(actions, resources []string, cond Conditions) Statement {
	slices.SortFunc(actions, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	slices.Sort(resources)
	return Statement{
		Effect:    EffectAllow,
		Action:    Strings(actions),
		Resource:  Strings(resources),
		Condition: cond.Clone(),
	}
}

// serviceTitles spells service prefixes in Sids.
var serviceTitles = map[string]string{
	"cloudwatch": "CloudWatch", "lambda": "Lambda", "lex": "Lex", "logs": "Logs",
	"s3": "S3", "ses": "SES", "sts": "STS",
}

// sidBase derives a Sid from a statement's services and resource type.
func sidBase(s Statement) string {
	var b strings.Builder
	var seen []string
	for _, a := range s.Action {
		prefix, _, _ := strings.Cut(a, ":")
		prefix = strings.ToLower(prefix)
		if !slices.Contains(seen, prefix) {
			seen = append(seen, prefix)
		}
	}
	slices.Sort(seen)
	for _, p := range seen {
		if t, ok := serviceTitles[p]; ok {
			b.WriteString(t)
		} else {
			b.WriteString(alnumTitle(p))
		}
	}
	b.WriteString(resourceDescriptor(s))
	if s.Condition != nil {
		b.WriteString("WithCondition")
	}
	return b.String()
}

// resourceDescriptor names the statement's resources: AllResources for "*",
// the catalogued type they all share, or Resources.
func resourceDescriptor(s Statement) string {
	if len(s.Resource) == 1 && s.Resource[0] == "*" {
		return "AllResources"
	}
	for _, act := range s.Action {
		a, ok := LookupAction(act)
		if !ok {
			continue
		}
		for _, rt := range a.ResourceTypes() {
			all := true
			for _, r := range s.Resource {
				all = all && rt.Admits(r)
			}
			if all {
				return alnumTitle(rt.Name)
			}
		}
	}
	return "Resources"
}

// alnumTitle turns "bot alias" or "log-group" into "BotAlias", "LogGroup":
// IAM accepts only ASCII letters and digits in a Sid.
func alnumTitle(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if up {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

// assignSids sorts the statements and gives each a unique Sid, numbering
// repeats of a base from 2 in sorted order.
func assignSids(stmts []Statement) {
	bases := make([]string, len(stmts))
	for i := range stmts {
		bases[i] = sidBase(stmts[i])
	}
	idx := make([]int, len(stmts))
	for i := range idx {
		idx[i] = i
	}
	sortKey := func(i int) string {
		return bases[i] + "\x00" + strings.Join(stmts[i].Action, ",") + "\x00" + strings.Join(stmts[i].Resource, ",") + "\x00" + conditionKey(stmts[i].Condition)
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(sortKey(a), sortKey(b)) })
	sorted := make([]Statement, len(stmts))
	count := map[string]int{}
	for n, i := range idx {
		s := stmts[i]
		count[bases[i]]++
		s.Sid = bases[i]
		if c := count[bases[i]]; c > 1 {
			s.Sid += strconv.Itoa(c)
		}
		sorted[n] = s
	}
	copy(stmts, sorted)
}
