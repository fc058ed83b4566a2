package role

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// provider is the aws.CredentialsProvider Cache.Provider returns. It holds
// its entry directly, so its Retrieve does no lookup; when the entry is
// evicted or invalidated it binds to a new one for the same key.
//
// A provider is safe for concurrent use. It prints as its role ARN and
// external ID only, never the credentials it serves.
type provider struct {
	c *Cache
	e atomic.Pointer[entry]
}

var (
	_ aws.CredentialsProvider      = (*provider)(nil)
	_ aws.CredentialProviderSource = (*provider)(nil)
)

// Retrieve returns fresh credentials for the provider's key.
func (p *provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	e := p.e.Load()
	s, now := e.hot()
	if s == nil {
		return p.slow(ctx, e, now)
	}
	return s.creds, nil
}

// slow is Retrieve when the hit path declined: the entry was removed (bind
// to the live one and try again) or its credentials are not fresh.
func (p *provider) slow(ctx context.Context, e *entry, now time.Time) (aws.Credentials, error) {
	if !e.dead.Load() {
		return e.slow(ctx, now)
	}
	e, err := p.rebind(e)
	if err != nil {
		return aws.Credentials{}, err
	}
	return e.retrieve(ctx)
}

// rebind replaces a removed entry with the live one for the same key,
// refusing a retired external ID.
func (p *provider) rebind(old *entry) (*entry, error) {
	e, err := p.c.insert(&old.key, old.hash, &old.in)
	if err != nil {
		return nil, err
	}
	p.e.CompareAndSwap(old, e)
	return e, nil
}

// ProviderSources tells the SDK's credential-source metrics these are
// assumed-role credentials.
func (p *provider) ProviderSources() []aws.CredentialSource {
	return []aws.CredentialSource{aws.CredentialSourceSTSAssumeRole}
}

// String names the role and external ID; it never includes credentials.
func (p *provider) String() string {
	e := p.e.Load()
	return fmt.Sprintf("role.Provider{RoleARN: %s, ExternalID: %s, SessionName: %s}", e.key.roleARN, e.key.externalID, e.in.sessionName)
}

// GoString is String, so %#v never prints credentials.
func (p *provider) GoString() string { return p.String() }

// LogValue logs the role and external ID, never credentials.
func (p *provider) LogValue() slog.Value {
	e := p.e.Load()
	return slog.GroupValue(
		slog.String("role_arn", e.key.roleARN),
		slog.String("external_id", e.key.externalID),
		slog.String("session_name", e.in.sessionName),
	)
}
