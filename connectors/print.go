package connectors

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the resolver without the platform's credentials (its
// base aws.Config) or the Deriver's secret.
func (r *Resolver) String() string {
	if r == nil {
		return "connectors.Resolver(nil)"
	}
	return fmt.Sprintf("connectors.Resolver{region %s, %s, %s}", r.base.Region, r.deriver, r.opts)
}

// GoString is the %#v form, redacted like String.
func (r *Resolver) GoString() string { return r.String() }

// Format makes every fmt verb print String: the base aws.Config would
// otherwise be printed down to the platform's secret key.
func (r *Resolver) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String(), r.GoString()) }

// LogValue gives slog the resolver's settings without secrets.
func (r *Resolver) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue(r.String())
	}
	return redact.Value(r.String(), slog.String("region", r.base.Region), slog.Any("deriver", r.deriver), slog.Any("options", r.opts))
}

// MarshalJSON writes String, never a secret.
func (r *Resolver) MarshalJSON() ([]byte, error) { return redact.JSON(r.String()) }

// String describes the options without the STS client, which holds the
// platform's credentials.
func (o Options) String() string {
	kinds := 0
	if o.Registry != nil {
		kinds = len(o.Registry.Kinds())
	}
	return fmt.Sprintf("connectors.Options{platform account %q, %d kinds, endpoint allowances %t}", o.PlatformAccountID, kinds, o.AllowEndpoint != nil)
}

// GoString is the %#v form, redacted like String.
func (o Options) GoString() string { return o.String() }

// Format makes every fmt verb print String.
func (o Options) Format(f fmt.State, verb rune) { redact.Format(f, verb, o.String(), o.GoString()) }

// LogValue gives slog the options without the STS client.
func (o Options) LogValue() slog.Value {
	return redact.Value(o.String(), slog.String("platform_account_id", o.PlatformAccountID), slog.Bool("endpoint_allowances", o.AllowEndpoint != nil))
}

// MarshalJSON writes String, never a secret.
func (o Options) MarshalJSON() ([]byte, error) { return redact.JSON(o.String()) }
