package localaws

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awsconnect/awsconnect/policy"
)

// IAM's limits on a role's maximum session duration.
const (
	// DefaultMaxSessionDuration is a new role's maximum session duration.
	DefaultMaxSessionDuration = time.Hour
	// maxMaxSessionDuration is the highest MaxSessionDuration IAM accepts.
	maxMaxSessionDuration = 12 * time.Hour
)

// iamRole is an IAM role: a trust policy saying who may assume it, permission
// policies saying what its sessions may do, and a maximum session duration.
type iamRole struct {
	name, id, path string
	description    string
	created        time.Time
	trust          iamDocument
	policies       map[string]iamDocument // inline, by name
	attached       []string               // managed policy ARNs, in attachment order
	maxSession     time.Duration
	tags           []iamTag // in the order first set
}

// iamTag is one IAM tag.
type iamTag struct{ key, value string }

// RoleOptions configures CreateRole. It is a plain value, read once by
// CreateRole.
type RoleOptions struct {
	// MaxSessionDuration caps AssumeRole's DurationSeconds, between one and
	// twelve hours. Optional; default DefaultMaxSessionDuration (1 hour).
	MaxSessionDuration time.Duration
	// Path is the role's IAM path, "/" or "/a/b/". Optional; default "/".
	Path string
	// Description is the role's description, as GetRole returns it.
	// Optional; default "".
	Description string
	// Policies are inline permission policies by name. Optional; default none.
	Policies map[string]*policy.Document
	// Tags are the role's tags, aws:ResourceTag/* to IAM actions on it.
	// Optional; default none.
	Tags map[string]string
}

// RoleOption changes RoleOptions; CreateRole applies them in order.
type RoleOption func(*RoleOptions)

// WithMaxSessionDuration sets the role's maximum session duration.
func WithMaxSessionDuration(d time.Duration) RoleOption {
	return func(o *RoleOptions) { o.MaxSessionDuration = d }
}

// WithPath sets the role's IAM path.
func WithPath(path string) RoleOption {
	return func(o *RoleOptions) { o.Path = path }
}

// WithPolicy adds an inline permission policy.
func WithPolicy(name string, doc *policy.Document) RoleOption {
	return func(o *RoleOptions) {
		if o.Policies == nil {
			o.Policies = map[string]*policy.Document{}
		}
		o.Policies[name] = doc
	}
}

// CreateRole creates a role that principals admitted by trust may assume,
// and returns its ARN, arn:aws:iam::ACCOUNT:role/PATH/NAME. It applies
// IAM's rules, as the CreateRole API does (see "IAM" in the package doc):
// names, the trust policy's grammar and size, and the policies' sizes.
func (a *Account) CreateRole(name string, trust *policy.Document, opts ...RoleOption) (string, error) {
	o := RoleOptions{MaxSessionDuration: DefaultMaxSessionDuration, Path: "/"}
	for _, fn := range opts {
		fn(&o)
	}
	if trust == nil {
		return "", fmt.Errorf("localaws: role %q needs a trust policy; build one with policy.TrustPolicy", name)
	}
	in := createRoleInput{
		name: name, path: o.Path, description: o.Description, trust: trust.String(),
		maxSession: o.MaxSessionDuration,
	}
	for _, k := range sortedKeys(o.Tags) {
		in.tags = append(in.tags, iamTag{k, o.Tags[k]})
	}
	inline := map[string]string{}
	for n, d := range o.Policies {
		if d == nil {
			return "", fmt.Errorf("localaws: role %q: policy %q is nil", name, n)
		}
		inline[n] = d.String()
	}
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	r, err := a.createRole(in, inline)
	if err != nil {
		return "", err
	}
	return a.roleARN(r), nil
}

// createRoleInput is CreateRole's parameters, from Go or from the wire.
type createRoleInput struct {
	name, path, description, trust string
	maxSession                     time.Duration
	tags                           []iamTag
}

// createRole validates everything first and then creates the role with its
// inline policies, so a refusal creates nothing. The server's lock must be
// held.
func (a *Account) createRole(in createRoleInput, inline map[string]string) (*iamRole, *apiError) {
	if err := iamName("roleName", in.name); err != nil {
		return nil, err
	}
	if err := iamPath(in.path); err != nil {
		return nil, err
	}
	if err := checkMaxSession(in.maxSession); err != nil {
		return nil, err
	}
	if err := iamDescription(in.description); err != nil {
		return nil, err
	}
	if err := checkTags(in.tags); err != nil {
		return nil, err
	}
	trust, err := a.server.parseTrustPolicy(in.trust)
	if err != nil {
		return nil, err
	}
	r := &iamRole{
		name: in.name, id: "AROA" + randomID(17), path: in.path, description: in.description,
		created: a.server.now().UTC(), trust: trust, policies: map[string]iamDocument{},
		maxSession: in.maxSession, tags: in.tags,
	}
	for _, n := range sortedKeys(inline) {
		if err := r.putPolicy(n, inline[n]); err != nil {
			return nil, err
		}
	}
	if a.roleNamed(in.name) != nil {
		return nil, iamError(errEntityExists, "Role with name %s already exists.", in.name)
	}
	a.roles[in.name] = r
	return r, nil
}

// putPolicy sets an inline policy after IAM's checks: name, grammar, and
// the role's aggregate inline size.
func (r *iamRole) putPolicy(name, text string) *apiError {
	if err := iamName("policyName", name); err != nil {
		return err
	}
	doc, err := parseIdentityPolicy(text)
	if err != nil {
		return err
	}
	total := doc.size()
	for n, d := range r.policies {
		if n != name {
			total += d.size()
		}
	}
	if total > maxRoleInlinePolicies {
		return iamError(errLimitExceeded, "Maximum policy size of %d bytes exceeded for role %s", maxRoleInlinePolicies, r.name)
	}
	r.policies[name] = doc
	return nil
}

// checkMaxSession applies IAM's range for MaxSessionDuration.
func checkMaxSession(d time.Duration) *apiError {
	if d < time.Hour || d > maxMaxSessionDuration {
		return iamError(errIAMValidation, "1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200 (MaxSessionDuration %v must be between 1h and 12h)",
			int(d.Seconds()), d)
	}
	return nil
}

// PutRolePolicy sets the role's inline permission policy called policyName,
// replacing one of that name. Sessions see the change on their next request.
func (a *Account) PutRolePolicy(roleName, policyName string, doc *policy.Document) error {
	if doc == nil {
		return fmt.Errorf("localaws: PutRolePolicy %q: nil policy; use DeleteRolePolicy to remove one", policyName)
	}
	return a.withRole(roleName, func(r *iamRole) *apiError { return r.putPolicy(policyName, doc.String()) })
}

// DeleteRolePolicy removes the role's inline policy called policyName.
func (a *Account) DeleteRolePolicy(roleName, policyName string) error {
	return a.withRole(roleName, func(r *iamRole) *apiError { return r.deletePolicy(policyName) })
}

// deletePolicy removes an inline policy.
func (r *iamRole) deletePolicy(name string) *apiError {
	if _, ok := r.policies[name]; !ok {
		return iamError(errNoSuchEntity, "The role policy with name %s cannot be found.", name)
	}
	delete(r.policies, name)
	return nil
}

// UpdateTrustPolicy replaces the role's trust policy, as
// `aws iam update-assume-role-policy` does. Existing sessions keep working;
// the next AssumeRole is judged by the new policy.
func (a *Account) UpdateTrustPolicy(roleName string, trust *policy.Document) error {
	if trust == nil {
		return fmt.Errorf("localaws: UpdateTrustPolicy %q: nil trust policy", roleName)
	}
	return a.withRole(roleName, func(r *iamRole) *apiError { return a.server.setTrust(r, trust.String()) })
}

// setTrust replaces r's trust policy after IAM's checks. The server's lock
// must be held.
func (s *Server) setTrust(r *iamRole, text string) *apiError {
	doc, err := s.parseTrustPolicy(text)
	if err != nil {
		return err
	}
	r.trust = doc
	return nil
}

// UpdateMaxSessionDuration changes the role's maximum session duration.
func (a *Account) UpdateMaxSessionDuration(roleName string, d time.Duration) error {
	return a.withRole(roleName, func(r *iamRole) *apiError {
		if err := checkMaxSession(d); err != nil {
			return err
		}
		r.maxSession = d
		return nil
	})
}

// AttachRolePolicy attaches a managed policy (see CreatePolicy) to the role.
func (a *Account) AttachRolePolicy(roleName, policyARN string) error {
	return a.withRole(roleName, func(r *iamRole) *apiError { return a.server.attach(r, policyARN) })
}

// attach attaches a managed policy to r; attaching it again is a no-op, as
// in IAM. The server's lock must be held.
func (s *Server) attach(r *iamRole, policyARN string) *apiError {
	if s.managedPolicy(policyARN) == nil {
		return iamError(errNoSuchEntity, "Policy %s does not exist or is not attachable.", policyARN)
	}
	if slices.Contains(r.attached, policyARN) {
		return nil
	}
	if len(r.attached) >= maxManagedPerRole {
		return iamError(errLimitExceeded, "Cannot exceed quota for PoliciesPerRole: %d", maxManagedPerRole)
	}
	r.attached = append(r.attached, policyARN)
	return nil
}

// DetachRolePolicy detaches a managed policy from the role.
func (a *Account) DetachRolePolicy(roleName, policyARN string) error {
	return a.withRole(roleName, func(r *iamRole) *apiError { return r.detach(policyARN) })
}

// detach detaches a managed policy from r.
func (r *iamRole) detach(policyARN string) *apiError {
	i := slices.Index(r.attached, policyARN)
	if i < 0 {
		return iamError(errNoSuchEntity, "Policy %s was not found.", policyARN)
	}
	r.attached = slices.Delete(r.attached, i, i+1)
	return nil
}

// DeleteRole deletes the role with its inline policies and attachments, as
// the IAM console does (the DeleteRole API refuses a role that still has
// policies). Its sessions lose every permission at once (AWS is slower, but
// never grants a deleted role's permissions on purpose).
func (a *Account) DeleteRole(roleName string) error {
	return a.withRole(roleName, func(r *iamRole) *apiError {
		delete(a.roles, r.name)
		return nil
	})
}

// RoleARN returns the ARN of an existing role.
func (a *Account) RoleARN(roleName string) (string, error) {
	var arn string
	err := a.withRole(roleName, func(r *iamRole) *apiError {
		arn = a.roleARN(r)
		return nil
	})
	return arn, err
}

// withRole runs fn on the named role under the server's lock.
func (a *Account) withRole(roleName string, fn func(*iamRole) *apiError) error {
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	r := a.roleNamed(roleName)
	if r == nil {
		return fmt.Errorf("localaws: no role %q in account %s; create it with CreateRole", roleName, a.id)
	}
	if err := fn(r); err != nil {
		return err
	}
	return nil
}

// roleNamed returns the role or nil. IAM names are unique case-insensitively.
// The server's lock must be held.
func (a *Account) roleNamed(name string) *iamRole {
	if r, ok := a.roles[name]; ok {
		return r
	}
	for n, r := range a.roles {
		if strings.EqualFold(n, name) {
			return r
		}
	}
	return nil
}

// roleARN is arn:aws:iam::ACCOUNT:role/PATH/NAME.
func (a *Account) roleARN(r *iamRole) string {
	return "arn:aws:iam::" + a.id + ":role" + r.path + r.name
}

// managedPolicy is a customer managed policy. Only its default version is
// kept (IAM's CreatePolicyVersion is not served), so it is always "v1".
type managedPolicy struct {
	name, id, path, description string
	created                     time.Time
	doc                         iamDocument
	tags                        []iamTag
}

// managedVersion is the one version ID a managed policy has.
const managedVersion = "v1"

// CreatePolicy creates a customer managed policy and returns its ARN,
// arn:aws:iam::ACCOUNT:policy/NAME, for AttachRolePolicy,
// AttachUserPolicy and AssumeRole's PolicyArns.
func (a *Account) CreatePolicy(name string, doc *policy.Document) (string, error) {
	if doc == nil {
		return "", fmt.Errorf("localaws: CreatePolicy %q: nil policy", name)
	}
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	p, err := a.createPolicy(name, "/", "", doc.String())
	if err != nil {
		return "", err
	}
	return a.policyARN(p), nil
}

// createPolicy checks and creates a managed policy. The server's lock must
// be held.
func (a *Account) createPolicy(name, path, description, text string) (*managedPolicy, *apiError) {
	if err := iamName("policyName", name); err != nil {
		return nil, err
	}
	if err := iamPath(path); err != nil {
		return nil, err
	}
	if err := iamDescription(description); err != nil {
		return nil, err
	}
	doc, err := parseIdentityPolicy(text)
	if err != nil {
		return nil, err
	}
	if doc.size() > policy.ManagedPolicyQuota {
		return nil, iamError(errLimitExceeded, "Cannot exceed quota for PolicySize: %d", policy.ManagedPolicyQuota)
	}
	for n := range a.managed {
		if strings.EqualFold(n, name) {
			return nil, iamError(errEntityExists, "A policy called %s already exists. Duplicate names are not allowed.", name)
		}
	}
	p := &managedPolicy{name: name, id: "ANPA" + randomID(17), path: path, description: description,
		created: a.server.now().UTC(), doc: doc}
	a.managed[name] = p
	return p, nil
}

// policyARN is arn:aws:iam::ACCOUNT:policy/PATH/NAME.
func (a *Account) policyARN(p *managedPolicy) string {
	return "arn:aws:iam::" + a.id + ":policy" + p.path + p.name
}

// managedPolicy finds a managed policy by its exact ARN, or nil. The
// server's lock must be held.
func (s *Server) managedPolicy(policyARN string) *managedPolicy {
	rest, ok := strings.CutPrefix(policyARN, "arn:aws:iam::")
	if !ok {
		return nil
	}
	account, _, ok := strings.Cut(rest, ":policy/")
	if !ok {
		return nil
	}
	a := s.accounts[account]
	if a == nil {
		return nil
	}
	p := a.managed[policyARN[strings.LastIndexByte(policyARN, '/')+1:]]
	if p == nil || a.policyARN(p) != policyARN {
		return nil
	}
	return p
}

// attachments counts the roles and users p is attached to. The server's
// lock must be held.
func (s *Server) attachments(p string) int {
	n := 0
	for _, a := range s.accounts {
		for _, r := range a.roles {
			if slices.Contains(r.attached, p) {
				n++
			}
		}
		for _, u := range a.users {
			if slices.Contains(u.attached, p) {
				n++
			}
		}
	}
	return n
}
