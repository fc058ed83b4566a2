package connectortest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// Conformance is what [KindConformance] checks one connector kind against:
// a valid connection of the kind and the cases that are the kind's own.
// What every kind must do is checked without a case.
type Conformance struct {
	// New is the package's typed NewFromConnection, as
	// connectors.Constructor(NewFromConnection) adapts it. Required.
	New func(cfg aws.Config, c connectors.Connection) (connectors.Checker, error)
	// Conn is a valid connection of the kind (its Kind is set to the
	// kind's name), the base of every case. Required.
	Conn connectors.Connection
	// Misspelt are fields of Conn with one key the kind does not have
	// (and any others a connection needs): Requirements, with no
	// operation and with each of the kind's, and New must refuse them
	// with an error wrapping [connectors.ErrUnknownField] that names the
	// key and lists the kind's fields. Required.
	Misspelt map[string]string
	// Operations are names given to Kind.ParseOperation. Optional.
	Operations []OperationCase
	// Requirements are connections whose requirements are known.
	// Optional.
	Requirements []RequirementsCase
	// Refusals are connections the kind refuses for its own reasons.
	// Optional.
	Refusals []RefusalCase
}

// Refusal is what an error must say: the sentinel it wraps and texts it
// holds. Its zero value only requires an error.
type Refusal struct {
	// Is is a sentinel the error wraps. Optional.
	Is error
	// Contains are texts the error holds. Optional.
	Contains []string
}

// OperationCase is an operation name and what Kind.ParseOperation does
// with it.
type OperationCase struct {
	// In is the name given to ParseOperation.
	In string
	// Refused, when set, is the refusal's text: ParseOperation and
	// Requirements (given In as an operation) must refuse In with an error
	// wrapping [connectors.ErrUnknownOperation] and holding it. Nil means
	// ParseOperation returns In itself.
	Refused *Refusal
}

// RequirementsCase is a connection and the requirements Kind.Requirements
// returns for it; policy.LeastPrivilege must accept them.
type RequirementsCase struct {
	// Name names the case in the test's output.
	Name string
	// Fields replace Conn's fields.
	Fields map[string]string
	// Ops are the chosen operations.
	Ops []connectors.Operation
	// Want are the requirements, in order.
	Want []policy.Requirement
}

// RefusalCase is a connection the kind refuses.
type RefusalCase struct {
	// Name names the case in the test's output.
	Name string
	// Fields replace Conn's fields.
	Fields map[string]string
	// Ops are the chosen operations given to Requirements. Optional.
	Ops []connectors.Operation
	// Requirements is what Kind.Requirements' refusal says; nil when the
	// case is not about Requirements.
	Requirements *Refusal
	// New is what the typed constructor's refusal (and Kind.New's, the
	// same) says; nil when the case is not about the constructors.
	New *Refusal
}

// KindConformance checks that kind keeps the promises of every connector
// kind and those of c:
//
//   - the test binary, which imports the kind's package alone, has only
//     the kind in connectors.DefaultRegistry;
//   - every listed operation has a title and IAM actions and parses as
//     itself (a kind with a closed list lists some);
//   - an empty or miscased name is refused with a did-you-mean, a name
//     listed twice with [connectors.ErrDuplicateOperation];
//   - the requirements of every subset of the operations are exactly the
//     check's plus each chosen operation's;
//   - a connection of another kind is refused by Requirements and by the
//     constructors, naming that kind;
//   - a misspelt field is refused (see [Conformance.Misspelt]);
//   - and each case of c.
//
// It reports every broken promise, each under a subtest.
func KindConformance(t *testing.T, kind connectors.Kind, c Conformance) {
	t.Helper()
	if c.New == nil || c.Misspelt == nil {
		t.Fatalf("connectortest: KindConformance(%q): New and Misspelt are required", kind.Name)
	}
	base := c.Conn
	base.Kind = kind.Name
	with := func(fields map[string]string) connectors.Connection {
		conn := base
		conn.Fields = fields
		return conn
	}
	// newBoth builds the connector through the typed constructor and
	// through Kind.New, which must agree.
	newBoth := func(t *testing.T, conn connectors.Connection) error {
		t.Helper()
		_, err := c.New(aws.Config{}, conn)
		_, kindErr := kind.New(aws.Config{}, conn)
		if fmt.Sprint(err) != fmt.Sprint(kindErr) {
			t.Errorf("NewFromConnection and Kind.New disagree: %v, %v", err, kindErr)
		}
		return err
	}

	t.Run("registered alone", func(t *testing.T) {
		if got := connectors.DefaultRegistry.Names(); !reflect.DeepEqual(got, []string{kind.Name}) {
			t.Errorf("DefaultRegistry holds %q, want only %q", got, kind.Name)
		}
	})
	t.Run("operations", func(t *testing.T) {
		if len(kind.Operations) == 0 && kind.LookupOperation == nil {
			t.Error("the kind lists no operation")
		}
		for _, op := range kind.Operations {
			if op.Title == "" || len(op.Actions) == 0 {
				t.Errorf("operation %q needs a title and IAM actions: %+v", op.Name, op)
			}
			if got, err := kind.ParseOperation(string(op.Name)); err != nil || got != op.Name {
				t.Errorf("ParseOperation(%q) = %q, %v; want the operation itself", op.Name, got, err)
			}
		}
		for _, oc := range c.Operations {
			got, err := kind.ParseOperation(oc.In)
			if oc.Refused == nil {
				if err != nil || got != connectors.Operation(oc.In) {
					t.Errorf("ParseOperation(%q) = %q, %v; want %q", oc.In, got, err, oc.In)
				}
				continue
			}
			want := Refusal{Is: connectors.ErrUnknownOperation, Contains: oc.Refused.Contains}
			refused(t, "ParseOperation("+oc.In+")", err, want)
			_, err = kind.Requirements(base, []connectors.Operation{connectors.Operation(oc.In)})
			refused(t, "Requirements with operation "+oc.In, err, Refusal{Is: connectors.ErrUnknownOperation})
		}
	})
	t.Run("operation names from a form", func(t *testing.T) {
		for _, in := range []string{"", " "} {
			_, err := kind.ParseOperation(in)
			refused(t, fmt.Sprintf("ParseOperation(%q)", in), err, Refusal{Is: connectors.ErrUnknownOperation, Contains: []string{"is empty"}})
		}
		valid := operationNames(kind, c)
		for _, name := range valid {
			for _, miscased := range []string{strings.ToLower(name), strings.ToUpper(name)} {
				if miscased == name || kind.LookupOperation != nil {
					continue
				}
				_, err := kind.ParseOperation(miscased)
				refused(t, "ParseOperation("+miscased+")", err, Refusal{Is: connectors.ErrUnknownOperation, Contains: []string{fmt.Sprintf("did you mean %q", name)}})
			}
			_, err := kind.ParseOperations([]string{name, name})
			refused(t, "ParseOperations with "+name+" twice", err, Refusal{Is: connectors.ErrDuplicateOperation, Contains: []string{fmt.Sprintf("%q", name), "list each operation once"}})
		}
		ops, err := kind.ParseOperations(nil)
		if err != nil || len(ops) != 0 {
			t.Errorf("ParseOperations(nil) = %v, %v; want no operation", ops, err)
		}
		if len(valid) > 1 {
			ops, err := kind.ParseOperations([]string{valid[1], "", valid[0]})
			if ops != nil || !errors.Is(err, connectors.ErrUnknownOperation) || strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("ParseOperations with one empty name = %v, %v; want only that one refused", ops, err)
			}
		}
	})
	t.Run("every operation subset", func(t *testing.T) {
		// Requirements of a set are exactly the check's plus each chosen
		// operation's: together with the per-kind proofs against localaws
		// (the check's alone, and operations one by one), every subset's
		// policy passes Connect and its operations and grants nothing more.
		ops := kind.Operations
		if len(ops) > 12 {
			ops = ops[:12]
		}
		checkOnly, err := kind.Requirements(base, nil)
		if err != nil {
			t.Fatalf("Requirements with no operation: %v", err)
		}
		single := make([][]policy.Requirement, len(ops))
		for i, op := range ops {
			if single[i], err = kind.Requirements(base, []connectors.Operation{op.Name}); err != nil {
				t.Fatalf("Requirements(%s): %v", op.Name, err)
			}
		}
		for mask := 0; mask < 1<<len(ops); mask++ {
			var chosen []connectors.Operation
			want := map[string]bool{}
			for _, r := range checkOnly {
				want[requirementKey(r)] = true
			}
			for i, op := range ops {
				if mask&(1<<i) != 0 {
					chosen = append(chosen, op.Name)
					for _, r := range single[i] {
						want[requirementKey(r)] = true
					}
				}
			}
			got, err := kind.Requirements(base, chosen)
			if err != nil {
				t.Fatalf("Requirements(%v): %v", chosen, err)
			}
			have := map[string]bool{}
			for _, r := range got {
				have[requirementKey(r)] = true
			}
			if !reflect.DeepEqual(have, want) {
				t.Fatalf("Requirements(%v) = %v; want the check's %v and each operation's, nothing else", chosen, got, checkOnly)
			}
			if len(got) == 0 {
				continue // a check that needs no permission, no operation
			}
			if _, err := policy.LeastPrivilege(got...); err != nil {
				t.Fatalf("policy.LeastPrivilege refuses Requirements(%v): %v", chosen, err)
			}
		}
	})
	t.Run("another kind", func(t *testing.T) {
		other := base
		other.Kind = "not-" + kind.Name
		want := Refusal{Contains: []string{fmt.Sprintf("is of kind %q", other.Kind)}}
		_, err := kind.Requirements(other, nil)
		refused(t, "Requirements", err, want)
		refused(t, "NewFromConnection", newBoth(t, other), want)
	})
	t.Run("misspelt field", func(t *testing.T) {
		var key string
		for k := range c.Misspelt {
			if _, ok := kind.Field(k); !ok {
				key = k
			}
		}
		if key == "" {
			t.Fatalf("Misspelt %v holds no key the kind does not have", c.Misspelt)
		}
		keys := make([]string, len(kind.Fields))
		for i, f := range kind.Fields {
			keys[i] = fmt.Sprintf("%q", f.Key)
		}
		conn := with(c.Misspelt)
		want := Refusal{Is: connectors.ErrUnknownField, Contains: []string{fmt.Sprintf("%q", key), "its fields are " + strings.Join(keys, ", ")}}
		opSets := [][]connectors.Operation{nil}
		for _, op := range kind.Operations {
			opSets = append(opSets, []connectors.Operation{op.Name})
		}
		for _, ops := range opSets {
			_, err := kind.Requirements(conn, ops)
			refused(t, fmt.Sprintf("Requirements with operations %v", ops), err, want)
		}
		refused(t, "NewFromConnection", newBoth(t, conn), Refusal{Is: connectors.ErrUnknownField})
	})
	for _, rc := range c.Requirements {
		t.Run("requirements "+rc.Name, func(t *testing.T) {
			got, err := kind.Requirements(with(rc.Fields), rc.Ops)
			if err != nil {
				t.Fatalf("Requirements: %v", err)
			}
			if !reflect.DeepEqual(got, rc.Want) {
				t.Errorf("Requirements =\n%v\nwant\n%v", got, rc.Want)
			}
			if _, err := policy.LeastPrivilege(got...); err != nil {
				t.Errorf("LeastPrivilege refuses the requirements: %v", err)
			}
		})
	}
	for _, rc := range c.Refusals {
		t.Run("refused "+rc.Name, func(t *testing.T) {
			conn := with(rc.Fields)
			if rc.Requirements != nil {
				_, err := kind.Requirements(conn, rc.Ops)
				refused(t, "Requirements", err, *rc.Requirements)
			}
			if rc.New != nil {
				refused(t, "NewFromConnection", newBoth(t, conn), *rc.New)
			}
		})
	}
}

// refused reports what of want err does not say.
func refused(t *testing.T, call string, err error, want Refusal) {
	t.Helper()
	if err == nil {
		t.Errorf("%s succeeds; want a refusal", call)
		return
	}
	if want.Is != nil && !errors.Is(err, want.Is) {
		t.Errorf("%s: the error does not wrap %v: %v", call, want.Is, err)
	}
	for _, s := range want.Contains {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%s: the error does not say %q: %v", call, s, err)
		}
	}
}

// operationNames are names the kind accepts: its listed operations, else
// (an open-ended kind) the accepted names of c's cases.
func operationNames(kind connectors.Kind, c Conformance) []string {
	var out []string
	for _, op := range kind.Operations {
		out = append(out, string(op.Name))
	}
	if len(out) == 0 {
		for _, oc := range c.Operations {
			if oc.Refused == nil {
				out = append(out, oc.In)
			}
		}
	}
	return out
}

// requirementKey identifies a requirement for set comparisons.
func requirementKey(r policy.Requirement) string {
	return fmt.Sprintf("%s %s %v", r.Action, r.Resource, r.Condition)
}
