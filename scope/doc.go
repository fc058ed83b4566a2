// Package scope derives and validates the external IDs that protect customers'
// IAM roles, and plans the switch between the two ways of scoping them.
//
// # Why external IDs
//
// A platform assumes many customers' roles from one AWS account. Without an
// external ID, any customer who learns another customer's role ARN could ask the
// platform to use it: the confused-deputy problem. The platform therefore
// derives the external ID itself, from the tenant the request belongs to, and
// every role's trust policy requires the ID of its own tenant.
//
// # Modes
//
// A workspace chooses one of two modes:
//
//   - [WorkspaceMode], "Single external ID for the workspace":
//     awsconnect_iam_external_id_12345
//   - [ProjectMode], "Separate external ID for each project":
//     awsconnect_iam_external_id_12345_6789
//
// Project mode lets a customer admit only one project to a role (say, only the
// "DevOps" project may reach a queue). [Deriver] builds the IDs; derivation is
// injective, so two tenants never share an ID, and every ID it returns passes
// [ValidateExternalID].
//
// # Keyed tags
//
// External IDs are not secrets: AWS documents them as identifiers, and the
// customer sees them in the role's trust policy. The derived IDs above reveal
// the tenant IDs, which lets anyone who knows a workspace ID predict its
// external ID. That does no harm as long as the platform alone chooses which ID
// it sends, as this library does. Set [Deriver.Secret] when IDs must not be
// predictable anyway: when tenant IDs are sequential and the platform also
// accepts customer-supplied external IDs elsewhere, when another system derives
// IDs in the same format, or when tenant IDs themselves are confidential. The
// secret appends an HMAC-SHA256 tag; rotating it changes every ID, which is a
// scope switch like any other.
//
// # Switching modes
//
// Switching a workspace between modes changes the external ID of every active
// connection. [Deriver.PlanSwitch] lists the connections whose role must be
// updated and, for each role, the IDs it must trust once the switch is done
// and the transitional set (old and new IDs together) that keeps every
// connection working while the customer updates the role. Pass each set to
// policy.TrustPolicy to get the document the customer pastes.
//
// This package never calls AWS. Its values are immutable and safe for
// concurrent use.
package scope
