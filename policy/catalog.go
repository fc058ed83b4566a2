package policy

import (
	"bufio"
	"bytes"
	"compress/flate"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ./internal/cataloggen -out .

// catalogBin is the catalog, as cataloggen encodes it: DEFLATE-compressed
// lines, decoded on first use.
//
//go:embed catalog.bin
var catalogBin []byte

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
//
// A policy variable in the pattern, such as ${aws:PrincipalTag/KeyId}, may
// stand for any value, so it is read as a wildcard.
func (rt ResourceType) Admits(pattern string) bool {
	if pattern == "*" {
		return true
	}
	p := variablesAsWildcards(pattern)
	for _, f := range rt.ARNFormats {
		if globsIntersect(templateTokens(f), p) {
			return true
		}
	}
	return false
}

// variablesAsWildcards returns the pattern's runes with each policy variable
// replaced by *, and ${*}, ${?} and ${$} (one literal rune each) by ?.
func variablesAsWildcards(pattern string) []rune {
	if !strings.Contains(pattern, "${") {
		return []rune(pattern)
	}
	var out []rune
	rest := pattern
	for {
		i := strings.Index(rest, "${")
		j := -1
		if i >= 0 {
			j = strings.IndexByte(rest[i:], '}')
		}
		if i < 0 || j < 0 {
			return append(out, []rune(rest)...)
		}
		out = append(out, []rune(rest[:i])...)
		switch rest[i+2 : i+j] {
		case "*", "?", "$":
			out = append(out, '?')
		default:
			out = append(out, '*')
		}
		rest = rest[i+j+1:]
	}
}

// ActionResource is one resource type an action accepts; Required marks the
// reference's asterisk, OneOf the alternatives of which a grant names one.
// It is an immutable value.
type ActionResource struct {
	// Type is the resource type's name within the action's service.
	Type string
	// Required is true when the reference marks the type with an asterisk.
	Required bool
	// OneOf is true when the reference lists all of the action's types
	// without an asterisk, as alternatives (s3:GetObject on an object or an
	// access point object): the action still acts on a resource of one of
	// them. It is false for the few actions whose unmarked type is an extra
	// of one feature, such as cloudwatch:PutMetricData's OTLP dataset.
	OneOf bool
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
	// ConditionKeys lists the condition keys the reference gives for the
	// action, such as "cloudwatch:namespace" for PutMetricData, global
	// ones such as "aws:RequestTag/${TagKey}" included; see ScopingKeys.
	ConditionKeys []string
}

// String returns "service:Name".
func (a Action) String() string { return a.Service + ":" + a.Name }

// ResourceLevel reports whether the action supports resource-level
// permissions, that is whether it has a required resource type or a set of
// alternatives, so that "Resource": "*" grants more than needed.
func (a Action) ResourceLevel() bool {
	for _, r := range a.Resources {
		if r.Required || r.OneOf {
			return true
		}
	}
	return false
}

// ResourceTypes returns the resource types the action accepts, required
// ones first.
func (a Action) ResourceTypes() []ResourceType {
	svc := catalogIndex()[a.Service]
	if svc == nil {
		return nil
	}
	var out []ResourceType
	for _, req := range []bool{true, false} {
		for _, r := range a.Resources {
			if rt, ok := svc.resourceTypes[strings.ToLower(r.Type)]; ok && (r.Required || r.OneOf) == req {
				out = append(out, rt)
			}
		}
	}
	return out
}

// ScopingKeys returns the condition keys that narrow this action in
// particular, such as cloudwatch:namespace for PutMetricData: the action's
// keys less the global aws: keys and less the keys that most of the
// service's actions share (s3:TlsVersion, s3:authType, ...), which describe
// how a request is made rather than what it does.
func (a Action) ScopingKeys() []string {
	svc := catalogIndex()[a.Service]
	var out []string
	for _, k := range a.ConditionKeys {
		if strings.HasPrefix(strings.ToLower(k), "aws:") || (svc != nil && svc.common[k]) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// AdmitsResource reports whether the Resource pattern fits one of the
// action's resource types. An action without resource types admits "*" and
// the patterns that name every resource of its service, such as
// arn:aws:s3:::* for s3:ListAllMyBuckets: the console writes that form, 13
// AWS managed policies carry it, and IAM grants the action with it.
func (a Action) AdmitsResource(pattern string) bool {
	if pattern == "*" {
		return true
	}
	if len(a.Resources) == 0 || !a.ResourceLevel() {
		if servicewide(pattern, a.Service) {
			return true
		}
	}
	for _, rt := range a.ResourceTypes() {
		if rt.Admits(pattern) {
			return true
		}
	}
	return false
}

// ConditionKey is a condition key of the reference with its type. Names with
// a ${...} part, such as "aws:RequestTag/${TagKey}", stand for a family of
// keys. ConditionKey values are immutable; they are safe for concurrent use.
type ConditionKey struct {
	// Name is the key as the reference spells it, such as "s3:prefix".
	Name string
	// Type is the reference's type: String, ArrayOfString, ARN, ArrayOfARN,
	// Bool, ArrayOfBool, Numeric, Date or IPAddress.
	Type string
}

// MultiValued reports whether requests carry several values for the key,
// so that conditions on it need ForAnyValue: or ForAllValues:.
func (k ConditionKey) MultiValued() bool { return strings.HasPrefix(k.Type, "ArrayOf") }

// servicewide reports whether an ARN pattern names every resource of the
// service: arn:PARTITION:SERVICE:REGION:ACCOUNT:* with the resource part "*"
// and a service part that matches.
func servicewide(pattern, service string) bool {
	parts := strings.SplitN(pattern, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[5] == "*" && globMatch(parts[2], service, true)
}

// Service is one service of the catalog.
//
// Service values are immutable; they are safe for concurrent use.
type Service struct {
	// Prefix is the service prefix used in actions, such as "logs".
	Prefix string
	// Name is the service's name in the reference.
	Name string
	// Actions lists the service's actions, sorted by name.
	Actions []Action
	// ResourceTypes lists the service's resource types, sorted by name.
	ResourceTypes []ResourceType
	// ConditionKeys lists the service's own condition keys (the global
	// aws: keys are looked up with LookupConditionKey), sorted by name.
	ConditionKeys []ConditionKey
}

// Services returns every service of the catalog sorted by prefix: all of the
// Service Authorization Reference, as [CatalogSource] carries it.
func Services() []Service {
	idx := catalogIndex()
	out := make([]Service, 0, len(idx))
	for _, s := range idx {
		out = append(out, s.Service)
	}
	slices.SortFunc(out, func(a, b Service) int { return strings.Compare(a.Prefix, b.Prefix) })
	return out
}

// LookupService returns the service with the prefix, matched
// case-insensitively.
func LookupService(prefix string) (Service, bool) {
	s, ok := catalogIndex()[strings.ToLower(prefix)]
	if !ok {
		return Service{}, false
	}
	return s.Service, true
}

// LookupAction returns the action named "service:Name", matched
// case-insensitively as IAM matches actions.
func LookupAction(action string) (Action, bool) {
	prefix, name, ok := strings.Cut(action, ":")
	if !ok {
		return Action{}, false
	}
	s, ok := catalogIndex()[strings.ToLower(prefix)]
	if !ok {
		return Action{}, false
	}
	a, ok := s.actions[strings.ToLower(name)]
	return a, ok
}

// LookupResourceType returns a resource type by service prefix and name,
// such as ("s3", "object"), both matched case-insensitively.
func LookupResourceType(service, name string) (ResourceType, bool) {
	s, ok := catalogIndex()[strings.ToLower(service)]
	if !ok {
		return ResourceType{}, false
	}
	rt, ok := s.resourceTypes[strings.ToLower(name)]
	return rt, ok
}

// LookupConditionKey returns the condition key, global (aws:SourceIp) or a
// service's (s3:prefix), matched case-insensitively as IAM matches keys; a
// key of a family such as aws:RequestTag/env returns the family
// (aws:RequestTag/${TagKey}).
func LookupConditionKey(name string) (ConditionKey, bool) {
	prefix, _, ok := strings.Cut(name, ":")
	if !ok {
		return ConditionKey{}, false
	}
	var keys map[string]ConditionKey
	var families []ConditionKey
	if strings.EqualFold(prefix, "aws") {
		g := globalKeys()
		keys, families = g.keys, g.families
	} else if s, ok := catalogIndex()[strings.ToLower(prefix)]; ok {
		keys, families = s.conditionKeys, s.families
	}
	lower := strings.ToLower(name)
	if k, ok := keys[lower]; ok {
		return k, true
	}
	for _, f := range families {
		if globMatch(familyPattern(f.Name), lower, false) {
			return f, true
		}
	}
	return ConditionKey{}, false
}

// familyPattern turns "aws:RequestTag/${TagKey}" into the lower-cased glob
// "aws:requesttag/?*".
func familyPattern(name string) string {
	var b strings.Builder
	rest := strings.ToLower(name)
	for {
		i := strings.Index(rest, "${")
		j := strings.IndexByte(rest[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i])
		b.WriteString("?*")
		rest = rest[i+j+1:]
	}
}

// indexedService adds lookup maps to a Service; all keys are lower-cased.
type indexedService struct {
	Service
	actions       map[string]Action
	resourceTypes map[string]ResourceType
	conditionKeys map[string]ConditionKey
	families      []ConditionKey  // keys with a ${...} part
	common        map[string]bool // keys most of the service's actions list
}

type keySet struct {
	keys     map[string]ConditionKey
	families []ConditionKey
}

// catalogIndex decodes catalogBin once, on first use.
var catalogIndex = sync.OnceValue(func() map[string]*indexedService {
	idx, global, err := decodeCatalog(catalogBin, managedOnlyValue)
	if err != nil {
		panic("policy: the embedded catalog is corrupt (regenerate it with go generate ./policy): " + err.Error())
	}
	globalKeysValue = global
	return idx
})

var (
	globalKeysValue keySet
	// managedOnlyValue holds, lower-cased, the actions that AWS managed
	// policies grant and the reference does not list, and their services.
	managedOnlyValue = map[string]bool{}
)

// managedOnly reports whether AWS's managed policies name the action (or,
// for "prefix:", any action of the service) though the reference lacks it.
func managedOnly(key string) bool {
	catalogIndex()
	return managedOnlyValue[strings.ToLower(key)]
}

func globalKeys() keySet {
	catalogIndex()
	return globalKeysValue
}

var accessLevels = map[byte]AccessLevel{'L': AccessList, 'R': AccessRead, 'W': AccessWrite, 'P': AccessPermissionsManagement, 'T': AccessTagging}

// decodeCatalog reads cataloggen's format (see its encode function).
func decodeCatalog(bin []byte, managed map[string]bool) (map[string]*indexedService, keySet, error) {
	idx := map[string]*indexedService{}
	global := keySet{keys: map[string]ConditionKey{}}
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	sc := bufio.NewScanner(flate.NewReader(bytes.NewReader(bin)))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var cur *indexedService
	var curKeys *keySet
	finish := func() {
		if cur == nil {
			return
		}
		count := map[string]int{}
		for _, a := range cur.Actions {
			for _, k := range a.ConditionKeys {
				count[k]++
			}
		}
		for k, n := range count {
			if 2*n > len(cur.Actions) {
				cur.common[k] = true
			}
		}
		cur.conditionKeys, cur.families = curKeys.keys, curKeys.families
	}
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		switch {
		case f[0] == "S" && len(f) == 3:
			finish()
			if f[1] == "aws" {
				cur, curKeys = nil, &global
				continue
			}
			cur = &indexedService{
				Service:       Service{Prefix: f[1], Name: f[2]},
				actions:       map[string]Action{},
				resourceTypes: map[string]ResourceType{},
				common:        map[string]bool{},
			}
			curKeys = &keySet{keys: map[string]ConditionKey{}}
			idx[f[1]] = cur
		case f[0] == "T" && len(f) >= 3 && cur != nil:
			rt := ResourceType{Service: cur.Prefix, Name: f[1], ARNFormats: f[2:]}
			cur.ResourceTypes = append(cur.ResourceTypes, rt)
			cur.resourceTypes[strings.ToLower(rt.Name)] = rt
		case f[0] == "K" && len(f) == 3 && curKeys != nil:
			k := ConditionKey{Name: in(f[1]), Type: in(f[2])}
			if cur != nil {
				cur.ConditionKeys = append(cur.ConditionKeys, k)
			}
			curKeys.keys[strings.ToLower(k.Name)] = k
			if strings.Contains(k.Name, "${") {
				curKeys.families = append(curKeys.families, k)
			}
		case f[0] == "U" && len(f) == 2 && strings.Contains(f[1], ":"):
			l := strings.ToLower(f[1])
			managed[l] = true
			managed[l[:strings.IndexByte(l, ':')+1]] = true
		case f[0] == "A" && len(f) == 5 && cur != nil && len(f[2]) == 1:
			a := Action{Service: cur.Prefix, Name: f[1], Access: accessLevels[f[2][0]]}
			if a.Access == "" {
				return nil, keySet{}, fmt.Errorf("action %s has access code %q", a, f[2])
			}
			if f[3] != "" {
				for _, r := range strings.Split(f[3], ",") {
					name, required := strings.CutSuffix(r, "*")
					name, oneOf := strings.CutSuffix(name, "+")
					a.Resources = append(a.Resources, ActionResource{Type: in(name), Required: required, OneOf: oneOf})
				}
			}
			if f[4] != "" {
				for _, k := range strings.Split(f[4], ",") {
					a.ConditionKeys = append(a.ConditionKeys, in(k))
				}
			}
			cur.Actions = append(cur.Actions, a)
			cur.actions[strings.ToLower(a.Name)] = a
		default:
			return nil, keySet{}, fmt.Errorf("malformed line %q", sc.Text())
		}
	}
	finish()
	if err := sc.Err(); err != nil {
		return nil, keySet{}, err
	}
	return idx, global, nil
}

// A template token is a literal rune or a placeholder standing for one or
// more runes outside a set of excluded runes.
type tmplToken struct {
	lit     rune
	isVar   bool
	exclude string
	star    bool // the repeat part of a placeholder: zero or more runes
}

// emptyPlaceholders may stand for no text at all: resources that AWS owns
// have no account in their ARN (arn:aws:ssm:us-east-1::document/AWS-RunShellScript),
// and global ones no region.
var emptyPlaceholders = map[string]bool{"Region": true, "Account": true}

// placeholderExclusions says which runes a placeholder cannot hold, for the
// names whose values AWS restricts: partitions, regions and accounts hold
// neither a colon nor a slash, bucket names no slash (so a bucket ARN never
// passes for an object ARN), and the function, log group, log stream, role
// and Lex names no colon (so a log group is no log stream, a function no
// qualified function). Every other placeholder may hold anything: the
// reference's names (RDS snapshots such as awsbackup:job-1, for one) do hold
// colons, and a false "grant has no effect" is worse than a missed one.
var placeholderExclusions = map[string]string{
	"Partition": ":/", "Region": ":/", "Account": ":/",
	"BucketName": ":/", "BotId": ":/", "BotAliasId": ":/",
	"FunctionName": ":", "LogGroupName": ":", "LogStreamName": ":",
	"RoleNameWithPath": ":", "RoleName": ":/", "KeyId": ":/",
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
			excl := placeholderExclusions[name]
			if !emptyPlaceholders[name] {
				out = append(out, tmplToken{isVar: true, exclude: excl})
			}
			out = append(out, tmplToken{isVar: true, exclude: excl, star: true})
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
