package connectors

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/role"
)

// ErrInvalidConnection is wrapped by every error [Connection.Validate] returns.
var ErrInvalidConnection = errors.New("connectors: invalid connection")

// The paths of a [Connection]'s own fields, as [FieldError.Path] names them:
// each is the field's JSON path in a Connection, so a form that names its
// inputs by these paths marks the input a FieldError is about. A kind's own
// field is "fields." + its [Field.Key].
const (
	PathWorkspaceID     = "workspace_id"
	PathProjectID       = "project_id"
	PathKind            = "kind"
	PathRegion          = "region"
	PathEndpoint        = "endpoint"
	PathAuthType        = "auth.type"
	PathRoleARN         = "auth.role_arn"
	PathAccessKeyID     = "auth.access_key_id"
	PathSecretAccessKey = "auth.secret_access_key"
)

// fieldLabels are the labels a user reads beside the inputs of the paths
// above.
var fieldLabels = map[string]string{
	PathWorkspaceID:     "Workspace",
	PathProjectID:       "Project",
	PathKind:            "Connector kind",
	PathRegion:          "Region",
	PathEndpoint:        "Endpoint",
	PathAuthType:        "Authorization type",
	PathRoleARN:         "Role ARN",
	PathAccessKeyID:     "Access key ID",
	PathSecretAccessKey: "Secret access key",
}

// FieldError is one invalid field of a connection.
//
// It is not modified after it is returned, so several goroutines may read it.
type FieldError struct {
	// Path is the field's JSON path in a [Connection], the form input's
	// name: one of the Path constants ([PathRoleARN] is "auth.role_arn"),
	// or "fields." + a [Field.Key] ("fields.bucket").
	Path string `json:"path"`
	// Label is what the user reads beside the input ("Role ARN", "Bucket").
	Label string `json:"label"`
	// Message is a sentence that says what is wrong and how to fix it; it
	// never holds a secret.
	Message string `json:"message"`
	// Withheld reports that the field's value may be a secret (a secret
	// access key pasted into the role ARN or the access key ID, an endpoint
	// that may carry a password, a secret field): the message does not
	// repeat it, and a form must not show it again either, but clear the
	// input. Err then wraps [ErrValueWithheld].
	Withheld bool `json:"withheld,omitempty"`
	// Err is the cause, when it has a sentinel of its own (an
	// *[EndpointError] wraps [ErrEndpointRefused]). Optional.
	Err error `json:"-"`
}

// ErrValueWithheld is the cause of a [FieldError] whose value may be a
// secret and is not repeated; see FieldError.Withheld.
var ErrValueWithheld = errors.New("connectors: the field's value may be a secret and is not repeated")

// Error returns "connectors: <path>: <message>".
func (e *FieldError) Error() string { return "connectors: " + e.Path + ": " + e.Message }

// Unwrap returns [ErrInvalidConnection] and the cause, if any, so errors.Is
// finds both.
func (e *FieldError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidConnection}
	}
	return []error{ErrInvalidConnection, e.Err}
}

// newFieldError is the error of the field at path with label, whose message
// is made a sentence about that field by [sentence].
func newFieldError(path, label, msg string, err error) *FieldError {
	if label == "" {
		label = fieldLabels[path]
	}
	return &FieldError{Path: path, Label: label, Message: sentence(label, msg), Err: err}
}

// withheldFieldError is a FieldError whose value may be a secret: it is
// marked Withheld and wraps [ErrValueWithheld].
func withheldFieldError(path, label, msg string) *FieldError {
	fe := newFieldError(path, label, msg, ErrValueWithheld)
	fe.Withheld = true
	return fe
}

// sentence makes msg a sentence about the field labelled label: a message
// that starts with a verb ("is required", "must be empty") gets the label as
// its subject, a package prefix ("s3: ") is dropped, the first letter is
// capitalised and a full stop ends it.
func sentence(label, msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.Index(msg, ": "); i > 0 && isLowerWord(msg[:i]) && i < 12 {
		msg = msg[i+2:]
	}
	first, _, _ := strings.Cut(msg, " ")
	switch first {
	case "is", "must", "has", "needs", "names", "was", "should", "cannot":
		if label != "" {
			msg = label + " " + msg
		}
	}
	if msg == "" {
		return label + " is not valid."
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	return msg
}

// isLowerWord reports whether s is one lower-case word, as a package name
// ("s3", "lex").
func isLowerWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'a' || s[i] > 'z') && (i == 0 || s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return s != ""
}

// ValidationError lists every invalid field of a connection, in form order, so
// a form can mark them all at once. It marshals as {"fields":[...]}.
//
// It is not modified after it is returned, so several goroutines may read it.
type ValidationError struct {
	// Fields are the invalid fields.
	Fields []*FieldError `json:"fields"`
}

// Error joins the field errors.
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Path + ": " + f.Message
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

// MarshalJSON writes {"fields": [...]}, a list even when empty, so a screen
// iterates it without a null check.
func (e ValidationError) MarshalJSON() ([]byte, error) {
	type plain ValidationError // no MarshalJSON of its own
	e.Fields = nonNil(e.Fields)
	return json.Marshal(plain(e))
}

// Field returns the error of the field at path ("auth.role_arn",
// "fields.bucket"; see [FieldError.Path]).
func (e *ValidationError) Field(path string) (*FieldError, bool) {
	for _, f := range e.Fields {
		if f.Path == path {
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
	add := func(path, format string, args ...any) {
		errs = append(errs, newFieldError(path, "", fmt.Sprintf(format, args...), nil))
	}
	withhold := func(path, msg string) { errs = append(errs, withheldFieldError(path, "", msg)) }
	if c.WorkspaceID == "" {
		add(PathWorkspaceID, "is required: the external ID is derived from it")
	}
	kind, kindOK := reg.Lookup(c.Kind)
	switch {
	case c.Kind == "":
		add(PathKind, "is required; choose one of the registered connector kinds")
	case !kindOK:
		errs = append(errs, newFieldError(PathKind, "", strings.TrimPrefix(reg.unknownKind(c.Kind).Error(), "connectors: "), ErrUnknownKind))
	}
	switch {
	case c.Region == "":
		add(PathRegion, "is required; use a region code such as us-east-1")
	case !KnownRegion(c.Region):
		if near := closestRegions(c.Region); len(near) > 0 {
			add(PathRegion, "%s is not a known region; did you mean %s?", echo.Quote(c.Region), strings.Join(near, " or "))
		} else {
			add(PathRegion, "%s is not a known region; use a region code such as us-east-1", echo.Quote(c.Region))
		}
	}
	if c.Endpoint != "" {
		if msg, secret := checkEndpoint(c.Endpoint); secret {
			withhold(PathEndpoint, msg)
		} else if msg != "" {
			add(PathEndpoint, "%s", msg)
		} else if err := endpoints.CheckURL(c.Endpoint); err != nil {
			var ee *EndpointError
			errors.As(err, &ee)
			errs = append(errs, newFieldError(PathEndpoint, "", ee.message(), err))
		}
	}
	c.validateAuth(add, withhold)
	if kindOK {
		for _, f := range kind.Fields {
			v := c.Fields[f.Key]
			switch {
			case v == "" && f.Required:
				errs = append(errs, newFieldError("fields."+f.Key, f.Label, "is required", nil))
			case v != "" && f.Validate != nil:
				if err := f.Validate(v); err != nil && f.Secret {
					errs = append(errs, withheldFieldError("fields."+f.Key, f.Label, validationMessage(f, v, err)))
				} else if err != nil {
					errs = append(errs, newFieldError("fields."+f.Key, f.Label, validationMessage(f, v, err), nil))
				}
			}
		}
		for _, k := range c.fieldKeys() {
			if _, ok := kind.Field(k); !ok {
				shown, _ := echo.Cut(k) // a key that long names no field: its path and label need not hold it whole
				errs = append(errs, newFieldError("fields."+shown, shown,
					fmt.Sprintf("%s is not a field of connector kind %s; its fields are %s", echo.Quote(k), echo.Quote(c.Kind), kind.fieldList()), ErrUnknownField))
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: errs}
}

func (c Connection) validateAuth(add func(path, format string, args ...any), withhold func(path, msg string)) {
	a := c.Auth
	switch a.Type {
	case AuthIAMRole:
		if a.AccessKeyID != "" {
			add(PathAccessKeyID, "must be empty for IAM role authorization; the platform assumes the role instead")
		}
		if !a.SecretAccessKey.IsZero() {
			withhold(PathSecretAccessKey, "must be empty for IAM role authorization; the platform assumes the role instead")
		}
		if looksLikeSecretKey(a.RoleARN) {
			withhold(PathRoleARN, "holds what looks like a secret access key, not a role ARN; clear it, and enter the role's ARN, such as arn:aws:iam::111122223333:role/name (the value is not repeated here)")
			return
		}
		r, err := role.ParseRoleARN(a.RoleARN)
		if err != nil {
			add(PathRoleARN, "%s", strings.TrimPrefix(err.Error(), "role: "))
			return
		}
		if p := RegionPartition(c.Region); p != "" && p != r.Partition {
			add(PathRoleARN, "is in partition %s but region %s is in partition %s; a role is assumed only within its partition", r.Partition, c.Region, p)
		}
	case AuthAccessKey:
		switch {
		case a.RoleARN == "":
		case looksLikeSecretKey(a.RoleARN):
			withhold(PathRoleARN, "holds what looks like a secret access key; clear it (access key authorization takes no role ARN) and enter the secret access key in its own field (the value is not repeated here)")
		default:
			add(PathRoleARN, "must be empty for access key authorization")
		}
		switch {
		case a.AccessKeyID == "":
			add(PathAccessKeyID, "is required; create an access key for an IAM user (IAM console, Users, Security credentials)")
		case !accessKeyIDPattern.MatchString(a.AccessKeyID):
			// Not quoted: what fails here is most often the secret access
			// key pasted into the wrong field.
			withhold(PathAccessKeyID, "must be 16-128 upper-case letters and digits, such as AKIAIOSFODNN7EXAMPLE; check that the secret access key was not pasted here (the value is not repeated)")
		case strings.HasPrefix(a.AccessKeyID, "ASIA"):
			add(PathAccessKeyID, "%s is a temporary key, which expires; use a long-term key (AKIA...) or, better, IAM role authorization", echo.Quote(a.AccessKeyID))
		}
		switch {
		case a.SecretAccessKey.IsZero():
			add(PathSecretAccessKey, "is required")
		case a.SecretAccessKey == Redacted:
			withhold(PathSecretAccessKey, "is the redaction placeholder "+Redacted+", not a key; enter the secret access key again, or keep the stored one with Connection.KeepSecretsFrom")
		default:
			if n := len(a.SecretAccessKey.Reveal()); n < 16 {
				withhold(PathSecretAccessKey, fmt.Sprintf("is %d characters; AWS secret access keys are 40", n))
			}
		}
	case "":
		add(PathAuthType, "is required: %q (recommended) or %q", AuthIAMRole, AuthAccessKey)
	default:
		add(PathAuthType, "%s is not %q or %q", echo.Quote(string(a.Type)), AuthIAMRole, AuthAccessKey)
	}
}

// looksLikeSecretKey reports whether s is shaped like an AWS secret access
// key (40 base64 characters with at least one of the lower-case letters, '/'
// or '+' that access key IDs and ARNs do not have in that shape), so a form
// that received one in the wrong field says so without repeating it.
func looksLikeSecretKey(s string) bool {
	if len(s) != 40 || strings.HasPrefix(s, "arn:") {
		return false
	}
	lower := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c == '/', c == '+':
			lower = true
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return lower
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
	msg = strings.ReplaceAll(msg, v, Redacted)
	if shown, cut := echo.Cut(v); cut { // a validator that quotes with echo shows the secret's first bytes
		quoted = strconv.Quote(shown)
		msg = strings.ReplaceAll(msg, quoted[1:len(quoted)-1], Redacted)
	}
	return msg
}

// checkEndpoint returns what is wrong with an endpoint override, or "", and
// whether the value may hold a secret (a form must then not show it again).
// It quotes the value only as endpointForPrint shows it: a URL, parsable or
// not, may carry a password or a token.
func checkEndpoint(s string) (msg string, secret bool) {
	shown := endpointForPrint(s)
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a URL; write it as https://HOST[:PORT][/PATH] (the value is not repeated here, since it may hold a password)", true
	case u.User != nil:
		return "must not hold user information (user:password@): the platform signs every request with the connection's credentials", true
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Sprintf("%s must start with https:// (or http:// for a local emulator)", echo.Quote(shown)), false
	case u.Host == "":
		return fmt.Sprintf("%s has no host", echo.Quote(shown)), false
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Sprintf("%s must not have a query or fragment", echo.Quote(shown)), true
	}
	return "", false
}
