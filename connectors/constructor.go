package connectors

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// Constructor adapts a connector package's typed NewFromConnection to
// [Kind.New], so that a kind declares its constructor as
//
//	New: connectors.Constructor(NewFromConnection),
//
// The connector it returns is newFrom's, with no options, as a [Checker].
func Constructor[C Checker, O any](newFrom func(aws.Config, Connection, ...func(*O)) (C, error)) func(aws.Config, Connection) (Checker, error) {
	return func(cfg aws.Config, c Connection) (Checker, error) { return newFrom(cfg, c) }
}

// CheckConnection refuses a connection that is not of kind k, or that has a
// field k does not have (see [Kind.CheckFields]). A connector package's
// NewFromConnection calls it first, on a Kind holding its name and fields:
// the package's Kind refers to NewFromConnection, which therefore cannot
// refer back to it. The refusal of another kind's connection is prefixed
// with k's name, which is the connector package's.
func (k Kind) CheckConnection(c Connection) error {
	if c.Kind != k.Name {
		return fmt.Errorf("%s: NewFromConnection: connection %q is of kind %q, not %s", k.Name, c.ID, c.Kind, echo.Quote(k.Name))
	}
	return k.CheckFields(c)
}
