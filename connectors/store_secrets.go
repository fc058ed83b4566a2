package connectors

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// ErrRedactedSecret is wrapped by the error of decoding a connection (or a
// [Secret]) whose secret is the redaction placeholder [Redacted]: JSON
// written by the library never carries a secret, so such a value is not the
// secret but a copy of the printed form, and accepting it would store a
// wrong key that only fails later.
//
// It is the same value as scope.ErrRedactedSecret (a Deriver's secret).
var ErrRedactedSecret = redact.ErrRedactedSecret

// redactedError is the error of the value at path being [Redacted]. It is
// a *[FieldError], so a form marks the field.
func redactedError(path string) error {
	return newFieldError(path, "", fmt.Sprintf(
		"is %s, the placeholder the library writes in place of a secret, not the secret itself; "+
			"enter the value again, keep the stored one with Connection.KeepSecretsFrom, "+
			"or store secrets apart with Connection.SplitSecrets and JoinSecrets", Redacted), ErrRedactedSecret)
}

// UnmarshalJSON reads a connection as [Connection.MarshalJSON] writes it,
// refusing every value that is the redaction placeholder [Redacted] (the
// secret access key, a secret field, an access key ID or endpoint that were
// redacted) with an error wrapping [ErrRedactedSecret] that names the field.
// A platform that keeps connections as JSON keeps their secrets apart: see
// [Connection.SplitSecrets].
func (c *Connection) UnmarshalJSON(b []byte) error {
	type plain Connection // no methods: no recursion
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		if fe := (*FieldError)(nil); errors.As(err, &fe) {
			return fe // from Auth.UnmarshalJSON, naming its field
		}
		return err
	}
	if strings.Contains(p.Endpoint, Redacted) {
		return redactedError(PathEndpoint)
	}
	for _, k := range slices.Sorted(maps.Keys(p.Fields)) {
		if p.Fields[k] == Redacted {
			return redactedError("fields." + k)
		}
	}
	*c = Connection(p)
	return nil
}

// UnmarshalJSON reads an authorization as [Auth.MarshalJSON] writes it,
// refusing a secret access key, access key ID or role ARN that is the
// redaction placeholder [Redacted] with a *[FieldError] wrapping
// [ErrRedactedSecret], and an authorization type that is neither
// [AuthIAMRole] nor [AuthAccessKey] with the *[FieldError] of "auth.type".
func (a *Auth) UnmarshalJSON(b []byte) error {
	type plain Auth // no methods: no recursion
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		if errors.Is(err, ErrRedactedSecret) {
			return redactedError(PathSecretAccessKey)
		}
		if e := (*EnumError)(nil); errors.As(err, &e) && e.Type == "connectors.AuthType" {
			return newFieldError(PathAuthType, "", fmt.Sprintf("%q is not %q or %q", e.Value, AuthIAMRole, AuthAccessKey), err)
		}
		return err
	}
	switch Redacted {
	case p.AccessKeyID:
		return redactedError(PathAccessKeyID)
	case p.RoleARN:
		return redactedError(PathRoleARN)
	}
	*a = Auth(p)
	return nil
}

// KeepSecretsFrom is the edit flow's step: a form shows a stored connection
// with its secrets blank (or redacted) and sends it back with them unchanged,
// so each secret the submitted connection c leaves empty or [Redacted] is
// copied from stored, the connection as the platform keeps it. A secret is
// kept only where it still belongs: the secret access key when c and stored
// have the same ID, access-key authorization and access key ID (a new key
// needs its own secret), a secret field when they have the same ID and kind.
// A connection without an ID, or moved to another workspace, keeps nothing:
// the ID is what ties the form to the stored connection. A secret field is
// also kept only while the endpoint is unchanged, since it is sent to it.
// Anything else is left as submitted, for Validate to report.
func (c *Connection) KeepSecretsFrom(stored Connection) {
	if c.ID != stored.ID || stored.ID == "" || c.WorkspaceID != stored.WorkspaceID {
		return
	}
	a := &c.Auth
	if (a.SecretAccessKey.IsZero() || a.SecretAccessKey == Redacted) && a.Type == AuthAccessKey &&
		stored.Auth.Type == AuthAccessKey && a.AccessKeyID == stored.Auth.AccessKeyID {
		a.SecretAccessKey = stored.Auth.SecretAccessKey
	}
	if c.Kind != stored.Kind || c.Endpoint != stored.Endpoint {
		return
	}
	cloned := false
	for _, k := range stored.secretFieldKeys() {
		if v := c.Fields[k]; v != "" && v != Redacted {
			continue
		}
		if !cloned { // the submitted map may be shared
			c.Fields, cloned = maps.Clone(c.Fields), true
			if c.Fields == nil {
				c.Fields = map[string]string{}
			}
		}
		c.Fields[k] = stored.Fields[k]
	}
}

// secretFieldKeys are the sorted keys of c's fields that are secret: those
// its kind marks secret, or every field of a kind not registered in
// [DefaultRegistry] (as printing redacts them).
func (c Connection) secretFieldKeys() []string {
	var out []string
	kind, registered := Lookup(c.Kind)
	for _, k := range c.fieldKeys() {
		if f, ok := kind.Field(k); !registered || !ok || f.Secret {
			out = append(out, k)
		}
	}
	return out
}

// SplitSecrets separates a connection for storage: public is c with every
// secret emptied (the secret access key and each secret field), which
// marshals to JSON for an ordinary column and reads back without error;
// secrets holds the values by path ("auth.secret_access_key",
// "fields.token"), for the platform to keep in its own encrypted column or
// secret manager. [Connection.JoinSecrets] puts them back. c is not
// modified.
//
// A value that JSON would redact because it may be a secret typed into the
// wrong field (an access key ID or role ARN shaped like a secret access
// key, an endpoint with user information or a query) is moved to secrets
// too, under its own path ("auth.access_key_id", "auth.role_arn",
// "endpoint"), so nothing is lost and public still reads back, for
// Validate to report.
func (c Connection) SplitSecrets() (public Connection, secrets map[string]string) {
	public = c
	secrets = map[string]string{}
	if !c.Auth.SecretAccessKey.IsZero() {
		secrets[PathSecretAccessKey] = c.Auth.SecretAccessKey.Reveal()
		public.Auth.SecretAccessKey = ""
	}
	if id := c.Auth.AccessKeyID; accessKeyIDForPrint(id) != id {
		secrets[PathAccessKeyID] = id
		public.Auth.AccessKeyID = ""
	}
	if a := c.Auth.RoleARN; roleARNForPrint(a) != a {
		secrets[PathRoleARN] = a
		public.Auth.RoleARN = ""
	}
	if e := c.Endpoint; endpointForPrint(e) != e {
		secrets[PathEndpoint] = e
		public.Endpoint = ""
	}
	if keys := c.secretFieldKeys(); len(keys) > 0 {
		public.Fields = maps.Clone(c.Fields)
		for _, k := range keys {
			secrets["fields."+k] = c.Fields[k]
			delete(public.Fields, k)
		}
	}
	return public, secrets
}

// JoinSecrets returns c with the secrets [Connection.SplitSecrets] took
// out put back. It refuses a path that names no secret ("auth.role_arn"
// with a role ARN, which SplitSecrets leaves in public) and a value that is
// [Redacted], since neither comes from SplitSecrets. c is not modified.
func (c Connection) JoinSecrets(secrets map[string]string) (Connection, error) {
	out, cloned := c, false
	for _, path := range slices.Sorted(maps.Keys(secrets)) {
		v := secrets[path]
		if v == Redacted {
			return Connection{}, redactedError(path)
		}
		switch key, isField := strings.CutPrefix(path, "fields."); {
		case path == PathSecretAccessKey:
			out.Auth.SecretAccessKey = Secret(v)
		case path == PathAccessKeyID && accessKeyIDForPrint(v) != v:
			out.Auth.AccessKeyID = v
		case path == PathRoleARN && roleARNForPrint(v) != v:
			out.Auth.RoleARN = v
		case path == PathEndpoint && endpointForPrint(v) != v:
			out.Endpoint = v
		case isField && key != "" && out.isSecretField(key):
			if !cloned { // c's map may be shared
				out.Fields, cloned = maps.Clone(c.Fields), true
				if out.Fields == nil {
					out.Fields = map[string]string{}
				}
			}
			out.Fields[key] = v
		default:
			return Connection{}, fmt.Errorf("connectors: JoinSecrets: %q is not the path of a secret of connector kind %q; "+
				"pass the map Connection.SplitSecrets returned (%s, or fields.<key> of a secret field)", path, c.Kind, PathSecretAccessKey)
		}
	}
	return out, nil
}

// isSecretField reports whether the field key of c's kind is secret, or
// the kind is not registered.
func (c Connection) isSecretField(key string) bool {
	kind, ok := Lookup(c.Kind)
	if !ok {
		return true
	}
	f, ok := kind.Field(key)
	return ok && f.Secret
}
