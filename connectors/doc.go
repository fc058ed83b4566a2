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
// # Storing connections and their secrets
//
// Every way a Connection leaves the library (String, fmt, slog, JSON) writes
// [Redacted] in place of its secrets: the secret access key and each field
// its kind marks secret. JSON is for API responses and logs, not for storage,
// and decoding refuses the placeholder with [ErrRedactedSecret], so a
// connection saved as JSON never comes back with "[REDACTED]" as its key.
//
// A platform stores the secrets apart, encrypted by means it already trusts:
// its own encrypted column (envelope encryption with a KMS key) or a secret
// manager (AWS Secrets Manager, Vault). The library does no cryptography of
// its own there; [Connection.SplitSecrets] gives the connection without its
// secrets, to marshal into an ordinary column, and the secrets by path, to
// hand to that store; [Connection.JoinSecrets] puts them back after loading.
//
// An edit form shows a stored connection with its secrets blank and sends it
// back with them unchanged; [Connection.KeepSecretsFrom] copies the stored
// secrets into the fields the form left empty or redacted (the secret access
// key only while the access key ID is the same), before Validate and save.
//
// # Endpoint policy
//
// A connection's Endpoint is the customer's to set, so it must never point
// the platform's network at the platform itself. The [EndpointPolicy] of a
// Resolver admits only public addresses: AWS metadata addresses
// (169.254.169.254, 169.254.170.2, fd00:ec2::254 and the others AWS
// documents), loopback (and localhost), link-local, RFC 1918 private,
// unique-local, carrier-grade NAT, unspecified, multicast and reserved
// addresses are refused in every form a resolver or URL parser reads them
// (decimal, hex and octal numbers, short forms, IPv4-mapped and other IPv6
// forms that carry an IPv4 address), unless the platform admits them with
// [Options.AllowEndpoint] (for example AllowHosts("127.0.0.1") for the local
// AWS in tests). The policy is enforced twice: when the connection is
// validated, on the host as written, and at dial time, from the dialer's
// Control hook, on every address the host resolves to, so a DNS name that
// answers 169.254.169.254 is refused too. Every resolved aws.Config's HTTP
// client dials through it and uses no proxy: HTTP_PROXY and HTTPS_PROXY are
// ignored for connections' traffic, since a proxy would resolve and reach the
// endpoint where the check cannot see (the platform's own STS calls use the
// base config's client, proxy and all). A refusal is an *[EndpointError]
// naming the redacted endpoint and the [EndpointRule]; errors.Is finds
// [ErrEndpointRefused], at validation and in the error of a call refused at
// dial time, which is never retried.
//
// # One API for every connector kind
//
// Each connector package (s3, lambda, ses, cloudwatch, lex, signedhttp)
// exports its [Kind]: name, title, form fields, and [Kind.Operations], each
// with a stable name, a title for a UI and the IAM actions it needs. Its
// importing registers that kind, and only it, into [DefaultRegistry]; a
// platform that offers only some kinds builds its own with [NewRegistry]
// and passes it in Options.Registry, and the Resolver validates and checks
// with it ([Resolver.Validate]). The whole path from a stored connection to
// a typed connector call:
//
//	ops, err := s3.Kind.ParseOperations([]string{"GetObject"}) // "getobject": did you mean "GetObject"?
//	reqs, err := s3.Kind.Requirements(conn, ops)               // GetObject + what Check needs, on the bucket and prefix
//	doc, err := policy.LeastPrivilege(reqs...)                 // the role's permissions policy
//	report := resolver.Check(ctx, conn)                        // the Connect button: fresh AssumeRole, then s3's Check
//	cfg, err := resolver.Config(ctx, conn)
//	c, err := s3.NewFromConnection(cfg, conn)                  // *s3.Connector restricted to the connection's fields
//	obj, err := c.GetObject(ctx, "", "reports/2024.csv")
//
// [Kind.Requirements] returns the chosen operations' permissions plus those
// the kind's Check uses, so the generated policy passes Connect; an unknown
// or miscased operation, a connection of another kind, or a field the kind
// does not have is refused with an error naming it and the valid choices.
// The connectors' own Check methods build their service step with
// [ServiceStep].
//
// # Connect never answers from the cache
//
// The role step of [Resolver.Check] calls role.Cache.RetrieveFresh: STS is
// asked now, whatever the cache holds; on success the fresh credentials
// replace the cached ones (the next call uses exactly what was proven), on
// failure the cached ones are dropped, so nothing keeps running on a trust
// the customer withdrew. The step says when the credentials were obtained
// (CheckStep.CredentialsObtainedAt).
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
// the hint) → commit (every connection verified again, fresh, since a role
// may have changed; the mode persisted through the platform's [ModeStore],
// the Resolver checked to derive the new IDs, the old IDs' cached
// credentials dropped) → finish (each role checked to refuse the old IDs,
// which are then retired in the role cache). [Switcher.Cancel] abandons a
// switch at any step before finish, rolling the store back once it has
// checked the roles still admit the old IDs. A [Switch] is the state
// between steps, with stable snake_case JSON for the platform to persist; a
// half-done switch resumes from any step, and repeating a step is harmless.
// A connection saved mid-switch is not in the plan: give the Switcher the
// platform's connections (SwitcherOptions.Connections) and Commit refuses
// ([ErrSwitchStale]) until the switch is planned again with it.
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
