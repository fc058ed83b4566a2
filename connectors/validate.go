package connectors

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/awsconnect/awsconnect/role"
)

// ErrInvalidConnection is wrapped by every error [Connection.Validate] returns.
var ErrInvalidConnection = errors.New("connectors: invalid connection")

// FieldError is one invalid field of a connection. Field is the form field's
// name as a user reads it ("region", "role ARN", "fields.bucket").
//
// It is not modified after it is returned, so several goroutines may read it.
type FieldError struct {
	// Field names the field.
	Field string `json:"field"`
	// Message says what is wrong and how to fix it; it never holds a secret.
	Message string `json:"message"`
	// Err is the cause, when it has a sentinel of its own (an
	// *[EndpointError] wraps [ErrEndpointRefused]). Optional.
	Err error `json:"-"`
}

// Error returns "connectors: <field>: <message>".
func (e *FieldError) Error() string { return "connectors: " + e.Field + ": " + e.Message }

// Unwrap returns [ErrInvalidConnection] and the cause, if any, so errors.Is
// finds both.
func (e *FieldError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidConnection}
	}
	return []error{ErrInvalidConnection, e.Err}
}

// ValidationError lists every invalid field of a connection, in form order, so
// a form can mark them all at once.
//
// It is not modified after it is returned, so several goroutines may read it.
type ValidationError struct {
	// Fields are the invalid fields.
	Fields []*FieldError
}

// Error joins the field errors.
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Field + ": " + f.Message
	}
	return "connectors: invalid connection: " + strings.Join(msgs, "; ")
}

// Unwrap returns the field errors, so errors.As finds a *FieldError and
// errors.Is finds [ErrInvalidConnection].
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f
	}
	return out
}

// Field returns the error of the named field.
func (e *ValidationError) Field(name string) (*FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return nil, false
}

// accessKeyIDPattern is IAM's access key ID format: 16-128 word characters;
// keys AWS issues are 20 upper-case characters starting AKIA (long-term) or
// ASIA (temporary, which needs a session token and is refused here).
var accessKeyIDPattern = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)

// Validate checks every field against the kind registered in
// [DefaultRegistry] and the default [EndpointPolicy] (public addresses
// only), and returns a *[ValidationError] naming each invalid field, or nil.
// A platform validates with its own registry and endpoint allowances through
// [Resolver.Validate].
func (c Connection) Validate() error { return c.validate(DefaultRegistry, EndpointPolicy{}) }

func (c Connection) validate(reg *Registry, endpoints EndpointPolicy) error {
	var errs []*FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if c.WorkspaceID == "" {
		add("workspace", "is required: the external ID is derived from it")
	}
	kind, kindOK := reg.Lookup(c.Kind)
	switch {
	case c.Kind == "":
		add("kind", "is required; choose one of the registered connector kinds")
	case !kindOK:
		errs = append(errs, &FieldError{Field: "kind", Message: strings.TrimPrefix(reg.unknownKind(c.Kind).Error(), "connectors: "), Err: ErrUnknownKind})
	}
	switch {
	case c.Region == "":
		add("region", "is required, for example us-east-1")
	case !KnownRegion(c.Region):
		if near := closestRegions(c.Region); len(near) > 0 {
			add("region", "%q is not a known region; did you mean %s?", c.Region, strings.Join(near, " or "))
		} else {
			add("region", "%q is not a known region; use a region code such as us-east-1", c.Region)
		}
	}
	if c.Endpoint != "" {
		if msg := checkEndpoint(c.Endpoint); msg != "" {
			add("endpoint", "%s", msg)
		} else if err := endpoints.CheckURL(c.Endpoint); err != nil {
			var ee *EndpointError
			errors.As(err, &ee)
			errs = append(errs, &FieldError{Field: "endpoint", Message: ee.message(), Err: err})
		}
	}
	c.validateAuth(add)
	if kindOK {
		for _, f := range kind.Fields {
			v := c.Fields[f.Key]
			switch {
			case v == "" && f.Required:
				add("fields."+f.Key, "%s is required", f.Label)
			case v != "" && f.Validate != nil:
				if err := f.Validate(v); err != nil {
					add("fields."+f.Key, "%s", validationMessage(f, v, err))
				}
			}
		}
		for _, k := range c.fieldKeys() {
			if _, ok := kind.Field(k); !ok {
				errs = append(errs, &FieldError{Field: "fields." + k, Err: ErrUnknownField,
					Message: fmt.Sprintf("is not a field of connector kind %q; its fields are %s", c.Kind, kind.fieldList())})
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: errs}
}

func (c Connection) validateAuth(add func(field, format string, args ...any)) {
	a := c.Auth
	switch a.Type {
	case AuthIAMRole:
		if a.AccessKeyID != "" || !a.SecretAccessKey.IsZero() {
			add("access key", "must be empty for IAM role authorization; the platform assumes the role instead")
		}
		r, err := role.ParseRoleARN(a.RoleARN)
		if err != nil {
			add("role ARN", "%s", strings.TrimPrefix(err.Error(), "role: "))
			return
		}
		if p := RegionPartition(c.Region); p != "" && p != r.Partition {
			add("role ARN", "is in partition %s but region %s is in partition %s; a role is assumed only within its partition", r.Partition, c.Region, p)
		}
	case AuthAccessKey:
		if a.RoleARN != "" {
			add("role ARN", "must be empty for access key authorization")
		}
		switch {
		case a.AccessKeyID == "":
			add("access key ID", "is required; create an access key for an IAM user (IAM console, Users, Security credentials)")
		case !accessKeyIDPattern.MatchString(a.AccessKeyID):
			// Not quoted: what fails here is most often the secret access
			// key pasted into the wrong field.
			add("access key ID", "is not an access key ID: it must be 16-128 upper-case letters and digits, such as AKIAIOSFODNN7EXAMPLE (check that it is not the secret access key)")
		case strings.HasPrefix(a.AccessKeyID, "ASIA"):
			add("access key ID", "%q is a temporary key, which expires; use a long-term key (AKIA...) or, better, IAM role authorization", a.AccessKeyID)
		}
		if a.SecretAccessKey.IsZero() {
			add("secret access key", "is required")
		} else if n := len(a.SecretAccessKey.Reveal()); n < 16 {
			add("secret access key", "is %d characters; AWS secret access keys are 40", n)
		}
	case "":
		add("auth type", "is required: %q (recommended) or %q", AuthIAMRole, AuthAccessKey)
	default:
		add("auth type", "%q is not %q or %q", string(a.Type), AuthIAMRole, AuthAccessKey)
	}
}

// validationMessage is the message of field f's validation error for value
// v, with v redacted from it when f is secret: a validator may quote what it
// refuses, and the message reaches error text and check reports.
func validationMessage(f Field, v string, err error) string {
	msg := err.Error()
	if !f.Secret {
		return msg
	}
	quoted := strconv.Quote(v)
	msg = strings.ReplaceAll(msg, quoted[1:len(quoted)-1], Redacted)
	return strings.ReplaceAll(msg, v, Redacted)
}

// checkEndpoint returns what is wrong with an endpoint override, or "". It
// quotes the value only as endpointForPrint shows it: a URL, parsable or
// not, may carry a password or a token.
func checkEndpoint(s string) string {
	shown := endpointForPrint(s)
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a URL; write it as https://HOST[:PORT][/PATH] (the value is not repeated here, since it may hold a password)"
	case u.User != nil:
		return "must not hold user information (user:password@): the platform signs every request with the connection's credentials"
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Sprintf("%q must start with https:// (or http:// for a local emulator)", shown)
	case u.Host == "":
		return fmt.Sprintf("%q has no host", shown)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Sprintf("%q must not have a query or fragment", shown)
	}
	return ""
}
