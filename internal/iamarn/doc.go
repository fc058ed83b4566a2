// Package iamarn holds the rules IAM applies to the parts of a role ARN:
// partitions, account IDs, role paths and role names. Package role (which
// parses the role ARNs a connection names) and package policy (which
// validates the platform principal a trust policy names) both use it, so the
// two can never disagree about what a valid role ARN is.
//
// Everything here is a pure function, safe for concurrent use.
package iamarn
