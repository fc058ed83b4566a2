// Package cloudwatch is the Amazon CloudWatch connector, for metrics and
// for CloudWatch Logs.
//
// Metrics: put metric data (dimensions, units, timestamps, value lists and
// statistic sets), split into calls by CloudWatch's per-call limits
// ([MaxMetricDataPerCall] data, [MaxMetricPayloadBytes]) after every datum is
// checked against the per-datum ones ([MaxDimensions], [MaxValuesPerDatum]);
// get metric data for a time range with pages merged; list metrics.
//
// Logs: create a log group and stream when missing; put log events, sorted
// by time and split into calls by CloudWatch Logs' count, byte and time-span
// rules ([MaxLogEventsPerCall], [MaxLogBatchBytes] counting
// [LogEventOverhead] per event, [MaxLogBatchSpan]); get and filter log
// events as iterators; list log groups.
//
// Throttled calls are retried by the SDK retryer of the connection's
// aws.Config. A [Connector] may be restricted to one metric namespace and
// one log group.
//
// # From a connection
//
// [Kind] is the connector kind this package registers (importing it
// registers no other). [NewFromConnection] builds the typed Connector for a
// connection of this kind from the aws.Config connectors.Resolver.Config
// returns, honouring the connection's fields. Kind.Requirements(conn, ops)
// returns the permissions of the chosen operations plus those Check uses,
// scoped to the connection's resources in its role's partition, so the
// policy generated from them passes Connect.
//
// # Required IAM permissions
//
//   - PutMetricData: cloudwatch:PutMetricData on "*" with the condition
//     StringEquals cloudwatch:namespace = NAMESPACE (the action has no
//     resource-level permission; the namespace condition is how IAM scopes it)
//   - GetMetricData, ListMetrics: cloudwatch:GetMetricData,
//     cloudwatch:ListMetrics on "*" (no resource-level permission)
//   - CreateLogGroup, FilterLogEvents: logs:CreateLogGroup,
//     logs:FilterLogEvents on arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:*
//     (the form with ":*" is the one IAM matches group actions against)
//   - CreateLogStream, PutLogEvents, GetLogEvents: logs:CreateLogStream,
//     logs:PutLogEvents, logs:GetLogEvents on
//     arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:log-stream:STREAM (or
//     log-stream:* for every stream); CreateLogStream also needs
//     logs:CreateLogGroup when the group may be missing
//   - LogGroups: logs:DescribeLogGroups on "*" (no resource-level permission)
//
// [Requirements] (for a target outside a connection) and Kind.Requirements
// return these for the operations a platform uses, ready
// for [github.com/awsconnect/awsconnect/policy.LeastPrivilege]. Check proves
// the services the connection uses with ListMetrics and DescribeLogGroups.
//
// # Connection fields
//
// The registered kind "cloudwatch" reads "services" ("metrics", "logs" or
// "metrics,logs", the default), "namespace" and "log_group" (both optional
// restrictions).
package cloudwatch
