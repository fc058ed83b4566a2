package main

import (
	"context"
	"net/http"
	"net/url"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// listView is the connections screen.
type listView struct {
	page
	Records []record
}

func (c *console) listConnections(w http.ResponseWriter, r *http.Request) {
	v := listView{page: c.page("Connections", "connections"), Records: c.store.list()}
	v.Notice = notices[r.URL.Query().Get("notice")]
	c.render(w, http.StatusOK, "connections", v)
}

func (c *console) newConnection(w http.ResponseWriter, r *http.Request) {
	c.render(w, http.StatusOK, "form", c.blankForm(r.URL.Query().Get("kind")))
}

// createConnection validates the form and saves the connection, or shows
// the form again with each error beside its input, saving nothing.
func (c *console) createConnection(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read: "+err.Error(), http.StatusBadRequest)
		return
	}
	f, rec, ok := c.readForm(r)
	if !ok {
		f.Errors = []string{"The connection was not saved: correct the fields marked below."}
		c.render(w, http.StatusUnprocessableEntity, "form", f)
		return
	}
	if !c.store.add(rec) {
		f.addErr(inputID, "Name "+rec.Conn.ID+" is taken by another connection; choose another.")
		c.render(w, http.StatusConflict, "form", f)
		return
	}
	http.Redirect(w, r, "/connections/"+url.PathEscape(rec.Conn.ID)+"?notice=created", http.StatusSeeOther)
}

// connectionView is a connection's screen: its settings, the role's
// policies to paste, and the last Connect report.
type connectionView struct {
	page
	Rec         record
	Kind        connectors.Kind
	Project     project
	OpTitles    []string
	ExternalID  connectors.ExternalIDInfo
	Trust       *policy.Document
	Permissions *policy.Document
	Demo        bool // the role is in the local AWS's demo customer account
	DemoAccount string
}

// view gathers a connection's screen; the errors it meets are shown on it.
func (c *console) view(ctx context.Context, rec record) connectionView {
	v := connectionView{page: c.page(rec.Conn.ID, "connections"), Rec: rec, DemoAccount: c.customer.accountID}
	v.Kind, _ = c.registry.Lookup(rec.Conn.Kind)
	v.Project, _ = c.ws.project(rec.Conn.ProjectID)
	for _, op := range rec.Operations {
		if info, ok := v.Kind.Operation(op); ok {
			v.OpTitles = append(v.OpTitles, info.Title+" ("+string(op)+")")
		}
	}
	if rec.Conn.Auth.Type == connectors.AuthIAMRole {
		var err error
		if v.ExternalID, err = c.settings.ExternalID(ctx, rec.Conn.WorkspaceID, rec.Conn.ProjectID); err != nil {
			v.Errors = append(v.Errors, sentence(err.Error()))
		}
		if v.Trust, err = c.settings.TrustPolicy(ctx, rec.Conn.WorkspaceID, rec.Conn.ProjectID, rec.Conn.Auth.RoleARN); err != nil {
			v.Errors = append(v.Errors, sentence(err.Error()))
		}
		_, v.Demo = c.customer.owns(rec.Conn.Auth.RoleARN)
	}
	reqs, err := v.Kind.Requirements(rec.Conn, rec.Operations)
	if err == nil {
		v.Permissions, err = policy.LeastPrivilege(reqs...)
	}
	if err != nil {
		v.Errors = append(v.Errors, sentence(err.Error()))
	}
	return v
}

func (c *console) record(w http.ResponseWriter, r *http.Request) (record, bool) {
	rec, ok := c.store.get(r.PathValue("id"))
	if !ok {
		http.Error(w, "No connection is named "+r.PathValue("id")+"; the connections screen lists them.", http.StatusNotFound)
	}
	return rec, ok
}

func (c *console) showConnection(w http.ResponseWriter, r *http.Request) {
	rec, ok := c.record(w, r)
	if !ok {
		return
	}
	v := c.view(r.Context(), rec)
	v.Notice = notices[r.URL.Query().Get("notice")]
	c.render(w, http.StatusOK, "connection", v)
}

// connect is the Connect button: the library's check, fresh, step by step.
func (c *console) connect(w http.ResponseWriter, r *http.Request) {
	rec, ok := c.record(w, r)
	if !ok {
		return
	}
	rep := c.resolver.Check(r.Context(), rec.Conn)
	c.store.setReport(rec.Conn.ID, rep, c.now())
	http.Redirect(w, r, "/connections/"+url.PathEscape(rec.Conn.ID)+"#report", http.StatusSeeOther)
}

func (c *console) deleteConnection(w http.ResponseWriter, r *http.Request) {
	rec, ok := c.record(w, r)
	if !ok {
		return
	}
	c.store.remove(rec.Conn.ID)
	http.Redirect(w, r, "/connections?notice=deleted", http.StatusSeeOther)
}

// demoSetupRole does the customer's part in the local AWS: the role with
// the trust and permissions policies the screen shows.
func (c *console) demoSetupRole(w http.ResponseWriter, r *http.Request) {
	rec, ok := c.record(w, r)
	if !ok {
		return
	}
	v := c.view(r.Context(), rec)
	if len(v.Errors) == 0 {
		if err := c.customer.putRole(r.Context(), rec.Conn.Auth.RoleARN, v.Trust, v.Permissions); err != nil {
			v.Errors = append(v.Errors, sentence(err.Error()))
		}
	}
	if len(v.Errors) > 0 {
		c.render(w, http.StatusBadGateway, "connection", v)
		return
	}
	http.Redirect(w, r, "/connections/"+url.PathEscape(rec.Conn.ID)+"?notice=role-set", http.StatusSeeOther)
}

// demoBreakRole breaks the role as a customer would by mistake: its trust
// policy now requires an external ID the platform never sends.
func (c *console) demoBreakRole(w http.ResponseWriter, r *http.Request) {
	rec, ok := c.record(w, r)
	if !ok {
		return
	}
	v := c.view(r.Context(), rec)
	broken, err := policy.TrustPolicy(c.principal.ARN, brokenExternalID)
	if err == nil {
		err = c.customer.setTrustOf(r.Context(), rec.Conn.Auth.RoleARN, broken)
	}
	if err != nil {
		v.Errors = append(v.Errors, sentence(err.Error()))
		c.render(w, http.StatusBadGateway, "connection", v)
		return
	}
	http.Redirect(w, r, "/connections/"+url.PathEscape(rec.Conn.ID)+"?notice=role-broken", http.StatusSeeOther)
}

// notices are the sentences a redirect's ?notice= code shows.
var notices = map[string]string{
	"created":     "Connection saved. Set up the role with the two policies below, then press Connect.",
	"deleted":     "Connection deleted.",
	"role-set":    "Local AWS: the customer's role now has the trust and permissions policies shown below.",
	"role-broken": "Local AWS: the customer's role now requires external ID " + brokenExternalID + ", which the platform never sends. Press Connect to see what the customer is told.",
	"committed":   "Switch committed: the workspace's connections use their new external IDs.",
	"pasted":      "Local AWS: the customer pasted the trust policies into every role.",
	"cancelled":   "Switch cancelled; nothing changed.",
	"finished":    "Switch finished: the old external IDs are retired.",
}
