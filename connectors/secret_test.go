package connectors

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

func TestSecretsNeverPrint(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	const token = "tok-secret-value"
	c := keyConn()
	c.Auth.SecretAccessKey = secret
	c.Fields["token"] = token
	unregistered := c
	unregistered.Kind = "not-registered"
	unregistered.Fields = map[string]string{"password": "unregistered-secret"}

	values := map[string]any{
		"secret":                c.Auth.SecretAccessKey,
		"auth":                  c.Auth,
		"connection":            c,
		"pointer":               &c,
		"unregistered kind":     unregistered,
		"connection in a slice": []Connection{c},
		"in a struct":           struct{ C Connection }{c},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
				fmt.Fprintf(&out, verb+"\n", v)
			}
			if s, ok := v.(fmt.Stringer); ok {
				out.WriteString(s.String())
			}
			if s, ok := v.(fmt.GoStringer); ok {
				out.WriteString(s.GoString())
			}
			slog.New(slog.NewJSONHandler(&out, nil)).Info("m", "v", v)
			slog.New(slog.NewTextHandler(&out, nil)).Info("m", "v", v)
			j, err := json.Marshal(v)
			require.NoError(t, err)
			out.Write(j)
			for _, s := range []string{secret, token, "unregistered-secret", fmt.Sprintf("%x", secret)} {
				require.NotContains(t, out.String(), s)
			}
		})
	}
	require.Contains(t, c.String(), Redacted)
	require.Contains(t, c.String(), "bucket=my-bucket", "non-secret fields stay readable")
	require.Equal(t, secret, c.Auth.SecretAccessKey.Reveal())
}

func TestSecretDecodesFromJSON(t *testing.T) {
	var a Auth
	require.NoError(t, json.Unmarshal([]byte(`{"type":"access_key","access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"s3cr3t"}`), &a))
	require.Equal(t, "s3cr3t", a.SecretAccessKey.Reveal())
	require.Equal(t, AuthAccessKey, a.Type)
	require.Equal(t, "", Secret("").String())
}

// TestSecretsTypedIntoTheWrongFieldNeverPrint covers what users get wrong in
// a connection form: the secret access key pasted as the key ID, a password
// in the endpoint URL, a secret field's value quoted by its validator. The
// error text, the check report (JSON and String) and every print of the
// connection stay free of them.
func TestSecretsTypedIntoTheWrongFieldNeverPrint(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	reg := testRegistry(nil)
	k, _ := reg.Lookup("test")
	k.Name = "quoting"
	k.Fields = slices.Clone(k.Fields) // the registry's own slice is read-only
	k.Fields[1].Validate = func(v string) error { return fmt.Errorf("%q is not a token", v) }
	require.NoError(t, reg.Register(k))
	tests := []struct {
		name   string
		field  string
		change func(c *Connection)
	}{
		{"secret as access key ID", PathAccessKeyID, func(c *Connection) { c.Auth.AccessKeyID = secret }},
		{"secret as upper-case access key ID", PathAccessKeyID, func(c *Connection) { c.Auth.AccessKeyID = "ASIA" + strings.ToUpper(secret[:20]) }},
		{"password in the endpoint", "endpoint", func(c *Connection) { c.Endpoint = "ftp://admin:" + secret + "@example.com" }},
		{"password in a valid-looking endpoint", "endpoint", func(c *Connection) { c.Endpoint = "https://admin:" + secret + "@example.com" }},
		{"unparsable endpoint with a password", "endpoint", func(c *Connection) { c.Endpoint = "https://admin:" + secret + "@exa mple.com/%zz" }},
		{"secret as role ARN", PathRoleARN, func(c *Connection) { c.Auth.RoleARN = secret }},
		{"secret as role ARN of a role connection", PathRoleARN, func(c *Connection) {
			c.Auth = Auth{Type: AuthIAMRole, RoleARN: secret}
		}},
		{"secret field quoted by its validator", "fields.token", func(c *Connection) { c.Kind = "quoting"; c.Fields["token"] = secret }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := keyConn()
			c.Auth.SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYOTHERKEY"
			tt.change(&c)
			leaked := []string{secret, secret[:20], strings.ToUpper(secret[:20])}
			err := c.validate(reg, EndpointPolicy{})
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			fe, ok := ve.Field(tt.field)
			require.True(t, ok, "%v", err)
			require.NotEmpty(t, fe.Label)
			fj, jerr := json.Marshal(ve)
			require.NoError(t, jerr)
			require.Contains(t, string(fj), `"path":"`+tt.field+`"`)
			r, _ := newTestResolver(t, &fakeSTS{}, reg, scope.WorkspaceMode)
			rep := r.Check(context.Background(), c)
			j, jerr := json.Marshal(rep)
			require.NoError(t, jerr)
			cj, jerr := json.Marshal(c)
			require.NoError(t, jerr)
			var logged bytes.Buffer
			slog.New(slog.NewJSONHandler(&logged, nil)).Info("m", "c", c)
			for _, out := range []string{err.Error(), string(fj), string(j), rep.String(), c.String(), fmt.Sprintf("%+v", c), string(cj), logged.String()} {
				for _, s := range leaked {
					require.NotContains(t, out, s)
				}
			}
		})
	}
}
