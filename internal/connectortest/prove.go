package connectortest

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/localaws"
)

// Call is one connector call of a proof, made with the resolved config of
// the proof's connection.
type Call func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error

// CallOn returns the maker of calls on the typed connector that newFrom (a
// connector package's NewFromConnection) builds for the proof's
// connection: each Call it makes builds the connector and runs f on it.
func CallOn[C, O any](newFrom func(aws.Config, connectors.Connection, ...func(*O)) (C, error)) func(f func(ctx context.Context, c C) error) Call {
	return func(f func(ctx context.Context, c C) error) Call {
		return func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error {
			c, err := newFrom(cfg, conn)
			if err != nil {
				return err
			}
			return f(ctx, c)
		}
	}
}

// Proof is the per-kind proof that a connection's generated policy is
// exactly enough: Kind.Requirements(conn, the chosen operations) attached
// to the role as its whole permissions policy lets Connect pass and every
// chosen operation succeed, while an operation outside them is denied.
type Proof struct {
	// Kind is the connector kind. Required.
	Kind connectors.Kind
	// Fields are the connection's fields. Optional.
	Fields map[string]string
	// Setup prepares the customer's account (buckets, functions, bots).
	// Optional.
	Setup func(customer *localaws.Account) error
	// Ops are the chosen operations, each with a call that uses it. Calls
	// run in the order of Order. Required.
	Ops map[connectors.Operation]Call
	// Order lists the keys of Ops in the order their calls run (a write
	// before the read of what it wrote). Required.
	Order []connectors.Operation
	// OutsideAction is the IAM action of an operation outside Ops, which
	// the generated policy must not grant. Required.
	OutsideAction string
	// Outside is a call that needs OutsideAction. Required.
	Outside Call
}

// ProveAll runs each proof, with kind as its Kind, as a subtest named by
// its key.
func ProveAll(t *testing.T, kind connectors.Kind, proofs map[string]Proof) {
	t.Helper()
	for name, p := range proofs {
		t.Run(name, func(t *testing.T) {
			p.Kind = kind
			Prove(t, p)
		})
	}
}

// Prove runs p against localaws and stops the test at the first broken
// promise.
func Prove(t *testing.T, p Proof) {
	t.Helper()
	if len(p.Order) != len(p.Ops) {
		t.Fatalf("connectortest: Prove: Order lists %d operations, Ops has %d", len(p.Order), len(p.Ops))
	}
	probe := connectors.Connection{ID: ConnectionID, Kind: p.Kind.Name, Region: Region, Fields: p.Fields,
		Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws:iam::" + CustomerAccountID + ":role/" + RoleName}}
	reqs, err := p.Kind.Requirements(probe, p.Order)
	must(t, err, "generate the requirements")
	for _, r := range reqs {
		if strings.EqualFold(r.Action, p.OutsideAction) {
			t.Fatalf("connectortest: the requirements grant %s, the outside action: %v", p.OutsideAction, reqs)
		}
	}
	e := New(t, p.Kind.Name, func(o *Options) {
		o.Permissions = reqs
		o.Fields = p.Fields
		o.Setup = p.Setup
	})
	ctx := context.Background()
	rep := e.Resolver.Check(ctx, e.Conn)
	if !rep.OK() {
		t.Fatalf("connectortest: Connect fails with the generated policy %v:\n%s", reqs, rep)
	}
	cfg := e.Config(t)
	for _, op := range p.Order {
		if err := p.Ops[op](ctx, cfg, e.Conn); err != nil {
			t.Fatalf("connectortest: operation %s fails with the generated policy %v: %v", op, reqs, err)
		}
	}
	err = p.Outside(ctx, cfg, e.Conn)
	if err == nil || !connectors.IsAccessDenied(err) || !strings.Contains(err.Error(), p.OutsideAction) {
		t.Fatalf("connectortest: the call outside the chosen operations should be denied naming %s; got %v", p.OutsideAction, err)
	}
}
