package connectors

import (
	"errors"
	"fmt"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
)

// Operation names one operation of a connector kind, such as "GetObject":
// the stable name a platform stores with a connection (the operations the
// user chose) and passes to [Kind.Requirements]. Each connector package's
// Operation type is this type, so s3.OpGetObject is an Operation.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Operation string

// OperationInfo describes one operation of a kind, for an operation picker
// and for the permissions it needs.
//
// It is a plain value that marshals to JSON for a UI; its Actions must not be
// modified while shared.
type OperationInfo struct {
	// Name is the stable name, as [Kind.ParseOperation] accepts it.
	Name Operation `json:"name"`
	// Title is the operation's human name ("Read objects").
	Title string `json:"title"`
	// Actions are the IAM actions the operation needs, such as
	// "s3:GetObject".
	Actions []string `json:"actions"`
}

// ErrUnknownOperation is wrapped by the error of an operation name a kind
// does not have.
var ErrUnknownOperation = errors.New("connectors: unknown operation")

// ErrUnknownKind is wrapped by the error of a kind name a registry does not
// hold.
var ErrUnknownKind = errors.New("connectors: unknown connector kind")

// ErrUnknownField is wrapped by the error of a connection field a kind does
// not have.
var ErrUnknownField = errors.New("connectors: unknown connection field")

// Operation returns the operation with exactly that name, from Operations
// or, for a kind whose operations are open-ended, from LookupOperation.
func (k Kind) Operation(name Operation) (OperationInfo, bool) {
	for _, op := range k.Operations {
		if op.Name == name {
			return op, true
		}
	}
	if k.LookupOperation != nil {
		if op, err := k.LookupOperation(name); err == nil {
			return op, true
		}
	}
	return OperationInfo{}, false
}

// ParseOperation returns the operation named s, exactly as the kind spells
// it. An empty, unknown or miscased name ("", "getobject", "Bogus") is
// refused with an error wrapping [ErrUnknownOperation] that suggests the
// closest valid name and lists the valid ones.
func (k Kind) ParseOperation(s string) (Operation, error) {
	if op, ok := k.Operation(Operation(s)); ok {
		return op.Name, nil
	}
	names := operationNames(k.Operations)
	if strings.TrimSpace(s) == "" {
		// An empty form field or a stray comma: say so, rather than
		// quoting an invisible name.
		msg := fmt.Sprintf("%s: the operation name %q for connector kind %s is empty", ErrUnknownOperation, s, echo.Quote(k.Name))
		if len(names) > 0 {
			msg += "; name one of the valid operations: " + strings.Join(names, ", ")
		} else {
			msg += "; name one of the kind's operations"
		}
		return "", &choiceError{msg: msg, sentinel: ErrUnknownOperation}
	}
	if k.LookupOperation != nil {
		_, err := k.LookupOperation(Operation(s))
		if err == nil {
			err = errors.New("not found")
		}
		return "", fmt.Errorf("%w %s for connector kind %s: %v", ErrUnknownOperation, echo.Quote(s), echo.Quote(k.Name), err)
	}
	msg := fmt.Sprintf("%s %s for connector kind %s", ErrUnknownOperation, echo.Quote(s), echo.Quote(k.Name))
	if near := Closest(strings.TrimSpace(s), names); near != "" {
		msg += fmt.Sprintf("; did you mean %s?", echo.Quote(near))
	}
	return "", &choiceError{msg: msg + "; valid operations: " + strings.Join(names, ", "), sentinel: ErrUnknownOperation}
}

// ErrDuplicateOperation is wrapped by the error of an operation listed more
// than once.
var ErrDuplicateOperation = errors.New("connectors: operation listed twice")

// ParseOperations parses every name, reporting every invalid one at once:
// each as [Kind.ParseOperation] does, and a name listed twice with an error
// wrapping [ErrDuplicateOperation] (a form that sends a choice twice has a
// bug the platform should see, not a policy that hides it). No names is
// no operation: the connection needs only what its check uses.
func (k Kind) ParseOperations(names []string) ([]Operation, error) {
	out := make([]Operation, 0, len(names))
	var errs []error
	seen := make(map[Operation]bool, len(names))
	for _, n := range names {
		op, err := k.ParseOperation(n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[op] {
			errs = append(errs, fmt.Errorf("%w: operation %s for connector kind %s is listed more than once; list each operation once", ErrDuplicateOperation, echo.Quote(string(op)), echo.Quote(k.Name)))
			continue
		}
		seen[op] = true
		out = append(out, op)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// Requirements returns the permissions connection c needs for the chosen
// operations: each operation's, plus those the kind's Check uses (so a
// policy generated from them passes Connect), scoped to c's resources
// (bucket and prefix, function, identity, log group, bot) in the partition
// and account of c's role. Pass them to policy.LeastPrivilege for the
// role's permissions policy. An operation the kind does not have, a
// connection of another kind or with a field the kind does not have is
// refused with an error naming it and the valid choices.
func (k Kind) Requirements(c Connection, ops []Operation) ([]policy.Requirement, error) {
	if c.Kind != k.Name {
		return nil, fmt.Errorf("connectors: %s Requirements: connection %s is of kind %s; use that kind's Requirements", k.Name, echo.Quote(c.ID), echo.Quote(c.Kind))
	}
	if err := k.CheckFields(c); err != nil {
		return nil, err
	}
	for _, op := range ops {
		if _, err := k.ParseOperation(string(op)); err != nil {
			return nil, err
		}
	}
	if k.Permissions == nil {
		return nil, fmt.Errorf("connectors: kind %s has no Permissions function", echo.Quote(k.Name))
	}
	reqs, err := k.Permissions(c, ops)
	if err != nil {
		return nil, err
	}
	return dedupeRequirements(reqs), nil
}

// CheckFields refuses a connection field the kind does not have, naming it
// and the kind's fields; its error wraps [ErrUnknownField]. Connector
// constructors from a Connection call it, so that a misspelled field is not
// silently ignored.
func (k Kind) CheckFields(c Connection) error {
	var unknown []string
	for _, key := range c.fieldKeys() {
		if _, ok := k.Field(key); !ok {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return &choiceError{msg: fmt.Sprintf("%s %s for connector kind %s; its fields are %s", ErrUnknownField,
		quoteAll(unknown), echo.Quote(k.Name), k.fieldList()), sentinel: ErrUnknownField}
}

func (k Kind) fieldList() string {
	if len(k.Fields) == 0 {
		return "none"
	}
	keys := make([]string, len(k.Fields))
	for i, f := range k.Fields {
		keys[i] = f.Key
	}
	return quoteAll(keys)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = echo.Quote(s)
	}
	return strings.Join(q, ", ")
}

// choiceError is an error naming a bad choice and the valid ones, wrapping
// a sentinel.
type choiceError struct {
	msg      string
	sentinel error
}

func (e *choiceError) Error() string { return e.msg }
func (e *choiceError) Unwrap() error { return e.sentinel }

func dedupeRequirements(reqs []policy.Requirement) []policy.Requirement {
	out := make([]policy.Requirement, 0, len(reqs))
	seen := map[string]bool{}
	for _, r := range reqs {
		key := r.Action + "\x00" + r.Resource + "\x00" + fmt.Sprint(r.Condition)
		if !seen[key] {
			seen[key] = true
			out = append(out, r)
		}
	}
	return out
}

// Partition is the AWS partition of the connection: its role's ("aws-cn"
// for a role in China), else its region's, else "aws". A role is assumed,
// and its policy matches ARNs, only in its own partition.
func (c Connection) Partition() string {
	if r, err := role.ParseRoleARN(c.Auth.RoleARN); err == nil {
		return r.Partition
	}
	if p := RegionPartition(c.Region); p != "" {
		return p
	}
	return "aws"
}

// Closest returns the choice nearest to s: one equal to it but for case,
// else the one at the smallest edit distance if that distance is small
// next to s's length, else "". Used for "did you mean" suggestions.
func Closest(s string, choices []string) string {
	if near := nearest(s, choices); len(near) > 0 {
		return near[0]
	}
	return ""
}

// nearest returns the choices nearest to s, ignoring case, in their order:
// all those at the smallest edit distance when it is small next to s's
// length, else none.
func nearest(s string, choices []string) []string {
	var near []string
	best := -1
	ls := strings.ToLower(s)
	for _, c := range choices {
		switch d := editDistance(ls, strings.ToLower(c)); {
		case best < 0 || d < best:
			near, best = []string{c}, d
		case d == best:
			near = append(near, c)
		}
	}
	if best < 0 || best > max(2, len(s)/3) {
		return nil
	}
	return near
}

// editDistance is the Levenshtein distance of a and b, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// validateOperations checks a kind's operation list at registration.
func validateOperations(k Kind) error {
	seen := map[Operation]bool{}
	for i, op := range k.Operations {
		if op.Name == "" || op.Title == "" {
			return fmt.Errorf("connectors: kind %s: operation %d: Name and Title are required", echo.Quote(k.Name), i)
		}
		if seen[op.Name] {
			return fmt.Errorf("connectors: kind %s: operation %q is listed twice", echo.Quote(k.Name), op.Name)
		}
		seen[op.Name] = true
	}
	if len(k.Operations) == 0 && k.LookupOperation == nil {
		return fmt.Errorf("connectors: kind %s: Operations or LookupOperation is required", echo.Quote(k.Name))
	}
	return nil
}

// operationNames lists names for messages.
func operationNames(ops []OperationInfo) []string {
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = string(op.Name)
	}
	return out
}
