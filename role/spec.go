package role

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/scope"
)

// Validation errors. Every error Provider and Retrieve return for a bad Spec
// wraps one of these (or [ErrInvalidRoleARN]), so callers can use errors.Is.
var (
	// ErrMissingExternalID means the Spec has no external ID. The cache never
	// assumes a role without one: it is what stops another platform customer
	// from pointing their connection at your role (the confused deputy).
	ErrMissingExternalID = errors.New("role: external ID is required")
	// ErrInvalidSpec means a Spec field other than the role ARN or the
	// external ID's presence is malformed.
	ErrInvalidSpec = errors.New("role: invalid spec")
)

// Session limits from the STS AssumeRole API reference.
const (
	// MinDuration is the shortest session STS grants.
	MinDuration = 15 * time.Minute
	// MaxDuration is the longest session STS grants; the role's own
	// MaxSessionDuration (1 hour unless raised) may be lower.
	MaxDuration = 12 * time.Hour
	// DefaultDuration is used when Spec.Duration is zero. One hour is the
	// default MaxSessionDuration of every IAM role, so it works without the
	// customer changing the role, and it keeps AssumeRole calls to one per
	// hour per key.
	DefaultDuration = time.Hour

	minSessionNameLen  = 2
	maxSessionNameLen  = 64
	maxPolicyARNs      = 10
	maxSessionTags     = 50
	maxTagKeyLen       = 128
	maxTagValueLen     = 256
	maxSessionPolicy   = 2048
	defaultSessionName = "awsconnect"
)

// Spec says which role to assume and how. Only RoleARN and ExternalID are
// required; every other field changes the credentials STS returns, so every
// field is part of the cache key and two Specs that differ in any field never
// share credentials.
//
// A Spec is a plain value; the cache copies what it keeps, so callers may
// reuse or modify a Spec after passing it.
type Spec struct {
	// RoleARN is the customer's role, e.g. arn:aws:iam::123456789012:role/Connector. Required.
	RoleARN string
	// ExternalID is the value the role's trust policy requires in
	// sts:ExternalId, 2-1224 characters of [\w+=,.@:/-]. Required.
	ExternalID string

	// WorkspaceID, ProjectID and ConnectionID name the platform tenant; they
	// feed the default session name so CloudTrail in the customer's account
	// shows who acted. Default "". Optional.
	WorkspaceID, ProjectID, ConnectionID string

	// SessionName overrides the derived session name; 2-64 characters of
	// [\w+=,.@-]. Default: DeriveSessionName(Options.SessionNamePrefix,
	// WorkspaceID, ProjectID, ConnectionID). Optional.
	SessionName string
	// Duration is the session lifetime, between 15 minutes and 12 hours.
	// Default DefaultDuration (1 hour). Optional.
	Duration time.Duration
	// Policy is an inline session policy (JSON) that narrows the role's
	// permissions. Default none. Optional.
	Policy string
	// PolicyARNs are managed session policies that narrow the role's
	// permissions; up to 10. Default none. Optional.
	PolicyARNs []string
	// Tags are session tags, up to 50; keys are case-insensitive. Default
	// none. Optional.
	Tags map[string]string
	// TransitiveTagKeys are keys of Tags that persist through role
	// chaining. Default none. Optional.
	TransitiveTagKeys []string
	// SourceIdentity is recorded in CloudTrail and can be required by the
	// trust policy; 2-64 characters of [\w+=,.@-]. Default none. Optional.
	SourceIdentity string
}

// key is the cache key: every input that changes the credentials, in a
// comparable form. Slices and maps are canonicalised (sorted, length-prefixed)
// into strings, so specs with no slices or maps become a key without
// allocating, which keeps Cache.Retrieve's hit path allocation-free.
type key struct {
	roleARN, externalID                  string
	sessionName                          string // as given; "" means derived from the three IDs below
	workspaceID, projectID, connectionID string
	duration                             time.Duration // normalised: never zero
	policy, policyARNs, tags, transitive string
	sourceIdentity                       string
}

// keyOf builds the key of s. It allocates only when s has PolicyARNs, Tags or
// TransitiveTagKeys.
func keyOf(s *Spec, defaultDuration time.Duration) key {
	d := s.Duration
	if d == 0 {
		d = defaultDuration
	}
	k := key{
		roleARN: s.RoleARN, externalID: s.ExternalID, sessionName: s.SessionName,
		duration: d, policy: s.Policy, sourceIdentity: s.SourceIdentity,
	}
	if s.SessionName == "" {
		// Only the derived name matters, but keying on its inputs avoids
		// building the name on every lookup.
		k.workspaceID, k.projectID, k.connectionID = s.WorkspaceID, s.ProjectID, s.ConnectionID
	}
	if len(s.PolicyARNs) > 0 {
		k.policyARNs = canonicalList(s.PolicyARNs)
	}
	if len(s.TransitiveTagKeys) > 0 {
		k.transitive = canonicalList(s.TransitiveTagKeys)
	}
	if len(s.Tags) > 0 {
		var b strings.Builder
		for _, tk := range slices.Sorted(maps.Keys(s.Tags)) {
			writeLP(&b, tk)
			writeLP(&b, s.Tags[tk])
		}
		k.tags = b.String()
	}
	return k
}

// canonicalList sorts and de-duplicates list and encodes it length-prefixed,
// so no element can forge a separator.
func canonicalList(list []string) string {
	sorted := slices.Clone(list)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var b strings.Builder
	for _, s := range sorted {
		writeLP(&b, s)
	}
	return b.String()
}

func writeLP(b *strings.Builder, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.WriteString(s)
}

// assumeInput is what stscreds needs for one key beyond the key's own
// strings, built once when the entry is created and then only read.
type assumeInput struct {
	// tenant names whose share of the rate limit the call spends: the
	// platform's workspace, else the external ID (see RateLimit).
	tenant      string
	sessionName string
	policyARNs  []types.PolicyDescriptorType
	tags        []types.Tag
	transitive  []string
}

// validate checks s and returns what AssumeRole will be called with.
func validate(s *Spec, defaultDuration time.Duration, sessionPrefix string) (assumeInput, error) {
	if _, err := ParseRoleARN(s.RoleARN); err != nil {
		return assumeInput{}, err
	}
	if s.ExternalID == "" {
		return assumeInput{}, fmt.Errorf("%w for role %s: set Spec.ExternalID to the value in the role's trust policy condition sts:ExternalId", ErrMissingExternalID, s.RoleARN)
	}
	// scope's rule, so that an ID scope derives is one the cache accepts
	// and the two packages cannot drift apart.
	if err := scope.ValidateExternalID(s.ExternalID); err != nil {
		return assumeInput{}, fmt.Errorf("%w: ExternalID: %w", ErrInvalidSpec, err)
	}
	in := assumeInput{tenant: "workspace " + s.WorkspaceID}
	if s.WorkspaceID == "" {
		in.tenant = "external ID " + s.ExternalID
	}
	if d := cmp.Or(s.Duration, defaultDuration); d < MinDuration || d > MaxDuration {
		return assumeInput{}, fmt.Errorf("%w: Duration must be between %v and %v, got %v", ErrInvalidSpec, MinDuration, MaxDuration, d)
	}
	if s.SessionName != "" {
		if err := checkName("SessionName", s.SessionName); err != nil {
			return assumeInput{}, err
		}
		in.sessionName = s.SessionName
	} else {
		in.sessionName = DeriveSessionName(sessionPrefix, s.WorkspaceID, s.ProjectID, s.ConnectionID)
	}
	if s.SourceIdentity != "" {
		if err := checkName("SourceIdentity", s.SourceIdentity); err != nil {
			return assumeInput{}, err
		}
	}
	if len(s.Policy) > maxSessionPolicy {
		return assumeInput{}, fmt.Errorf("%w: Policy must be at most %d characters, got %d; narrow it or use PolicyARNs", ErrInvalidSpec, maxSessionPolicy, len(s.Policy))
	}
	if len(s.PolicyARNs) > maxPolicyARNs {
		return assumeInput{}, fmt.Errorf("%w: at most %d PolicyARNs, got %d", ErrInvalidSpec, maxPolicyARNs, len(s.PolicyARNs))
	}
	arns := slices.Compact(slices.Sorted(slices.Values(s.PolicyARNs)))
	for _, p := range arns {
		if _, err := arn.Parse(p); err != nil {
			return assumeInput{}, fmt.Errorf("%w: PolicyARNs: %s is not an ARN: %v", ErrInvalidSpec, echo(p), err)
		}
		in.policyARNs = append(in.policyARNs, types.PolicyDescriptorType{Arn: aws.String(p)})
	}
	if len(s.Tags) > maxSessionTags {
		return assumeInput{}, fmt.Errorf("%w: at most %d Tags, got %d", ErrInvalidSpec, maxSessionTags, len(s.Tags))
	}
	seen := make(map[string]string, len(s.Tags))
	for _, k := range slices.Sorted(maps.Keys(s.Tags)) {
		v := s.Tags[k]
		if k == "" || len(k) > maxTagKeyLen || len(v) > maxTagValueLen {
			return assumeInput{}, fmt.Errorf("%w: tag %s: keys must be 1-%d and values 0-%d characters", ErrInvalidSpec, echo(k), maxTagKeyLen, maxTagValueLen)
		}
		// STS treats tag keys case-insensitively; two that differ only in
		// case would be refused by STS on every refresh.
		if prev, dup := seen[strings.ToLower(k)]; dup {
			return assumeInput{}, fmt.Errorf("%w: tags %s and %s differ only in case; session tag keys are case-insensitive", ErrInvalidSpec, echo(prev), echo(k))
		}
		seen[strings.ToLower(k)] = k
		in.tags = append(in.tags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	for _, k := range slices.Compact(slices.Sorted(slices.Values(s.TransitiveTagKeys))) {
		if _, ok := seen[strings.ToLower(k)]; !ok {
			return assumeInput{}, fmt.Errorf("%w: TransitiveTagKeys names %s, which is not in Tags", ErrInvalidSpec, echo(k))
		}
		in.transitive = append(in.transitive, k)
	}
	return in, nil
}

func checkName(field, v string) error {
	if n := len(v); n < minSessionNameLen || n > maxSessionNameLen {
		return fmt.Errorf("%w: %s must be %d-%d characters, got %d", ErrInvalidSpec, field, minSessionNameLen, maxSessionNameLen, n)
	}
	for i, r := range v {
		if !iamarn.IsNameRune(r) {
			return fmt.Errorf("%w: %s may contain only letters, digits and +=,.@_-, got %q at offset %d", ErrInvalidSpec, field, r, i)
		}
	}
	return nil
}

// DeriveSessionName builds the default session name from the platform prefix
// and the tenant IDs that are not empty, joined by "-": characters STS does not
// allow become "_", and the result is cut to 64 characters. An empty prefix
// means "awsconnect". The result always satisfies STS's 2-64 [\w+=,.@-] rule.
func DeriveSessionName(prefix, workspaceID, projectID, connectionID string) string {
	if prefix == "" {
		prefix = defaultSessionName
	}
	var b strings.Builder
	for _, part := range []string{prefix, workspaceID, projectID, connectionID} {
		if part == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		for _, r := range part {
			if !iamarn.IsNameRune(r) {
				r = '_'
			}
			b.WriteRune(r)
		}
	}
	name := b.String()
	if len(name) > maxSessionNameLen {
		name = name[:maxSessionNameLen]
	}
	for len(name) < minSessionNameLen {
		name += "_"
	}
	return name
}
