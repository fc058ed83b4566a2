package connectors

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Connection)
		want   map[string]string // field -> substring of its message
	}{
		{name: "valid role connection", change: func(*Connection) {}},
		{name: "unknown region", change: func(c *Connection) { c.Region = "us-east-9" },
			want: map[string]string{PathRegion: `"us-east-9" is not a known region; did you mean us-east-1 or us-east-2?`}},
		{name: "missing region", change: func(c *Connection) { c.Region = "" }, want: map[string]string{PathRegion: "Region is required"}},
		{name: "bad role ARN", change: func(c *Connection) { c.Auth.RoleARN = "arn:aws:iam::1234:role/x" },
			want: map[string]string{PathRoleARN: "12 digits"}},
		{name: "role ARN in another partition", change: func(c *Connection) { c.Region = "cn-north-1" },
			want: map[string]string{PathRoleARN: "Role ARN is in partition aws but region cn-north-1 is in partition aws-cn"}},
		{name: "role with access key", change: func(c *Connection) { c.Auth.AccessKeyID = "AKIAIOSFODNN7EXAMPLE" },
			want: map[string]string{PathAccessKeyID: "Access key ID must be empty"}},
		{name: "no auth type", change: func(c *Connection) { c.Auth.Type = "" }, want: map[string]string{PathAuthType: "Authorization type is required"}},
		{name: "unknown auth type", change: func(c *Connection) { c.Auth.Type = "password" }, want: map[string]string{PathAuthType: `"password" is not`}},
		{name: "no workspace", change: func(c *Connection) { c.WorkspaceID = "" }, want: map[string]string{PathWorkspaceID: "Workspace is required"}},
		{name: "unknown kind", change: func(c *Connection) { c.Kind = "ftp" }, want: map[string]string{PathKind: `"ftp" is not a registered`}},
		{name: "endpoint without scheme", change: func(c *Connection) { c.Endpoint = "s3.example.com" }, want: map[string]string{PathEndpoint: `"s3.example.com" must start with https://`}},
		{name: "endpoint with query", change: func(c *Connection) { c.Endpoint = "https://x.example.com/?a=b" }, want: map[string]string{PathEndpoint: "query"}},
		{name: "missing required field", change: func(c *Connection) { delete(c.Fields, "bucket") }, want: map[string]string{"fields.bucket": "Bucket is required"}},
		{name: "field validation", change: func(c *Connection) { c.Fields["bucket"] = "ab" }, want: map[string]string{"fields.bucket": "at least 3"}},
		{name: "unknown field", change: func(c *Connection) { c.Fields["color"] = "red" }, want: map[string]string{"fields.color": `"color" is not a field`}},
		{name: "several at once", change: func(c *Connection) { c.Region = "mars-1"; c.Auth.RoleARN = "" },
			want: map[string]string{PathRegion: "not a known region", PathRoleARN: "empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := roleConn()
			tt.change(&c)
			err := c.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConnection)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			require.Len(t, ve.Fields, len(tt.want), "errors: %v", err)
			for field, msg := range tt.want {
				fe, ok := ve.Field(field)
				require.True(t, ok, "no error for %s in %v", field, err)
				require.Contains(t, fe.Message, msg)
				require.Contains(t, fe.Error(), "connectors: "+field+": ")
				require.NotEmpty(t, fe.Label)
				require.Regexp(t, `^[A-Z"].*[.?]$`, fe.Message, "a message is a sentence")
			}
		})
	}
}

func TestValidateAccessKey(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Connection)
		field  string
		msg    string
	}{
		{name: "valid", change: func(*Connection) {}},
		{name: "missing key ID", change: func(c *Connection) { c.Auth.AccessKeyID = "" }, field: PathAccessKeyID, msg: "Access key ID is required"},
		{name: "malformed key ID", change: func(c *Connection) { c.Auth.AccessKeyID = "akia-lower" }, field: PathAccessKeyID, msg: "Access key ID must be 16-128 upper-case letters and digits"},
		{name: "temporary key", change: func(c *Connection) { c.Auth.AccessKeyID = "ASIAIOSFODNN7EXAMPLE" }, field: PathAccessKeyID, msg: "temporary key"},
		{name: "missing secret", change: func(c *Connection) { c.Auth.SecretAccessKey = "" }, field: PathSecretAccessKey, msg: "Secret access key is required"},
		{name: "short secret", change: func(c *Connection) { c.Auth.SecretAccessKey = "short-secret" }, field: PathSecretAccessKey, msg: "is 12 characters"},
		{name: "role ARN as well", change: func(c *Connection) { c.Auth.RoleARN = testRoleARN }, field: PathRoleARN, msg: "Role ARN must be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := keyConn()
			tt.change(&c)
			err := c.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			fe, ok := ve.Field(tt.field)
			require.True(t, ok, "%v", err)
			require.Contains(t, fe.Message, tt.msg)
			require.NotContains(t, err.Error(), "short-secret", "error text must not hold the secret")
		})
	}
}

// TestValidateWithheld: every field error whose value may be a secret is
// marked Withheld (so a form clears the input instead of showing it again)
// and wraps ErrValueWithheld; an ordinary mistake is not marked, so the form
// keeps what the user typed.
func TestValidateWithheld(t *testing.T) {
	const pasted = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" // a secret access key's shape
	tests := []struct {
		name     string
		conn     func() Connection
		path     string
		withheld bool
	}{
		{"secret key in the role ARN", func() Connection { c := roleConn(); c.Auth.RoleARN = pasted; return c }, PathRoleARN, true},
		{"secret key in an access-key connection's role ARN", func() Connection { c := keyConn(); c.Auth.RoleARN = pasted; return c }, PathRoleARN, true},
		{"secret key in the access key ID", func() Connection { c := keyConn(); c.Auth.AccessKeyID = pasted; return c }, PathAccessKeyID, true},
		{"short secret access key", func() Connection { c := keyConn(); c.Auth.SecretAccessKey = "short-secret"; return c }, PathSecretAccessKey, true},
		{"secret access key on a role connection", func() Connection { c := roleConn(); c.Auth.SecretAccessKey = pasted; return c }, PathSecretAccessKey, true},
		{"endpoint with a password", func() Connection { c := roleConn(); c.Endpoint = "https://user:hunter2@s3.example.com"; return c }, PathEndpoint, true},
		{"endpoint with a token in its query", func() Connection { c := roleConn(); c.Endpoint = "https://s3.example.com/?token=hunter2"; return c }, PathEndpoint, true},
		{"endpoint that is no URL", func() Connection { c := roleConn(); c.Endpoint = "https://[hunter2"; return c }, PathEndpoint, true},
		{"malformed role ARN", func() Connection { c := roleConn(); c.Auth.RoleARN = "arn:aws:iam::12:role/x"; return c }, PathRoleARN, false},
		{"region typo", func() Connection { c := roleConn(); c.Region = "us-est-1"; return c }, PathRegion, false},
		{"endpoint without https", func() Connection { c := roleConn(); c.Endpoint = "ftp://s3.example.com"; return c }, PathEndpoint, false},
		{"endpoint on a metadata address", func() Connection { c := roleConn(); c.Endpoint = "http://169.254.169.254"; return c }, PathEndpoint, false},
		{"temporary access key ID", func() Connection { c := keyConn(); c.Auth.AccessKeyID = "ASIAIOSFODNN7EXAMPLE"; return c }, PathAccessKeyID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ve *ValidationError
			require.ErrorAs(t, tt.conn().Validate(), &ve)
			fe, ok := ve.Field(tt.path)
			require.True(t, ok, "no error for %s in %v", tt.path, ve)
			require.Equal(t, tt.withheld, fe.Withheld, fe.Message)
			require.Equal(t, tt.withheld, errors.Is(fe, ErrValueWithheld))
			if tt.withheld {
				require.NotContains(t, fe.Message, "hunter2")
				require.NotContains(t, fe.Message, pasted)
				b, err := json.Marshal(fe)
				require.NoError(t, err)
				require.Contains(t, string(b), `"withheld":true`)
			}
		})
	}
}
