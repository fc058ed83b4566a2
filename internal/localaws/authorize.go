package localaws

import (
	"fmt"
	"strings"
	"time"
)

// Decision is the outcome of one authorisation, as the request log records it.
type Decision string

const (
	// Allowed: a policy allowed the action and none denied it.
	Allowed Decision = "Allow"
	// ImplicitlyDenied: no policy allowed the action.
	ImplicitlyDenied Decision = "ImplicitDeny"
	// ExplicitlyDenied: a policy's Deny statement matched.
	ExplicitlyDenied Decision = "ExplicitDeny"
)

// authzRequest is what one permission policy is asked.
type authzRequest struct {
	principal  string
	action     string
	resource   string
	conditions map[string][]string
}

// permissionPolicy is one identity or session policy as authorize sees it.
type permissionPolicy interface {
	decide(r authzRequest) Decision
}

// Caller is the verified identity behind a request.
type Caller struct {
	// AccountID is the 12-digit account the credentials belong to.
	AccountID string
	// ARN is the principal: arn:aws:iam::ACCOUNT:user/NAME, or
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION for role sessions.
	ARN string
	// UserID is GetCallerIdentity's UserId: AIDA... for users,
	// AROA...:SESSION for role sessions.
	UserID string
	// AccessKeyID is the key that signed the request.
	AccessKeyID string
}

// authorize evaluates the caller's identity policies for one action, the
// way IAM does within one account: an explicit Deny wins, otherwise some
// policy must Allow. The decision is recorded in c's log entry; a denial is
// AccessDenied in c's protocol, naming the principal, action and resource as
// AWS's message does.
func (s *Server) authorize(c *call, action, resource string, conditions map[string][]string) error {
	req := authzRequest{
		principal:  "", // identity policies have no Principal element
		action:     action,
		resource:   resource,
		conditions: s.conditionContext(c, conditions),
	}

	s.mu.Lock()
	var policies []permissionPolicy
	if k := s.keys[c.caller.AccessKeyID]; k != nil {
		policies = k.policies()
	}
	s.mu.Unlock()

	decision := combine(policies, req)
	if c.entry != nil {
		c.entry.Action, c.entry.Resource, c.entry.Decision = action, resource, decision
	}
	if decision == Allowed {
		return nil
	}
	reason := "because no identity-based policy allows the " + action + " action"
	if decision == ExplicitlyDenied {
		reason = "with an explicit deny in an identity-based policy"
	}
	return c.errorf(errAccessDenied, "User: %s is not authorized to perform: %s on resource: %s %s",
		c.caller.ARN, action, resource, reason)
}

// combine evaluates every policy: any explicit Deny wins, then any Allow.
func combine(policies []permissionPolicy, req authzRequest) Decision {
	decision := ImplicitlyDenied
	for _, p := range policies {
		switch p.decide(req) {
		case ExplicitlyDenied:
			return ExplicitlyDenied
		case Allowed:
			decision = Allowed
		}
	}
	return decision
}

// conditionContext adds the global condition keys IAM always sets to the
// service's own keys; the service's keys win on conflict.
func (s *Server) conditionContext(c *call, conditions map[string][]string) map[string][]string {
	ctx := map[string][]string{
		"aws:PrincipalArn":           {c.caller.ARN},
		"aws:PrincipalAccount":       {c.caller.AccountID},
		"aws:userid":                 {c.caller.UserID},
		"aws:CurrentTime":            {s.now().UTC().Format(time.RFC3339)},
		"aws:EpochTime":              {fmt.Sprint(s.now().Unix())},
		"aws:SecureTransport":        {"false"},
		"aws:RequestedRegion":        {s.opts.Region},
		"aws:PrincipalType":          {principalType(c.caller.ARN)},
		"aws:ViaAWSService":          {"false"},
		"aws:MultiFactorAuthPresent": {"false"},
	}
	for k, v := range conditions {
		ctx[k] = v
	}
	return ctx
}

// principalType is aws:PrincipalType: "User" or "AssumedRole".
func principalType(arn string) string {
	if strings.Contains(arn, ":assumed-role/") {
		return "AssumedRole"
	}
	return "User"
}
