package localaws

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// iamRaw answers one IAM Query request body for the customer account's
// admin, skipping only the signature, so that a test can send what the
// SDK's own validation would stop before the wire (a tag without a value)
// but the AWS CLI or a hand-written client sends.
func iamRaw(t *testing.T, s *Server, c *call, body string) (status int, code, message string) {
	t.Helper()
	h := s.routes["iam"].handler
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	cc := *c
	cc.body, cc.entry = []byte(body), &LogEntry{}
	cc.operation = h.operation(r, cc.body)
	w := httptest.NewRecorder()
	h.serve(w, r, &cc)
	var doc struct {
		Error struct{ Code, Message string }
	}
	require.NoError(t, xml.Unmarshal(w.Body.Bytes(), &doc), w.Body.String())
	return w.Code, doc.Error.Code, doc.Error.Message
}

// TestIAMRefusesMalformedInput: input IAM refuses is refused with IAM's
// error code, a message saying which member is wrong, and nothing created.
// Before, a tag without a Value (or without a Key) was stored with ""
// in its place, and a description over 1,000 characters or with control
// characters was stored as given.
func TestIAMRefusesMalformedInput(t *testing.T) {
	s := startServer(t)
	iamAdmin(t, s, iamAll)
	s.mu.Lock()
	var caller Caller
	for _, k := range s.keys {
		if kc := k.caller(); kc.AccountID == customerAccount {
			caller = kc
		}
	}
	s.mu.Unlock()
	require.NotEmpty(t, caller.ARN)
	c := &call{server: s, service: "iam", protocol: protocolQuery, caller: caller, region: "us-east-1", requestID: "test"}
	trust := url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}`)
	perms := url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	createRole := "Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=" + trust
	createPolicy := "Action=CreatePolicy&PolicyName=p&PolicyDocument=" + perms
	cases := []struct{ name, body, code, message string }{
		{"tag without value", createRole + "&Tags.member.1.Key=team", "ValidationError", "Value null at 'tags.1.member.value'"},
		{"tag without key", createRole + "&Tags.member.1.Value=red", "ValidationError", "Value null at 'tags.1.member.key'"},
		{"second tag without value", createRole + "&Tags.member.1.Key=a&Tags.member.1.Value=b&Tags.member.2.Key=c", "ValidationError", "'tags.2.member.value'"},
		{"description too long", createRole + "&Description=" + strings.Repeat("x", 1001), "ValidationError", "less than or equal to 1000 (it is 1001 characters)"},
		{"description with a control character", createRole + "&Description=a%00b", "ValidationError", "character 2 is '\\x00'"},
		{"description outside Latin-1", createRole + "&Description=" + url.QueryEscape("fine ✓"), "ValidationError", "character 6 is '✓'"},
		{"policy tag without value", createPolicy + "&Tags.member.1.Key=team", "ValidationError", "'tags.1.member.value'"},
		{"policy description too long", createPolicy + "&Description=" + strings.Repeat("x", 1001), "ValidationError", "less than or equal to 1000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, code, message := iamRaw(t, s, c, tc.body)
			require.Equal(t, http.StatusBadRequest, status)
			require.Equal(t, tc.code, code)
			require.Contains(t, message, tc.message)
			_, code, _ = iamRaw(t, s, c, "Action=GetRole&RoleName=r")
			require.Equal(t, "NoSuchEntity", code, "a refused CreateRole creates nothing")
			_, code, _ = iamRaw(t, s, c, "Action=GetPolicy&PolicyArn="+url.QueryEscape("arn:aws:iam::"+customerAccount+":policy/p"))
			require.Equal(t, "NoSuchEntity", code, "a refused CreatePolicy creates nothing")
		})
	}

	// What IAM accepts still works: 1,000 Latin-1 characters, tabs and
	// line breaks, an empty tag value given explicitly.
	desc := url.QueryEscape(strings.Repeat("é", 990) + "\t\r\nok")
	status, code, message := iamRaw(t, s, c, createRole+"&Description="+desc+"&Tags.member.1.Key=empty&Tags.member.1.Value=")
	require.Equal(t, http.StatusOK, status, "%s: %s", code, message)

	status, code, message = iamRaw(t, s, c, "Action=TagRole&RoleName=r&Tags.member.1.Key=team")
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "ValidationError", code)
	require.Contains(t, message, "'tags.1.member.value'")
	_, code, message = iamRaw(t, s, c, "Action=TagRole&RoleName=r")
	require.Equal(t, "ValidationError", code)
	require.Contains(t, message, "Value null at 'tags'")
}

// TestIAMNamesNullAsIAMDoes: a missing name is reported as IAM words it,
// "Value null at 'roleName'", like every other missing required member.
func TestIAMNamesNullAsIAMDoes(t *testing.T) {
	for _, field := range []string{"roleName", "policyName"} {
		err := iamName(field, "")
		require.NotNil(t, err)
		require.Equal(t, "1 validation error detected: Value null at '"+field+"' failed to satisfy constraint: Member must not be null", err.message)
	}
}
