package localaws

import (
	"fmt"
	"strings"
	"time"

	"github.com/awsconnect/awsconnect/policy"
)

// Decision is the outcome of one authorisation, as the request log records
// it. It is a plain value.
type Decision string

const (
	// Allowed: a policy allowed the action and none denied it.
	Allowed Decision = "Allow"
	// ImplicitlyDenied: no policy allowed the action.
	ImplicitlyDenied Decision = "ImplicitDeny"
	// ExplicitlyDenied: a policy's Deny statement matched.
	ExplicitlyDenied Decision = "ExplicitDeny"
)

// Caller is the verified identity behind a request. It is a plain value.
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

// authorize evaluates the caller's permissions for one action the way IAM
// does within one account: an explicit Deny in any policy wins; otherwise an
// identity policy must allow the action and, for a role session created
// with session policies, a session policy must allow it too. The decision is
// recorded in c's log entry; a denial is AccessDenied in c's protocol with
// AWS's message naming the principal, action, resource and reason.
func (s *Server) authorize(c *call, action, resource string, conditions map[string][]string) error {
	req := policy.Request{
		Action:   action,
		Resource: resource,
		Context:  s.conditionContext(c, conditions),
	}
	s.mu.Lock()
	var identity []*policy.Document
	var session *policy.Document
	if k := s.keys[c.caller.AccessKeyID]; k != nil {
		identity, session = k.permissions()
	}
	s.mu.Unlock()

	identityDecision := policy.EvaluateAll(req, nil, identity...)
	decision := policy.EvaluateAll(req, session, identity...)
	logged := logDecision(decision)
	if c.entry != nil {
		c.entry.Action, c.entry.Resource, c.entry.Decision = action, resource, logged
	}
	if decision == policy.Allow {
		return nil
	}
	var reason string
	switch {
	case identityDecision == policy.ExplicitDeny:
		reason = "with an explicit deny in an identity-based policy"
	case decision == policy.ExplicitDeny:
		reason = "with an explicit deny in a session policy"
	case identityDecision == policy.Allow:
		reason = "because no session policy allows the " + action + " action"
	default:
		reason = "because no identity-based policy allows the " + action + " action"
	}
	return c.errorf(errAccessDenied, "User: %s is not authorized to perform: %s on resource: %s %s",
		c.caller.ARN, action, resource, reason)
}

// logDecision names a policy decision for the request log.
func logDecision(d policy.Decision) Decision {
	switch d {
	case policy.Allow:
		return Allowed
	case policy.ExplicitDeny:
		return ExplicitlyDenied
	}
	return ImplicitlyDenied
}

// conditionContext adds the global condition keys IAM always sets to the
// service's own keys; the service's keys win on conflict.
func (s *Server) conditionContext(c *call, conditions map[string][]string) map[string][]string {
	now := s.now()
	ctx := map[string][]string{
		"aws:PrincipalArn":           {c.caller.ARN},
		"aws:PrincipalAccount":       {c.caller.AccountID},
		"aws:userid":                 {c.caller.UserID},
		"aws:CurrentTime":            {now.UTC().Format(time.RFC3339)},
		"aws:EpochTime":              {fmt.Sprint(now.Unix())},
		"aws:SecureTransport":        {"false"},
		"aws:RequestedRegion":        {c.region},
		"aws:PrincipalType":          {principalType(c.caller.ARN)},
		"aws:ViaAWSService":          {"false"},
		"aws:MultiFactorAuthPresent": {"false"},
	}
	// The key's own keys: aws:PrincipalArn is the role's ARN for a role
	// session, plus aws:username, aws:PrincipalTag/* and aws:SourceIdentity.
	for k, v := range c.principalKeys {
		ctx[k] = v
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
