package cloudwatch

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// KindName is the connector kind this package registers.
const KindName = "cloudwatch"

// The connection fields of the CloudWatch kind.
const (
	FieldServices  = "services"
	FieldNamespace = "namespace"
	FieldLogGroup  = "log_group"
)

// parseServices reads the services field: "metrics", "logs" or both,
// comma-separated; empty means both.
func parseServices(v string) (Services, error) {
	var s Services
	for _, part := range strings.Split(v, ",") {
		switch strings.TrimSpace(strings.ToLower(part)) {
		case "metrics":
			s |= Metrics
		case "logs":
			s |= Logs
		case "":
		default:
			return 0, errInvalidServices(part)
		}
	}
	return s, nil
}

type errInvalidServices string

func (e errInvalidServices) Error() string {
	return "unknown service " + `"` + string(e) + `"` + `; use "metrics", "logs" or "metrics,logs"`
}

// Kind is the Amazon CloudWatch connector kind: its form fields, operations
// and permissions. Importing this package registers it (and only it) into
// connectors.DefaultRegistry; a platform with its own registry registers
// it there. It must not be modified.
var Kind = connectors.Kind{
	Name:        KindName,
	Title:       "Amazon CloudWatch",
	Fields:      kindFields,
	Operations:  kindOperations,
	Permissions: permissions,
	New:         connectors.Constructor(NewFromConnection),
}

var kindFields = []connectors.Field{
	{Key: FieldServices, Label: "Services", Hint: `Optional: "metrics", "logs" or "metrics,logs" (the default): what the connection uses and Connect checks.`,
		Validate: func(v string) error { _, err := parseServices(v); return err }},
	{Key: FieldNamespace, Label: "Metric namespace", Hint: "Optional: restrict metrics to one namespace, the unit IAM scopes PutMetricData by.", Validate: validateNamespace},
	{Key: FieldLogGroup, Label: "Log group", Hint: "Optional: restrict logs to one log group.", Validate: validateLogGroup},
}

var kindOperations = []connectors.OperationInfo{
	{Name: OpPutMetricData, Title: "Publish metrics", Actions: []string{"cloudwatch:PutMetricData"}},
	{Name: OpGetMetricData, Title: "Read metrics", Actions: []string{"cloudwatch:GetMetricData"}},
	{Name: OpListMetrics, Title: "List metrics", Actions: []string{"cloudwatch:ListMetrics"}},
	{Name: OpCreateLogGroup, Title: "Create log groups", Actions: []string{"logs:CreateLogGroup"}},
	{Name: OpCreateLogStream, Title: "Create log streams", Actions: []string{"logs:CreateLogStream"}},
	{Name: OpPutLogEvents, Title: "Write log events", Actions: []string{"logs:PutLogEvents"}},
	{Name: OpGetLogEvents, Title: "Read log events", Actions: []string{"logs:GetLogEvents"}},
	{Name: OpFilterLogEvents, Title: "Search log events", Actions: []string{"logs:FilterLogEvents"}},
	{Name: OpDescribeLogGroups, Title: "List log groups", Actions: []string{"logs:DescribeLogGroups"}},
}

func init() { connectors.Register(Kind) }

// permissions is Kind.Permissions: the operations on the connection's
// namespace and log group, and what Check calls for each service the
// connection uses (cloudwatch:ListMetrics, logs:DescribeLogGroups).
func permissions(c connectors.Connection, ops []connectors.Operation) ([]policy.Requirement, error) {
	services, err := parseServices(c.Fields[FieldServices])
	if err != nil {
		return nil, err
	}
	if services == 0 {
		services = Metrics | Logs
	}
	t := Target{Region: c.Region, AccountID: c.RoleAccountID(), Partition: c.Partition(),
		Namespace: c.Fields[FieldNamespace], LogGroup: c.Fields[FieldLogGroup]}
	all := append([]Operation(nil), ops...)
	if services&Metrics != 0 {
		all = append(all, OpListMetrics)
	}
	if services&Logs != 0 {
		all = append(all, OpDescribeLogGroups)
	}
	var reqs []policy.Requirement
	if t.Namespace == "" {
		// A connection that may publish to any namespace: no condition.
		rest := all[:0:0]
		for _, op := range all {
			if op == OpPutMetricData {
				reqs = append(reqs, policy.Requirement{Action: "cloudwatch:PutMetricData"})
				continue
			}
			rest = append(rest, op)
		}
		all = rest
	}
	more, err := Requirements(t, all...)
	return append(reqs, more...), err
}

// NewFromConnection returns the Connector for a connection of kind
// "cloudwatch" whose aws.Config is cfg (from connectors.Resolver.Config),
// using the connection's services and restricted to its namespace and log
// group; optFns adjust the other Options. A connection of another kind,
// with a field the kind does not have or an invalid value is refused.
func NewFromConnection(cfg aws.Config, conn connectors.Connection, optFns ...func(*Options)) (*Connector, error) {
	if err := (connectors.Kind{Name: KindName, Fields: kindFields}).CheckConnection(conn); err != nil {
		return nil, err
	}
	services, err := parseServices(conn.Fields[FieldServices])
	if err != nil {
		return nil, fmt.Errorf("cloudwatch: NewFromConnection: field %q: %w", FieldServices, err)
	}
	fns := append([]func(*Options){func(o *Options) {
		o.Services = services
		o.Namespace = conn.Fields[FieldNamespace]
		o.LogGroup = conn.Fields[FieldLogGroup]
		o.AccountID = conn.RoleAccountID()
	}}, optFns...)
	c := New(cfg, fns...)
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}
