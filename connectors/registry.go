package connectors

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
)

// Field describes one setting of a connector kind, enough for a platform to
// render the connection form and to validate what the user typed.
// A Field is a plain value, safe to read from several goroutines.
type Field struct {
	// Key names the field in [Connection.Fields] ("bucket").
	Key string `json:"key"`
	// Label is the form label ("Bucket").
	Label string `json:"label"`
	// Required fields must be non-empty.
	Required bool `json:"required"`
	// Secret fields are redacted whenever a Connection is printed, and a
	// form should mask them.
	Secret bool `json:"secret"`
	// Hint is help text shown under the field.
	Hint string `json:"hint,omitempty"`
	// Validate checks a non-empty value; its error text is shown to the user
	// after the field's key. Optional.
	Validate func(value string) error `json:"-"`
}

// Checker is what a connector kind's constructor returns: anything that can
// run the connector's own Check steps. Every connectors/<service>.Connector is
// one.
//
// Implementations must be safe for concurrent use.
type Checker interface {
	Check(ctx context.Context) CheckReport
}

// Kind is a connector kind: its name, form fields and constructor. A Kind is
// a plain value, safe to read from several goroutines (New must be safe to
// call from several at once); register it once with [Register].
type Kind struct {
	// Name is the value of [Connection.Kind] ("s3"). Required.
	Name string `json:"name"`
	// Title is the human name ("Amazon S3"). Required.
	Title string `json:"title"`
	// Fields are the kind's settings, in form order. Optional.
	Fields []Field `json:"fields,omitempty"`
	// Operations are the kind's operations, in picker order: each one's
	// stable name, title and IAM actions. Required unless LookupOperation
	// is set.
	Operations []OperationInfo `json:"operations"`
	// LookupOperation resolves operation names for a kind whose operations
	// are open-ended (the signed HTTP connector's are the IAM actions of the
	// APIs the platform calls), returning an error that says why a name is
	// not one. Optional.
	LookupOperation func(name Operation) (OperationInfo, error) `json:"-"`
	// Permissions returns what connection c needs for ops (already parsed)
	// plus what the kind's Check uses, scoped to c's resources in its
	// role's partition; [Kind.Requirements] calls it after validating its
	// arguments. Required.
	Permissions func(c Connection, ops []Operation) ([]policy.Requirement, error) `json:"-"`
	// New builds the kind's connector for a resolved connection, for the
	// generic Check; each connector package also has a typed
	// NewFromConnection. Required.
	New func(cfg aws.Config, c Connection) (Checker, error) `json:"-"`
}

// Field returns the field with the given key.
func (k Kind) Field(key string) (Field, bool) {
	for _, f := range k.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// ErrDuplicateKind is returned (wrapped) when a kind name is registered twice.
var ErrDuplicateKind = errors.New("connectors: connector kind already registered")

// Registry holds connector kinds by name. The zero value is empty and ready to
// use; it is safe for concurrent use by multiple goroutines. A platform that
// offers only some kinds builds its own ([NewRegistry]) and gives it to its
// [Resolver], which validates and checks with it.
type Registry struct {
	mu    sync.RWMutex // guards kinds
	kinds map[string]Kind
}

// NewRegistry returns a registry holding kinds, such as
// NewRegistry(s3.Kind, lambda.Kind) for a platform that offers those two,
// or the error of the first kind [Registry.Register] refuses.
func NewRegistry(kinds ...Kind) (*Registry, error) {
	r := &Registry{}
	for _, k := range kinds {
		if err := r.Register(k); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// DefaultRegistry is the registry that connector packages register into from
// their init functions, and that [Connection.Validate] and [Resolver] use by
// default.
var DefaultRegistry = &Registry{}

// Register adds k, refusing an incomplete kind or a duplicate name.
func (r *Registry) Register(k Kind) error {
	if k.Name == "" || k.Title == "" || k.New == nil || k.Permissions == nil {
		return fmt.Errorf("connectors: kind %s: Name, Title, New and Permissions are required", echo.Quote(k.Name))
	}
	if err := validateOperations(k); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, f := range k.Fields {
		if f.Key == "" || f.Label == "" {
			return fmt.Errorf("connectors: kind %s: field %d: Key and Label are required", echo.Quote(k.Name), i)
		}
		if seen[f.Key] {
			return fmt.Errorf("connectors: kind %s: field key %s is used twice", echo.Quote(k.Name), echo.Quote(f.Key))
		}
		seen[f.Key] = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.kinds[k.Name]; dup {
		return fmt.Errorf("%w: %s", ErrDuplicateKind, echo.Quote(k.Name))
	}
	if r.kinds == nil {
		r.kinds = map[string]Kind{}
	}
	k.Fields = slices.Clone(k.Fields)
	k.Operations = slices.Clone(k.Operations)
	r.kinds[k.Name] = k
	return nil
}

// Lookup returns the kind registered under name. Its Fields slice is the
// registry's own, shared by every caller without a copy (Validate and the
// print paths look kinds up on every call): read it, never modify it.
func (r *Registry) Lookup(name string) (Kind, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	k, ok := r.kinds[name]
	return k, ok
}

// Kind returns the kind registered under name, or an error wrapping
// [ErrUnknownKind] that suggests the closest registered name and lists
// them all. Like Lookup's, its Fields and Operations must not be modified.
func (r *Registry) Kind(name string) (Kind, error) {
	if k, ok := r.Lookup(name); ok {
		return k, nil
	}
	return Kind{}, r.unknownKind(name)
}

func (r *Registry) unknownKind(name string) error {
	names := r.Names()
	msg := fmt.Sprintf("connectors: %s is not a registered connector kind", echo.Quote(name))
	if near := Closest(name, names); near != "" {
		msg += fmt.Sprintf("; did you mean %s?", echo.Quote(near))
	}
	// Importing a connector package registers its kind in DefaultRegistry
	// only: a platform's own registry gets a kind by NewRegistry or
	// Register, so the hint says that.
	add := "import a connector package to add its kind"
	if r != DefaultRegistry {
		add = "add a kind to the platform's own registry with NewRegistry or Register, e.g. NewRegistry(s3.Kind)"
	}
	if len(names) == 0 {
		msg += "; no kind is registered: " + add
		if r == DefaultRegistry {
			msg += " (for example connectors/s3) or register one"
		}
	} else {
		msg += "; registered kinds: " + strings.Join(names, ", ") + " (" + add + ")"
	}
	return &choiceError{msg: msg, sentinel: ErrUnknownKind}
}

// Names returns the names of the registered kinds, sorted.
func (r *Registry) Names() []string {
	kinds := r.Kinds()
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Name
	}
	return out
}

// Kinds returns every registered kind, sorted by name, for a platform's
// "new connection" menu. Like Lookup's, their Fields must not be modified.
func (r *Registry) Kinds() []Kind {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Kind, 0, len(r.kinds))
	for _, k := range r.kinds {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b Kind) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}

// Register adds k to [DefaultRegistry]. Connector packages call it from init;
// like database/sql.Register it panics on a duplicate or incomplete kind,
// which is a programming error.
func Register(k Kind) {
	if err := DefaultRegistry.Register(k); err != nil {
		panic(err)
	}
}

// Lookup returns the kind registered in [DefaultRegistry] under name.
func Lookup(name string) (Kind, bool) { return DefaultRegistry.Lookup(name) }

// Kinds returns the kinds of [DefaultRegistry], sorted by name.
func Kinds() []Kind { return DefaultRegistry.Kinds() }
