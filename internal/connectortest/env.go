package connectortest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// The fixed names of the customer's side of every Env.
const (
	// CustomerAccountID is the customer's AWS account.
	CustomerAccountID = "444455556666"
	// Region is the connection's region.
	Region = "us-east-1"
	// RoleName is the customer's role the platform assumes.
	RoleName = "awsconnect"
	// PolicyName is the role's inline permissions policy, which
	// [Env.Grant] replaces.
	PolicyName = "connector"
	// WorkspaceID and ProjectID are the connection's scope.
	WorkspaceID = "ws1"
	ProjectID   = "p1"
	// ConnectionID is the connection's ID.
	ConnectionID = "c1"
)

// Options are the variants of an Env. Every field is optional; the zero
// Options give a project-scoped connection to a role with the correct trust
// policy and no permissions.
type Options struct {
	// Mode is the scope the platform derives the external ID for: with
	// [scope.ProjectMode] the connection carries [ProjectID], with
	// [scope.WorkspaceMode] it carries none. Default scope.ProjectMode.
	// Optional.
	Mode scope.Mode
	// Permissions are granted to the role as
	// policy.LeastPrivilege(Permissions...). Default none: the role may do
	// nothing. Ignored when Policy is set. Optional.
	Permissions []policy.Requirement
	// Policy is the role's permissions policy as a whole document, for
	// tests that need more than requirements express. Default nil: use
	// Permissions. Optional.
	Policy *policy.Document
	// Trust is the role's trust policy. Default
	// policy.TrustPolicy(platform account, the derived external ID), the
	// policy a customer is told to paste. Optional.
	Trust *policy.Document
	// Fields are the connection's fields. Default nil. Optional.
	Fields map[string]string
	// Setup prepares the customer's account (buckets, functions, bots)
	// after the role is created; an error fails the test. Default nil.
	// Optional.
	Setup func(customer *localaws.Account) error
}

// WithPermissions sets Options.Permissions.
func WithPermissions(perms ...policy.Requirement) func(*Options) {
	return func(o *Options) { o.Permissions = perms }
}

// WithFields sets Options.Fields.
func WithFields(fields map[string]string) func(*Options) {
	return func(o *Options) { o.Fields = fields }
}

// Env is a running localaws with the customer's role and a platform-side
// resolver for one connection.
//
// Its fields are set by New and not changed after; its methods may be
// called from several goroutines (they call the concurrency-safe
// [connectors.Resolver] and [localaws.Account]).
type Env struct {
	// Server is the embedded AWS; tests read its request log, inject
	// faults and look at what the connector stored.
	Server *localaws.Server
	// Customer is the customer's account, where the role lives.
	Customer *localaws.Account
	// RoleARN is the ARN of the customer's role, [RoleName].
	RoleARN string
	// ExternalID is the external ID the platform derives for the
	// connection's scope and the default trust policy requires.
	ExternalID string
	// Cache is the platform's credentials cache under Resolver.
	Cache *role.Cache
	// Resolver turns a connection into an aws.Config as the platform does.
	Resolver *connectors.Resolver
	// Conn is the connection to the role: the kind New was given, the
	// Options' fields, the scope, Region, and Server's endpoint. Tests may
	// copy and change it.
	Conn connectors.Connection
}

// New starts localaws and builds the Env for a connection of kind. It stops
// the test at the first error and closes everything in t.Cleanup.
func New(t testing.TB, kind string, optFns ...func(*Options)) *Env {
	t.Helper()
	o := Options{Mode: scope.ProjectMode}
	for _, fn := range optFns {
		fn(&o)
	}
	srv, err := localaws.Start()
	must(t, err, "start localaws")
	t.Cleanup(func() { must(t, srv.Close(), "close localaws") })

	project := ProjectID
	if o.Mode == scope.WorkspaceMode {
		project = ""
	}
	deriver := scope.Deriver{}
	ext, err := deriver.ExternalID(o.Mode, WorkspaceID, project)
	must(t, err, "derive the external ID")
	if o.Trust == nil {
		o.Trust, err = policy.TrustPolicy(srv.PlatformAccountID(), ext)
		must(t, err, "build the trust policy")
	}
	if o.Policy == nil && len(o.Permissions) > 0 {
		o.Policy, err = policy.LeastPrivilege(o.Permissions...)
		must(t, err, "build the permissions policy")
	}
	customer, err := srv.CreateAccount(CustomerAccountID)
	must(t, err, "create the customer account")
	var roleOpts []localaws.RoleOption
	if o.Policy != nil {
		roleOpts = append(roleOpts, localaws.WithPolicy(PolicyName, o.Policy))
	}
	roleARN, err := customer.CreateRole(RoleName, o.Trust, roleOpts...)
	must(t, err, "create the customer's role")
	if o.Setup != nil {
		must(t, o.Setup(customer), "set up the customer's account")
	}

	base := srv.Config(nil)
	base.RetryMaxAttempts = 1 // each failure shape once, and exact request counts
	cache := role.NewCache(sts.NewFromConfig(base), func(ro *role.Options) { ro.PlatformAccountID = srv.PlatformAccountID() })
	t.Cleanup(func() { _ = cache.Close() })
	mode := o.Mode
	resolver := connectors.NewResolver(base, deriver,
		connectors.FixedMode(mode), cache,
		func(ro *connectors.Options) {
			ro.PlatformAccountID = srv.PlatformAccountID()
			// localaws listens on loopback, which the endpoint policy
			// refuses unless allowed.
			ro.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
		})
	t.Cleanup(resolver.CloseConnections)
	return &Env{Server: srv, Customer: customer, RoleARN: roleARN, ExternalID: ext, Cache: cache, Resolver: resolver,
		Conn: connectors.Connection{
			ID: ConnectionID, WorkspaceID: WorkspaceID, ProjectID: project, Kind: kind, Region: Region, Endpoint: srv.URL(),
			Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: roleARN}, Fields: o.Fields,
		}}
}

// Connection is a copy of Conn with fields in place of its fields.
func (e *Env) Connection(fields map[string]string) connectors.Connection {
	c := e.Conn
	c.Fields = fields
	return c
}

// Config resolves Conn as the platform does.
func (e *Env) Config(t testing.TB) aws.Config {
	t.Helper()
	return e.ConfigOf(t, e.Conn)
}

// ConfigOf resolves c as the platform does.
func (e *Env) ConfigOf(t testing.TB, c connectors.Connection) aws.Config {
	t.Helper()
	cfg, err := e.Resolver.Config(context.Background(), c)
	must(t, err, "resolve the connection")
	return cfg
}

// Grant replaces the role's permissions with exactly perms, through
// policy.LeastPrivilege. It applies to the next request, also for sessions
// already issued.
func (e *Env) Grant(t testing.TB, perms ...policy.Requirement) {
	t.Helper()
	doc, err := policy.LeastPrivilege(perms...)
	must(t, err, "build the permissions policy")
	must(t, e.Customer.PutRolePolicy(RoleName, PolicyName, doc), "put the role's policy")
}

// Statuses lists each step of r as "id=status", for assertions on a whole
// report.
func Statuses(r connectors.CheckReport) []string {
	out := make([]string, 0, len(r.Steps))
	for _, s := range r.Steps {
		out = append(out, string(s.ID)+"="+string(s.Status))
	}
	return out
}

// StepStatuses lists the status of each step of r, in order.
func StepStatuses(r connectors.CheckReport) []connectors.Status {
	out := make([]connectors.Status, 0, len(r.Steps))
	for _, s := range r.Steps {
		out = append(out, s.Status)
	}
	return out
}

// must stops the test when err is set, saying what failed; testify's
// require is not used so that the harness needs nothing but testing.
func must(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("connectortest: %s: %v", what, err)
	}
}
