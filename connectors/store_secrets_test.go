package connectors

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

const keySecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// TestRedactedPlaceholderIsRefused: JSON the library wrote carries
// "[REDACTED]" for each secret, and reading it back must fail, naming the
// field, rather than store the placeholder as the key.
func TestRedactedPlaceholderIsRefused(t *testing.T) {
	tests := []struct {
		name string
		conn func() Connection
		path string
	}{
		{name: "secret access key", conn: keyConn, path: PathSecretAccessKey},
		{name: "secret field", conn: roleConn, path: "fields.token"},
		{name: "secret pasted into the key ID", conn: func() Connection {
			c := keyConn()
			c.Auth.AccessKeyID, c.Auth.SecretAccessKey = keySecret, ""
			return c
		}, path: PathAccessKeyID},
		{name: "password in the endpoint", conn: func() Connection {
			c := roleConn()
			c.Endpoint = "https://u:p@example.com"
			c.Fields = map[string]string{"bucket": "my-bucket"}
			return c
		}, path: PathEndpoint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.conn())
			require.NoError(t, err)
			require.Contains(t, string(b), Redacted)
			var back Connection
			err = json.Unmarshal(b, &back)
			require.ErrorIs(t, err, ErrRedactedSecret)
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tt.path, fe.Path)
			require.Contains(t, fe.Message, "placeholder")
			require.Contains(t, fe.Message, "KeepSecretsFrom")
			require.Equal(t, Connection{}, back, "nothing is decoded from a refused document")
		})
	}
	var s Secret
	err := json.Unmarshal([]byte(`"[REDACTED]"`), &s)
	require.ErrorIs(t, err, ErrRedactedSecret)
	require.True(t, s.IsZero())
	require.NoError(t, json.Unmarshal([]byte(`"a-real-secret"`), &s))
	require.Equal(t, "a-real-secret", s.Reveal())

	c := keyConn()
	c.Auth.SecretAccessKey = Redacted // set by hand from a form, not decoded
	var ve *ValidationError
	require.ErrorAs(t, c.Validate(), &ve)
	fe, ok := ve.Field(PathSecretAccessKey)
	require.True(t, ok)
	require.Contains(t, fe.Message, "redaction placeholder")
}

// TestSplitSecretsRoundTrip is how a platform stores a connection: the
// public part as JSON in an ordinary column, the secrets in its encrypted
// column or secret manager, and both joined back into the same connection.
func TestSplitSecretsRoundTrip(t *testing.T) {
	for _, conn := range []Connection{keyConn(), roleConn(), {ID: "u", Kind: "unregistered", Fields: map[string]string{"a": "1"}}} {
		t.Run(conn.ID, func(t *testing.T) {
			orig := conn
			origFields := map[string]string{}
			for k, v := range conn.Fields {
				origFields[k] = v
			}
			public, secrets := conn.SplitSecrets()
			b, err := json.Marshal(public)
			require.NoError(t, err)
			require.NotContains(t, string(b), Redacted, "the public part holds no secret to redact")
			for _, v := range secrets {
				require.NotContains(t, string(b), v)
			}
			var loaded Connection
			require.NoError(t, json.Unmarshal(b, &loaded))
			joined, err := loaded.JoinSecrets(secrets)
			require.NoError(t, err)
			require.Equal(t, orig, joined)
			require.Equal(t, origFields, conn.Fields, "SplitSecrets does not modify the connection")
		})
	}
	_, secrets := keyConn().SplitSecrets()
	require.Equal(t, map[string]string{PathSecretAccessKey: keySecret}, secrets)
	_, secrets = roleConn().SplitSecrets()
	require.Equal(t, map[string]string{"fields.token": "tok-secret-value"}, secrets)

	_, err := roleConn().JoinSecrets(map[string]string{PathRoleARN: "arn:aws:iam::111122223333:role/x"})
	require.ErrorContains(t, err, `"auth.role_arn" is not the path of a secret`)
	_, err = roleConn().JoinSecrets(map[string]string{"fields.bucket": "other"})
	require.ErrorContains(t, err, "is not the path of a secret")
	_, err = keyConn().JoinSecrets(map[string]string{PathSecretAccessKey: Redacted})
	require.ErrorIs(t, err, ErrRedactedSecret)
}

// TestKeepSecretsFrom is the edit flow: the form shows the connection with
// its secrets blank and sends it back; the stored secrets are kept where
// they still belong, and a new value replaces them.
func TestKeepSecretsFrom(t *testing.T) {
	stored := keyConn()
	stored.Fields = map[string]string{"bucket": "my-bucket", "token": "tok-stored"}
	blank := func() Connection {
		c := stored
		c.Auth.SecretAccessKey = ""
		c.Fields = map[string]string{"bucket": "new-bucket", "token": ""}
		return c
	}
	tests := []struct {
		name       string
		submitted  func() Connection
		wantSecret Secret
		wantToken  string
	}{
		{name: "left empty", submitted: blank, wantSecret: stored.Auth.SecretAccessKey, wantToken: "tok-stored"},
		{name: "left redacted", submitted: func() Connection {
			c := blank()
			c.Auth.SecretAccessKey, c.Fields["token"] = Redacted, Redacted
			return c
		}, wantSecret: stored.Auth.SecretAccessKey, wantToken: "tok-stored"},
		{name: "token omitted", submitted: func() Connection { c := blank(); delete(c.Fields, "token"); return c },
			wantSecret: stored.Auth.SecretAccessKey, wantToken: "tok-stored"},
		{name: "new values", submitted: func() Connection {
			c := blank()
			c.Auth.SecretAccessKey, c.Fields["token"] = "a-new-secret-access-key-of-40-characters", "tok-new"
			return c
		}, wantSecret: "a-new-secret-access-key-of-40-characters", wantToken: "tok-new"},
		{name: "new access key ID needs its own secret", submitted: func() Connection {
			c := blank()
			c.Auth.AccessKeyID = "AKIAI44QH8DHBEXAMPLE"
			return c
		}, wantSecret: "", wantToken: "tok-stored"},
		{name: "another connection", submitted: func() Connection { c := blank(); c.ID = "other"; return c }},
		{name: "another kind", submitted: func() Connection { c := blank(); c.Kind = "unregistered"; return c },
			wantSecret: stored.Auth.SecretAccessKey},
		{name: "switched to a role", submitted: func() Connection {
			c := blank()
			c.Auth = Auth{Type: AuthIAMRole, RoleARN: testRoleARN}
			return c
		}, wantToken: "tok-stored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.submitted()
			shared := c.Fields
			before := map[string]string{}
			for k, v := range shared {
				before[k] = v
			}
			c.KeepSecretsFrom(stored)
			require.Equal(t, tt.wantSecret, c.Auth.SecretAccessKey)
			require.Equal(t, tt.wantToken, c.Fields["token"])
			require.Equal(t, "new-bucket", c.Fields["bucket"], "what the user typed is kept")
			require.Equal(t, before, shared, "the submitted map is not modified")
		})
	}
	c := blank()
	c.KeepSecretsFrom(stored)
	require.NoError(t, c.Validate(), "the edited connection is whole again")
	require.False(t, errors.Is(c.Validate(), ErrRedactedSecret))
}
