package lambda

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrOutsideRestriction is returned (wrapped) when an operation names a
// function other than the one the connector is restricted to.
var ErrOutsideRestriction = errors.New("lambda: function outside the connector's restriction")

// Options configures a [Connector].
//
// Options is a plain value, safe for concurrent reads.
type Options struct {
	// Function restricts the connector to one function (a name, a partial ARN
	// or an ARN, without qualifier): every operation on another function,
	// including one of the same name in another region or in an account
	// other than AccountID, fails with ErrOutsideRestriction, ListFunctions is not used and Check calls
	// GetFunction on it instead. Optional; default "" (every function the role
	// may reach).
	Function string

	// AccountID is the account the functions live in (the role's account),
	// used to name function ARNs in Check's report and hints. Optional;
	// default "" ("*" in the ARNs shown). The registry's constructor takes
	// it from the connection's role ARN.
	AccountID string

	// ClientOptions are applied to the SDK Lambda client after the connector's
	// own, e.g. to set an HTTP client or a retryer. Optional; default none.
	ClientOptions []func(*awslambda.Options)
}

// Connector runs Lambda operations with one connection's aws.Config.
//
// A Connector is safe for concurrent use by multiple goroutines; it holds no
// mutable state besides the SDK client, which is itself concurrency-safe.
type Connector struct {
	client     *awslambda.Client
	region     string
	accountID  string
	restrict   Function // zero unless Options.Function was set
	restricted bool
	err        error // invalid Options.Function, reported by every call
}

// New returns a Connector that calls Lambda with cfg (credentials, region and
// endpoint come from it, normally from [connectors.Resolver.Config]).
// Retries, including on Lambda's TooManyRequestsException, go through the
// retryer configured in cfg (the SDK's standard retryer by default).
func New(cfg aws.Config, optFns ...func(*Options)) *Connector {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	c := &Connector{
		client:    awslambda.NewFromConfig(cfg, o.ClientOptions...),
		region:    cfg.Region,
		accountID: o.AccountID,
	}
	if o.Function != "" {
		f, err := ParseFunction(o.Function)
		switch {
		case err != nil:
			c.err = fmt.Errorf("lambda: Options.Function: %w", err)
		case f.Qualifier != "":
			c.err = fmt.Errorf("lambda: Options.Function %q: %w: restrict to the function without a qualifier; versions and aliases are chosen per call", o.Function, ErrInvalidFunction)
		default:
			c.restrict, c.restricted = f, true
		}
	}
	return c
}

// Client returns the underlying SDK client, for operations this package does
// not wrap. Calls made through it bypass the connector's restriction.
func (c *Connector) Client() *awslambda.Client { return c.client }

// resolve parses a function reference, applies the qualifier and enforces the
// restriction.
func (c *Connector) resolve(function, qualifier string) (Function, error) {
	if c.err != nil {
		return Function{}, c.err
	}
	if function == "" && c.restricted {
		function = c.restrict.String()
	}
	f, err := ParseFunction(function)
	if err != nil {
		return Function{}, err
	}
	if f, err = f.WithQualifier(qualifier); err != nil {
		return Function{}, err
	}
	// A restriction given by name stands for the function of the
	// connection's region and account: the same name elsewhere is another
	// function, which a cross-account resource policy could let the role
	// reach.
	if c.restricted && (!c.restrict.same(f) || !c.home(f)) {
		return Function{}, fmt.Errorf("%w: %s is not %s; use a connection for that function or lift the restriction", ErrOutsideRestriction, echo.Quote(function), echo.Quote(c.restrict.String()))
	}
	return f, nil
}

// home reports whether f names no region or account other than the
// connection's; an account the connector was not told matches any.
func (c *Connector) home(f Function) bool {
	match := func(named, own string) bool { return named == "" || own == "" || named == own }
	return match(f.Region, c.region) && match(f.AccountID, c.accountID)
}

// apiName returns the FunctionName and Qualifier to send: the reference
// without its qualifier, which travels in the Qualifier parameter.
func apiName(f Function) (name string, qualifier *string) {
	q := f.Qualifier
	f.Qualifier = ""
	if q == "" {
		return f.String(), nil
	}
	return f.String(), &q
}
