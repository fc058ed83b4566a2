// Package fakedns is a DNS server for tests: it answers A and AAAA queries
// from a fixed table, on a UDP socket on 127.0.0.1, and gives a
// *net.Resolver that asks it, so that tests can make a host name resolve to
// any address (169.254.169.254, a loopback listener) without touching the
// machine's DNS.
//
// Messages are built and parsed with golang.org/x/net/dns/dnsmessage, the
// Go team's DNS message package, rather than by hand; this package is the
// reason the module requires golang.org/x/net.
package fakedns
