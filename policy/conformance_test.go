package policy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The cases below are the disagreements with the references that issue 18
// lists; each cites the AWS page whose rule it checks.

// TestUnresolvedVariableNeverGrants follows "IAM policy elements: Variables
// and tags" (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
// "If AWS cannot resolve a variable this might cause the entire statement to
// be invalid." A negated operator whose value holds a variable without a
// value therefore never makes an Allow apply, and neither does a NotResource
// pattern that might name the resource once the variable had a value.
func TestUnresolvedVariableNeverGrants(t *testing.T) {
	type ctx = map[string][]string
	present := ctx{"aws:PrincipalTag/team": {"red"}, "aws:TagKeys": {"a", "b"}, "aws:SourceArn": {"arn:aws:s3:::b"}}
	withUser := ctx{"aws:PrincipalTag/team": {"red"}, "aws:TagKeys": {"a", "b"}, "aws:SourceArn": {"arn:aws:s3:::b"}, "aws:username": {"bob"}}
	tests := []struct {
		name      string
		condition string
		ctx       ctx
		want      Decision
	}{
		{"StringNotEquals", `{"StringNotEquals":{"aws:PrincipalTag/team":"${aws:username}"}}`, present, ImplicitDeny},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"${aws:username}"}}`, present, ImplicitDeny},
		{"StringNotLike", `{"StringNotLike":{"aws:PrincipalTag/team":"${aws:username}*"}}`, present, ImplicitDeny},
		{"ArnNotLike", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::${aws:username}"}}`, present, ImplicitDeny},
		{"ArnNotEquals", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::${aws:username}"}}`, present, ImplicitDeny},
		{"StringNotEqualsIfExists with the key present", `{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"${aws:username}"}}`, present, ImplicitDeny},
		{"one unresolved value among resolved ones", `{"StringNotEquals":{"aws:PrincipalTag/team":["blue","${aws:username}"]}}`, present, ImplicitDeny},
		{"ForAnyValue:StringNotEquals", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"${aws:username}"}}`, present, ImplicitDeny},
		{"ForAllValues:StringNotLike", `{"ForAllValues:StringNotLike":{"aws:TagKeys":"${aws:username}"}}`, present, ImplicitDeny},
		// With the variable resolved the operators work as usual.
		{"StringNotEquals resolved", `{"StringNotEquals":{"aws:PrincipalTag/team":"${aws:username}"}}`, withUser, Allow},
		{"ArnNotLike resolved", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::${aws:username}"}}`, withUser, Allow},
		{"a default value resolves", `{"StringNotEquals":{"aws:PrincipalTag/team":"${aws:username, 'nobody'}"}}`, present, Allow},
		// A positive operator with an unresolved value simply matches nothing.
		{"StringEquals unresolved", `{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}`, present, ImplicitDeny},
		{"StringEquals unresolved beside a match", `{"StringEquals":{"aws:PrincipalTag/team":["${aws:username}","red"]}}`, present, Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":`+tt.condition+`}}`)
			require.Equal(t, tt.want, d.Evaluate(Request{Action: "ec2:StartInstances", Resource: "arn:aws:ec2:us-east-1:111122223333:instance/i-1", Context: tt.ctx}))
		})
	}
}

// TestUnresolvedVariableInNotResource: the reference's case
// arn:aws:ec2:*:*:instance/${aws:PrincipalTag/Foo} with the tag absent.
// Allowing "everything but the caller's instances" when the caller has no tag
// would grant every instance; the statement is invalid instead, whatever
// the resource.
func TestUnresolvedVariableInNotResource(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","NotResource":"arn:aws:ec2:*:*:instance/${aws:PrincipalTag/Foo}"}}`)
	instance := "arn:aws:ec2:us-east-1:111122223333:instance/i-1"
	require.Equal(t, ImplicitDeny, d.Evaluate(Request{Action: "ec2:StartInstances", Resource: instance}))
	require.Equal(t, ImplicitDeny, d.Evaluate(Request{Action: "ec2:StartInstances", Resource: instance, Context: map[string][]string{"aws:PrincipalTag/Foo": {"i-1"}}}))
	require.Equal(t, Allow, d.Evaluate(Request{Action: "ec2:StartInstances", Resource: instance, Context: map[string][]string{"aws:PrincipalTag/Foo": {"i-2"}}}))
	// Even a resource no value could name: the statement is invalid.
	require.Equal(t, ImplicitDeny, d.Evaluate(Request{Action: "ec2:AttachVolume", Resource: "arn:aws:ec2:us-east-1:111122223333:volume/vol-1"}))

	// The same invalid statement as a Deny does not apply either.
	deny := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:*","NotResource":"arn:aws:ec2:*:*:instance/${aws:PrincipalTag/Foo}"}]}`)
	require.Equal(t, Allow, deny.Evaluate(Request{Action: "ec2:StartInstances", Resource: instance}))
	require.Equal(t, Allow, deny.Evaluate(Request{Action: "ec2:AttachVolume", Resource: "arn:aws:ec2:us-east-1:111122223333:volume/vol-1"}))
	require.Equal(t, ExplicitDeny, deny.Evaluate(Request{Action: "ec2:AttachVolume", Resource: "arn:aws:ec2:us-east-1:111122223333:volume/vol-1", Context: map[string][]string{"aws:PrincipalTag/Foo": {"i-1"}}}))
}

// TestBoolTakesPolicyVariables follows "IAM JSON policy elements: Condition
// operators" (reference_policies_elements_condition_operators.html, Boolean
// condition operators: "Policy variables – Supported"): Parse accepts
// {"Bool": {"aws:SecureTransport": "${aws:SomeKey}"}} and Evaluate resolves it.
func TestBoolTakesPolicyVariables(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"${aws:SomeKey}"}}}}`)
	eval := func(c map[string][]string) Decision {
		return d.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: c})
	}
	require.Equal(t, Allow, eval(map[string][]string{"aws:SecureTransport": {"true"}, "aws:SomeKey": {"true"}}))
	require.Equal(t, Allow, eval(map[string][]string{"aws:SecureTransport": {"FALSE"}, "aws:SomeKey": {"false"}}))
	require.Equal(t, ImplicitDeny, eval(map[string][]string{"aws:SecureTransport": {"true"}, "aws:SomeKey": {"false"}}))
	require.Equal(t, ImplicitDeny, eval(map[string][]string{"aws:SecureTransport": {"true"}}), "unresolved")
	require.Equal(t, ImplicitDeny, eval(map[string][]string{"aws:SecureTransport": {"yes"}, "aws:SomeKey": {"yes"}}), "not booleans")

	// A value that is neither a boolean nor a variable is still refused,
	// and Null takes no variable.
	_, err := Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}}`))
	require.ErrorIs(t, err, ErrInvalidValue)
	_, err = Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:SecureTransport":"${aws:SomeKey}"}}}}`))
	require.ErrorIs(t, err, ErrInvalidValue)
}

// TestNullFalseGuardsEmptyMultivaluedKey follows "Multivalued context key
// examples" (reference_policies_condition_examples-multi-valued-context-keys.html):
// "The ForAllValues set operator also returns true if there are no context
// keys in the request, or if the context key value resolves to a null
// dataset, such as an empty string. To prevent missing context keys or
// context keys with empty values from evaluating to true, include the Null
// condition operator in your policy with a value of false".
func TestNullFalseGuardsEmptyMultivaluedKey(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{
		"Null":{"aws:TagKeys":"false"},
		"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}}}`)
	eval := func(c map[string][]string) Decision {
		return d.Evaluate(Request{Action: "ec2:CreateTags", Resource: "arn:aws:ec2:us-east-1:111122223333:instance/i-1", Context: c})
	}
	require.Equal(t, ImplicitDeny, eval(map[string][]string{"aws:TagKeys": {}}), "present but empty")
	require.Equal(t, ImplicitDeny, eval(map[string][]string{"aws:TagKeys": {""}}), "an empty string")
	require.Equal(t, ImplicitDeny, eval(nil), "absent")
	require.Equal(t, Allow, eval(map[string][]string{"aws:TagKeys": {"env"}}))
	require.Equal(t, ImplicitDeny, eval(map[string][]string{"aws:TagKeys": {"env", "cost"}}))

	// Without the guard, ForAllValues holds for the empty set, as documented.
	open := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}}}`)
	require.Equal(t, Allow, open.Evaluate(Request{Action: "ec2:CreateTags", Resource: "*", Context: map[string][]string{"aws:TagKeys": {}}}))

	// Null true holds for the empty key, too.
	null := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"Null":{"aws:TagKeys":"true"}}}}`)
	require.Equal(t, Allow, null.Evaluate(Request{Action: "ec2:CreateTags", Resource: "*", Context: map[string][]string{"aws:TagKeys": {}}}))
	require.Equal(t, ImplicitDeny, null.Evaluate(Request{Action: "ec2:CreateTags", Resource: "*", Context: map[string][]string{"aws:TagKeys": {"env"}}}))
}
