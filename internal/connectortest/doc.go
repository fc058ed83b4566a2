// Package connectortest runs a connector the way a platform does, against
// [localaws]: it starts the embedded AWS, creates the customer's account and
// a role that trusts the platform's account with the external ID the
// platform derives for the connection's scope, grants the role the
// permissions a test names, and resolves a [connectors.Connection] to that
// role through a [role.Cache] and a [connectors.Resolver].
//
// It is imported only by the connector packages' tests:
//
//	e := connectortest.New(t, lambda.KindName,
//		connectortest.WithPermissions(reqs...),
//		connectortest.WithFields(map[string]string{"function": "orders"}))
//	c := lambda.New(e.Config(t))
//	rep := e.Resolver.Check(ctx, e.Conn)
//
// Everything New starts is stopped by t.Cleanup.
//
// # What a test can vary
//
// [Options] holds the variants the connector tests need: the scope mode
// (project by default; S3 and Lex use workspace mode), the role's
// permissions (a list of requirements turned into a least-privilege policy,
// or a whole policy document), a trust policy other than the correct one
// (to see AssumeRole refused or the external ID not enforced), the
// connection's fields, and Setup, which fills the customer's account
// (buckets, functions, bots) before the test runs.
//
// # What every kind is checked for
//
// [Prove] (and [ProveAll], for several proofs of one kind) shows a kind's
// generated policy is exactly enough; [CallOn] makes its calls on the
// package's typed connector. [KindConformance] checks the kind's API
// without a network: registration alone in the default registry, its
// operation list, the refusal of another kind's connection and of a
// misspelt field, and a table of the kind's own parse, requirements and
// refusal cases. Each connector package's kind_test.go calls both with its
// own data.
//
// Clients make each call once (RetryMaxAttempts 1), so a test sees every
// failure shape exactly as the service answered it and counts requests
// exactly.
package connectortest
