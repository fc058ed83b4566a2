package cloudwatch

import (
	"fmt"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
)

// Operation names a connector operation, for [Kind]'s Requirements and
// ParseOperation; it is connectors.Operation, the name every kind uses.
type Operation = connectors.Operation

// The operations of this connector.
const (
	OpPutMetricData     Operation = "PutMetricData"     // cloudwatch:PutMetricData, scoped by namespace
	OpGetMetricData     Operation = "GetMetricData"     // cloudwatch:GetMetricData
	OpListMetrics       Operation = "ListMetrics"       // cloudwatch:ListMetrics
	OpCreateLogGroup    Operation = "CreateLogGroup"    // logs:CreateLogGroup
	OpCreateLogStream   Operation = "CreateLogStream"   // logs:CreateLogStream (and OpCreateLogGroup if the group may be missing)
	OpPutLogEvents      Operation = "PutLogEvents"      // logs:PutLogEvents
	OpGetLogEvents      Operation = "GetLogEvents"      // logs:GetLogEvents
	OpFilterLogEvents   Operation = "FilterLogEvents"   // logs:FilterLogEvents
	OpDescribeLogGroups Operation = "DescribeLogGroups" // logs:DescribeLogGroups (LogGroups and Check)
)

// Target says what the operations act on, for [Requirements].
//
// Target is a plain value, safe for concurrent reads.
type Target struct {
	// Region is the region. Required for log operations.
	Region string
	// AccountID is the account (the role's account). Optional; default "*".
	AccountID string
	// Partition is the AWS partition. Optional; default the region's
	// partition ("aws" for a region this library does not know).
	Partition string
	// Namespace is the metric namespace PutMetricData writes to. Required
	// for OpPutMetricData: IAM can scope that action by namespace only.
	Namespace string
	// LogGroup is the log group the log operations act on. Optional;
	// default "" (every group, "log-group:*").
	LogGroup string
	// LogStream is the stream PutLogEvents and GetLogEvents act on.
	// Optional; default "" (every stream of the group).
	LogStream string
}

// Requirements returns the permissions ops need on t, for
// [policy.LeastPrivilege]. Metric actions have no resource-level
// permission ("*"); PutMetricData is narrowed with the
// cloudwatch:namespace condition. Log-group actions are granted on
// "log-group:NAME:*", the form that covers the group's own ARN as IAM
// evaluates it; stream actions on the stream ARN.
func Requirements(t Target, ops ...Operation) ([]policy.Requirement, error) {
	base := connectors.ResourceARN(t.Partition, "logs", t.Region, t.AccountID, "log-group:")
	group, stream := base+"*", base+"*"
	if t.LogGroup != "" {
		if err := validateLogGroup(t.LogGroup); err != nil {
			return nil, fmt.Errorf("cloudwatch: Requirements: %w", err)
		}
		logStream := "*"
		if t.LogStream != "" {
			logStream = policy.Literal(t.LogStream) // a stream name may hold "?" and "$"
		}
		group = base + policy.Literal(t.LogGroup) + ":*"
		stream = base + policy.Literal(t.LogGroup) + ":log-stream:" + logStream
	}
	var reqs []policy.Requirement
	for _, op := range ops {
		if op != OpPutMetricData && op != OpGetMetricData && op != OpListMetrics && t.Region == "" {
			return nil, fmt.Errorf("cloudwatch: Requirements: Target.Region is required for %s", op)
		}
		switch op {
		case OpPutMetricData:
			if err := validateNamespace(t.Namespace); err != nil {
				return nil, fmt.Errorf("cloudwatch: Requirements: Target.Namespace is required for PutMetricData: %w", err)
			}
			reqs = append(reqs, policy.Requirement{Action: "cloudwatch:PutMetricData",
				Condition: policy.Conditions{"StringEquals": {"cloudwatch:namespace": {policy.Literal(t.Namespace)}}}})
		case OpGetMetricData, OpListMetrics:
			reqs = append(reqs, policy.Requirement{Action: "cloudwatch:" + string(op)})
		case OpCreateLogGroup, OpFilterLogEvents:
			reqs = append(reqs, policy.Requirement{Action: "logs:" + string(op), Resource: group})
		case OpCreateLogStream, OpPutLogEvents, OpGetLogEvents:
			reqs = append(reqs, policy.Requirement{Action: "logs:" + string(op), Resource: stream})
		case OpDescribeLogGroups:
			reqs = append(reqs, policy.Requirement{Action: "logs:DescribeLogGroups"})
		default:
			return nil, fmt.Errorf("cloudwatch: Requirements: unknown operation %s", echo.Quote(op))
		}
	}
	return reqs, nil
}
