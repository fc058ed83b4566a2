// Package peer reads the addresses of the real peers scripts/integration
// starts (MinIO, the Lambda RIE, Redis, the local AWS and its CLI, the
// linters, Chromium) from the environment.
//
// Outside the suite a test that needs a peer skips, so `go test -tags
// integration` on a laptop says what to run. Inside it (scripts/integration
// sets AWSCONNECT_IT_STRICT=1) a missing peer fails the test instead: a peer
// script that forgot to export its variable must turn CI red, never into a
// silently skipped check.
package peer
