package main

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/awsconnect/awsconnect/connectors"
)

// The inputs of the connection form that are not a Connection's own fields.
const (
	inputID         = "id"
	inputOperations = "operations"
)

// connectionIDPattern is what the console accepts as a connection's name: it
// names the role session in the customer's CloudTrail, so it stays short and
// plain.
var connectionIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// connForm is the connection form as shown: the kinds to choose from, the
// chosen kind's fields and operations, what the user typed (never a
// secret), and the errors beside each input.
type connForm struct {
	page
	Kinds    []connectors.Kind
	Kind     connectors.Kind
	Regions  []string
	Values   map[string]string
	Ops      map[connectors.Operation]bool
	Errs     map[string][]string
	Unplaced []string // errors of no input on the form
}

// Value is what the input named name shows.
func (f connForm) Value(name string) string { return f.Values[name] }

// Err returns the errors of the input named name.
func (f connForm) Err(name string) []string { return f.Errs[name] }

// AuthType is the authorization type shown selected.
func (f connForm) AuthType() string {
	if f.Values["auth.type"] == string(connectors.AuthAccessKey) {
		return string(connectors.AuthAccessKey)
	}
	return string(connectors.AuthIAMRole)
}

// OpenOperations reports whether the kind's operations are typed (IAM
// actions) rather than chosen from a list.
func (f connForm) OpenOperations() bool { return len(f.Kind.Operations) == 0 }

func (f *connForm) addErr(input, msg string) {
	if f.Errs == nil {
		f.Errs = map[string][]string{}
	}
	f.Errs[input] = append(f.Errs[input], msg)
}

// blankForm is the form of a new connection of kind (the first kind when
// kind is not registered), with the local AWS's endpoint filled in.
func (c *console) blankForm(kind string) connForm {
	f := connForm{page: c.page("New connection", "connections"), Kinds: c.registry.Kinds(), Regions: connectors.Regions(),
		Values: map[string]string{"region": "us-east-1", "endpoint": c.local.URL(), "auth.type": string(connectors.AuthIAMRole)},
		Ops:    map[connectors.Operation]bool{}}
	f.Kind = f.Kinds[0]
	if k, ok := c.registry.Lookup(kind); ok {
		f.Kind = k
	}
	f.Values["kind"] = f.Kind.Name
	return f
}

// formInputs lists the inputs the form shows for kind, in form order, so
// that an error of an input the form has is shown beside it.
func formInputs(k connectors.Kind) []string {
	in := []string{inputID, "project_id", "kind", "auth.type", "auth.role_arn", "auth.access_key_id",
		"auth.secret_access_key", "region", "endpoint"}
	for _, f := range k.Fields {
		in = append(in, "fields."+f.Key)
	}
	return append(in, inputOperations)
}

// readForm turns a submitted form into a record, validating every input
// with the library's own rules (Resolver.Validate, Kind.ParseOperations).
// It returns the form to show again and false when anything is invalid;
// the form then holds what the user typed except secrets.
func (c *console) readForm(r *http.Request) (connForm, record, bool) {
	pf := r.PostForm
	f := c.blankForm(pf.Get("kind"))
	f.Values = map[string]string{}
	get := func(name string) string {
		v := strings.TrimSpace(pf.Get(name))
		f.Values[name] = v
		return v
	}
	kindName := get("kind")
	id := get(inputID)
	projectID := get("project_id")
	authType := connectors.AuthType(get("auth.type"))
	conn := connectors.Connection{ID: id, WorkspaceID: c.ws.ID, ProjectID: projectID, Kind: kindName,
		Region: get("region"), Endpoint: get("endpoint"), Auth: connectors.Auth{Type: authType}}
	switch authType {
	case connectors.AuthAccessKey:
		conn.Auth.AccessKeyID = get("auth.access_key_id")
		// The secret is read as typed and never shown again.
		conn.Auth.SecretAccessKey = connectors.Secret(strings.TrimSpace(pf.Get("auth.secret_access_key")))
	default:
		conn.Auth.RoleARN = get("auth.role_arn")
	}
	k, kindOK := c.registry.Lookup(kindName)
	if kindOK {
		for _, fd := range k.Fields {
			name := "fields." + fd.Key
			v := strings.TrimSpace(pf.Get(name))
			if !fd.Secret {
				f.Values[name] = v
			}
			if v != "" {
				if conn.Fields == nil {
					conn.Fields = map[string]string{}
				}
				conn.Fields[fd.Key] = v
			}
		}
	}

	switch {
	case id == "":
		f.addErr(inputID, "Name is required: it identifies the connection and names its role session in the customer's CloudTrail.")
	case !connectionIDPattern.MatchString(id):
		f.addErr(inputID, "Name must be 1-40 lower-case letters, digits and hyphens, starting with a letter or digit, such as marketing-reports.")
	default:
		if _, taken := c.store.get(id); taken {
			f.addErr(inputID, "Name "+id+" is taken by another connection; choose another.")
		}
	}
	if _, ok := c.ws.project(projectID); !ok {
		f.addErr("project_id", "Project is required: choose one of the workspace's projects.")
	}

	inputs := formInputs(f.Kind)
	var verr *connectors.ValidationError
	if err := c.resolver.Validate(conn); errors.As(err, &verr) {
		for _, fe := range verr.Fields {
			in := fieldInput(fe)
			msg := fieldMessage(fe)
			if hidesValue(fe) {
				// What the library will not repeat, the form does not
				// show again: it may be a secret in the wrong field.
				delete(f.Values, in)
			}
			if slices.Contains(inputs, in) {
				f.addErr(in, msg)
			} else {
				f.Unplaced = append(f.Unplaced, msg)
			}
		}
	} else if err != nil {
		f.Unplaced = append(f.Unplaced, sentence(err.Error()))
	}

	var ops []connectors.Operation
	if kindOK {
		var names []string
		if len(k.Operations) == 0 {
			names = strings.FieldsFunc(get(inputOperations), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
		} else {
			names = pf[inputOperations]
		}
		for _, n := range names {
			f.Ops[connectors.Operation(n)] = true
		}
		parsed, err := k.ParseOperations(names)
		switch {
		case err != nil:
			f.addErr(inputOperations, sentence(strings.TrimPrefix(err.Error(), "connectors: ")))
		case len(parsed) == 0:
			f.addErr(inputOperations, "Operations: choose at least one operation the connection will use; its permissions policy grants exactly those.")
		default:
			ops = parsed
		}
	}
	if len(f.Errs) > 0 || len(f.Unplaced) > 0 {
		return f, record{}, false
	}
	return f, record{Conn: conn, Operations: ops}, true
}

// formURL is the address of the blank form of kind.
func formURL(kind string) string { return "/connections/new?kind=" + url.QueryEscape(kind) }
