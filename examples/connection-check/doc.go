// Command connection-check shows the Connect button's answer for a healthy
// connection and for each common way a connection goes wrong, against the
// embedded local AWS (no AWS account needed):
//
//   - a healthy S3 connection restricted to a bucket and prefix;
//   - a role whose trust policy does not require the external ID (warned);
//   - a role that trusts another external ID (failed, with the trust policy to set);
//   - a role without the permission the connector needs (failed, with the statement to add);
//   - a connection form with invalid fields;
//   - a Lex connection, and one pointed at an endpoint that does not answer.
//
// Run it with:
//
//	go run ./examples/connection-check
package main
