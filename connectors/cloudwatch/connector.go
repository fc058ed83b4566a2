package cloudwatch

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrOutsideRestriction is returned (wrapped) when an operation names a
// namespace or log group other than the one the connector is restricted to.
var ErrOutsideRestriction = errors.New("cloudwatch: outside the connector's restriction")

// Services says which halves of CloudWatch a connection uses; Check proves
// access to each one set.
//
// Services is a plain value, safe for concurrent reads.
type Services int

const (
	// Metrics is CloudWatch metrics (PutMetricData, GetMetricData, ListMetrics).
	Metrics Services = 1 << iota
	// Logs is CloudWatch Logs (log groups, streams and events).
	Logs
)

// Options configures a [Connector].
//
// Options is a plain value, safe for concurrent reads.
type Options struct {
	// Services are the halves of CloudWatch the connection uses, which Check
	// proves. Optional; default Metrics|Logs.
	Services Services

	// Namespace restricts metric operations to one namespace, the unit by
	// which IAM scopes cloudwatch:PutMetricData (condition key
	// cloudwatch:namespace). Optional; default "" (any namespace).
	Namespace string

	// LogGroup restricts log operations to one log group. Optional; default
	// "" (any log group).
	LogGroup string

	// MaxDatapoints caps the data points of one GetMetricData page; the
	// connector follows NextToken and merges the pages either way.
	// Optional; default 0 (CloudWatch's own default, 100,800).
	MaxDatapoints int

	// AccountID is the account of the log groups (the role's account), used
	// to name log-group ARNs in requirements and hints. Optional; default ""
	// ("*" in the ARNs shown). The registry's constructor takes it from the
	// connection's role ARN.
	AccountID string

	// MetricsOptions are applied to the SDK CloudWatch client after the
	// connector's own. Optional; default none.
	MetricsOptions []func(*cloudwatch.Options)

	// LogsOptions are applied to the SDK CloudWatch Logs client after the
	// connector's own. Optional; default none.
	LogsOptions []func(*cloudwatchlogs.Options)
}

// Connector reaches CloudWatch metrics and CloudWatch Logs with one
// connection's aws.Config.
//
// A Connector is safe for concurrent use by multiple goroutines; it holds no
// mutable state besides the SDK clients, which are themselves
// concurrency-safe.
type Connector struct {
	metrics *cloudwatch.Client
	logs    *cloudwatchlogs.Client
	opts    Options
	err     error // invalid Options, reported by every call
}

// New returns a Connector for cfg. Throttled calls (CloudWatch's Throttling,
// CloudWatch Logs' ThrottlingException) are retried by the retryer in cfg,
// the SDK's standard retryer unless the caller configured another.
func New(cfg aws.Config, optFns ...func(*Options)) *Connector {
	o := Options{Services: Metrics | Logs}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Services == 0 {
		o.Services = Metrics | Logs
	}
	c := &Connector{
		metrics: cloudwatch.NewFromConfig(cfg, o.MetricsOptions...),
		logs:    cloudwatchlogs.NewFromConfig(cfg, o.LogsOptions...),
		opts:    o,
	}
	if o.Namespace != "" {
		if err := validateNamespace(o.Namespace); err != nil {
			c.err = fmt.Errorf("cloudwatch: Options.Namespace: %w", err)
		}
	}
	if o.LogGroup != "" {
		if err := validateLogGroup(o.LogGroup); err != nil {
			c.err = fmt.Errorf("cloudwatch: Options.LogGroup: %w", err)
		}
	}
	return c
}

// MetricsClient returns the underlying SDK CloudWatch client. Calls made
// through it bypass the connector's restriction.
func (c *Connector) MetricsClient() *cloudwatch.Client { return c.metrics }

// LogsClient returns the underlying SDK CloudWatch Logs client. Calls made
// through it bypass the connector's restriction.
func (c *Connector) LogsClient() *cloudwatchlogs.Client { return c.logs }

// namespace applies the default and the restriction to a namespace argument.
func (c *Connector) namespace(ns string) (string, error) {
	if c.err != nil {
		return "", c.err
	}
	if ns == "" {
		ns = c.opts.Namespace
	}
	if err := validateNamespace(ns); err != nil {
		return "", err
	}
	if c.opts.Namespace != "" && ns != c.opts.Namespace {
		return "", fmt.Errorf("%w: namespace %s is not %s", ErrOutsideRestriction, echo.Quote(ns), echo.Quote(c.opts.Namespace))
	}
	return ns, nil
}

// logGroup applies the default and the restriction to a log group argument.
func (c *Connector) logGroup(g string) (string, error) {
	if c.err != nil {
		return "", c.err
	}
	if g == "" {
		g = c.opts.LogGroup
	}
	if err := validateLogGroup(g); err != nil {
		return "", err
	}
	if c.opts.LogGroup != "" && g != c.opts.LogGroup {
		return "", fmt.Errorf("%w: log group %s is not %s", ErrOutsideRestriction, echo.Quote(g), echo.Quote(c.opts.LogGroup))
	}
	return g, nil
}
