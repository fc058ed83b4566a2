package sigv4

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrUnknownHost is returned (wrapped) by [ParseHost] when a host name is not a
// standard AWS endpoint, so the signing service and region cannot be inferred.
// Set [Options.Service] and [Options.Region] for such hosts.
var ErrUnknownHost = errors.New("signedhttp: host is not a standard AWS endpoint")

// Endpoint is what a standard AWS host name says about how to sign requests to
// it. It is a plain value, safe to copy and share.
type Endpoint struct {
	// Service is the SigV4 signing name ("s3", "lex", "ses", "execute-api"),
	// which differs from the host's first label for some services
	// (email → ses, runtime-v2-lex → lex).
	Service string
	// Region is the signing region; global endpoints give the region AWS signs
	// them for (us-east-1 in the aws partition).
	Region string
	// Bucket is the bucket of an S3 virtual-hosted-style host, else "".
	Bucket string
	// FIPS and DualStack report the endpoint variant.
	FIPS, DualStack bool
}

// dnsSuffixes maps the DNS suffixes of AWS partitions to the region their
// global endpoints (iam, sts, route53, cloudfront, s3 without a region) sign
// for, and says which suffixes are the partitions' dual-stack domains.
var dnsSuffixes = []struct {
	suffix, globalRegion string
	dualStack            bool
}{
	{".amazonaws.com.cn", "cn-north-1", false},
	{".amazonaws.com", "us-east-1", false},
	{".api.amazonwebservices.com.cn", "cn-north-1", true},
	{".api.aws", "us-east-1", true},
	{".on.aws", "us-east-1", false},
	{".c2s.ic.gov", "us-iso-east-1", false},
	{".sc2s.sgov.gov", "us-isob-east-1", false},
}

// signingNames maps endpoint prefixes whose signing name differs from the
// prefix itself. Keys are the labels before the region, joined by ".".
var signingNames = map[string]string{
	"runtime-v2-lex":        "lex",
	"runtime.lex":           "lex",
	"models-v2-lex":         "lex",
	"models.lex":            "lex",
	"email":                 "ses",
	"lambda-url":            "lambda",
	"runtime.sagemaker":     "sagemaker",
	"data.iot":              "iotdata",
	"bedrock-runtime":       "bedrock",
	"bedrock-agent-runtime": "bedrock",
	"aps-workspaces":        "aps",
	"streams.dynamodb":      "dynamodb",
	"execute-api":           "execute-api",
}

// regionPattern matches AWS region names such as us-east-1, us-gov-west-1,
// cn-northwest-1 and us-isob-east-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// s3LegacyRegion matches the legacy dash form "s3-us-west-2".
var s3LegacyRegion = regexp.MustCompile(`^s3-((?:[a-z]{2})(?:-[a-z]+)+-[0-9]+)$`)

// ParseHost infers the signing service and region from a standard AWS host name
// (an optional port is ignored). It understands regional, global, FIPS and
// dual-stack forms, the service prefixes whose signing name differs
// (runtime-v2-lex → lex, email → ses), per-resource prefixes
// ("abc.execute-api.eu-west-1.amazonaws.com"), and S3's path-style,
// virtual-hosted-style, legacy dash-region, access-point and control forms.
func ParseHost(host string) (Endpoint, error) {
	h := strings.ToLower(strings.TrimSuffix(stripPort(host), "."))
	var rest, globalRegion string
	var dualStack bool
	for _, s := range dnsSuffixes {
		if strings.HasSuffix(h, s.suffix) {
			rest, globalRegion, dualStack = strings.TrimSuffix(h, s.suffix), s.globalRegion, s.dualStack
			break
		}
	}
	if rest == "" {
		return Endpoint{}, fmt.Errorf("%w: %s; set Options.Service and Options.Region", ErrUnknownHost, echo.Quote(host))
	}
	labels := strings.Split(rest, ".")
	for _, l := range labels {
		if l == "" {
			return Endpoint{}, fmt.Errorf("%w: %s has an empty label", ErrUnknownHost, echo.Quote(host))
		}
	}
	if ep, ok := parseS3(labels, globalRegion); ok {
		ep.DualStack = ep.DualStack || dualStack
		return ep, nil
	}

	ep := Endpoint{Region: globalRegion, DualStack: dualStack}
	// The region, when present, is the last label; "dualstack" may precede it.
	last := len(labels)
	if regionPattern.MatchString(labels[last-1]) {
		ep.Region = labels[last-1]
		last--
	} else if labels[last-1] == "us-gov" {
		// iam.us-gov.amazonaws.com is GovCloud's global IAM endpoint.
		ep.Region = "us-gov-west-1"
		last--
	}
	if last > 0 && labels[last-1] == "dualstack" {
		ep.DualStack = true
		last--
	}
	if last == 0 {
		return Endpoint{}, fmt.Errorf("%w: %s names no service", ErrUnknownHost, echo.Quote(host))
	}
	svcLabels := labels[:last]
	if s, ok := strings.CutSuffix(svcLabels[len(svcLabels)-1], "-fips"); ok && s != "" {
		ep.FIPS = true
		svcLabels = append(svcLabels[:len(svcLabels)-1:len(svcLabels)-1], s)
	}
	// Try the longest known multi-label prefix first ("runtime.lex"), then the
	// last label alone; any labels before it are resource IDs (API IDs, URL IDs).
	for i := 0; i < len(svcLabels); i++ {
		if name, ok := signingNames[strings.Join(svcLabels[i:], ".")]; ok {
			ep.Service = name
			return ep, nil
		}
	}
	ep.Service = svcLabels[len(svcLabels)-1]
	if !validServiceLabel(ep.Service) {
		return Endpoint{}, fmt.Errorf("%w: %s: %s is not a service name", ErrUnknownHost, echo.Quote(host), echo.Quote(ep.Service))
	}
	return ep, nil
}

// parseS3 recognises S3 host forms. The rightmost S3 label is the service, so
// that bucket names containing "s3" labels still parse.
func parseS3(labels []string, globalRegion string) (Endpoint, bool) {
	for i := len(labels) - 1; i >= 0; i-- {
		ep, after, ok := s3Label(labels[i])
		if !ok {
			continue
		}
		if labels[i] == "s3" || labels[i] == "s3-fips" || labels[i] == "s3-external-1" || after != "" {
			// Only plain S3 hosts carry a bucket; access points and the
			// control plane carry an access-point name or account ID.
			ep.Bucket = strings.Join(labels[:i], ".")
		}
		tail := labels[i+1:]
		if len(tail) > 0 && tail[0] == "dualstack" {
			ep.DualStack = true
			tail = tail[1:]
		}
		switch {
		case len(tail) == 0 && after != "":
			ep.Region = after
		case len(tail) == 0:
			ep.Region = globalRegion
		case len(tail) == 1 && regionPattern.MatchString(tail[0]) && after == "":
			ep.Region = tail[0]
		default:
			return Endpoint{}, false
		}
		return ep, true
	}
	return Endpoint{}, false
}

// s3Label reports whether one label names S3, and a region it carries itself.
func s3Label(l string) (ep Endpoint, region string, ok bool) {
	ep.Service = "s3"
	switch l {
	case "s3", "s3-accesspoint", "s3-control", "s3-object-lambda":
		return ep, "", true
	case "s3-fips", "s3-accesspoint-fips", "s3-control-fips":
		ep.FIPS = true
		return ep, "", true
	case "s3-external-1":
		return ep, "us-east-1", true
	}
	if m := s3LegacyRegion.FindStringSubmatch(l); m != nil {
		return ep, m[1], true
	}
	return Endpoint{}, "", false
}

// ValidSigningName reports whether s can be a SigV4 signing name (a
// service label such as "execute-api"): lower-case letters, digits and
// hyphens.
func ValidSigningName(s string) bool { return validServiceLabel(s) }

func validServiceLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

func stripPort(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}
