package localaws

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// iamNamespace is the XML namespace of IAM responses.
const iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"

func init() {
	registerService(serviceSpec{
		name:       "iam",
		protocol:   protocolQuery,
		namespace:  iamNamespace,
		newHandler: func(s *Server) serviceHandler { return &iamService{server: s} },
	})
}

// iamService serves the IAM API (awsQuery) on the caller's own account, for
// roles and customer managed policies. Its state is the accounts' own,
// guarded by the server's lock, so what it creates is what the Go methods
// see, and a role it creates is assumable on the next request.
type iamService struct {
	server *Server
}

// iamOperation serves one IAM action: it reads its parameters, authorises
// the caller and returns the operation's result element.
type iamOperation func(h *iamService, c *call, p url.Values) (any, *apiError)

// iamOperations are the served actions.
var iamOperations = map[string]iamOperation{
	"CreateRole":               (*iamService).createRole,
	"GetRole":                  (*iamService).getRole,
	"DeleteRole":               (*iamService).deleteRole,
	"UpdateAssumeRolePolicy":   (*iamService).updateAssumeRolePolicy,
	"PutRolePolicy":            (*iamService).putRolePolicy,
	"GetRolePolicy":            (*iamService).getRolePolicy,
	"DeleteRolePolicy":         (*iamService).deleteRolePolicy,
	"ListRolePolicies":         (*iamService).listRolePolicies,
	"AttachRolePolicy":         (*iamService).attachRolePolicy,
	"DetachRolePolicy":         (*iamService).detachRolePolicy,
	"ListAttachedRolePolicies": (*iamService).listAttachedRolePolicies,
	"TagRole":                  (*iamService).tagRole,
	"UntagRole":                (*iamService).untagRole,
	"ListRoleTags":             (*iamService).listRoleTags,
	"CreatePolicy":             (*iamService).createPolicy,
	"GetPolicy":                (*iamService).getPolicy,
	"GetPolicyVersion":         (*iamService).getPolicyVersion,
	"DeletePolicy":             (*iamService).deletePolicy,
}

// operation is the query's Action parameter.
func (h *iamService) operation(r *http.Request, body []byte) string {
	return queryParams(r, body).Get("Action")
}

// serve dispatches on Action and writes the result in awsQuery.
func (h *iamService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	op, ok := iamOperations[c.operation]
	if !ok {
		c.writeError(w, r, newError(http.StatusBadRequest, "InvalidAction", fmt.Sprintf(
			"Could not find operation %s for version 2010-05-08 (localaws serves %s)", c.operation, strings.Join(sortedKeys(iamOperations), ", "))))
		return
	}
	res, err := op(h, c, queryParams(r, c.body))
	if err != nil {
		c.writeError(w, r, err)
		return
	}
	writeQueryResult(w, c, c.operation, res)
}

// roleTarget is what authorising a role action needs: the role's ARN (with
// its path when it exists) and its tags as aws:ResourceTag/* keys.
func (h *iamService) roleTarget(c *call, name string) (string, map[string][]string) {
	s := h.server
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(c.caller.AccountID)
	keys := map[string][]string{}
	r := a.roleNamed(name)
	if r == nil {
		return "arn:aws:iam::" + a.id + ":role/" + name, keys
	}
	for _, t := range r.tags {
		keys["aws:ResourceTag/"+t.key] = []string{t.value}
	}
	return a.roleARN(r), keys
}

// authorizeRole checks the role name and authorises action on the role,
// with extra condition keys.
func (h *iamService) authorizeRole(c *call, action, name string, extra map[string][]string) *apiError {
	if err := iamName("roleName", name); err != nil {
		return err
	}
	resource, keys := h.roleTarget(c, name)
	for k, v := range extra {
		keys[k] = v
	}
	if err := c.authorize(action, resource, keys); err != nil {
		return asAPIError(c.protocol, err)
	}
	return nil
}

// onRole runs fn on the caller's role under the server's lock; a missing
// role is IAM's NoSuchEntity.
func (h *iamService) onRole(c *call, name string, fn func(a *Account, r *iamRole) (any, *apiError)) (any, *apiError) {
	s := h.server
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(c.caller.AccountID)
	r := a.roleNamed(name)
	if r == nil {
		return nil, iamError(errNoSuchEntity, "The role with name %s cannot be found.", name)
	}
	return fn(a, r)
}

// requestTags reads Tags.member.N.Key/Value, and the condition keys IAM
// sets for them (aws:RequestTag/*, aws:TagKeys). A tag with its Key or its
// Value missing is refused, as IAM refuses it: both are required members
// of Tag, and reading a missing value as "" would tag the role with a
// value nobody sent.
func requestTags(p url.Values) ([]iamTag, map[string][]string, *apiError) {
	var tags []iamTag
	keys := map[string][]string{}
	for i := 1; ; i++ {
		k, hasKey := p[fmt.Sprintf("Tags.member.%d.Key", i)]
		v, hasValue := p[fmt.Sprintf("Tags.member.%d.Value", i)]
		switch {
		case !hasKey && !hasValue:
			return tags, keys, nil
		case !hasKey:
			return nil, nil, iamError(errIAMValidation, "1 validation error detected: Value null at 'tags.%d.member.key' failed to satisfy constraint: Member must not be null", i)
		case !hasValue:
			return nil, nil, iamError(errIAMValidation, "1 validation error detected: Value null at 'tags.%d.member.value' failed to satisfy constraint: Member must not be null", i)
		}
		t := iamTag{key: k[0], value: v[0]}
		tags = append(tags, t)
		keys["aws:RequestTag/"+t.key] = []string{t.value}
		keys["aws:TagKeys"] = append(keys["aws:TagKeys"], t.key)
	}
}

// memberList reads Name.member.N.
func memberList(p url.Values, name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := p[fmt.Sprintf("%s.member.%d", name, i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// required reads a required parameter, refusing it absent as IAM does.
func required(p url.Values, name string) (string, *apiError) {
	v := p.Get(name)
	if v == "" {
		field := strings.ToLower(name[:1]) + name[1:]
		return "", iamError(errIAMValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	}
	return v, nil
}

func (h *iamService) createRole(c *call, p url.Values) (any, *apiError) {
	in := createRoleInput{name: p.Get("RoleName"), path: p.Get("Path"), description: p.Get("Description"),
		maxSession: DefaultMaxSessionDuration}
	if in.path == "" {
		in.path = "/"
	}
	var err *apiError
	if in.trust, err = required(p, "AssumeRolePolicyDocument"); err != nil {
		return nil, err
	}
	if v := p.Get("MaxSessionDuration"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil {
			return nil, iamError(errIAMValidation, "1 validation error detected: Value '%s' at 'maxSessionDuration' failed to satisfy constraint: Member must be a number", v)
		}
		in.maxSession = time.Duration(n) * time.Second
	}
	if p.Get("PermissionsBoundary") != "" {
		return nil, iamError(errInvalidInput, "localaws does not model permissions boundaries; create the role without PermissionsBoundary")
	}
	var tagKeys map[string][]string
	if in.tags, tagKeys, err = requestTags(p); err != nil {
		return nil, err
	}
	if err := iamName("roleName", in.name); err != nil {
		return nil, err
	}
	if err := iamPath(in.path); err != nil {
		return nil, err
	}
	resource := "arn:aws:iam::" + c.caller.AccountID + ":role" + in.path + in.name
	if aerr := c.authorize("iam:CreateRole", resource, tagKeys); aerr != nil {
		return nil, asAPIError(c.protocol, aerr)
	}
	if len(in.tags) > 0 {
		// IAM asks for iam:TagRole too when a role is created with tags.
		if aerr := c.authorize("iam:TagRole", resource, tagKeys); aerr != nil {
			return nil, asAPIError(c.protocol, aerr)
		}
	}
	s := h.server
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(c.caller.AccountID)
	r, err := a.createRole(in, nil)
	if err != nil {
		return nil, err
	}
	return createRoleResult{Role: roleXML(a, r)}, nil
}

func (h *iamService) getRole(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:GetRole", name, nil); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(a *Account, r *iamRole) (any, *apiError) {
		return getRoleResult{Role: roleXML(a, r)}, nil
	})
}

func (h *iamService) deleteRole(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:DeleteRole", name, nil); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(a *Account, r *iamRole) (any, *apiError) {
		switch {
		case len(r.policies) > 0:
			return nil, iamError(errDeleteConflict, "Cannot delete entity, must delete policies first.")
		case len(r.attached) > 0:
			return nil, iamError(errDeleteConflict, "Cannot delete entity, must detach all policies first.")
		}
		delete(a.roles, r.name)
		return nil, nil
	})
}

func (h *iamService) updateAssumeRolePolicy(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:UpdateAssumeRolePolicy", name, nil); err != nil {
		return nil, err
	}
	text, err := required(p, "PolicyDocument")
	if err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		return nil, h.server.setTrust(r, text)
	})
}

func (h *iamService) putRolePolicy(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:PutRolePolicy", name, nil); err != nil {
		return nil, err
	}
	text, err := required(p, "PolicyDocument")
	if err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		return nil, r.putPolicy(p.Get("PolicyName"), text)
	})
}

func (h *iamService) getRolePolicy(c *call, p url.Values) (any, *apiError) {
	name, policyName := p.Get("RoleName"), p.Get("PolicyName")
	if err := h.authorizeRole(c, "iam:GetRolePolicy", name, nil); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		d, ok := r.policies[policyName]
		if !ok {
			return nil, iamError(errNoSuchEntity, "The role policy with name %s cannot be found.", policyName)
		}
		return getRolePolicyResult{RoleName: r.name, PolicyName: policyName, PolicyDocument: d.encoded()}, nil
	})
}

func (h *iamService) deleteRolePolicy(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:DeleteRolePolicy", name, nil); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		return nil, r.deletePolicy(p.Get("PolicyName"))
	})
}

func (h *iamService) listRolePolicies(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:ListRolePolicies", name, nil); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		page, next, err := paginate(sortedKeys(r.policies), p)
		if err != nil {
			return nil, err
		}
		return listRolePoliciesResult{PolicyNames: xmlMembers[string]{Member: page}, IsTruncated: next != "", Marker: next}, nil
	})
}

// attachTarget checks a PolicyArn parameter and names it as the iam:PolicyARN
// condition key.
func attachTarget(p url.Values) (string, map[string][]string, *apiError) {
	arn, err := required(p, "PolicyArn")
	if err != nil {
		return "", nil, err
	}
	return arn, map[string][]string{"iam:PolicyARN": {arn}}, nil
}

func (h *iamService) attachRolePolicy(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	arn, keys, err := attachTarget(p)
	if err != nil {
		return nil, err
	}
	if err := h.authorizeRole(c, "iam:AttachRolePolicy", name, keys); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(a *Account, r *iamRole) (any, *apiError) {
		if mp := h.server.managedPolicy(arn); mp == nil || a.policyARN(mp) != arn {
			// Only the caller's own customer managed policies are attachable
			// here (AWS managed policies are not modelled).
			return nil, iamError(errNoSuchEntity, "Policy %s does not exist or is not attachable.", arn)
		}
		return nil, h.server.attach(r, arn)
	})
}

func (h *iamService) detachRolePolicy(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	arn, keys, err := attachTarget(p)
	if err != nil {
		return nil, err
	}
	if err := h.authorizeRole(c, "iam:DetachRolePolicy", name, keys); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		return nil, r.detach(arn)
	})
}

func (h *iamService) listAttachedRolePolicies(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:ListAttachedRolePolicies", name, nil); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		arns := slices.Sorted(slices.Values(r.attached))
		page, next, err := paginate(arns, p)
		if err != nil {
			return nil, err
		}
		res := listAttachedRolePoliciesResult{IsTruncated: next != "", Marker: next}
		for _, arn := range page {
			res.AttachedPolicies.Member = append(res.AttachedPolicies.Member, attachedPolicyXML{
				PolicyName: arn[strings.LastIndexByte(arn, '/')+1:], PolicyArn: arn})
		}
		return res, nil
	})
}

func (h *iamService) tagRole(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	tags, keys, aerr := requestTags(p)
	if aerr != nil {
		return nil, aerr
	}
	if len(tags) == 0 {
		return nil, iamError(errIAMValidation, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	if err := h.authorizeRole(c, "iam:TagRole", name, keys); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		merged := mergeTags(r.tags, tags)
		if err := checkTags(tags); err != nil {
			return nil, err
		}
		if err := checkTags(merged); err != nil {
			return nil, err
		}
		r.tags = merged
		return nil, nil
	})
}

func (h *iamService) untagRole(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	remove := memberList(p, "TagKeys")
	if err := h.authorizeRole(c, "iam:UntagRole", name, map[string][]string{"aws:TagKeys": remove}); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		r.tags = slices.DeleteFunc(slices.Clone(r.tags), func(t iamTag) bool {
			return slices.ContainsFunc(remove, func(k string) bool { return strings.EqualFold(k, t.key) })
		})
		return nil, nil
	})
}

func (h *iamService) listRoleTags(c *call, p url.Values) (any, *apiError) {
	name := p.Get("RoleName")
	if err := h.authorizeRole(c, "iam:ListRoleTags", name, nil); err != nil {
		return nil, err
	}
	return h.onRole(c, name, func(_ *Account, r *iamRole) (any, *apiError) {
		return listRoleTagsResult{Tags: tagsXML(r.tags)}, nil
	})
}

func (h *iamService) createPolicy(c *call, p url.Values) (any, *apiError) {
	name, path := p.Get("PolicyName"), p.Get("Path")
	if path == "" {
		path = "/"
	}
	text, err := required(p, "PolicyDocument")
	if err != nil {
		return nil, err
	}
	if err := iamName("policyName", name); err != nil {
		return nil, err
	}
	if err := iamPath(path); err != nil {
		return nil, err
	}
	tags, keys, err := requestTags(p)
	if err != nil {
		return nil, err
	}
	resource := "arn:aws:iam::" + c.caller.AccountID + ":policy" + path + name
	if aerr := c.authorize("iam:CreatePolicy", resource, keys); aerr != nil {
		return nil, asAPIError(c.protocol, aerr)
	}
	if len(tags) > 0 {
		if aerr := c.authorize("iam:TagPolicy", resource, keys); aerr != nil {
			return nil, asAPIError(c.protocol, aerr)
		}
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	s := h.server
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(c.caller.AccountID)
	mp, err := a.createPolicy(name, path, p.Get("Description"), text)
	if err != nil {
		return nil, err
	}
	mp.tags = tags
	return createPolicyResult{Policy: s.policyXML(a, mp)}, nil
}

// onPolicy authorises action on a policy ARN and runs fn on the caller's
// own policy of that ARN under the server's lock.
func (h *iamService) onPolicy(c *call, p url.Values, action string, fn func(a *Account, mp *managedPolicy) (any, *apiError)) (any, *apiError) {
	arn, err := required(p, "PolicyArn")
	if err != nil {
		return nil, err
	}
	if aerr := c.authorize(action, arn, nil); aerr != nil {
		return nil, asAPIError(c.protocol, aerr)
	}
	s := h.server
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(c.caller.AccountID)
	mp := s.managedPolicy(arn)
	if mp == nil || a.policyARN(mp) != arn {
		return nil, iamError(errNoSuchEntity, "Policy %s was not found.", arn)
	}
	return fn(a, mp)
}

func (h *iamService) getPolicy(c *call, p url.Values) (any, *apiError) {
	return h.onPolicy(c, p, "iam:GetPolicy", func(a *Account, mp *managedPolicy) (any, *apiError) {
		return getPolicyResult{Policy: h.server.policyXML(a, mp)}, nil
	})
}

func (h *iamService) getPolicyVersion(c *call, p url.Values) (any, *apiError) {
	return h.onPolicy(c, p, "iam:GetPolicyVersion", func(a *Account, mp *managedPolicy) (any, *apiError) {
		v := p.Get("VersionId")
		if v != managedVersion {
			return nil, iamError(errNoSuchEntity, "Policy %s version %s does not exist or is not attachable.", a.policyARN(mp), v)
		}
		return getPolicyVersionResult{PolicyVersion: policyVersionXML{
			Document: mp.doc.encoded(), VersionID: managedVersion, IsDefaultVersion: true,
			CreateDate: iamTime(mp.created),
		}}, nil
	})
}

func (h *iamService) deletePolicy(c *call, p url.Values) (any, *apiError) {
	return h.onPolicy(c, p, "iam:DeletePolicy", func(a *Account, mp *managedPolicy) (any, *apiError) {
		if h.server.attachments(a.policyARN(mp)) > 0 {
			return nil, iamError(errDeleteConflict, "Cannot delete a policy attached to entities.")
		}
		delete(a.managed, mp.name)
		return nil, nil
	})
}

// paginate applies MaxItems and Marker to a sorted list; the marker is the
// next item, which a later page starts from.
func paginate(items []string, p url.Values) (page []string, next string, err *apiError) {
	limit := 100
	if v := p.Get("MaxItems"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > 1000 {
			return nil, "", iamError(errIAMValidation, "1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", v)
		}
		limit = n
	}
	start := 0
	if m := p.Get("Marker"); m != "" {
		start = slices.IndexFunc(items, func(s string) bool { return s >= m })
		if start < 0 {
			start = len(items)
		}
	}
	items = items[start:]
	if len(items) > limit {
		return items[:limit], items[limit], nil
	}
	return items, "", nil
}

// iamTime is IAM's timestamp format.
func iamTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// roleXML renders a role as IAM's Role element. The server's lock must be
// held.
func roleXML(a *Account, r *iamRole) *iamRoleXML {
	return &iamRoleXML{
		Path: r.path, RoleName: r.name, RoleID: r.id, Arn: a.roleARN(r), CreateDate: iamTime(r.created),
		AssumeRolePolicyDocument: r.trust.encoded(), Description: r.description,
		MaxSessionDuration: int(r.maxSession.Seconds()), Tags: tagsXML(r.tags),
	}
}

// policyXML renders a managed policy as IAM's Policy element. The server's
// lock must be held.
func (s *Server) policyXML(a *Account, mp *managedPolicy) *policyXML {
	arn := a.policyARN(mp)
	return &policyXML{
		PolicyName: mp.name, PolicyID: mp.id, Arn: arn, Path: mp.path, DefaultVersionID: managedVersion,
		AttachmentCount: s.attachments(arn), IsAttachable: true, Description: mp.description,
		CreateDate: iamTime(mp.created), UpdateDate: iamTime(mp.created), Tags: tagsXML(mp.tags),
	}
}

func tagsXML(tags []iamTag) *xmlMembers[tagXML] {
	if len(tags) == 0 {
		return nil
	}
	out := &xmlMembers[tagXML]{}
	for _, t := range tags {
		out.Member = append(out.Member, tagXML{Key: t.key, Value: t.value})
	}
	return out
}

// xmlMembers is awsQuery's list shape, <List><member>...</member></List>.
type xmlMembers[T any] struct {
	Member []T `xml:"member"`
}

type tagXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type iamRoleXML struct {
	Path                     string              `xml:"Path"`
	RoleName                 string              `xml:"RoleName"`
	RoleID                   string              `xml:"RoleId"`
	Arn                      string              `xml:"Arn"`
	CreateDate               string              `xml:"CreateDate"`
	AssumeRolePolicyDocument string              `xml:"AssumeRolePolicyDocument"`
	Description              string              `xml:"Description,omitempty"`
	MaxSessionDuration       int                 `xml:"MaxSessionDuration"`
	Tags                     *xmlMembers[tagXML] `xml:"Tags,omitempty"`
}

type policyXML struct {
	PolicyName       string              `xml:"PolicyName"`
	PolicyID         string              `xml:"PolicyId"`
	Arn              string              `xml:"Arn"`
	Path             string              `xml:"Path"`
	DefaultVersionID string              `xml:"DefaultVersionId"`
	AttachmentCount  int                 `xml:"AttachmentCount"`
	IsAttachable     bool                `xml:"IsAttachable"`
	Description      string              `xml:"Description,omitempty"`
	CreateDate       string              `xml:"CreateDate"`
	UpdateDate       string              `xml:"UpdateDate"`
	Tags             *xmlMembers[tagXML] `xml:"Tags,omitempty"`
}

type policyVersionXML struct {
	Document         string `xml:"Document"`
	VersionID        string `xml:"VersionId"`
	IsDefaultVersion bool   `xml:"IsDefaultVersion"`
	CreateDate       string `xml:"CreateDate"`
}

type attachedPolicyXML struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

type createRoleResult struct {
	XMLName xml.Name    `xml:"CreateRoleResult"`
	Role    *iamRoleXML `xml:"Role"`
}

type getRoleResult struct {
	XMLName xml.Name    `xml:"GetRoleResult"`
	Role    *iamRoleXML `xml:"Role"`
}

type getRolePolicyResult struct {
	XMLName        xml.Name `xml:"GetRolePolicyResult"`
	RoleName       string   `xml:"RoleName"`
	PolicyName     string   `xml:"PolicyName"`
	PolicyDocument string   `xml:"PolicyDocument"`
}

type listRolePoliciesResult struct {
	XMLName     xml.Name           `xml:"ListRolePoliciesResult"`
	PolicyNames xmlMembers[string] `xml:"PolicyNames"`
	IsTruncated bool               `xml:"IsTruncated"`
	Marker      string             `xml:"Marker,omitempty"`
}

type listAttachedRolePoliciesResult struct {
	XMLName          xml.Name                      `xml:"ListAttachedRolePoliciesResult"`
	AttachedPolicies xmlMembers[attachedPolicyXML] `xml:"AttachedPolicies"`
	IsTruncated      bool                          `xml:"IsTruncated"`
	Marker           string                        `xml:"Marker,omitempty"`
}

type listRoleTagsResult struct {
	XMLName     xml.Name            `xml:"ListRoleTagsResult"`
	Tags        *xmlMembers[tagXML] `xml:"Tags"`
	IsTruncated bool                `xml:"IsTruncated"`
}

type createPolicyResult struct {
	XMLName xml.Name   `xml:"CreatePolicyResult"`
	Policy  *policyXML `xml:"Policy"`
}

type getPolicyResult struct {
	XMLName xml.Name   `xml:"GetPolicyResult"`
	Policy  *policyXML `xml:"Policy"`
}

type getPolicyVersionResult struct {
	XMLName       xml.Name         `xml:"GetPolicyVersionResult"`
	PolicyVersion policyVersionXML `xml:"PolicyVersion"`
}
