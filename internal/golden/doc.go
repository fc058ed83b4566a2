// Package golden compares test output with golden files under a package's
// testdata directory, so any change to a wire format (the JSON a screen
// reads, a generated policy or template) is a visible diff in review.
//
// Run a package's tests with -update to rewrite its golden files from the
// current output, then review the diff:
//
//	go test ./connectors -run Golden -update
//
// It is for tests only.
package golden
