package connectors

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// The workspace of the switch tests, and its customer.
const (
	swWorkspace = "12345"
	swCustomer  = "444455556666"
	swPrefix    = "acme_iam_external_id"
)

// switchEnv is a platform switching a workspace against localaws: the
// customer's roles, the platform's stores, and the platform process (cache,
// resolver, settings, switcher), which restart replaces as a crash would.
type switchEnv struct {
	srv      *localaws.Server
	customer *localaws.Account
	scopes   *MemoryScopes
	conns    []Connection
	roles    map[string]string // role name -> ARN
	clock    time.Time

	cache    *role.Cache
	r        *Resolver
	settings *Settings
	sw       *Switcher
}

// newSwitchEnv starts localaws with a customer whose roles trust the
// workspace's IDs under mode: devops (connection c-devops, project 6789),
// reports (c-reports, project 6790) and shared (c-shared-a and c-shared-b,
// projects 6789 and 6790), plus an access-key connection c-key.
func newSwitchEnv(t *testing.T, mode scope.Mode) *switchEnv {
	t.Helper()
	srv, err := localaws.Start()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	customer, err := srv.CreateAccount(swCustomer)
	require.NoError(t, err)
	e := &switchEnv{srv: srv, customer: customer, scopes: &MemoryScopes{DefaultVersion: "v1"},
		roles: map[string]string{}, clock: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	e.scopes.AddDeriver("v1", scope.Deriver{Prefix: swPrefix})
	require.NoError(t, e.scopes.SetMode(context.Background(), swWorkspace, mode))

	d := scope.Deriver{Prefix: swPrefix}
	id := func(project string) string {
		if mode == scope.WorkspaceMode {
			project = ""
		}
		ext, err := d.ExternalID(mode, swWorkspace, project)
		require.NoError(t, err)
		return ext
	}
	for _, r := range []struct {
		name     string
		projects []string
	}{{"devops", []string{"6789"}}, {"reports", []string{"6790"}}, {"shared", []string{"6789", "6790"}}} {
		var ids []string
		for _, p := range r.projects {
			ids = append(ids, id(p))
		}
		trust, err := policy.TrustPolicy(srv.PlatformAccountID(), ids...)
		require.NoError(t, err)
		e.roles[r.name], err = e.customer.CreateRole(r.name, trust)
		require.NoError(t, err)
	}
	conn := func(id, project, roleName string) Connection {
		return Connection{ID: id, WorkspaceID: swWorkspace, ProjectID: project, Kind: "test", Region: "us-east-1",
			Auth: Auth{Type: AuthIAMRole, RoleARN: e.roles[roleName]}, Fields: map[string]string{"bucket": "reports"}}
	}
	e.conns = []Connection{
		conn("c-devops", "6789", "devops"), conn("c-reports", "6790", "reports"),
		conn("c-shared-a", "6789", "shared"), conn("c-shared-b", "6790", "shared"),
		{ID: "c-key", WorkspaceID: swWorkspace, ProjectID: "6789", Kind: "test", Region: "us-east-1",
			Auth:   Auth{Type: AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
			Fields: map[string]string{"bucket": "reports"}},
	}
	e.restart(t)
	return e
}

// restart replaces the platform process: a new cache, resolver, settings
// and switcher over the same stores and customer, as after a crash.
func (e *switchEnv) restart(t *testing.T, optFns ...func(*SwitcherOptions)) {
	t.Helper()
	if e.cache != nil {
		require.NoError(t, e.cache.Close())
	}
	base := e.srv.Config(nil)
	e.cache = role.NewCache(sts.NewFromConfig(base))
	cache := e.cache
	t.Cleanup(func() { _ = cache.Close() })
	e.r = NewResolver(base, scope.Deriver{Prefix: "unused: Options.Deriver answers"}, e.scopes.Mode, e.cache, func(o *Options) {
		o.Registry = testRegistry(nil)
		o.Deriver = e.scopes.Deriver
		o.AllowEndpoint = AllowHosts("127.0.0.1") // localaws
	})
	e.settings = NewSettings(e.r)
	opts := append([]func(*SwitcherOptions){func(o *SwitcherOptions) {
		o.Modes, o.Derivers = e.scopes, e.scopes
		o.Now = func() time.Time { return e.clock }
	}}, optFns...)
	e.sw = NewSwitcher(e.settings, opts...)
}

// paste sets the trust policy of the role with ARN roleARN, as the customer
// does in the IAM console.
func (e *switchEnv) paste(t *testing.T, roleARN string, doc *policy.Document) {
	t.Helper()
	a, err := role.ParseRoleARN(roleARN)
	require.NoError(t, err)
	require.NoError(t, e.customer.UpdateTrustPolicy(a.Name, doc))
}

// pasteAll pastes each role's transitional or final policy.
func (e *switchEnv) pasteAll(t *testing.T, sw Switch, final bool) {
	t.Helper()
	for _, r := range sw.Roles {
		doc := r.TransitionalTrustPolicy
		if final {
			doc = r.FinalTrustPolicy
		}
		e.paste(t, r.RoleARN, doc)
	}
}

// works resolves every role connection as the platform does and reports
// which ones fail to get credentials, with the external ID each used.
func (e *switchEnv) works(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range e.conns {
		if c.Auth.Type != AuthIAMRole {
			continue
		}
		cfg, spec, err := e.r.resolve(context.Background(), c)
		require.NoError(t, err)
		if _, err := cfg.Credentials.Retrieve(context.Background()); err != nil {
			out[c.ID] = "broken with " + spec.ExternalID
		} else {
			out[c.ID] = "works with " + spec.ExternalID
		}
	}
	return out
}

// countingIdentity counts GetCallerIdentity calls and fails the first fail
// of them.
type countingIdentity struct {
	next    CallerIdentityAPIClient
	calls   atomic.Int32
	fail    int32
	gate    chan struct{} // when set, each call waits for it to close
	started chan struct{} // when set, receives (if it has room) as each call starts
}

func (c *countingIdentity) GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	n := c.calls.Add(1)
	if c.started != nil {
		select {
		case c.started <- struct{}{}:
		default:
		}
	}
	if c.gate != nil {
		<-c.gate
	}
	if n <= c.fail {
		return nil, &aws.RequestCanceledError{Err: context.DeadlineExceeded}
	}
	return c.next.GetCallerIdentity(ctx, in, optFns...)
}
