package connectors

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrEndpointRefused is wrapped by every error of the endpoint policy, at
// validation and at dial time, so errors.Is tells an endpoint the platform
// must not reach from any other failure.
var ErrEndpointRefused = errors.New("connectors: endpoint refused by the endpoint policy")

// EndpointRule names the rule of the endpoint policy that refused an
// address. It is a plain value: safe to copy and to read from several
// goroutines.
type EndpointRule string

// The rules of the endpoint policy. Each refuses a class of address that
// reaches the platform's own network rather than the customer's AWS service.
const (
	// RuleAWSMetadata: an AWS instance, task or pod metadata address
	// (169.254.169.254, 169.254.170.2, 169.254.170.23, fd00:ec2::254,
	// fd00:ec2::23, and the Amazon DNS, Time Sync and activation addresses
	// beside them), which hand out the platform's own credentials.
	RuleAWSMetadata EndpointRule = "aws_metadata"
	// RuleLoopback: 127.0.0.0/8, ::1 and the names localhost and *.localhost.
	RuleLoopback EndpointRule = "loopback"
	// RuleLinkLocal: 169.254.0.0/16 and fe80::/10.
	RuleLinkLocal EndpointRule = "link_local"
	// RulePrivate: RFC 1918 (10/8, 172.16/12, 192.168/16) and IPv6
	// site-local (fec0::/10).
	RulePrivate EndpointRule = "private"
	// RuleUniqueLocal: IPv6 unique-local addresses (fc00::/7).
	RuleUniqueLocal EndpointRule = "unique_local"
	// RuleSharedAddress: the carrier-grade NAT space 100.64.0.0/10.
	RuleSharedAddress EndpointRule = "shared_address_space"
	// RuleUnspecified: 0.0.0.0/8 and ::, which reach the local host.
	RuleUnspecified EndpointRule = "unspecified"
	// RuleMulticast: 224.0.0.0/4 and ff00::/8.
	RuleMulticast EndpointRule = "multicast"
	// RuleReserved: addresses no AWS service has: the limited broadcast
	// address, 240.0.0.0/4, IETF protocol, documentation and benchmarking
	// ranges, and deprecated IPv6 forms of IPv4 addresses.
	RuleReserved EndpointRule = "reserved"
	// RuleInvalidHost: a host that is neither a DNS name nor an address:
	// one a resolver would read as a number (http://1.2.3.4.5,
	// http://example.123) but that is no valid address, a malformed IPv6
	// literal, or characters no DNS name has.
	RuleInvalidHost EndpointRule = "invalid_host"
)

// ruleDescriptions say what each rule refuses, for error messages.
var ruleDescriptions = map[EndpointRule]string{
	RuleAWSMetadata:   "an AWS metadata address, which serves the platform's own credentials",
	RuleLoopback:      "a loopback address, the platform's own host",
	RuleLinkLocal:     "a link-local address",
	RulePrivate:       "a private (RFC 1918 or site-local) address",
	RuleUniqueLocal:   "an IPv6 unique-local address",
	RuleSharedAddress: "a carrier-grade NAT address (100.64.0.0/10)",
	RuleUnspecified:   "the unspecified address, which reaches the platform's own host",
	RuleMulticast:     "a multicast address",
	RuleReserved:      "a reserved address that no AWS service uses",
	RuleInvalidHost:   "neither a DNS name nor a valid address",
}

// EndpointError is the refusal of an endpoint by the endpoint policy. It
// names the endpoint as [Connection] prints it (no user information, query
// or fragment) and the rule. It is not modified after it is returned, so
// several goroutines may read it.
type EndpointError struct {
	// Endpoint is the refused endpoint, redacted as Connection prints it;
	// at dial time, the host and port that were dialed.
	Endpoint string
	// Host is the host as written in the endpoint (or dialed).
	Host string
	// Addr is the refused address; the zero Addr for a host refused by
	// name (localhost) or by its form.
	Addr netip.Addr
	// Rule is the rule that refused it.
	Rule EndpointRule
	// Dial reports a refusal at dial time: the host's name passed the
	// validation, but it resolved to Addr.
	Dial bool
}

// Error says which endpoint was refused, why, and how a platform allows it.
func (e *EndpointError) Error() string {
	return "connectors: endpoint " + e.message() + " (a platform allows an address with connectors.Options.AllowEndpoint)"
}

// message says which endpoint was refused and why, in words for the user
// of a connection form: the [FieldError] of the endpoint field, which names
// no Go option.
func (e *EndpointError) message() string {
	var b strings.Builder
	b.WriteString(echo.Quote(e.Endpoint))
	what := ruleDescriptions[e.Rule]
	switch {
	case e.Dial:
		fmt.Fprintf(&b, ": host %s resolved to %s, %s", echo.Quote(e.Host), e.Addr, what)
	case e.Addr.IsValid():
		fmt.Fprintf(&b, " is %s, %s", e.Addr, what)
	case e.Host != "":
		fmt.Fprintf(&b, " names host %s, %s", echo.Quote(e.Host), what)
	default:
		fmt.Fprintf(&b, " is %s", what)
	}
	fmt.Fprintf(&b, " (rule %s); a connection may reach only public addresses", e.Rule)
	return b.String()
}

// Unwrap returns [ErrEndpointRefused].
func (e *EndpointError) Unwrap() error { return ErrEndpointRefused }

// RetryableError returns false: the SDK retryer (and signedhttp's) must not
// retry a refusal, which no retry changes.
func (e *EndpointError) RetryableError() bool { return false }

// EndpointPolicy decides which addresses a connection's endpoint may point
// the platform's network at. By default only public addresses: every
// [EndpointRule] is refused, in every form an address can be written
// (decimal, hex and octal numbers such as http://2852039166,
// http://0xa9fea9fe or http://0251.0376.0251.0376, short forms such as
// http://127.1, IPv4-mapped, NAT64, 6to4 and Teredo IPv6 forms, zones and
// brackets), unless Allow admits it.
//
// The [Resolver] enforces it twice: on [Connection] validation, on the
// endpoint's host as written, and at dial time, on every address the
// host's name resolves to (so a DNS name that answers 169.254.169.254 is
// refused too), through the dialer of every resolved aws.Config's HTTP
// client.
//
// The zero EndpointPolicy is the default. It is a plain value, safe for
// concurrent use when Allow is.
type EndpointPolicy struct {
	// Allow admits an address the rules refuse: it is called with the
	// host as written in the endpoint (or dialed) and the address (the
	// zero Addr for a host refused by name, such as localhost), and
	// returns true to allow it. [AllowHosts] builds one from a list.
	// Default nil: nothing but public addresses. Optional.
	Allow func(host string, ip netip.Addr) bool
}

// CheckURL checks the host of an endpoint URL. An endpoint that does not
// parse is refused with [RuleInvalidHost]; its text is not repeated.
func (p EndpointPolicy) CheckURL(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return &EndpointError{Endpoint: Redacted, Rule: RuleInvalidHost}
	}
	host := u.Hostname()
	if _, rule := classifyHost(host); rule == "" {
		return nil // the common case, without printing the endpoint
	}
	return p.check(endpointForPrint(endpoint), host, false)
}

// CheckHost checks a host as a URL carries it (without brackets or port): a
// DNS name passes unless it is refused by name (localhost, *.localhost, the
// EC2 instance-data names); an address, written in any form a resolver
// accepts, is checked with [EndpointPolicy.CheckAddr].
func (p EndpointPolicy) CheckHost(host string) error { return p.check(host, host, false) }

// CheckAddr checks an address, which host (a name or the address as
// written) stands for.
func (p EndpointPolicy) CheckAddr(host string, ip netip.Addr) error {
	rule := ClassifyAddr(ip)
	if rule == "" || (p.Allow != nil && p.Allow(host, ip)) {
		return nil
	}
	return &EndpointError{Endpoint: host, Host: host, Addr: ip.WithZone(""), Rule: rule}
}

func (p EndpointPolicy) check(shown, host string, dial bool) error {
	ip, rule := classifyHost(host)
	if rule == "" {
		return nil
	}
	if rule != RuleInvalidHost && p.Allow != nil && p.Allow(host, ip) {
		return nil
	}
	return &EndpointError{Endpoint: shown, Host: host, Addr: ip, Rule: rule, Dial: dial}
}

// metadataAddrs are the addresses of AWS's metadata services, which answer
// with the credentials of the instance, task or pod the platform runs on.
var metadataAddrs = map[netip.Addr]bool{
	netip.MustParseAddr("169.254.169.254"): true, // EC2 instance metadata (IMDS)
	netip.MustParseAddr("fd00:ec2::254"):   true, // IMDS over IPv6 (Nitro)
	netip.MustParseAddr("169.254.170.2"):   true, // ECS task metadata and credentials
	netip.MustParseAddr("169.254.170.23"):  true, // EKS Pod Identity agent
	netip.MustParseAddr("fd00:ec2::23"):    true, // EKS Pod Identity agent over IPv6
	netip.MustParseAddr("169.254.169.253"): true, // Amazon-provided DNS
	netip.MustParseAddr("fd00:ec2::253"):   true, // Amazon-provided DNS over IPv6
	netip.MustParseAddr("169.254.169.123"): true, // Amazon Time Sync
	netip.MustParseAddr("fd00:ec2::123"):   true, // Amazon Time Sync over IPv6
	netip.MustParseAddr("169.254.169.250"): true, // Windows activation (KMS)
	netip.MustParseAddr("169.254.169.251"): true, // Windows activation (KMS)
}

// IsAWSMetadata reports whether ip, in any IPv6 form of an IPv4 address, is
// one of AWS's metadata addresses.
func IsAWSMetadata(ip netip.Addr) bool {
	ip = ip.WithZone("")
	if metadataAddrs[ip] {
		return true
	}
	for _, v4 := range embeddedIPv4(ip) {
		if metadataAddrs[v4] {
			return true
		}
	}
	return false
}

type ruledPrefix struct {
	prefix netip.Prefix
	rule   EndpointRule
}

// ipv4Rules classify IPv4 addresses, first match wins (RFC 6890 and the
// IANA special-purpose registry).
var ipv4Rules = []ruledPrefix{
	{netip.MustParsePrefix("0.0.0.0/8"), RuleUnspecified},
	{netip.MustParsePrefix("127.0.0.0/8"), RuleLoopback},
	{netip.MustParsePrefix("169.254.0.0/16"), RuleLinkLocal},
	{netip.MustParsePrefix("10.0.0.0/8"), RulePrivate},
	{netip.MustParsePrefix("172.16.0.0/12"), RulePrivate},
	{netip.MustParsePrefix("192.168.0.0/16"), RulePrivate},
	{netip.MustParsePrefix("100.64.0.0/10"), RuleSharedAddress},
	{netip.MustParsePrefix("224.0.0.0/4"), RuleMulticast},
	{netip.MustParsePrefix("240.0.0.0/4"), RuleReserved}, // with 255.255.255.255
	{netip.MustParsePrefix("192.0.0.0/24"), RuleReserved},
	{netip.MustParsePrefix("192.0.2.0/24"), RuleReserved},
	{netip.MustParsePrefix("198.51.100.0/24"), RuleReserved},
	{netip.MustParsePrefix("203.0.113.0/24"), RuleReserved},
	{netip.MustParsePrefix("198.18.0.0/15"), RuleReserved},
	{netip.MustParsePrefix("192.88.99.0/24"), RuleReserved},
}

// ipv6Rules classify native IPv6 addresses, after the forms that embed an
// IPv4 address.
var ipv6Rules = []ruledPrefix{
	{netip.MustParsePrefix("::/128"), RuleUnspecified},
	{netip.MustParsePrefix("::1/128"), RuleLoopback},
	{netip.MustParsePrefix("fe80::/10"), RuleLinkLocal},
	{netip.MustParsePrefix("fec0::/10"), RulePrivate},
	{netip.MustParsePrefix("fc00::/7"), RuleUniqueLocal},
	{netip.MustParsePrefix("ff00::/8"), RuleMulticast},
	{netip.MustParsePrefix("::/96"), RuleReserved}, // IPv4-compatible, deprecated
	{netip.MustParsePrefix("100::/64"), RuleReserved},
	{netip.MustParsePrefix("2001:2::/48"), RuleReserved},
	{netip.MustParsePrefix("2001:db8::/32"), RuleReserved},
	{netip.MustParsePrefix("3fff::/20"), RuleReserved},
	{netip.MustParsePrefix("2001:10::/28"), RuleReserved},
	{netip.MustParsePrefix("2001:20::/28"), RuleReserved},
}

// The IPv6 prefixes whose addresses carry an IPv4 address.
var (
	mappedPrefix   = netip.MustParsePrefix("::ffff:0:0/96")
	compatPrefix   = netip.MustParsePrefix("::/96")
	nat64Prefix    = netip.MustParsePrefix("64:ff9b::/96")
	nat64Local     = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFourRange = netip.MustParsePrefix("2002::/16")
	teredoPrefix   = netip.MustParsePrefix("2001::/32")
)

// embeddedIPv4 returns the IPv4 addresses an IPv6 address carries and that
// traffic to it may reach: the IPv4-mapped and -compatible forms, NAT64
// (well-known and local-use), 6to4, and Teredo (server and client).
func embeddedIPv4(ip netip.Addr) []netip.Addr {
	if !ip.Is6() {
		return nil
	}
	b := ip.As16()
	v4 := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{b[i], b[i+1], b[i+2], b[i+3]}) }
	switch {
	case mappedPrefix.Contains(ip), nat64Prefix.Contains(ip), nat64Local.Contains(ip):
		return []netip.Addr{v4(12)}
	case compatPrefix.Contains(ip):
		if ip == netip.IPv6Unspecified() || ip == netip.IPv6Loopback() {
			return nil
		}
		return []netip.Addr{v4(12)}
	case sixToFourRange.Contains(ip):
		return []netip.Addr{v4(2)}
	case teredoPrefix.Contains(ip):
		client := [4]byte{^b[12], ^b[13], ^b[14], ^b[15]}
		return []netip.Addr{v4(4), netip.AddrFrom4(client)}
	}
	return nil
}

// ClassifyAddr returns the rule that refuses ip by default, or "" for a
// public address. An IPv6 address that carries an IPv4 address is refused
// by the rule of the IPv4 address it carries.
func ClassifyAddr(ip netip.Addr) EndpointRule {
	if !ip.IsValid() {
		return RuleInvalidHost
	}
	ip = ip.WithZone("")
	if IsAWSMetadata(ip) {
		return RuleAWSMetadata
	}
	if ip.Is4() {
		for _, r := range ipv4Rules {
			if r.prefix.Contains(ip) {
				return r.rule
			}
		}
		return ""
	}
	for _, v4 := range embeddedIPv4(ip) {
		if rule := ClassifyAddr(v4); rule != "" {
			return rule
		}
	}
	if mappedPrefix.Contains(ip) {
		return "" // the IPv4 address itself, which is public
	}
	for _, r := range ipv6Rules {
		if r.prefix.Contains(ip) {
			return r.rule
		}
	}
	return ""
}

// namedHosts are names refused by name, before any resolution: they stand
// for a refused address on every resolver.
var namedHosts = map[string]EndpointRule{
	"localhost":                  RuleLoopback,
	"instance-data":              RuleAWSMetadata,
	"instance-data.ec2.internal": RuleAWSMetadata,
}

// classifyHost classifies a URL's host (brackets and port removed): the
// address it stands for, if it is one in any form a resolver reads, and the
// rule refusing it, or "" for a DNS name or a public address.
func classifyHost(host string) (netip.Addr, EndpointRule) {
	if host == "" {
		return netip.Addr{}, RuleInvalidHost
	}
	if strings.Contains(host, ":") {
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return netip.Addr{}, RuleInvalidHost
		}
		return ip.WithZone(""), ClassifyAddr(ip)
	}
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if ip, numeric, ok := parseIPv4Number(name); numeric {
		if !ok {
			return netip.Addr{}, RuleInvalidHost
		}
		return ip, ClassifyAddr(ip)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return netip.Addr{}, RuleInvalidHost
		}
	}
	if name == "" || strings.Contains(name, "..") || name[0] == '.' || name[len(name)-1] == '.' {
		return netip.Addr{}, RuleInvalidHost
	}
	if rule, ok := namedHosts[name]; ok {
		return netip.Addr{}, rule
	}
	if strings.HasSuffix(name, ".localhost") {
		return netip.Addr{}, RuleLoopback
	}
	return netip.Addr{}, ""
}

// parseIPv4Number reads a host the way resolvers (inet_aton) and URL
// parsers (the WHATWG URL standard) read numbers: one to four dot-separated
// parts, each decimal, octal (a leading 0) or hexadecimal (0x), the last
// filling the remaining bytes, so 2852039166, 0xa9fea9fe, 0251.0376.0251.0376
// and 169.254.43518 all are 169.254.169.254. numeric reports whether the
// host is a number at all (its last part is one, as the WHATWG standard
// decides); ok whether it is also a valid address. A numeric host that is no
// valid address (1.2.3.4.5, 256.1.1.1, 08.1.1.1) must not be resolved as a
// name, since some resolvers read it as an address anyway.
func parseIPv4Number(name string) (ip netip.Addr, numeric, ok bool) {
	if name == "" {
		return netip.Addr{}, false, false
	}
	parts := strings.Split(name, ".")
	if _, isNum := parseIPv4Part(parts[len(parts)-1]); !isNum && !allDigits(parts[len(parts)-1]) {
		return netip.Addr{}, false, false
	}
	if len(parts) > 4 {
		return netip.Addr{}, true, false
	}
	var v uint64
	for i, part := range parts {
		n, isNum := parseIPv4Part(part)
		if !isNum {
			return netip.Addr{}, true, false
		}
		if i < len(parts)-1 {
			if n > 255 {
				return netip.Addr{}, true, false
			}
			v |= n << (8 * (3 - i))
			continue
		}
		if n >= 1<<(8*(5-len(parts))) {
			return netip.Addr{}, true, false
		}
		v |= n
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true, true
}

// parseIPv4Part parses one part of a numeric host: 0x followed by hex
// digits (none is 0), 0 followed by octal digits, or decimal digits. Values
// past 2^32 are refused, like every value a part cannot hold.
func parseIPv4Part(s string) (uint64, bool) {
	base := 10
	switch {
	case s == "":
		return 0, false
	case strings.HasPrefix(s, "0x"):
		s, base = s[2:], 16
		if s == "" {
			return 0, true
		}
	case len(s) > 1 && s[0] == '0':
		s, base = s[1:], 8
	}
	for i := 0; i < len(s); i++ {
		if !isDigitIn(s[i], base) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil || n > 1<<32-1 {
		return 0, false
	}
	return n, true
}

func isDigitIn(c byte, base int) bool {
	switch base {
	case 8:
		return c >= '0' && c <= '7'
	case 16:
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
	}
	return c >= '0' && c <= '9'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// AllowHosts returns an [EndpointPolicy.Allow] function (for
// [Options.AllowEndpoint]) admitting the listed addresses ("127.0.0.1",
// "::1"), prefixes ("10.1.0.0/16") and host names ("minio.internal",
// "localhost"; an address a listed name resolves to is admitted at dial
// time). An AWS metadata address is admitted only when listed as itself:
// neither a prefix that covers it nor a name that resolves to it admits it,
// so allowing a private range never opens the platform's own credentials.
// Entries are written without port or brackets; AllowHosts panics on one
// that is not an address, a prefix or a host name, a programming error.
func AllowHosts(entries ...string) func(host string, ip netip.Addr) bool {
	addrs := map[netip.Addr]bool{}
	names := map[string]bool{}
	var prefixes []netip.Prefix
	for _, e := range entries {
		if a, err := netip.ParseAddr(e); err == nil {
			addrs[a.WithZone("").Unmap()] = true
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			prefixes = append(prefixes, p.Masked())
			continue
		}
		name := strings.ToLower(strings.TrimSuffix(e, "."))
		if _, rule := classifyHost(name); rule == RuleInvalidHost || strings.ContainsAny(e, ":[]/") {
			panic(fmt.Sprintf("connectors: AllowHosts: %s is not an address, a prefix or a host name (write it without port or brackets)", echo.Quote(e)))
		}
		names[name] = true
	}
	return func(host string, ip netip.Addr) bool {
		ip = ip.WithZone("").Unmap()
		if ip.IsValid() && addrs[ip] {
			return true
		}
		if ip.IsValid() && IsAWSMetadata(ip) {
			return false
		}
		for _, p := range prefixes {
			if ip.IsValid() && p.Contains(ip) {
				return true
			}
		}
		h := strings.ToLower(strings.TrimSuffix(host, "."))
		if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
			h = h[1 : len(h)-1]
		}
		return names[h]
	}
}

// hostOf returns the host of a dialed "host:port" address.
func hostOf(address string) string {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return address
	}
	return host
}
