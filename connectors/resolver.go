package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// ModeFunc returns the external-ID scope mode in force for a workspace.
//
// The resolver may call it from several goroutines at once, so it must be safe for concurrent use.
type ModeFunc func(ctx context.Context, workspaceID string) (scope.Mode, error)

// FixedMode returns a ModeFunc that gives every workspace mode m, for
// platforms (and tests) that offer only one way of scoping external IDs.
func FixedMode(m scope.Mode) ModeFunc {
	return func(context.Context, string) (scope.Mode, error) { return m, nil }
}

// Options configures a [Resolver].
//
// It is read only by the constructor, which keeps a copy.
type Options struct {
	// STS is the client for the external-ID probe of [Resolver.Check], which
	// must not go through the cache. Default sts.NewFromConfig of the base
	// config. Optional.
	STS stscreds.AssumeRoleAPIClient
	// PlatformAccountID names the principal customers' roles trust, in any
	// form policy.TrustPolicy accepts: the platform's 12-digit account ID,
	// its account root ARN, or the ARN of the IAM role the platform runs
	// under. When set, check steps that ask for a trust-policy change carry
	// the trust policy to set. A bare account ID is written in the partition
	// of the connection's role (arn:aws-cn:iam::ID:root for a role in
	// aws-cn), since a role can be assumed only from its own partition.
	// Default "" (hints only). Optional.
	PlatformAccountID string
	// Registry holds the connector kinds. Default [DefaultRegistry]. Optional.
	Registry *Registry
	// HTTPClient is the client every resolved config sends through, shared
	// so that all connections reuse one connection pool. The resolver uses a
	// copy whose dialer enforces the endpoint policy and that uses no proxy
	// (see [EndpointPolicy]): it must be an awshttp.BuildableClient or an
	// *http.Client over an *http.Transport; Config refuses any other with
	// [ErrUnguardedHTTPClient]. Default a guarded copy of the base config's
	// HTTPClient when it is one of those, else of a new
	// awshttp.BuildableClient. Optional.
	HTTPClient aws.HTTPClient
	// AllowEndpoint admits endpoint addresses the endpoint policy refuses by
	// default (loopback, private, link-local, unique-local, metadata...; see
	// [EndpointRule]), on validation and at dial time: it is
	// [EndpointPolicy.Allow]. Use [AllowHosts] for a list, such as
	// AllowHosts("127.0.0.1") for the local AWS in tests and local
	// development. Default nil: connections reach public addresses only.
	// Optional.
	AllowEndpoint func(host string, ip netip.Addr) bool
	// DNS resolves the endpoint host names of connections at dial time.
	// Default net.DefaultResolver. Optional.
	DNS *net.Resolver
	// Retryer builds the retryer of every resolved config. Default the base
	// config's Retryer, or retry.NewStandard. Optional.
	Retryer func() aws.Retryer
	// Now is the clock the check reports when credentials were obtained
	// by. Default time.Now. Optional.
	Now func() time.Time
	// Spec adjusts the role.Spec of a connection (duration, session policy,
	// tags) after the resolver fills RoleARN, ExternalID and the tenant IDs;
	// it must not change RoleARN or ExternalID. Default none. Optional.
	Spec func(c Connection, spec *role.Spec)
	// Deriver returns the deriver in force for a workspace, for platforms
	// that rotate external IDs (see [Switcher.PlanRotation]): it must answer
	// the deriver of the version the platform persisted for the workspace.
	// Default the deriver given to NewResolver, for every workspace.
	// Optional.
	Deriver DeriverFunc
}

// Resolver turns connections into aws.Configs: the platform's base config,
// the connection's region and endpoint, and credentials from the role cache
// (assumed with the external ID derived for the connection's workspace or
// project under the workspace's mode) or from the connection's access key.
//
// A Resolver is safe for concurrent use by multiple goroutines.
type Resolver struct {
	base      aws.Config
	deriver   scope.Deriver
	mode      ModeFunc
	cache     *role.Cache
	opts      Options
	endpoints EndpointPolicy
	conns     *connSet // the connections of opts.HTTPClient
	clientErr error    // Options.HTTPClient could not be guarded; Config returns it
}

// NewResolver returns a Resolver. base is the platform's own aws.Config (its
// credentials call STS); deriver derives external IDs; mode gives each
// workspace's scope mode; cache assumes and caches role credentials.
func NewResolver(base aws.Config, deriver scope.Deriver, mode ModeFunc, cache *role.Cache, optFns ...func(*Options)) *Resolver {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Registry == nil {
		o.Registry = DefaultRegistry
	}
	endpoints := EndpointPolicy{Allow: o.AllowEndpoint}
	conns := &connSet{}
	var clientErr error
	if o.HTTPClient != nil {
		o.HTTPClient, clientErr = guardClient(o.HTTPClient, endpoints, o.DNS, conns)
	} else if o.HTTPClient, clientErr = guardClient(base.HTTPClient, endpoints, o.DNS, conns); clientErr != nil {
		// The base config's client serves the platform's own STS calls; the
		// connections get a guarded client of their own.
		o.HTTPClient, clientErr = guardClient(awshttp.NewBuildableClient(), endpoints, o.DNS, conns)
	}
	if o.Retryer == nil {
		o.Retryer = base.Retryer
	}
	if o.Retryer == nil {
		o.Retryer = func() aws.Retryer { return retry.NewStandard() }
	}
	if o.STS == nil {
		o.STS = sts.NewFromConfig(base)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Resolver{base: base, deriver: deriver, mode: mode, cache: cache, opts: o, endpoints: endpoints, conns: conns, clientErr: clientErr}
}

// CloseConnections closes every network connection the resolved configs'
// HTTP client holds open, idle or not: call it when the platform shuts the
// resolver down (or a test ends), so no connection outlives its owner.
// Configs resolved before keep working; they dial anew.
func (r *Resolver) CloseConnections() { r.conns.closeAll() }

// EndpointPolicy returns the endpoint policy the resolver enforces on
// validation and at dial time.
func (r *Resolver) EndpointPolicy() EndpointPolicy { return r.endpoints }

// Validate checks every field of c against the resolver's registry and
// endpoint policy and returns a *[ValidationError] naming each invalid
// field, or nil. It is what [Resolver.Config] and [Resolver.Check] run
// first.
func (r *Resolver) Validate(c Connection) error { return c.validate(r.opts.Registry, r.endpoints) }

// ErrNoRoleCache is returned when an IAM-role connection is resolved by a
// Resolver built without a role.Cache.
var ErrNoRoleCache = errors.New("connectors: the resolver has no role cache for IAM role connections")

// Spec returns the role.Spec the resolver assumes for an IAM-role connection:
// the role ARN, the external ID derived for the connection's workspace (or
// project, in project mode) and the tenant IDs that name the session.
func (r *Resolver) Spec(ctx context.Context, c Connection) (role.Spec, error) {
	if c.Auth.Type != AuthIAMRole {
		return role.Spec{}, fmt.Errorf("connectors: connection %q uses %s authorization, not %q", c.ID, echo.Quote(c.Auth.Type), AuthIAMRole)
	}
	mode, err := r.mode(ctx, c.WorkspaceID)
	if err == nil {
		// Before the project check, which would otherwise blame a missing
		// project for a mode that is neither.
		err = mode.Validate()
	}
	if err != nil {
		return role.Spec{}, fmt.Errorf("connectors: scope mode of workspace %q: %w", c.WorkspaceID, err)
	}
	project := c.ProjectID
	if mode == scope.WorkspaceMode {
		project = ""
	} else if project == "" {
		return role.Spec{}, &ValidationError{Fields: []*FieldError{newFieldError(PathProjectID, "",
			fmt.Sprintf("is required: workspace %q uses project-scoped external IDs", c.WorkspaceID), nil)}}
	}
	deriver, err := r.deriverFor(ctx, c.WorkspaceID)
	if err != nil {
		return role.Spec{}, err
	}
	extID, err := deriver.ExternalID(mode, c.WorkspaceID, project)
	if err != nil {
		return role.Spec{}, fmt.Errorf("connectors: external ID of connection %q: %w", c.ID, err)
	}
	spec := role.Spec{RoleARN: c.Auth.RoleARN, ExternalID: extID, WorkspaceID: c.WorkspaceID, ProjectID: project, ConnectionID: c.ID}
	if r.opts.Spec != nil {
		r.opts.Spec(c, &spec)
		spec.RoleARN, spec.ExternalID = c.Auth.RoleARN, extID
	}
	return spec, nil
}

// Config validates c and returns the aws.Config its connector uses: the
// base config with c's region, c's endpoint override (the base config's
// BaseEndpoint, which serves the platform's own STS calls, is never
// inherited), the shared HTTP client and retryer, and c's credentials. It does
// not call AWS: role credentials are assumed (and then served from the cache)
// on the config's first use.
func (r *Resolver) Config(ctx context.Context, c Connection) (aws.Config, error) {
	cfg, _, err := r.resolve(ctx, c)
	return cfg, err
}

// resolve is Config, also returning the role.Spec of an IAM-role connection,
// so that Check reports the external ID the config's credentials were
// assumed with even if the workspace's mode changes meanwhile.
func (r *Resolver) resolve(ctx context.Context, c Connection) (aws.Config, role.Spec, error) {
	if r.clientErr != nil {
		return aws.Config{}, role.Spec{}, r.clientErr
	}
	if err := r.Validate(c); err != nil {
		return aws.Config{}, role.Spec{}, err
	}
	cfg := r.base.Copy()
	cfg.Region = c.Region
	cfg.HTTPClient = r.opts.HTTPClient
	cfg.Retryer = r.opts.Retryer
	// The base config's endpoint is where the platform reaches its own STS
	// (a VPC endpoint, an emulator); the connection's service is elsewhere
	// unless the connection says so.
	cfg.BaseEndpoint = nil
	if c.Endpoint != "" {
		cfg.BaseEndpoint = aws.String(c.Endpoint)
	}
	var spec role.Spec
	switch c.Auth.Type {
	case AuthIAMRole:
		if r.cache == nil {
			return aws.Config{}, role.Spec{}, ErrNoRoleCache
		}
		var err error
		if spec, err = r.Spec(ctx, c); err != nil {
			return aws.Config{}, role.Spec{}, err
		}
		provider, err := r.cache.Provider(spec)
		if err != nil {
			return aws.Config{}, role.Spec{}, fmt.Errorf("connectors: connection %q: %w", c.ID, err)
		}
		cfg.Credentials = provider
	case AuthAccessKey:
		cfg.Credentials = credentials.NewStaticCredentialsProvider(c.Auth.AccessKeyID, c.Auth.SecretAccessKey.Reveal(), "")
	}
	return cfg, spec, nil
}
