package localaws

import (
	"fmt"
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
	trust          *policy.Document
	policies       map[string]*policy.Document // inline, by name
	attached       []string                    // managed policy ARNs
	maxSession     time.Duration
}

// RoleOptions configures CreateRole. It is a plain value, read once by
// CreateRole.
type RoleOptions struct {
	// MaxSessionDuration caps AssumeRole's DurationSeconds, between one and
	// twelve hours. Optional; default DefaultMaxSessionDuration (1 hour).
	MaxSessionDuration time.Duration
	// Path is the role's IAM path, "/" or "/a/b/". Optional; default "/".
	Path string
	// Policies are inline permission policies by name. Optional; default none.
	Policies map[string]*policy.Document
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
// and returns its ARN, arn:aws:iam::ACCOUNT:role/PATH/NAME.
func (a *Account) CreateRole(name string, trust *policy.Document, opts ...RoleOption) (string, error) {
	o := RoleOptions{MaxSessionDuration: DefaultMaxSessionDuration, Path: "/"}
	for _, fn := range opts {
		fn(&o)
	}
	if err := validateIAMName("role", name); err != nil {
		return "", err
	}
	if trust == nil {
		return "", fmt.Errorf("localaws: role %q needs a trust policy; build one with policy.TrustPolicy", name)
	}
	if err := checkMaxSession(o.MaxSessionDuration); err != nil {
		return "", err
	}
	if !strings.HasPrefix(o.Path, "/") || !strings.HasSuffix(o.Path, "/") {
		return "", fmt.Errorf("localaws: role path %q must start and end with /", o.Path)
	}
	r := &iamRole{
		name: name, id: "AROA" + randomID(17), path: o.Path, trust: trust,
		policies: map[string]*policy.Document{}, maxSession: o.MaxSessionDuration,
	}
	for n, d := range o.Policies {
		if d == nil {
			return "", fmt.Errorf("localaws: role %q: policy %q is nil", name, n)
		}
		r.policies[n] = d
	}
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	if _, ok := a.roles[name]; ok {
		return "", fmt.Errorf("localaws: role %q already exists in account %s", name, a.id)
	}
	a.roles[name] = r
	return a.roleARN(r), nil
}

// checkMaxSession applies IAM's range for MaxSessionDuration.
func checkMaxSession(d time.Duration) error {
	if d < time.Hour || d > maxMaxSessionDuration {
		return fmt.Errorf("localaws: MaxSessionDuration %v must be between 1h and 12h", d)
	}
	return nil
}

// PutRolePolicy sets the role's inline permission policy called policyName,
// replacing one of that name. Sessions see the change on their next request.
func (a *Account) PutRolePolicy(roleName, policyName string, doc *policy.Document) error {
	if doc == nil {
		return fmt.Errorf("localaws: PutRolePolicy %q: nil policy; use DeleteRolePolicy to remove one", policyName)
	}
	return a.withRole(roleName, func(r *iamRole) error {
		r.policies[policyName] = doc
		return nil
	})
}

// DeleteRolePolicy removes the role's inline policy called policyName.
func (a *Account) DeleteRolePolicy(roleName, policyName string) error {
	return a.withRole(roleName, func(r *iamRole) error {
		if _, ok := r.policies[policyName]; !ok {
			return fmt.Errorf("localaws: role %q has no inline policy %q", roleName, policyName)
		}
		delete(r.policies, policyName)
		return nil
	})
}

// UpdateTrustPolicy replaces the role's trust policy, as
// `aws iam update-assume-role-policy` does. Existing sessions keep working;
// the next AssumeRole is judged by the new policy.
func (a *Account) UpdateTrustPolicy(roleName string, trust *policy.Document) error {
	if trust == nil {
		return fmt.Errorf("localaws: UpdateTrustPolicy %q: nil trust policy", roleName)
	}
	return a.withRole(roleName, func(r *iamRole) error {
		r.trust = trust
		return nil
	})
}

// UpdateMaxSessionDuration changes the role's maximum session duration.
func (a *Account) UpdateMaxSessionDuration(roleName string, d time.Duration) error {
	if err := checkMaxSession(d); err != nil {
		return err
	}
	return a.withRole(roleName, func(r *iamRole) error {
		r.maxSession = d
		return nil
	})
}

// AttachRolePolicy attaches a managed policy (see CreatePolicy) to the role.
func (a *Account) AttachRolePolicy(roleName, policyARN string) error {
	return a.withRole(roleName, func(r *iamRole) error {
		if a.server.managedPolicy(policyARN) == nil {
			return fmt.Errorf("localaws: no managed policy %s; create it with CreatePolicy", policyARN)
		}
		for _, p := range r.attached {
			if p == policyARN {
				return nil
			}
		}
		r.attached = append(r.attached, policyARN)
		return nil
	})
}

// DeleteRole deletes the role. Its sessions lose every permission at once
// (AWS is slower, but never grants a deleted role's permissions on purpose).
func (a *Account) DeleteRole(roleName string) error {
	return a.withRole(roleName, func(*iamRole) error {
		delete(a.roles, roleName)
		return nil
	})
}

// RoleARN returns the ARN of an existing role.
func (a *Account) RoleARN(roleName string) (string, error) {
	var arn string
	err := a.withRole(roleName, func(r *iamRole) error {
		arn = a.roleARN(r)
		return nil
	})
	return arn, err
}

// withRole runs fn on the named role under the server's lock.
func (a *Account) withRole(roleName string, fn func(*iamRole) error) error {
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	r, ok := a.roles[roleName]
	if !ok {
		return fmt.Errorf("localaws: no role %q in account %s; create it with CreateRole", roleName, a.id)
	}
	return fn(r)
}

// roleARN is arn:aws:iam::ACCOUNT:role/PATH/NAME.
func (a *Account) roleARN(r *iamRole) string {
	return "arn:aws:iam::" + a.id + ":role" + r.path + r.name
}

// CreatePolicy creates a customer managed policy and returns its ARN,
// arn:aws:iam::ACCOUNT:policy/NAME, for AttachRolePolicy,
// AttachUserPolicy and AssumeRole's PolicyArns.
func (a *Account) CreatePolicy(name string, doc *policy.Document) (string, error) {
	if err := validateIAMName("policy", name); err != nil {
		return "", err
	}
	if doc == nil {
		return "", fmt.Errorf("localaws: CreatePolicy %q: nil policy", name)
	}
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	if _, ok := a.managed[name]; ok {
		return "", fmt.Errorf("localaws: policy %q already exists in account %s", name, a.id)
	}
	a.managed[name] = doc
	return "arn:aws:iam::" + a.id + ":policy/" + name, nil
}

// managedPolicy finds a managed policy by ARN, or nil. The server's lock
// must be held.
func (s *Server) managedPolicy(policyARN string) *policy.Document {
	rest, ok := strings.CutPrefix(policyARN, "arn:aws:iam::")
	if !ok {
		return nil
	}
	account, name, ok := strings.Cut(rest, ":policy/")
	if !ok {
		return nil
	}
	a := s.accounts[account]
	if a == nil {
		return nil
	}
	return a.managed[name[strings.LastIndexByte(name, '/')+1:]]
}
