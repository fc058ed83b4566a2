package lambda

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrInvalidFunction is returned (wrapped) when a function name, ARN or
// qualifier does not have a form Lambda accepts.
var ErrInvalidFunction = errors.New("lambda: invalid function")

// Function is a parsed function reference: the three forms Lambda accepts for
// FunctionName (name, partial ARN "123456789012:function:name", full ARN), each
// optionally followed by ":qualifier" (a version number, "$LATEST" or an alias).
//
// Function is a plain value; it is safe to copy and to use from any goroutine.
type Function struct {
	Partition string `json:"partition,omitempty"`  // "aws", "aws-cn", ...; empty unless given in a full ARN
	Region    string `json:"region,omitempty"`     // empty unless given in a full ARN
	AccountID string `json:"account_id,omitempty"` // empty unless given in a partial or full ARN
	Name      string `json:"name"`                 // the function's name, always set
	Qualifier string `json:"qualifier,omitempty"`  // version or alias; empty for the unqualified function
}

var (
	// Lambda's documented FunctionName pattern, split into its parts.
	functionNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,64}$`)
	// Version numbers, $LATEST and alias names (aliases must not be all digits,
	// but a digits-only qualifier is simply a version, so one pattern serves).
	qualifierRE = regexp.MustCompile(`^(\$LATEST|[a-zA-Z0-9_-]{1,128})$`)
	accountRE   = regexp.MustCompile(`^[0-9]{12}$`)
)

// ParseFunction parses a function reference in any form Lambda accepts.
func ParseFunction(s string) (Function, error) {
	if s == "" {
		return Function{}, fmt.Errorf("%w: the function name is empty; give a name, a partial ARN (123456789012:function:name) or a function ARN", ErrInvalidFunction)
	}
	if len(s) > 170 {
		return Function{}, fmt.Errorf("%w: %s is %d characters long; Lambda accepts at most 170", ErrInvalidFunction, echo.Quote(s), len(s))
	}
	var f Function
	rest := s
	if strings.HasPrefix(s, "arn:") {
		a, err := arn.Parse(s)
		if err != nil {
			return Function{}, fmt.Errorf("%w: %s: %v", ErrInvalidFunction, echo.Quote(s), err)
		}
		if a.Service != "lambda" {
			return Function{}, fmt.Errorf("%w: %s is an ARN of service %s, not lambda", ErrInvalidFunction, echo.Quote(s), echo.Quote(a.Service))
		}
		if a.Region == "" {
			return Function{}, fmt.Errorf("%w: %s has no region", ErrInvalidFunction, echo.Quote(s))
		}
		f.Partition, f.Region, f.AccountID = a.Partition, a.Region, a.AccountID
		if !accountRE.MatchString(a.AccountID) {
			return Function{}, fmt.Errorf("%w: %s: account ID must be 12 digits, got %s", ErrInvalidFunction, echo.Quote(s), echo.Quote(a.AccountID))
		}
		var ok bool
		if rest, ok = strings.CutPrefix(a.Resource, "function:"); !ok {
			return Function{}, fmt.Errorf("%w: %s does not name a function (resource must start with \"function:\")", ErrInvalidFunction, echo.Quote(s))
		}
	} else if acct, after, ok := strings.Cut(s, ":function:"); ok {
		if !accountRE.MatchString(acct) {
			return Function{}, fmt.Errorf("%w: %s: account ID must be 12 digits, got %s", ErrInvalidFunction, echo.Quote(s), echo.Quote(acct))
		}
		f.AccountID, rest = acct, after
	}
	name, qualifier, qualified := strings.Cut(rest, ":")
	if !functionNameRE.MatchString(name) {
		return Function{}, fmt.Errorf("%w: %s: the name %s must be 1-64 letters, digits, '-', '_' or '.'", ErrInvalidFunction, echo.Quote(s), echo.Quote(name))
	}
	f.Name = name
	if qualified {
		if err := validateQualifier(qualifier); err != nil {
			return Function{}, fmt.Errorf("%w: %s: %v", ErrInvalidFunction, echo.Quote(s), err)
		}
		f.Qualifier = qualifier
	}
	return f, nil
}

func validateQualifier(q string) error {
	if !qualifierRE.MatchString(q) {
		return fmt.Errorf("qualifier %s must be a version number, $LATEST or an alias (1-128 letters, digits, '-' or '_')", echo.Quote(q))
	}
	return nil
}

// WithQualifier returns f qualified by q; an empty q leaves f as it is. It
// fails when f already carries a different qualifier, since Lambda refuses a
// request whose FunctionName and Qualifier disagree.
func (f Function) WithQualifier(q string) (Function, error) {
	if q == "" {
		return f, nil
	}
	if err := validateQualifier(q); err != nil {
		return Function{}, fmt.Errorf("%w: %v", ErrInvalidFunction, err)
	}
	if f.Qualifier != "" && f.Qualifier != q {
		return Function{}, fmt.Errorf("%w: function %s is already qualified with %s but qualifier %s was also given; give one", ErrInvalidFunction, echo.Quote(f.Name), echo.Quote(f.Qualifier), echo.Quote(q))
	}
	f.Qualifier = q
	return f, nil
}

// ARN returns the function's ARN, qualified when f has a qualifier. Parts
// missing from f (partition, region, account) are taken from the arguments;
// an empty partition means "aws".
func (f Function) ARN(partition, region, accountID string) string {
	a := arn.ARN{Partition: f.Partition, Service: "lambda", Region: f.Region, AccountID: f.AccountID, Resource: "function:" + f.Name}
	if a.Partition == "" {
		a.Partition = partition
	}
	if a.Partition == "" {
		a.Partition = "aws"
	}
	if a.Region == "" {
		a.Region = region
	}
	if a.AccountID == "" {
		a.AccountID = accountID
	}
	if f.Qualifier != "" {
		a.Resource += ":" + f.Qualifier
	}
	return a.String()
}

// String returns f in the shortest form that keeps what it holds: the
// function ARN when the region is known, else "account:function:name", else
// the bare name; followed by ":qualifier" when qualified.
func (f Function) String() string {
	var s string
	switch {
	case f.Region != "":
		s = f.ARN("", "", "")
	case f.AccountID != "":
		s = f.AccountID + ":function:" + f.Name
		if f.Qualifier != "" {
			s += ":" + f.Qualifier
		}
	default:
		s = f.Name
		if f.Qualifier != "" {
			s += ":" + f.Qualifier
		}
	}
	return s
}

// same reports whether f and g name the same function (ignoring qualifiers);
// parts one of them leaves out are taken as matching.
func (f Function) same(g Function) bool {
	match := func(a, b string) bool { return a == "" || b == "" || a == b }
	return f.Name == g.Name && match(f.Partition, g.Partition) && match(f.Region, g.Region) && match(f.AccountID, g.AccountID)
}
