package connectors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
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
