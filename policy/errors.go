package policy

import (
	"errors"
	"fmt"
	"github.com/awsconnect/awsconnect/scope"
)

// Sentinel errors. Every error returned by this package wraps one of them, so
// callers can test the class with errors.Is and show the message, which says
// what to fix.
var (
	// ErrSyntax: the input is not well-formed JSON.
	ErrSyntax = errors.New("policy: malformed JSON")
	// ErrUnknownElement: an element IAM does not define, often a misspelling
	// or wrong capitalisation ("effect" instead of "Effect").
	ErrUnknownElement = errors.New("policy: unknown element")
	// ErrDuplicateKey: the same JSON key appears twice in one object; IAM
	// would silently keep only one of them.
	ErrDuplicateKey = errors.New("policy: duplicate key")
	// ErrWrongType: an element has the wrong JSON type.
	ErrWrongType = errors.New("policy: wrong type")
	// ErrMissingElement: a required element (Statement, Effect, Action or
	// NotAction) is absent.
	ErrMissingElement = errors.New("policy: missing element")
	// ErrConflictingElements: both halves of a pair such as Action and
	// NotAction are present.
	ErrConflictingElements = errors.New("policy: conflicting elements")
	// ErrInvalidValue: an element has a value IAM rejects.
	ErrInvalidValue = errors.New("policy: invalid value")
	// ErrInvalidExternalID: an external ID is missing or breaks AWS's rule
	// of 2 to 1,224 characters from [\w+=,.@:/-]. It is
	// scope.ErrInvalidExternalID, so either name matches with errors.Is.
	ErrInvalidExternalID = scope.ErrInvalidExternalID
	// ErrInvalidAccountID: an AWS account ID is not 12 digits.
	ErrInvalidAccountID = errors.New("policy: invalid AWS account ID")
	// ErrInvalidPrincipal: the platform principal given to TrustPolicy is
	// neither a 12-digit account ID nor an IAM account root or role ARN.
	ErrInvalidPrincipal = errors.New("policy: invalid platform principal")
	// ErrInputTooLarge: the input given to Parse is longer than
	// MaxParseSize; the message names its size and the limit.
	ErrInputTooLarge = errors.New("policy: input too large")
	// ErrTooLarge: a generated document would exceed an IAM size quota.
	ErrTooLarge = errors.New("policy: document too large")
	// ErrNotAdmitted: a trust policy does not let the caller assume the role
	// with the external ID it uses.
	ErrNotAdmitted = errors.New("policy: trust policy does not admit the caller")
	// ErrConfusedDeputy: a trust policy lets the caller assume the role
	// without any external ID.
	ErrConfusedDeputy = errors.New("policy: trust policy admits the caller without an external ID")
	// ErrInvalidRequirement: a least-privilege requirement is incomplete or
	// would need a wider grant than it names.
	ErrInvalidRequirement = errors.New("policy: invalid requirement")
)

// ParseError reports where and why [Parse] rejected a document. It unwraps
// to one of the sentinel errors above. It is not modified after Parse
// returns it, so it is safe to share.
type ParseError struct {
	// Statement is the 0-based index of the statement at fault, or -1 when
	// the fault is at document level.
	Statement int
	// Sid is the statement's Sid when it has one.
	Sid string
	// Element is the path of the element at fault, such as "Effect" or
	// "Condition.StringEquals.sts:ExternalId"; "" for the document itself.
	Element string
	// Err is the sentinel error that classifies the fault.
	Err error
	// Detail says what is wrong and how to fix it.
	Detail string
}

// Error returns "policy: Statement[i] (Sid "x"): Element: detail".
func (e *ParseError) Error() string {
	msg := "policy: "
	if e.Statement >= 0 {
		msg += fmt.Sprintf("Statement[%d]", e.Statement)
		if e.Sid != "" {
			msg += fmt.Sprintf(" (Sid %q)", e.Sid)
		}
		msg += ": "
	}
	if e.Element != "" {
		msg += e.Element + ": "
	}
	return msg + e.Detail
}

// Unwrap returns the sentinel error.
func (e *ParseError) Unwrap() error { return e.Err }
