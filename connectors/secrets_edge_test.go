package connectors

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAuthRefusesThePlaceholderOnItsOwn: an Auth decoded apart from its
// connection (a platform that stores the authorization in its own column)
// refuses the placeholder in every field that can hold a secret, naming it.
func TestAuthRefusesThePlaceholderOnItsOwn(t *testing.T) {
	for doc, path := range map[string]string{
		`{"type":"access_key","access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"[REDACTED]"}`: PathSecretAccessKey,
		`{"type":"access_key","access_key_id":"[REDACTED]"}`:                                            PathAccessKeyID,
		`{"type":"iam_role","role_arn":"[REDACTED]"}`:                                                   PathRoleARN,
	} {
		var a Auth
		err := json.Unmarshal([]byte(doc), &a)
		require.ErrorIs(t, err, ErrRedactedSecret, doc)
		var fe *FieldError
		require.ErrorAs(t, err, &fe, doc)
		require.Equal(t, path, fe.Path, doc)
		require.Equal(t, Auth{}, a, "nothing is decoded from a refused document")

		var c Connection
		err = json.Unmarshal([]byte(`{"id":"c1","auth":`+doc+`}`), &c)
		require.ErrorIs(t, err, ErrRedactedSecret, doc)
		require.ErrorAs(t, err, &fe, doc)
		require.Equal(t, path, fe.Path, "inside a connection too: %s", doc)
	}
}

// TestUnknownAuthTypeIsAFieldError: a stored or submitted connection with
// an authorization type the library does not know fails to decode with the
// error of the form's "auth.type" input, in a sentence.
func TestUnknownAuthTypeIsAFieldError(t *testing.T) {
	var c Connection
	err := json.Unmarshal([]byte(`{"id":"c1","auth":{"type":"password"}}`), &c)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, PathAuthType, fe.Path)
	require.Equal(t, `"password" is not "iam_role" or "access_key".`, fe.Message)
	var ve *ValidationError
	require.ErrorAs(t, Connection{Auth: Auth{Type: "password"}}.Validate(), &ve)
	byValidate, _ := ve.Field(PathAuthType)
	require.Equal(t, byValidate.Message, fe.Message, "decoding and Validate say the same")
	var ee *EnumError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, []string{"iam_role", "access_key"}, ee.Known)
	require.NoError(t, json.Unmarshal([]byte(`{"id":"c1","auth":{}}`), &c), "the zero type decodes, for Validate to report")
}

// TestKeepSecretsFromKeepsNothingOutsideItsConnection: the edit flow's
// copy is tied to one stored connection; without an ID, in another
// workspace, or (for secret fields, which are sent to it) with another
// endpoint, nothing is copied.
func TestKeepSecretsFromKeepsNothingOutsideItsConnection(t *testing.T) {
	stored := keyConn()
	stored.Fields = map[string]string{"bucket": "my-bucket", "token": "tok-stored"}
	blank := func() Connection {
		c := stored
		c.Auth.SecretAccessKey = Redacted
		c.Fields = map[string]string{"bucket": "my-bucket", "token": Redacted}
		return c
	}
	tests := []struct {
		name       string
		edit       func(c, s *Connection)
		wantSecret Secret
		wantToken  string
	}{
		{name: "unchanged", edit: func(c, s *Connection) {}, wantSecret: stored.Auth.SecretAccessKey, wantToken: "tok-stored"},
		{name: "no ID on either", edit: func(c, s *Connection) { c.ID, s.ID = "", "" }, wantSecret: Redacted, wantToken: Redacted},
		{name: "another workspace", edit: func(c, s *Connection) { c.WorkspaceID = "99999" }, wantSecret: Redacted, wantToken: Redacted},
		{name: "another endpoint", edit: func(c, s *Connection) { c.Endpoint = "https://collector.example.net" },
			wantSecret: stored.Auth.SecretAccessKey, wantToken: Redacted},
		{name: "redacted key ID", edit: func(c, s *Connection) { c.Auth.AccessKeyID = Redacted }, wantSecret: Redacted, wantToken: "tok-stored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, s := blank(), stored
			tt.edit(&c, &s)
			c.KeepSecretsFrom(s)
			require.Equal(t, tt.wantSecret, c.Auth.SecretAccessKey)
			require.Equal(t, tt.wantToken, c.Fields["token"])
		})
	}
}

// TestJoinSecretsRefusesWhatSplitSecretsNeverGives: an unknown path, a path
// of a field that is not secret, an empty field key and the placeholder are
// refused with errors that say what to pass; the input is not modified.
func TestJoinSecretsRefusesWhatSplitSecretsNeverGives(t *testing.T) {
	public, secrets := roleConn().SplitSecrets()
	require.Equal(t, map[string]string{"fields.token": "tok-secret-value"}, secrets)
	for path, want := range map[string]string{
		"auth.role_arn":   "is not the path of a secret",
		"fields.bucket":   "is not the path of a secret",
		"fields.":         "is not the path of a secret",
		"token":           "is not the path of a secret",
		"fields.token ":   "is not the path of a secret",
		"auth.secret_key": "is not the path of a secret",
	} {
		_, err := public.JoinSecrets(map[string]string{path: "v"})
		require.ErrorContains(t, err, want, path)
		require.ErrorContains(t, err, PathSecretAccessKey, "the error names what to pass: %s", path)
	}
	_, err := public.JoinSecrets(map[string]string{"fields.token": Redacted})
	require.ErrorIs(t, err, ErrRedactedSecret)
	joined, err := public.JoinSecrets(secrets)
	require.NoError(t, err)
	require.Equal(t, roleConn(), joined)
	_, hasToken := public.Fields["token"]
	require.False(t, hasToken, "JoinSecrets does not modify its receiver's map")
}

// TestSplitSecretsLosesNothingAJSONColumnWouldRedact: a connection not yet
// validated may hold a secret in the wrong field (the secret access key
// pasted as the key ID or role ARN, a password in the endpoint). JSON
// redacts those, so SplitSecrets moves them to secrets: public reads back
// from JSON, and JoinSecrets restores the connection exactly, for Validate
// to report.
func TestSplitSecretsLosesNothingAJSONColumnWouldRedact(t *testing.T) {
	for name, c := range map[string]Connection{
		"secret as key ID":   func() Connection { c := keyConn(); c.Auth.AccessKeyID = keySecret; return c }(),
		"secret as role ARN": func() Connection { c := roleConn(); c.Auth.RoleARN = keySecret; return c }(),
		"password in the endpoint": func() Connection {
			c := roleConn()
			c.Endpoint = "https://u:p@example.com/x?token=abc"
			return c
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			public, secrets := c.SplitSecrets()
			b, err := json.Marshal(public)
			require.NoError(t, err)
			require.NotContains(t, string(b), Redacted, "nothing in public needs redacting")
			var back Connection
			require.NoError(t, json.Unmarshal(b, &back), "%s", b)
			joined, err := back.JoinSecrets(secrets)
			require.NoError(t, err)
			require.Equal(t, c, joined)
		})
	}
	_, err := roleConn().JoinSecrets(map[string]string{PathRoleARN: testRoleARN})
	require.ErrorContains(t, err, "is not the path of a secret", "a real role ARN is not a secret")
	_, err = roleConn().JoinSecrets(map[string]string{PathEndpoint: "https://example.com"})
	require.ErrorContains(t, err, "is not the path of a secret", "a plain endpoint is not a secret")
}
