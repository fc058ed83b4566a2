// Package ses is the Amazon SES connector (SES API v2): it sends email
// (from, to, cc, bcc, reply-to, subject, text and HTML bodies, configuration
// set, message tags), raw MIME email, with attachments built by [BuildMIME],
// and templated email, and reads the account's sending quota and state.
// Every address is validated before anything is sent, and the error names
// the field and the address: it must parse with net/mail, be one line (no
// CR, LF or other control characters, which would let it write headers of
// its own), and be what SES takes, ASCII with an internationalised domain in
// Punycode; a non-ASCII display name is sent MIME-encoded. A subject must be
// one line too, and a raw message's From header must name the sender given,
// so that the identity restriction covers what SES sends as.
//
// A [Connector] is built from the aws.Config of one connection (see
// [github.com/awsconnect/awsconnect/connectors.Resolver]); it never builds
// credentials itself. It may be restricted to one sending identity (an
// address or a domain) with Options.Identity.
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
//   - Send (without attachments) and SendTemplate: ses:SendEmail on the
//     sending identity, arn:aws:ses:REGION:ACCOUNT:identity/ADDRESS-OR-DOMAIN
//     (SES authorises against the verified identity the From address belongs
//     to: the address, or its domain), and on
//     arn:aws:ses:REGION:ACCOUNT:configuration-set/NAME when a configuration
//     set is used
//   - SendRaw and Send with attachments: ses:SendRawEmail on the same
//     resources, since SES v2 authorises raw content as that action
//   - GetAccount: ses:GetAccount on "*" (no resource-level permission)
//
// [Requirements] (for a target outside a connection) and Kind.Requirements
// return these for the operations a platform uses, ready
// for [github.com/awsconnect/awsconnect/policy.LeastPrivilege]. Check proves
// access with GetAccount, which sends nothing.
//
// # Connection fields
//
// The registered kind "ses" reads "identity" (optional: the address or
// domain the connection sends from) and "configuration_set" (optional).
package ses
