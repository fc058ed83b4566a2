package policy

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseAcceptsIAMForms follows "IAM JSON policy element reference" (the
// Version, Statement, Principal, Action, Resource and Condition pages): every
// form the reference documents parses into the same Document.
func TestParseAcceptsIAMForms(t *testing.T) {
	tests := []struct {
		name string
		json string
		want *Document
	}{
		{
			name: "IAM JSON policy elements: Statement — a single object",
			json: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`,
			want: &Document{Version: Version2012, Statement: []Statement{{Effect: EffectAllow, Action: Strings{"s3:ListBucket"}, Resource: Strings{"arn:aws:s3:::example_bucket"}}}},
		},
		{
			name: "IAM JSON policy elements: Action — arrays and NotAction, old Version, Id",
			json: `{"Version":"2008-10-17","Id":"cd3ad3d9","Statement":[{"Sid":"1","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}`,
			want: &Document{Version: Version2008, ID: "cd3ad3d9", Statement: []Statement{{Sid: "1", Effect: EffectDeny, NotAction: Strings{"iam:*", "sts:*"}, NotResource: Strings{"arn:aws:s3:::b", "arn:aws:s3:::b/*"}}}},
		},
		{
			name: "AWS JSON policy elements: Principal — wildcard",
			json: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`,
			want: &Document{Statement: []Statement{{Effect: EffectAllow, Principal: &Principal{Wildcard: true}, Action: Strings{"s3:GetObject"}, Resource: Strings{"*"}}}},
		},
		{
			name: "AWS JSON policy elements: Principal — every principal type, NotPrincipal",
			json: `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/r"],"Service":"lambda.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"sts:AssumeRole"},
				{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:*","Resource":"*"}]}`,
			want: &Document{Statement: []Statement{
				{Effect: EffectAllow, Principal: &Principal{AWS: Strings{"123456789012", "arn:aws:iam::123456789012:role/r"}, Service: Strings{"lambda.amazonaws.com"}, Federated: Strings{"cognito-identity.amazonaws.com"}, CanonicalUser: Strings{"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}}, Action: Strings{"sts:AssumeRole"}},
				{Effect: EffectDeny, NotPrincipal: &Principal{AWS: Strings{"arn:aws:iam::444455556666:root"}}, Action: Strings{"s3:*"}, Resource: Strings{"*"}},
			}},
		},
		{
			name: "IAM JSON policy elements: Condition operators — string, bool, number values; IfExists; set operators",
			json: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{
				"Bool":{"aws:SecureTransport":true},
				"NumericLessThanEquals":{"s3:max-keys":10},
				"StringEqualsIfExists":{"s3:prefix":["home/","docs/"]},
				"ForAllValues:StringLike":{"aws:TagKeys":"env*"},
				"Null":{"aws:TokenIssueTime":"false"}}}]}`,
			want: &Document{Version: Version2012, Statement: []Statement{{Effect: EffectAllow, Action: Strings{"s3:ListBucket"}, Resource: Strings{"arn:aws:s3:::b"}, Condition: Conditions{
				"Bool":                    {"aws:SecureTransport": {"true"}},
				"NumericLessThanEquals":   {"s3:max-keys": {"10"}},
				"StringEqualsIfExists":    {"s3:prefix": {"home/", "docs/"}},
				"ForAllValues:StringLike": {"aws:TagKeys": {"env*"}},
				"Null":                    {"aws:TokenIssueTime": {"false"}},
			}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.json))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)

			// Marshal and parse again: the same document.
			b, err := json.Marshal(got)
			require.NoError(t, err)
			again, err := Parse(b)
			require.NoError(t, err)
			require.Equal(t, got, again)

			// json.Unmarshal goes through Parse.
			var viaStd Document
			require.NoError(t, json.Unmarshal([]byte(tt.json), &viaStd))
			require.Equal(t, got, &viaStd)
		})
	}
}

// TestParseRejects checks that Parse refuses what IAM refuses and names the
// statement and element ("IAM JSON policy element reference"; IAM's
// MalformedPolicyDocument errors).
func TestParseRejects(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    error
		message string
	}{
		{"not JSON", `{"Statement":`, ErrSyntax, "policy: malformed JSON"},
		{"trailing data", `{"Statement":{"Effect":"Allow","Action":"s3:*"}} {}`, ErrSyntax, "after the policy document"},
		{"array at top", `[]`, ErrWrongType, "must be a JSON object"},
		{"unknown top element", `{"statement":[]}`, ErrUnknownElement, `policy: statement: a policy has only Version, Id and Statement; did you mean "Statement"?`},
		{"bad version", `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:*"}}`, ErrInvalidValue, `Version: "2012-10-18" is not a policy language version; use "2012-10-17"`},
		{"no statement", `{"Version":"2012-10-17"}`, ErrMissingElement, "needs a Statement element"},
		{"empty statement list", `{"Statement":[]}`, ErrMissingElement, "Statement array is empty"},
		{"duplicate top key", `{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}`, ErrDuplicateKey, `policy: Version: key "Version" appears twice in one object; IAM would keep only one of them, so merge them`},
		{"duplicate statement key", `{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*"}]}`, ErrDuplicateKey, `policy: Statement[0]: Effect: key "Effect" appears twice`},
		{"missing effect", `{"Statement":[{"Sid":"S3","Action":"s3:*"}]}`, ErrMissingElement, `policy: Statement[0] (Sid "S3"): Effect: every statement needs "Effect": "Allow" or "Deny"`},
		{"lowercase effect", `{"Statement":[{"Action":"s3:*"},{"Sid":"S3","Effect":"allow","Action":"s3:*"}]}`, ErrMissingElement, `Statement[0]: Effect`},
		{"lowercase effect alone", `{"Statement":[{"Sid":"S3","Effect":"allow","Action":"s3:*"}]}`, ErrInvalidValue, `policy: Statement[0] (Sid "S3"): Effect: must be "Allow" or "Deny" (case-sensitive), got "allow"`},
		{"missing action", `{"Statement":[{"Effect":"Allow","Resource":"*"}]}`, ErrMissingElement, "Statement[0]: Action: every statement needs Action or NotAction"},
		{"action and notaction", `{"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*"}]}`, ErrConflictingElements, "NotAction: a statement has Action or NotAction, not both"},
		{"resource and notresource", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}]}`, ErrConflictingElements, "NotResource"},
		{"principal and notprincipal", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":"*","NotPrincipal":"*"}]}`, ErrConflictingElements, "NotPrincipal"},
		{"unknown statement element", `{"Statement":[{"Effect":"Allow","Actions":"s3:*"}]}`, ErrUnknownElement, "Statement[0]: Actions: a statement has no such element"},
		{"action wrong type", `{"Statement":[{"Effect":"Allow","Action":5}]}`, ErrWrongType, "Action: must be a string or an array of strings, got a number"},
		{"action element wrong type", `{"Statement":[{"Effect":"Allow","Action":["s3:*",true]}]}`, ErrWrongType, "Action[1]: must be a string, got a boolean"},
		{"action empty array", `{"Statement":[{"Effect":"Allow","Action":[]}]}`, ErrInvalidValue, "must not be an empty array"},
		{"action without service", `{"Statement":[{"Effect":"Allow","Action":"GetObject"}]}`, ErrInvalidValue, `"GetObject" is not an action`},
		{"principal string", `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"123456789012"}]}`, ErrInvalidValue, `write {"AWS": "123456789012"}`},
		{"principal unknown type", `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"aws":"123456789012"}}]}`, ErrUnknownElement, `Principal.aws: principal types are AWS, Service, Federated and CanonicalUser; did you mean "AWS"?`},
		{"principal empty", `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{}}]}`, ErrInvalidValue, "Principal: must not be empty"},
		{"sid wrong type", `{"Statement":[{"Sid":1,"Effect":"Allow","Action":"s3:*"}]}`, ErrWrongType, "Sid: must be a string"},
		{"unknown operator", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"StringEqual":{"a:b":"c"}}}]}`, ErrInvalidValue, "Condition.StringEqual: unknown condition operator"},
		{"Null with IfExists", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"NullIfExists":{"a:b":"true"}}}]}`, ErrInvalidValue, "unknown condition operator"},
		{"condition value object", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"StringEquals":{"a:b":{}}}}]}`, ErrWrongType, "Condition.StringEquals.a:b: a condition value must be a string, number or boolean, got an object"},
		{"condition not a number", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}]}`, ErrInvalidValue, `"ten" is not a number`},
		{"condition not a date", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}}]}`, ErrInvalidValue, `"tomorrow" is not a date`},
		{"condition not a bool", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}]}`, ErrInvalidValue, `"yes" is not a boolean`},
		{"condition duplicate key", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"StringEquals":{"a:b":"1","a:b":"2"}}}]}`, ErrDuplicateKey, `Statement[0]: Condition.StringEquals.a:b: key "a:b" appears twice`},
		{"condition operator without keys", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"StringEquals":{}}}]}`, ErrInvalidValue, "names no condition key"},
		{"too deep", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"StringEquals":{"a:b":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}}]}`, ErrSyntax, "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.json))
			require.Nil(t, d)
			require.ErrorIs(t, err, tt.want)
			require.Contains(t, err.Error(), tt.message)
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
		})
	}
}

// FuzzParse checks that whatever Parse accepts marshals to JSON that Parse
// accepts again as the same document, and that marshalling is stable.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}}`,
		`{"Statement":[{"Sid":"x","Effect":"Deny","NotAction":["iam:*"],"NotResource":"*","NotPrincipal":{"AWS":["1","2"]}}]}`,
		`{"Id":"i","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":1e3}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Condition":{"StringEquals":{"sts:ExternalId":["a\u00e9<&>","b"]}}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error is %T, want *ParseError: %v", err, err)
			}
			return
		}
		b1, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		d2, err := Parse(b1)
		if err != nil {
			t.Fatalf("Parse(Marshal(d)) failed: %v\n%s", err, b1)
		}
		require.Equal(t, d, d2)
		b2, err := json.Marshal(d2)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if string(b1) != string(b2) {
			t.Fatalf("marshalling is not stable:\n%s\n%s", b1, b2)
		}
	})
}

func TestParseIgnoresByteOrderMark(t *testing.T) {
	d, err := Parse([]byte("\xef\xbb\xbf" + `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`))
	require.NoError(t, err)
	require.Equal(t, EffectAllow, d.Statement[0].Effect)
}

func TestDocumentClone(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["1","2"]},"Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"k:k":["v"]}}},{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"*"}]}`)
	c := d.Clone()
	require.Equal(t, d, c)
	c.Statement[0].Principal.AWS[0] = "changed"
	c.Statement[0].Action[0] = "changed"
	c.Statement[0].Condition["StringEquals"]["k:k"][0] = "changed"
	c.Statement[1].NotResource[0] = "changed"
	require.Equal(t, "1", d.Statement[0].Principal.AWS[0])
	require.Equal(t, "s3:*", d.Statement[0].Action[0])
	require.Equal(t, "v", d.Statement[0].Condition["StringEquals"]["k:k"][0])
	require.Equal(t, "*", d.Statement[1].NotResource[0])
	require.Nil(t, (*Document)(nil).Clone())
	require.Equal(t, `{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["1","2"]},"Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"k:k":"v"}}},{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"*"}]}`, d.String())
}
