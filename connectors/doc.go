// Package connectors turns a platform's stored connections into aws.Configs
// and checks them when a user presses "Connect".
//
// A [Connection] is what the connection form collects: the connector kind,
// the region, an optional endpoint override, the authorization (an IAM role
// ARN, or an access key) and the kind's own fields. [Connection.Validate]
// names every invalid field. Printing a Connection in any way (String, fmt
// verbs, slog, JSON) redacts the secret access key and the kind's secret
// fields; a [Secret] is revealed only by [Secret.Reveal].
//
// A [Resolver] holds the platform's base aws.Config, a scope.Deriver, a
// [ModeFunc] giving each workspace's external-ID scope and a role.Cache.
// [Resolver.Config] returns a connection's aws.Config: its region and
// endpoint, one HTTP client shared by all connections, the SDK retryer, and
// credentials served by the role cache (assumed with the external ID derived
// for the connection's workspace or project) or by the access key.
//
// [Resolver.Check] runs the connection check and returns a [CheckReport]:
// fields valid → role assumed → role requires the external ID → service
// reachable with the needed permission. Each step passes, fails or warns with
// a message and a hint; a missing permission names the action and resource and
// carries the least-privilege statement to add (from policy.LeastPrivilege).
// The external-ID step is the one AssumeRole call made without an external
// ID, on purpose: it goes to STS directly, never through the cache, asks for
// a session that a deny-all session policy leaves powerless, drops any
// credentials it gets, and warns when the role admits the call, since such a
// role is open to the confused deputy. Steps that ask for a trust-policy
// change carry the policy to set when Options.PlatformAccountID names the
// platform (an account ID, written in the role's partition, or a root or
// role ARN).
//
// Connector kinds (s3, lex, lambda, ...) register themselves into
// [DefaultRegistry] from their package's init, with their name, title, form
// fields and constructor; import a connector package to enable its kind. The
// connectors' own Check methods build their service step with [ServiceStep].
//
// # The settings screen
//
// [Settings] answers what a platform's settings screen shows, from the
// Resolver's own deriver and ModeFunc so that the screen and the connections
// never disagree: the platform's principal ([Settings.Principal]: the
// configured Options.PlatformAccountID, or the account STS GetCallerIdentity
// names, discovered once, de-duplicated and kept after success only), the
// external ID of a workspace or project under the workspace's mode
// ([Settings.ExternalID]), and the trust policy to paste, in the role's
// partition ([Settings.TrustPolicy]). [Settings.Screen] is all of it as one
// JSON value.
//
// # Switching the scope, and rotating external IDs
//
// [Switcher] runs the switch between "Single external ID for the workspace"
// and "Separate external ID for each project" as four steps over the
// platform's stored connections: plan ([Switcher.PlanSwitch], built on
// scope.Deriver.PlanSwitch: every connection whose ID changes, every role
// with its transitional and final trust policy, shared roles flagged) →
// verify (each role assumed fresh with its new ID: ready, or not ready with
// the hint) → commit (the mode persisted through the platform's
// [ModeStore], the Resolver checked to derive the new IDs, the old IDs'
// cached credentials dropped) → finish (each role checked to refuse the old
// IDs, which are then retired in the role cache). A [Switch] is the state
// between steps, with stable snake_case JSON for the platform to persist; a
// half-done switch resumes from any step, and repeating a step is harmless.
// [Switcher.PlanRotation] is the same workflow for a new deriver secret or
// prefix, committed through the platform's [DeriverStore] and read back
// through Options.Deriver.
//
// What the platform persists: per workspace its mode (and, when it rotates,
// its deriver version; the derivers' secrets stay in its secret manager);
// per switch in progress the Switch; and, with several instances, the
// Switch's RetiredExternalIDs, which every instance's role cache refuses
// through role.Options.Retired. [MemoryScopes] is an in-memory ModeStore and
// DeriverStore with the ModeFunc and DeriverFunc that read them.
//
// # Drift monitoring
//
// [Monitor] re-checks the active connections in the background on a
// jittered schedule, with bounded concurrency and an STS rate limit well
// below STS's quota, and reports each change through a callback as a
// [DriftEvent]: a role that stopped trusting the platform, a role that
// stopped requiring the external ID (the confused deputy), a permission that
// disappeared, and each of them ending. It stops with its context.
//
// # Required IAM permissions
//
// This package calls sts:AssumeRole, with the platform's credentials, on the
// customers' roles: the role's trust policy must admit the platform account
// with the connection's external ID (see policy.TrustPolicy). Settings also
// calls sts:GetCallerIdentity, which needs no permission, to discover the
// platform's principal. Each connector package lists the permissions its
// operations need.
package connectors
