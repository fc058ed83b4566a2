package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

// Timeout bounds one run of an example. Against the embedded local AWS each
// example finishes in well under a second, so reaching it means something
// hangs; a generous bound keeps slow, shared machines from failing a run.
const Timeout = 30 * time.Second

// RunFunc is an example's body: it tells its story on out and returns the
// first error that ends it.
type RunFunc func(ctx context.Context, out io.Writer) error

// Main runs an example's body with a context bounded by [Timeout], writing to
// standard output. When run fails it prints the error, prefixed with name, to
// standard error and exits with status 1.
func Main(name string, run RunFunc) {
	if code := runMain(name, run, os.Stdout, os.Stderr); code != 0 {
		os.Exit(code)
	}
}

// runMain is Main without the exit, so that tests can call it.
func runMain(name string, run RunFunc, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := run(ctx, stdout); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}
