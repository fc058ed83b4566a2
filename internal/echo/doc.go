// Package echo is how the library's errors quote what a caller gave them: a
// role ARN, a region, an endpoint, an external ID, a field of a connection.
// An error names the bad input so its user can find it, but never copies
// more than [Max] bytes of it, so that a huge input cannot turn into a huge
// error, log line or API answer.
package echo
