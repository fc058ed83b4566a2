package connectors

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/role"
)

// AuthType is how a connection authenticates to the customer's account.
//
// It is a plain value: safe to copy and to read from several goroutines.
type AuthType string

const (
	// AuthIAMRole assumes the customer's role with the platform's credentials
	// and the external ID derived for the connection's workspace or project.
	// This is the way customers should connect: no long-lived key is shared.
	AuthIAMRole AuthType = "iam_role"
	// AuthAccessKey uses an access key ID and secret access key the customer
	// created for an IAM user. Supported for accounts that cannot create roles.
	AuthAccessKey AuthType = "access_key"
)

// Auth holds a connection's authorization: a role ARN for [AuthIAMRole], or
// an access key for [AuthAccessKey]. The secret access key is a [Secret], so
// printing an Auth never shows it.
//
// An Auth is a plain value, safe for concurrent reads.
type Auth struct {
	// Type selects the authorization. Required.
	Type AuthType `json:"type"`
	// RoleARN is the customer's role for AuthIAMRole.
	RoleARN string `json:"role_arn,omitempty"`
	// AccessKeyID is the key ID for AuthAccessKey.
	AccessKeyID string `json:"access_key_id,omitempty"`
	// SecretAccessKey is the secret for AuthAccessKey.
	SecretAccessKey Secret `json:"secret_access_key,omitempty"`
}

// Connection is one stored connection of a platform user to an AWS service:
// what the connection form collects. Validate it with [Connection.Validate];
// turn it into an aws.Config with [Resolver.Config].
//
// Printing a Connection (String, %v, %+v, %#v, slog) redacts the secret
// access key and every field the connector kind marks secret, and every field
// of an unregistered kind. A Connection is a plain value, safe for concurrent
// reads; its Fields map must not be modified while shared.
type Connection struct {
	// ID identifies the connection on the platform; it names the role session
	// in the customer's CloudTrail. Optional.
	ID string `json:"id,omitempty"`
	// WorkspaceID is the platform workspace that owns the connection; its
	// external ID is derived from it. Required.
	WorkspaceID string `json:"workspace_id"`
	// ProjectID is the project within the workspace; required when the
	// workspace uses project-scoped external IDs.
	ProjectID string `json:"project_id,omitempty"`
	// Kind is the registered connector kind ("s3", "lex"). Required.
	Kind string `json:"kind"`
	// Region is the AWS region of the service. Required.
	Region string `json:"region"`
	// Endpoint overrides the service endpoint (a VPC endpoint, a local
	// emulator), as an absolute http or https URL. Optional.
	Endpoint string `json:"endpoint,omitempty"`
	// Auth is how the connection authenticates. Required.
	Auth Auth `json:"auth"`
	// Fields holds the kind's own settings by [Field] key. Optional.
	Fields map[string]string `json:"fields,omitempty"`
}

// RoleAccountID is the account of the connection's role: "" for access-key
// authorization or a role ARN that does not parse (Validate reports that).
// Connectors scope their resource ARNs and check calls to it.
func (c Connection) RoleAccountID() string {
	if c.Auth.RoleARN == "" {
		return ""
	}
	r, err := role.ParseRoleARN(c.Auth.RoleARN)
	if err != nil {
		return ""
	}
	return r.AccountID
}

// String describes the connection with its secrets redacted.
func (c Connection) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "connection %q (kind %s, workspace %s", c.ID, c.Kind, c.WorkspaceID)
	if c.ProjectID != "" {
		fmt.Fprintf(&b, ", project %s", c.ProjectID)
	}
	fmt.Fprintf(&b, ", region %s", c.Region)
	if c.Endpoint != "" {
		fmt.Fprintf(&b, ", endpoint %s", endpointForPrint(c.Endpoint))
	}
	b.WriteString(", ")
	b.WriteString(c.Auth.String())
	for _, k := range c.fieldKeys() {
		fmt.Fprintf(&b, ", %s=%s", k, c.fieldForPrint(k))
	}
	b.WriteString(")")
	return b.String()
}

// GoString is the %#v form, redacted like String.
func (c Connection) GoString() string { return "connectors.Connection{" + c.String() + "}" }

// Format makes every fmt verb print the redacted String form.
func (c Connection) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String, c.GoString) }

// formatRedacted prints str for every verb but %#v, which prints goStr: no
// verb may reach the fields themselves, which hold secrets.
func formatRedacted(f fmt.State, verb rune, str, goStr func() string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprint(f, goStr())
		return
	}
	_, _ = fmt.Fprint(f, str())
}

// LogValue gives slog a group without secrets.
func (c Connection) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("id", c.ID), slog.String("kind", c.Kind),
		slog.String("workspace", c.WorkspaceID), slog.String("project", c.ProjectID),
		slog.String("region", c.Region), slog.String("endpoint", endpointForPrint(c.Endpoint)),
		slog.Any("auth", c.Auth),
	}
	if len(c.Fields) > 0 {
		fields := make([]slog.Attr, 0, len(c.Fields))
		for _, k := range c.fieldKeys() {
			fields = append(fields, slog.String(k, c.fieldForPrint(k)))
		}
		attrs = append(attrs, slog.Attr{Key: "fields", Value: slog.GroupValue(fields...)})
	}
	return slog.GroupValue(attrs...)
}

// MarshalJSON writes the connection with secret fields redacted, like
// [Secret.MarshalText]: JSON leaves the process (API responses, logs), so it
// never carries a secret. A platform stores secrets encrypted, by itself.
func (c Connection) MarshalJSON() ([]byte, error) {
	type plain Connection // no methods: no recursion
	p := plain(c)
	p.Endpoint = endpointForPrint(c.Endpoint)
	if len(c.Fields) > 0 {
		p.Fields = make(map[string]string, len(c.Fields))
		for k := range c.Fields {
			p.Fields[k] = c.fieldForPrint(k)
		}
	}
	return json.Marshal(p)
}

func (c Connection) fieldKeys() []string {
	keys := make([]string, 0, len(c.Fields))
	for k := range c.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// endpointForPrint shows an endpoint URL's scheme, host and path only: its
// user information, query and fragment, which Validate refuses but an
// unvalidated connection may still be printed with, can hold a password or
// a token. Any other endpoint that is not an absolute URL is redacted whole,
// since nothing tells where a secret in it would end.
func endpointForPrint(e string) string {
	if !strings.ContainsAny(e, ":@?#") {
		return e // a host typed without its scheme: nothing in it is a secret
	}
	u, err := url.Parse(e)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || !printableHost(u) {
		return Redacted
	}
	s := u.Scheme + "://"
	if u.User != nil {
		s += Redacted + "@"
	}
	s += u.Host + u.EscapedPath()
	if u.RawQuery != "" || u.ForceQuery {
		s += "?" + Redacted
	}
	if u.Fragment != "" {
		s += "#" + Redacted
	}
	return s
}

// printableHost reports whether u's authority is a host as DNS names and
// addresses are written, with a numeric port: anything else ("user:PASSWORD:"
// with the @ forgotten, which the URL parser takes for a host) may be a
// credential and is not printed.
func printableHost(u *url.URL) bool {
	host, port := u.Hostname(), u.Port()
	if u.Host != host && u.Host != host+":"+port && u.Host != "["+host+"]" && u.Host != "["+host+"]:"+port {
		return false
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	if strings.HasPrefix(u.Host, "[") {
		_, err := netip.ParseAddr(host)
		return err == nil
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// fieldForPrint redacts secret fields, and every field of a kind that is not
// registered, since nothing says which of its fields are secret.
func (c Connection) fieldForPrint(key string) string {
	v := c.Fields[key]
	kind, ok := Lookup(c.Kind)
	if !ok {
		return Secret(v).String()
	}
	f, ok := kind.Field(key)
	if !ok || f.Secret {
		return Secret(v).String()
	}
	return v
}

// String describes the authorization without the secret access key.
func (a Auth) String() string {
	key, roleARN := accessKeyIDForPrint(a.AccessKeyID), roleARNForPrint(a.RoleARN)
	switch a.Type {
	case AuthIAMRole:
		return fmt.Sprintf("auth iam_role %s", roleARN)
	case AuthAccessKey:
		return fmt.Sprintf("auth access_key %s secret %s", key, a.SecretAccessKey)
	}
	return fmt.Sprintf("auth %s role %s key %s secret %s", echo.Quote(string(a.Type)), roleARN, key, a.SecretAccessKey)
}

// MarshalJSON writes the authorization with the secret redacted, and the
// access key ID too when it is not shaped like one.
func (a Auth) MarshalJSON() ([]byte, error) {
	type plain Auth // no methods: no recursion
	p := plain(a)
	p.AccessKeyID = accessKeyIDForPrint(a.AccessKeyID)
	p.RoleARN = roleARNForPrint(a.RoleARN)
	return json.Marshal(p)
}

// accessKeyIDForPrint shows an access key ID, which AWS itself logs, unless
// it is not shaped like one: then it is most likely the secret access key
// typed into the wrong field.
func accessKeyIDForPrint(id string) string {
	if id == "" || accessKeyIDPattern.MatchString(id) {
		return id
	}
	return Redacted
}

// roleARNForPrint shows a role ARN unless it is shaped like a secret access
// key pasted into the wrong field.
func roleARNForPrint(s string) string {
	if looksLikeSecretKey(s) {
		return Redacted
	}
	return s
}

// GoString is the %#v form, redacted like String.
func (a Auth) GoString() string { return "connectors.Auth{" + a.String() + "}" }

// Format makes every fmt verb print the redacted String form.
func (a Auth) Format(f fmt.State, verb rune) { formatRedacted(f, verb, a.String, a.GoString) }

// LogValue gives slog a group without the secret.
func (a Auth) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("type", string(a.Type)), slog.String("role_arn", roleARNForPrint(a.RoleARN)),
		slog.String("access_key_id", accessKeyIDForPrint(a.AccessKeyID)), slog.String("secret_access_key", a.SecretAccessKey.String()),
	)
}
