// Command console is a small platform web console that embeds awsconnect:
// the screens a platform builds on the library, server-rendered with
// html/template (no front-end build; a few lines of inline JavaScript only for
// the copy buttons), against the embedded local AWS by default:
//
//	go run ./examples/console            # then open http://127.0.0.1:8080
//	go run ./examples/console -addr 127.0.0.1:9000
//
// The screens:
//
//   - Settings: the AWS account customers' roles trust (discovered with STS
//     GetCallerIdentity, connectors.Settings), the external-ID scope selector
//     ("Single external ID for the workspace" / "Separate external ID for each
//     project") and the external IDs in force. Changing the scope opens the
//     confirmation of the switch workflow (connectors.Switcher): the
//     connections whose roles must change, each role's transitional and final
//     trust policy to paste, Verify's verdict per connection, then Confirm (or
//     Confirm anyway), and Finish.
//   - New connection: the connector kind from the registry, IAM role or
//     access key, role ARN, region, endpoint, the kind's own fields
//     (connectors.Kind.Fields) and its operations (Kind.Operations). Every
//     input is validated on the server with the library's rules
//     (Resolver.Validate, Kind.ParseOperations) and each error is shown beside
//     its input; a refused form keeps what was typed, except secrets, and saves
//     nothing.
//   - A connection: its trust policy and least-privilege permissions policy
//     (Kind.Requirements, policy.LeastPrivilege) with copy buttons, and Connect,
//     which runs Resolver.Check and shows the report step by step.
//
// Beside them, panels marked "Local AWS" stand in for the customer in their
// IAM console, through the local AWS's IAM API: create or repair a role with
// the policies shown, break it (its trust policy then requires another
// external ID), and paste a switch's policies. A real platform has no such
// panel and never holds a customer's keys.
//
// The console keeps its connections in memory and has no login: it listens
// on loopback, and refuses cross-origin form posts.
//
// # Tests
//
// console_test.go drives the handlers with net/http/httptest. browser_test.go
// (build tag integration) drives the screens in headless Chromium with
// github.com/chromedp/chromedp, the maintained Go client of the Chrome
// DevTools Protocol, and writes a screenshot of each screen to
// $AWSCONNECT_ARTIFACTS/screenshots; scripts/integration.d/50-chromium.sh
// installs Debian's chromium when it is missing.
package main
