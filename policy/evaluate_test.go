package policy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func mustParse(t testing.TB, s string) *Document {
	t.Helper()
	d, err := Parse([]byte(s))
	require.NoError(t, err)
	return d
}

// TestEvaluateLogic follows "Policy evaluation logic" (the decision flow
// within a single policy): explicit deny wins, then allow, else implicit deny.
func TestEvaluateLogic(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"AllowBucket","Effect":"Allow","Action":["s3:Get*","s3:ListBucket"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]},
		{"Sid":"DenySecret","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/secret/*"}]}`)
	tests := []struct {
		name     string
		action   string
		resource string
		want     Decision
	}{
		{"allowed by wildcard action", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a.txt", Allow},
		{"actions match case-insensitively", "S3:getobject", "arn:aws:s3:::amzn-s3-demo-bucket/a.txt", Allow},
		{"bucket ARN", "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", Allow},
		{"explicit deny overrides allow", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/secret/k", ExplicitDeny},
		{"explicit deny on an action nothing allows", "s3:DeleteObject", "arn:aws:s3:::amzn-s3-demo-bucket/secret/k", ExplicitDeny},
		{"no statement matches the action", "s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/a.txt", ImplicitDeny},
		{"other bucket", "s3:GetObject", "arn:aws:s3:::other/a.txt", ImplicitDeny},
		{"resources are case-sensitive", "s3:GetObject", "arn:aws:s3:::AMZN-S3-DEMO-BUCKET/a.txt", ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, d.Evaluate(Request{Action: tt.action, Resource: tt.resource}))
		})
	}
	require.Equal(t, ImplicitDeny, (*Document)(nil).Evaluate(Request{Action: "s3:GetObject"}))
	require.Equal(t, []int{0, 1}, d.Matching(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/secret/x"}))
}

// TestEvaluateNotElements follows "IAM JSON policy elements: NotAction",
// "NotResource" and "NotPrincipal".
func TestEvaluateNotElements(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
		{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}]}`)
	require.Equal(t, Allow, d.Evaluate(Request{Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/i-1"}))
	require.Equal(t, ImplicitDeny, d.Evaluate(Request{Action: "iam:CreateUser", Resource: "arn:aws:iam::123456789012:user/u"}))
	require.Equal(t, ExplicitDeny, d.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::HRBucket/Other"}))
	require.Equal(t, Allow, d.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::HRBucket/Payroll/x"}))

	np := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
		{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:role/admin"},"Action":"s3:*","Resource":"arn:aws:s3:::b/private/*"}]}`)
	require.Equal(t, ExplicitDeny, np.Evaluate(Request{Principal: "arn:aws:iam::111122223333:user/bob", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/private/x"}))
	require.Equal(t, Allow, np.Evaluate(Request{Principal: "arn:aws:iam::444455556666:role/admin", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/private/x"}))
}

// TestEvaluateResourceWildcards follows "IAM JSON policy elements: Resource"
// (wildcards within ARN segments) and the CloudWatch Logs log-group ARN
// forms with and without ":*".
func TestEvaluateResourceWildcards(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:s3:::b", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b", false},
		{"arn:aws:s3:::b?", "arn:aws:s3:::b1", true},
		{"arn:aws:logs:us-east-1:123456789012:log-group:app:*", "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:s1", true},
		{"arn:aws:logs:us-east-1:123456789012:log-group:app:*", "arn:aws:logs:us-east-1:123456789012:log-group:app", false},
		{"arn:aws:logs:us-east-1:123456789012:log-group:app", "arn:aws:logs:us-east-1:123456789012:log-group:app", true},
		{"arn:aws:logs:*:123456789012:log-group:*", "arn:aws:logs:eu-west-1:123456789012:log-group:x", true},
		{"arn:aws:logs:*:123456789012:log-group:*", "arn:aws:logs:eu-west-1:999999999999:log-group:x", false},
		// A wildcard in the region segment does not span into the account.
		{"arn:aws:lambda:us-*:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f", false},
		{"arn:aws:lambda:*:*:function:f*", "arn:aws:lambda:us-east-1:123456789012:function:f:prod", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.arn, func(t *testing.T) {
			d := &Document{Statement: []Statement{{Effect: EffectAllow, Action: Strings{"*"}, Resource: Strings{tt.pattern}}}}
			require.Equal(t, tt.want, d.Evaluate(Request{Action: "x:Y", Resource: tt.arn}) == Allow)
		})
	}
}

// TestEvaluatePrincipal follows "AWS JSON policy elements: Principal":
// account principals, role principals and their sessions, users, services.
func TestEvaluatePrincipal(t *testing.T) {
	tests := []struct {
		principal string
		caller    string
		want      bool
	}{
		{"123456789012", "arn:aws:iam::123456789012:role/platform", true},
		{"123456789012", "arn:aws:sts::123456789012:assumed-role/platform/s", true},
		{"123456789012", "arn:aws:iam::210987654321:role/platform", false},
		{"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:iam::123456789012:root", "123456789012", true},
		{"arn:aws:iam::123456789012:root", "arn:aws:iam::999999999999:root", false},
		{"arn:aws:iam::123456789012:role/platform", "arn:aws:iam::123456789012:role/platform", true},
		{"arn:aws:iam::123456789012:role/path/platform", "arn:aws:sts::123456789012:assumed-role/platform/session", true},
		{"arn:aws:iam::123456789012:role/platform", "arn:aws:sts::123456789012:assumed-role/other/session", false},
		{"arn:aws:iam::123456789012:role/platform", "arn:aws:iam::123456789012:role/other", false},
		{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/bob", false},
		{"arn:aws:sts::123456789012:assumed-role/r/s", "arn:aws:sts::123456789012:assumed-role/r/s", true},
		{"arn:aws:sts::123456789012:assumed-role/r/s", "arn:aws:sts::123456789012:assumed-role/r/t", false},
		{"*", "arn:aws:iam::555555555555:user/x", true},
		{"*", "", true},
		{"123456789012", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.principal+" "+tt.caller, func(t *testing.T) {
			d := &Document{Statement: []Statement{{Effect: EffectAllow, Principal: AWSPrincipal(tt.principal), Action: Strings{"sts:AssumeRole"}}}}
			require.Equal(t, tt.want, d.Evaluate(Request{Principal: tt.caller, Action: "sts:AssumeRole"}) == Allow)
		})
	}
	svc := mustParse(t, `{"Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}`)
	require.Equal(t, Allow, svc.Evaluate(Request{Principal: "lambda.amazonaws.com", Action: "sts:AssumeRole"}))
	require.Equal(t, ImplicitDeny, svc.Evaluate(Request{Principal: "ec2.amazonaws.com", Action: "sts:AssumeRole"}))
	wild := mustParse(t, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`)
	require.Equal(t, Allow, wild.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}))
}

// TestEvaluateConditions follows "IAM JSON policy elements: Condition
// operators" and "Multivalued context keys": values of one key are ORed,
// keys and operators ANDed, a missing key fails a positive operator except
// under IfExists, and Null tests presence.
func TestEvaluateConditions(t *testing.T) {
	type ctx = map[string][]string
	tests := []struct {
		name string
		cond string
		ctx  ctx
		want bool
	}{
		{"StringEquals match", `{"StringEquals":{"sts:ExternalId":"abc"}}`, ctx{"sts:ExternalId": {"abc"}}, true},
		{"StringEquals is case-sensitive", `{"StringEquals":{"sts:ExternalId":"abc"}}`, ctx{"sts:ExternalId": {"ABC"}}, false},
		{"keys match case-insensitively", `{"StringEquals":{"sts:externalid":"abc"}}`, ctx{"STS:ExternalId": {"abc"}}, true},
		{"values ORed", `{"StringEquals":{"sts:ExternalId":["a1","b2"]}}`, ctx{"sts:ExternalId": {"b2"}}, true},
		{"missing key fails", `{"StringEquals":{"sts:ExternalId":"abc"}}`, ctx{}, false},
		{"keys ANDed", `{"StringEquals":{"aws:PrincipalTag/team":"a","aws:RequestedRegion":"us-east-1"}}`, ctx{"aws:PrincipalTag/team": {"a"}}, false},
		{"operators ANDed", `{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"Bool":{"aws:SecureTransport":"true"}}`, ctx{"aws:RequestedRegion": {"us-east-1"}, "aws:SecureTransport": {"false"}}, false},
		{"StringNotEquals", `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}`, ctx{"aws:RequestedRegion": {"ap-south-1"}}, true},
		{"StringNotEquals on a listed value", `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}`, ctx{"aws:RequestedRegion": {"eu-west-1"}}, false},
		// The documented Deny-unless-VPC-endpoint pattern relies on this: no key, no match, the Not form holds.
		{"StringNotEquals with the key missing", `{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`, ctx{}, true},
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/dept":"HR"}}`, ctx{"aws:PrincipalTag/dept": {"hr"}}, true},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/dept":"HR"}}`, ctx{"aws:PrincipalTag/dept": {"hr"}}, false},
		{"StringLike", `{"StringLike":{"s3:prefix":["home/${aws:username}/*","docs/*"]}}`, ctx{"s3:prefix": {"docs/a/b"}}, true},
		{"StringLike ?", `{"StringLike":{"s3:prefix":"a?c"}}`, ctx{"s3:prefix": {"abc"}}, true},
		{"StringNotLike", `{"StringNotLike":{"s3:prefix":"docs/*"}}`, ctx{"s3:prefix": {"docs/x"}}, false},
		{"NumericLessThanEquals", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10"}}, true},
		{"NumericLessThan", `{"NumericLessThan":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"10"}}, false},
		{"NumericGreaterThan", `{"NumericGreaterThan":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"10.5"}}, true},
		{"NumericGreaterThanEquals", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"9"}}, false},
		{"NumericEquals", `{"NumericEquals":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"10.0"}}, true},
		{"NumericNotEquals", `{"NumericNotEquals":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"10"}}, false},
		{"Numeric with a non-number in the request", `{"NumericEquals":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"ten"}}, false},
		{"DateGreaterThan", `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"2026-11-28T13:00:00Z"}}, true},
		{"DateLessThan", `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"2026-11-28T13:00:00Z"}}, false},
		{"DateLessThanEquals epoch", `{"DateLessThanEquals":{"aws:EpochTime":"1577836800"}}`, ctx{"aws:EpochTime": {"1577836800"}}, true},
		{"DateEquals across forms", `{"DateEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"1577836800"}}, true},
		{"DateNotEquals", `{"DateNotEquals":{"aws:CurrentTime":"2020-01-01"}}`, ctx{"aws:CurrentTime": {"2020-01-01T00:00:00Z"}}, false},
		{"DateGreaterThanEquals", `{"DateGreaterThanEquals":{"aws:TokenIssueTime":"2026-01-01T00:00:00Z"}}`, ctx{"aws:TokenIssueTime": {"2026-01-01T00:00:00Z"}}, true},
		{"Bool", `{"Bool":{"aws:SecureTransport":true}}`, ctx{"aws:SecureTransport": {"true"}}, true},
		{"Bool false", `{"Bool":{"aws:SecureTransport":"false"}}`, ctx{"aws:SecureTransport": {"true"}}, false},
		{"BoolIfExists missing", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, ctx{}, true},
		{"BoolIfExists present", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, ctx{"aws:MultiFactorAuthPresent": {"true"}}, false},
		{"StringEqualsIfExists present", `{"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, ctx{"ec2:InstanceType": {"m5.large"}}, false},
		{"Null true with key absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx{}, true},
		{"Null true with key present", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx{"aws:TokenIssueTime": {"x"}}, false},
		{"Null false with key present", `{"Null":{"aws:TokenIssueTime":"false"}}`, ctx{"aws:TokenIssueTime": {"x"}}, true},
		{"Null false with key absent", `{"Null":{"aws:TokenIssueTime":"false"}}`, ctx{}, false},
		{"ArnEquals", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"}}`, ctx{"aws:SourceArn": {"arn:aws:sns:us-east-1:123456789012:topic"}}, true},
		{"ArnLike wildcard segment", `{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:123456789012:function:*"}}`, ctx{"aws:SourceArn": {"arn:aws:lambda:us-east-1:123456789012:function:f"}}, true},
		{"ArnLike other account", `{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:123456789012:function:*"}}`, ctx{"aws:SourceArn": {"arn:aws:lambda:us-east-1:999999999999:function:f"}}, false},
		{"ArnNotLike", `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin"}}`, ctx{"aws:PrincipalArn": {"arn:aws:iam::123456789012:role/admin"}}, false},
		{"ArnNotEquals", `{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/admin"}}`, ctx{"aws:PrincipalArn": {"arn:aws:iam::123456789012:role/dev"}}, true},
		{"IpAddress", `{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}`, ctx{"aws:SourceIp": {"192.0.2.17"}}, true},
		{"NotIpAddress", `{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`, ctx{"aws:SourceIp": {"203.0.113.1"}}, true},
		{"BinaryEquals", `{"BinaryEquals":{"k:b":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, ctx{"k:b": {"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}, true},
		// "Multivalued context keys": set operators.
		{"ForAnyValue one matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}}`, ctx{"aws:TagKeys": {"owner", "env"}}, true},
		{"ForAnyValue none matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}}`, ctx{"aws:TagKeys": {"owner"}}, false},
		{"ForAnyValue missing key", `{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}`, ctx{}, false},
		{"ForAllValues all match", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, ctx{"aws:TagKeys": {"env", "team"}}, true},
		{"ForAllValues one does not", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, ctx{"aws:TagKeys": {"env", "owner"}}, false},
		{"ForAllValues missing key is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, ctx{}, true},
		{"ForAllValues empty key is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, ctx{"aws:TagKeys": {}}, true},
		{"ForAllValues:StringLike", `{"ForAllValues:StringLike":{"aws:TagKeys":"env*"}}`, ctx{"aws:TagKeys": {"env1", "env2"}}, true},
		{"ForAnyValue:StringNotEquals", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, ctx{"aws:TagKeys": {"env", "x"}}, true},
		{"ForAllValues:StringNotEquals", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["env"]}}`, ctx{"aws:TagKeys": {"env", "x"}}, false},
		{"ForAnyValue:StringEqualsIfExists missing", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["env"]}}`, ctx{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":`+tt.cond+`}}`)
			got := d.Evaluate(Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Context: tt.ctx})
			require.Equal(t, tt.want, got == Allow, "decision %v", got)
		})
	}
}

// TestEvaluateInvalidOperatorFailsSafe: a document built in Go with an
// operator Parse would refuse never allows, and always denies.
func TestEvaluateInvalidOperatorFailsSafe(t *testing.T) {
	cond := Conditions{"StringEqual": {"k:k": {"v"}}}
	allow := &Document{Statement: []Statement{{Effect: EffectAllow, Action: Strings{"*"}, Condition: cond}}}
	deny := &Document{Statement: []Statement{{Effect: EffectAllow, Action: Strings{"*"}}, {Effect: EffectDeny, Action: Strings{"*"}, Condition: cond}}}
	r := Request{Action: "s3:GetObject", Context: map[string][]string{"k:k": {"v"}}}
	require.Equal(t, ImplicitDeny, allow.Evaluate(r))
	require.Equal(t, ExplicitDeny, deny.Evaluate(r))
}

// TestEvaluateAll follows "Policy evaluation logic" (identity-based policies
// with session policies): a session policy can only narrow what the identity
// policies allow, and any explicit deny wins.
func TestEvaluateAll(t *testing.T) {
	s3Read := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}}`)
	logs := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}}`)
	denyPut := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}}`)
	sessionGet := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	get := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	put := Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k"}
	logPut := Request{Action: "logs:PutLogEvents", Resource: "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s"}
	tests := []struct {
		name     string
		r        Request
		session  *Document
		identity []*Document
		want     Decision
	}{
		{"no policies", get, nil, nil, ImplicitDeny},
		{"one identity policy allows", get, nil, []*Document{s3Read, logs}, Allow},
		{"second identity policy allows", logPut, nil, []*Document{s3Read, logs}, Allow},
		{"deny in another policy wins", put, nil, []*Document{s3Read, denyPut}, ExplicitDeny},
		{"session policy intersects", get, sessionGet, []*Document{s3Read}, Allow},
		{"session policy does not allow", put, sessionGet, []*Document{s3Read}, ImplicitDeny},
		{"session policy alone grants nothing", get, sessionGet, nil, ImplicitDeny},
		{"deny in session policy wins", put, denyPut, []*Document{s3Read}, ExplicitDeny},
		{"nil identity document is skipped", get, nil, []*Document{nil, s3Read}, Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, EvaluateAll(tt.r, tt.session, tt.identity...))
		})
	}
}

func TestDecisionString(t *testing.T) {
	require.Equal(t, "ImplicitDeny", ImplicitDeny.String())
	require.Equal(t, "Allow", Allow.String())
	require.Equal(t, "ExplicitDeny", ExplicitDeny.String())
	require.Equal(t, "Decision(?)", Decision(7).String())
}

// FuzzEvaluate checks the evaluation invariants of "Policy evaluation
// logic" on arbitrary documents and requests: Evaluate never panics; adding a
// matching Deny statement always gives ExplicitDeny; a document with no Deny
// never gives ExplicitDeny; and the decision does not depend on the case of
// the context keys or of the action.
func FuzzEvaluate(f *testing.F) {
	f.Add(`{"Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"}}`, "s3:GetObject", "arn:aws:s3:::b/k", "", "sts:ExternalId", "x")
	f.Add(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"abc"}}}}`, "sts:AssumeRole", "", "arn:aws:iam::123456789012:role/p", "sts:externalid", "abc")
	f.Add(`{"Statement":{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:*:*:*:*:?*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":"a*"},"NumericLessThan":{"n":5}}}}`, "ec2:Run", "arn:aws:ec2:r:1:i", "", "aws:TagKeys", "ab")
	f.Fuzz(func(t *testing.T, doc, action, resource, principal, key, value string) {
		d, err := Parse([]byte(doc))
		if err != nil {
			return
		}
		r := Request{Principal: principal, Action: action, Resource: resource, Context: map[string][]string{key: {value}}}
		got := d.Evaluate(r)
		hasDeny := false
		for _, s := range d.Statement {
			hasDeny = hasDeny || s.Effect == EffectDeny
		}
		if !hasDeny && got == ExplicitDeny {
			t.Fatalf("ExplicitDeny without a Deny statement")
		}
		upper := Request{Principal: principal, Action: action, Resource: resource, Context: map[string][]string{flipCase(key): {value}}}
		if again := d.Evaluate(upper); again != got {
			t.Fatalf("context key case changed the decision: %v vs %v", got, again)
		}
		// IAM compares actions without case ("IAM JSON policy elements:
		// Action"), in Action and NotAction alike.
		if again := d.Evaluate(Request{Principal: principal, Action: flipCase(action), Resource: resource, Context: r.Context}); again != got {
			t.Fatalf("action case changed the decision: %v vs %v", got, again)
		}
		withDeny := &Document{Version: d.Version, Statement: append(append([]Statement(nil), d.Statement...), Statement{Effect: EffectDeny, Action: Strings{"*"}})}
		if withDeny.Evaluate(r) != ExplicitDeny {
			t.Fatalf("a matching Deny did not win")
		}
		if EvaluateAll(r, nil, d) != got {
			t.Fatalf("EvaluateAll with one document differs from Evaluate")
		}
	})
}

func flipCase(s string) string {
	b := []rune(s)
	for i, r := range b {
		switch {
		case r >= 'a' && r <= 'z':
			b[i] = r - 32
		case r >= 'A' && r <= 'Z':
			b[i] = r + 32
		}
	}
	return string(b)
}
