package policy

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// AccessLevel is the access level the Service Authorization Reference gives
// an action; a plain string value.
type AccessLevel string

// The access levels of the Service Authorization Reference.
const (
	AccessList                  AccessLevel = "List"
	AccessRead                  AccessLevel = "Read"
	AccessWrite                 AccessLevel = "Write"
	AccessPermissionsManagement AccessLevel = "Permissions management"
	AccessTagging               AccessLevel = "Tagging"
)

// ResourceType is a resource type of the Service Authorization Reference,
// such as S3's "object", with the ARN formats IAM matches for it. Formats
// use the reference's ${Variable} placeholders.
//
// ResourceType values are immutable; they are safe for concurrent use.
type ResourceType struct {
	// Service is the service prefix, such as "s3".
	Service string
	// Name is the resource type's name in the reference, such as "object".
	Name string
	// ARNFormats lists the ARN formats, the reference's first; later ones are
	// other forms IAM matches for this type (a log group with a trailing
	// ":*", a Lambda function with a version or alias qualifier).
	ARNFormats []string
}

// ARN returns the resource type's primary ARN format, such as
// "arn:${Partition}:s3:::${BucketName}/${ObjectName}", or "" for a zero
// ResourceType.
func (rt ResourceType) ARN() string {
	if len(rt.ARNFormats) == 0 {
		return ""
	}
	return rt.ARNFormats[0]
}

// Format fills the primary ARN format with vars (keys without ${}). A missing
// Partition defaults to "aws"; any other missing variable is an error.
func (rt ResourceType) Format(vars map[string]string) (string, error) {
	var b strings.Builder
	rest := rt.ARN()
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		j := strings.IndexByte(rest[i:], '}')
		name := rest[i+2 : i+j]
		v, ok := vars[name]
		if !ok && name == "Partition" {
			v, ok = "aws", true
		}
		if !ok || v == "" {
			return "", fmt.Errorf("%w: the %s %s ARN %s needs a value for %s", ErrInvalidRequirement, rt.Service, rt.Name, rt.ARN(), name)
		}
		b.WriteString(rest[:i])
		b.WriteString(v)
		rest = rest[i+j+1:]
	}
}

// Admits reports whether the Resource pattern (an ARN that may hold * and ?)
// can name a resource of this type, that is whether some ARN of one of the
// type's formats matches it. "*" admits every type. This is how Lint finds
// s3:GetObject granted on a bucket ARN.
func (rt ResourceType) Admits(pattern string) bool {
	if pattern == "*" {
		return true
	}
	for _, f := range rt.ARNFormats {
		if globsIntersect(templateTokens(f), []rune(pattern)) {
			return true
		}
	}
	return false
}

// ActionResource is one resource type an action accepts; Required marks the
// reference's asterisk. It is an immutable value.
type ActionResource struct {
	// Type is the resource type's name within the action's service.
	Type string
	// Required is true when the reference marks the type with an asterisk.
	Required bool
}

// Action is one action of the catalog.
//
// Action values are immutable; they are safe for concurrent use.
type Action struct {
	// Service is the service prefix, such as "s3".
	Service string
	// Name is the action name, such as "GetObject".
	Name string
	// Access is the reference's access level.
	Access AccessLevel
	// Resources lists the resource types the action accepts; empty when the
	// action supports no resource-level permission and needs "Resource": "*".
	Resources []ActionResource
	// ConditionKeys lists the service-specific condition keys that scope
	// the action, such as "cloudwatch:namespace" for PutMetricData.
	ConditionKeys []string
}

// String returns "service:Name".
func (a Action) String() string { return a.Service + ":" + a.Name }

// ResourceLevel reports whether the action supports resource-level
// permissions, that is whether it has a required resource type, so that
// "Resource": "*" grants more than needed.
func (a Action) ResourceLevel() bool {
	for _, r := range a.Resources {
		if r.Required {
			return true
		}
	}
	return false
}

// ResourceTypes returns the resource types the action accepts, required
// ones first.
func (a Action) ResourceTypes() []ResourceType {
	svc := catalogIndex[a.Service]
	var out []ResourceType
	for _, req := range []bool{true, false} {
		for _, r := range a.Resources {
			if rt, ok := svc.resourceTypes[r.Type]; ok && r.Required == req {
				out = append(out, rt)
			}
		}
	}
	return out
}

// AdmitsResource reports whether the Resource pattern fits one of the
// action's resource types; an action without resource types admits only
// "*".
func (a Action) AdmitsResource(pattern string) bool {
	if pattern == "*" {
		return true
	}
	for _, rt := range a.ResourceTypes() {
		if rt.Admits(pattern) {
			return true
		}
	}
	return false
}

// Service is one service of the catalog.
//
// Service values are immutable; they are safe for concurrent use.
type Service struct {
	// Prefix is the service prefix used in actions, such as "logs".
	Prefix string
	// Name is the service's name in the reference.
	Name string
	// Actions lists the catalogued actions, sorted by name.
	Actions []Action
	// ResourceTypes lists the service's catalogued resource types.
	ResourceTypes []ResourceType
}

// Services returns the catalogued services sorted by prefix. The catalog
// holds the actions the connectors use, taken from the Service Authorization
// Reference: it is a subset of each service, so an action missing from it
// is not necessarily unknown to AWS (see Lint's UNKNOWN_ACTION).
func Services() []Service {
	out := make([]Service, 0, len(catalog))
	for _, s := range catalog {
		out = append(out, s.Service)
	}
	slices.SortFunc(out, func(a, b Service) int { return strings.Compare(a.Prefix, b.Prefix) })
	return out
}

// LookupService returns the catalogued service with the prefix, matched
// case-insensitively.
func LookupService(prefix string) (Service, bool) {
	s, ok := catalogIndex[strings.ToLower(prefix)]
	if !ok {
		return Service{}, false
	}
	return s.Service, true
}

// LookupAction returns the catalogued action named "service:Name", matched
// case-insensitively as IAM matches actions.
func LookupAction(action string) (Action, bool) {
	prefix, name, ok := strings.Cut(action, ":")
	if !ok {
		return Action{}, false
	}
	s, ok := catalogIndex[strings.ToLower(prefix)]
	if !ok {
		return Action{}, false
	}
	a, ok := s.actions[strings.ToLower(name)]
	return a, ok
}

// LookupResourceType returns a catalogued resource type by service prefix and
// name, such as ("s3", "object").
func LookupResourceType(service, name string) (ResourceType, bool) {
	s, ok := catalogIndex[strings.ToLower(service)]
	if !ok {
		return ResourceType{}, false
	}
	rt, ok := s.resourceTypes[name]
	return rt, ok
}

// indexedService adds lookup maps to a Service.
type indexedService struct {
	Service
	actions       map[string]Action // by lower-cased name
	resourceTypes map[string]ResourceType
}

var catalogIndex = buildIndex(catalog)

func buildIndex(services []indexedService) map[string]indexedService {
	idx := make(map[string]indexedService, len(services))
	for _, s := range services {
		s.actions = make(map[string]Action, len(s.Actions))
		for _, a := range s.Actions {
			s.actions[strings.ToLower(a.Name)] = a
		}
		s.resourceTypes = make(map[string]ResourceType, len(s.ResourceTypes))
		for _, rt := range s.ResourceTypes {
			s.resourceTypes[rt.Name] = rt
		}
		idx[s.Prefix] = s
	}
	return idx
}

// A template token is a literal rune or a placeholder standing for one or
// more runes outside a set of excluded runes.
type tmplToken struct {
	lit     rune
	isVar   bool
	exclude string
	star    bool // the repeat part of a placeholder: zero or more runes
}

// placeholderExclusions says which runes a placeholder cannot hold: none of
// them holds a colon except where AWS allows it, and the names that cannot
// hold a slash say so, so that a bucket ARN never passes for an object ARN.
var placeholderExclusions = map[string]string{
	"Partition": ":/", "Region": ":/", "Account": ":/",
	"BucketName": ":/", "BotId": ":/", "BotAliasId": ":/",
	"ObjectName": "", "RoleNameWithPath": ":",
}

// tokenCache memoises templateTokens per format: Lint and LeastPrivilege
// check every resource against every format of every action.
var tokenCache sync.Map // string -> []tmplToken

func templateTokens(format string) []tmplToken {
	if v, ok := tokenCache.Load(format); ok {
		return v.([]tmplToken)
	}
	out := parseTemplate(format)
	tokenCache.Store(format, out)
	return out
}

func parseTemplate(format string) []tmplToken {
	var out []tmplToken
	rs := []rune(format)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '$' && i+1 < len(rs) && rs[i+1] == '{' {
			end := i + 2
			for end < len(rs) && rs[end] != '}' {
				end++
			}
			name := string(rs[i+2 : end])
			excl, ok := placeholderExclusions[name]
			if !ok {
				excl = ":"
			}
			out = append(out, tmplToken{isVar: true, exclude: excl}, tmplToken{isVar: true, exclude: excl, star: true})
			i = end
			continue
		}
		out = append(out, tmplToken{lit: rs[i]})
	}
	return out
}

// globsIntersect reports whether some string is both an instance of the
// template and matched by the glob pattern (with * and ?), by a search over
// the pairs of positions, the product of the two automata.
func globsIntersect(t []tmplToken, p []rune) bool {
	type state struct{ i, j int }
	width := len(p) + 1
	seen := make([]bool, (len(t)+1)*width)
	seen[0] = true
	stack := []state{{0, 0}}
	push := func(s state) {
		if k := s.i*width + s.j; !seen[k] {
			seen[k] = true
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.i == len(t) && s.j == len(p) {
			return true
		}
		// Skip a zero-width repeat on either side.
		if s.i < len(t) && t[s.i].star {
			push(state{s.i + 1, s.j})
		}
		if s.j < len(p) && p[s.j] == '*' {
			push(state{s.i, s.j + 1})
		}
		if s.i == len(t) || s.j == len(p) {
			continue
		}
		// Consume one rune on both sides, if one rune can satisfy both.
		tk, pc := t[s.i], p[s.j]
		if !tokenMeets(tk, pc) {
			continue
		}
		ni, nj := s.i+1, s.j+1
		if tk.star {
			ni = s.i
		}
		if pc == '*' {
			nj = s.j
		}
		push(state{ni, nj})
	}
	return false
}

// tokenMeets reports whether one rune can be both a tk and a pc.
func tokenMeets(tk tmplToken, pc rune) bool {
	switch {
	case pc == '*' || pc == '?':
		return true // wildcards take any rune, and every token allows some rune
	case tk.isVar:
		return !strings.ContainsRune(tk.exclude, pc)
	default:
		return tk.lit == pc
	}
}
