package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a goroutine outlives the tests: the local
// AWS, the console's HTTP servers and (in the browser test) chromedp's must
// all stop with their owners.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
