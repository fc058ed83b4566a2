// Package demo holds what the awsconnect example programs share and what is
// not awsconnect itself: the main function's timeout and exit status, the
// printer that lays out their numbered, indented and wrapped output, and the
// customer's side of the setup (an account in the local AWS whose roles are
// created as a customer would create them in the IAM console).
//
// It holds no logic that the library lacks: every step of the platform's
// side (deriving external IDs, generating policies, resolving and checking
// connections, calling the connectors) stays in each example's main.go,
// where a reader follows it top to bottom.
package demo
