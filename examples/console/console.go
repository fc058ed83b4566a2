package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	_ "github.com/awsconnect/awsconnect/connectors/cloudwatch" // the kinds the console offers register themselves
	_ "github.com/awsconnect/awsconnect/connectors/lambda"
	_ "github.com/awsconnect/awsconnect/connectors/lex"
	_ "github.com/awsconnect/awsconnect/connectors/s3"
	_ "github.com/awsconnect/awsconnect/connectors/ses"
	_ "github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

//go:embed templates/*.html static/*
var assets embed.FS

// workspace is the tenant the console shows: a platform would have many,
// each with its projects; the console has one.
type workspace struct {
	ID       string
	Name     string
	Projects []project
}

type project struct{ ID, Name string }

// project returns the project with the given ID.
func (w workspace) project(id string) (project, bool) {
	for _, p := range w.Projects {
		if p.ID == id {
			return p, true
		}
	}
	return project{}, false
}

func (w workspace) projectIDs() []string {
	ids := make([]string, len(w.Projects))
	for i, p := range w.Projects {
		ids[i] = p.ID
	}
	return ids
}

// demoWorkspace is the console's tenant.
var demoWorkspace = workspace{ID: "12345", Name: "Acme Corp", Projects: []project{
	{ID: "6789", Name: "Marketing"}, {ID: "6790", Name: "Finance"},
}}

// console is the platform's web console: the library's Resolver, Settings
// and Switcher behind server-rendered screens. It is safe for concurrent
// use; two browsers stepping the same switch at once are not prevented
// (a platform would lock the saved Switch).
type console struct {
	local     *localaws.Server
	cache     *role.Cache
	resolver  *connectors.Resolver
	settings  *connectors.Settings
	switcher  *connectors.Switcher
	scopes    *connectors.MemoryScopes
	registry  *connectors.Registry
	principal connectors.Principal
	customer  *customer
	store     *store
	ws        workspace
	pages     map[string]*template.Template
	now       func() time.Time
	log       *slog.Logger
}

// newConsole wires the library against local: the platform's identity is
// discovered with GetCallerIdentity, the workspace starts in workspace mode,
// and the demo customer's account is created. Close releases what it holds.
func newConsole(ctx context.Context, local *localaws.Server, log *slog.Logger) (*console, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	platform := local.Config(nil)
	scopes := &connectors.MemoryScopes{DefaultVersion: "v1"}
	scopes.AddDeriver("v1", scope.Deriver{Prefix: "acme_iam_external_id"})
	if err := scopes.SetMode(ctx, demoWorkspace.ID, scope.WorkspaceMode); err != nil {
		return nil, err
	}
	// The local AWS listens on 127.0.0.1, which the endpoint policy refuses
	// by default (a customer's endpoint must not reach the platform's own
	// network); the console allows exactly that address.
	allow := func(o *connectors.Options) {
		o.Deriver = scopes.Deriver
		o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
	}
	// The platform's principal is discovered once, with GetCallerIdentity,
	// then configured, so that failed check steps carry the trust policy to
	// set.
	discovered, err := connectors.NewSettings(connectors.NewResolver(platform, scope.Deriver{}, scopes.Mode, nil, allow)).Principal(ctx)
	if err != nil {
		return nil, fmt.Errorf("discover the platform's AWS account: %w", err)
	}
	cache := role.NewCache(sts.NewFromConfig(platform), func(o *role.Options) { o.PlatformAccountID = discovered.AccountID })
	resolver := connectors.NewResolver(platform, scope.Deriver{}, scopes.Mode, cache, allow, func(o *connectors.Options) {
		o.PlatformAccountID = discovered.ARN
	})
	settings := connectors.NewSettings(resolver)
	cust, err := newCustomer(local)
	if err != nil {
		cache.Close()
		return nil, fmt.Errorf("create the demo customer's account: %w", err)
	}
	return &console{
		local: local, cache: cache, resolver: resolver, settings: settings, scopes: scopes,
		switcher:  connectors.NewSwitcher(settings, func(o *connectors.SwitcherOptions) { o.Modes, o.Derivers = scopes, scopes }),
		registry:  connectors.DefaultRegistry,
		principal: discovered, customer: cust, store: newStore(), ws: demoWorkspace,
		pages: pages, now: time.Now, log: log,
	}, nil
}

// Close stops the role cache and closes the connections' network
// connections.
func (c *console) Close() {
	c.cache.Close()
	c.resolver.CloseConnections()
}

// handler routes the console's screens. Every state-changing request is a
// POST, refused when it comes from another origin.
func (c *console) handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/connections", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /connections", c.listConnections)
	mux.HandleFunc("GET /connections/new", c.newConnection)
	mux.HandleFunc("POST /connections", c.createConnection)
	mux.HandleFunc("GET /connections/{id}", c.showConnection)
	mux.HandleFunc("POST /connections/{id}/connect", c.connect)
	mux.HandleFunc("POST /connections/{id}/delete", c.deleteConnection)
	mux.HandleFunc("POST /connections/{id}/demo/setup", c.demoSetupRole)
	mux.HandleFunc("POST /connections/{id}/demo/break", c.demoBreakRole)
	mux.HandleFunc("GET /settings", c.showSettings)
	mux.HandleFunc("POST /settings/scope", c.planSwitch)
	mux.HandleFunc("GET /settings/switch", c.showSwitch)
	mux.HandleFunc("POST /settings/switch/{step}", c.stepSwitch)
	return http.NewCrossOriginProtection().Handler(mux)
}

// page is what every screen's layout needs.
type page struct {
	Title     string
	Nav       string
	Workspace workspace
	Notice    string
	Errors    []string
	LocalURL  string
}

func (c *console) page(title, nav string) page {
	return page{Title: title, Nav: nav, Workspace: c.ws, LocalURL: c.local.URL()}
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (c *console) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		c.log.Error("render", "page", name, "err", err)
		http.Error(w, "The page could not be rendered; the console's log says why.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// parsePages parses each screen with the shared layout and partials.
func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"policy":    policyText,
		"kindTitle": kindTitle,
		"since":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
		"detail":    detailOf,
		"join":      strings.Join,
		"dict":      dict,
		"words":     func(v any) string { return strings.ReplaceAll(fmt.Sprint(v), "_", " ") },
		"roleName":  func(arn string) string { r, _ := role.ParseRoleARN(arn); return r.Name },
		"roleAccount": func(arn string) string {
			r, _ := role.ParseRoleARN(arn)
			return r.AccountID
		},
	}
	shared := []string{"templates/layout.html", "templates/partials.html"}
	pages := map[string]*template.Template{}
	for _, name := range []string{"connections", "form", "connection", "settings", "switch"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, append(shared, "templates/"+name+".html")...)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// policyText is a policy as the customer pastes it.
func policyText(d *policy.Document) string {
	if d == nil {
		return ""
	}
	b, err := d.Indented()
	if err != nil {
		return "(the policy cannot be printed: " + err.Error() + ")"
	}
	return string(b)
}

// kindTitle is the registered title of a kind name, or the name.
func kindTitle(name string) string {
	if k, ok := connectors.Lookup(name); ok {
		return k.Title
	}
	return name
}

// dict builds the argument map of a partial template from key, value pairs.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
