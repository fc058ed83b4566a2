package localaws

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/awsconnect/awsconnect/policy"
)

// STS's limits on AssumeRole's parameters.
const (
	minSessionDuration = 15 * time.Minute
	// chainedSessionLimit caps sessions created with role-session
	// credentials ("role chaining").
	chainedSessionLimit = time.Hour
	// maxPackedSessionPolicy is the plain-text limit of the inline session
	// policy.
	maxPackedSessionPolicy = 2048
	maxSessionTags         = 50
	maxSessionPolicyARNs   = 10
)

// sessionNamePattern is STS's rule for RoleSessionName and SourceIdentity.
var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// externalIDPattern is STS's alphabet for ExternalId, which is 2 to 1,224
// characters long (more than regexp's repeat limit, so checked apart).
var externalIDPattern = regexp.MustCompile(`^[\w+=,.@:/-]+$`)

// assumeRole serves sts:AssumeRole as AWS does for a cross-account call:
// the caller's identity policies must allow sts:AssumeRole on the role, and
// the role's trust policy must admit the caller with the request's context
// (sts:ExternalId, session name, source identity, tags). A denial of either,
// or a role that does not exist, is the same AccessDenied, as in AWS.
func (h *stsService) assumeRole(w http.ResponseWriter, r *http.Request, c *call) {
	in, err := parseAssumeRole(queryParams(r, c.body))
	if err != nil {
		c.writeError(w, r, err)
		return
	}
	ctx := map[string][]string{
		"sts:RoleSessionName": {in.sessionName},
	}
	if in.externalID != "" {
		ctx["sts:ExternalId"] = []string{in.externalID}
	}
	if in.sourceIdentity != "" {
		ctx["sts:SourceIdentity"] = []string{in.sourceIdentity}
	}
	if len(in.tags) > 0 {
		keys := make([]string, 0, len(in.tags))
		for k, v := range in.tags {
			keys = append(keys, k)
			ctx["aws:RequestTag/"+k] = []string{v}
		}
		ctx["aws:TagKeys"] = keys
	}
	// The identity side first, as IAM does; its AccessDenied names the
	// platform's own policy, which is the platform operator's to fix.
	if err := c.authorize("sts:AssumeRole", in.roleARN, ctx); err != nil {
		c.writeError(w, r, err)
		return
	}
	res, aerr := h.issueSession(c, in, ctx)
	if aerr != nil {
		c.writeError(w, r, aerr)
		return
	}
	writeQueryResult(w, c, "AssumeRole", res)
}

// issueSession checks the role's side (existence, trust policy, maximum
// duration, session policies) and issues the session's credentials. It holds
// the server's lock, so the answer is written only after it returns.
func (h *stsService) issueSession(c *call, in assumeRoleInput, ctx map[string][]string) (assumeRoleResult, *apiError) {
	s := h.server
	denied := c.errorf(errAccessDenied, "User: %s is not authorized to perform: sts:AssumeRole on resource: %s",
		c.caller.ARN, in.roleARN)

	s.mu.Lock()
	defer s.mu.Unlock()
	account, rl := s.lookupRole(in.roleARN)
	if rl == nil {
		c.entry.Decision = ImplicitlyDenied
		return assumeRoleResult{}, denied
	}
	trustCtx := s.conditionContext(c, ctx)
	actions := []string{"sts:AssumeRole"}
	if len(in.tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if in.sourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		d := rl.trust.doc.Evaluate(policy.Request{Principal: c.caller.ARN, Action: action, Context: trustCtx})
		if d != policy.Allow {
			c.entry.Action, c.entry.Decision = action, logDecision(d)
			if action != "sts:AssumeRole" {
				denied = c.errorf(errAccessDenied, "User: %s is not authorized to perform: %s on resource: %s",
					c.caller.ARN, action, in.roleARN)
			}
			return assumeRoleResult{}, denied
		}
	}

	duration := in.duration
	if duration == 0 {
		duration = time.Hour
	}
	caller := s.keys[c.caller.AccessKeyID]
	switch {
	case duration > rl.maxSession:
		return assumeRoleResult{}, newError(http.StatusBadRequest, "ValidationError",
			"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	case caller != nil && caller.session != nil && duration > chainedSessionLimit:
		return assumeRoleResult{}, newError(http.StatusBadRequest, "ValidationError",
			"The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}

	sessionPolicy, aerr := s.sessionPolicy(in)
	if aerr != nil {
		return assumeRoleResult{}, aerr
	}
	k := s.issueTemporaryKey(account, s.now().Add(duration))
	k.session = &roleSession{
		roleName: rl.name, roleID: rl.id, sessionName: in.sessionName,
		policy: sessionPolicy, tags: in.tags, sourceIdentity: in.sourceIdentity,
	}
	res := assumeRoleResult{Credentials: k.xmlCredentials(), SourceIdentity: in.sourceIdentity}
	res.AssumedRoleUser.Arn = k.caller().ARN
	res.AssumedRoleUser.AssumedRoleID = k.caller().UserID
	return res, nil
}

type assumeRoleResult struct {
	XMLName         xml.Name       `xml:"AssumeRoleResult"`
	Credentials     xmlCredentials `xml:"Credentials"`
	AssumedRoleUser struct {
		AssumedRoleID string `xml:"AssumedRoleId"`
		Arn           string `xml:"Arn"`
	} `xml:"AssumedRoleUser"`
	SourceIdentity string `xml:"SourceIdentity,omitempty"`
}

// assumeRoleInput is AssumeRole's parameters, validated.
type assumeRoleInput struct {
	roleARN, sessionName, externalID, sourceIdentity, policy string
	policyARNs                                               []string
	duration                                                 time.Duration // 0: default
	tags                                                     map[string]string
}

// parseAssumeRole validates the parameters with STS's messages.
func parseAssumeRole(p url.Values) (assumeRoleInput, *apiError) {
	in := assumeRoleInput{
		roleARN:        p.Get("RoleArn"),
		sessionName:    p.Get("RoleSessionName"),
		externalID:     p.Get("ExternalId"),
		sourceIdentity: p.Get("SourceIdentity"),
		policy:         p.Get("Policy"),
	}
	invalid := func(field, value, constraint string) *apiError {
		return newError(http.StatusBadRequest, "ValidationError", fmt.Sprintf(
			"1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint))
	}
	if a, err := arn.Parse(in.roleARN); err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return in, invalid("roleArn", in.roleARN, "Member must be the ARN of an IAM role")
	}
	if !sessionNamePattern.MatchString(in.sessionName) {
		return in, invalid("roleSessionName", in.sessionName, `Member must satisfy regular expression pattern: [\w+=,.@-]{2,64}`)
	}
	if n := len(in.externalID); n != 0 && (n < 2 || n > 1224 || !externalIDPattern.MatchString(in.externalID)) {
		return in, invalid("externalId", in.externalID, `Member must satisfy regular expression pattern: [\w+=,.@:/-]{2,1224}`)
	}
	if in.sourceIdentity != "" && !sessionNamePattern.MatchString(in.sourceIdentity) {
		return in, invalid("sourceIdentity", in.sourceIdentity, `Member must satisfy regular expression pattern: [\w+=,.@-]{2,64}`)
	}
	if v := p.Get("DurationSeconds"); v != "" {
		d, err := durationParam(p, time.Hour, minSessionDuration, maxMaxSessionDuration)
		if err != nil {
			return in, err
		}
		in.duration = d
	}
	if len(in.policy) > maxPackedSessionPolicy {
		return in, newError(http.StatusBadRequest, "PackedPolicyTooLarge",
			fmt.Sprintf("Packed size of the session policy exceeds the %d-character limit.", maxPackedSessionPolicy))
	}
	for i := 1; ; i++ {
		a := p.Get(fmt.Sprintf("PolicyArns.member.%d.arn", i))
		if a == "" {
			break
		}
		in.policyARNs = append(in.policyARNs, a)
	}
	if len(in.policyARNs) > maxSessionPolicyARNs {
		return in, invalid("policyArns", fmt.Sprint(len(in.policyARNs)), "Member must have length less than or equal to 10")
	}
	for i := 1; ; i++ {
		k := p.Get(fmt.Sprintf("Tags.member.%d.Key", i))
		if k == "" {
			break
		}
		if in.tags == nil {
			in.tags = map[string]string{}
		}
		in.tags[k] = p.Get(fmt.Sprintf("Tags.member.%d.Value", i))
	}
	if len(in.tags) > maxSessionTags {
		return in, invalid("tags", fmt.Sprint(len(in.tags)), "Member must have length less than or equal to 50")
	}
	return in, nil
}

// lookupRole finds the role an ARN names, or nil. The server's lock must be
// held.
func (s *Server) lookupRole(roleARN string) (*Account, *iamRole) {
	a, err := arn.Parse(roleARN)
	if err != nil {
		return nil, nil
	}
	account := s.accounts[a.AccountID]
	if account == nil {
		return nil, nil
	}
	rest := strings.TrimPrefix(a.Resource, "role")
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	rl := account.roles[name]
	if rl == nil || rl.path+rl.name != rest {
		return nil, nil
	}
	return account, rl
}

// sessionPolicy merges the inline session policy and the managed ones into
// one document whose statements are their union: a session may do what any
// of its session policies allows (and its role allows). nil means the
// session is not restricted. The server's lock must be held.
func (s *Server) sessionPolicy(in assumeRoleInput) (*policy.Document, *apiError) {
	if in.policy == "" && len(in.policyARNs) == 0 {
		return nil, nil
	}
	merged := &policy.Document{Version: policy.Version2012}
	if in.policy != "" {
		d, err := policy.Parse([]byte(in.policy))
		if err != nil {
			return nil, newError(http.StatusBadRequest, "MalformedPolicyDocument",
				"The session policy is not a valid IAM policy: "+err.Error())
		}
		merged.Statement = append(merged.Statement, d.Statement...)
	}
	for _, a := range in.policyARNs {
		p := s.managedPolicy(a)
		if p == nil {
			return nil, newError(http.StatusBadRequest, "InvalidParameterValue",
				"The policy "+a+" does not exist or is not attachable.")
		}
		merged.Statement = append(merged.Statement, p.doc.doc.Statement...)
	}
	return merged, nil
}
