package main

import (
	"errors"
	"net/http"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/scope"
)

// settingsView is the settings screen: the library's SettingsScreen and the
// switch in progress, if any.
type settingsView struct {
	page
	Screen     connectors.SettingsScreen
	Principal  connectors.Principal
	Projects   map[string]string // project ID -> name
	Switch     *connectors.Switch
	ModeErrors []string
}

func (c *console) settingsView(r *http.Request) settingsView {
	v := settingsView{page: c.page("Settings", "settings"), Principal: c.principal, Projects: map[string]string{}}
	for _, p := range c.ws.Projects {
		v.Projects[p.ID] = p.Name
	}
	screen, err := c.settings.Screen(r.Context(), c.ws.ID, c.ws.projectIDs()...)
	if err != nil {
		v.Errors = append(v.Errors, sentence(err.Error()))
	}
	v.Screen = screen
	if sw, ok := c.store.switchOf(c.ws.ID); ok {
		v.Switch = &sw
	}
	v.Notice = notices[r.URL.Query().Get("notice")]
	return v
}

func (c *console) showSettings(w http.ResponseWriter, r *http.Request) {
	c.render(w, http.StatusOK, "settings", c.settingsView(r))
}

// planSwitch is the scope selector's Save: it plans the switch from the
// stored connections and shows the confirmation. Nothing changes yet.
func (c *console) planSwitch(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read: "+err.Error(), http.StatusBadRequest)
		return
	}
	v := c.settingsView(r)
	if v.Switch != nil && v.Switch.Step != connectors.SwitchFinished {
		v.ModeErrors = append(v.ModeErrors, "A switch to "+v.Switch.ToMode.Title()+" is in progress: finish or cancel it first.")
		c.render(w, http.StatusConflict, "settings", v)
		return
	}
	mode, err := scope.ParseMode(r.PostForm.Get("mode"))
	if err != nil {
		v.ModeErrors = append(v.ModeErrors, sentence(err.Error()))
		c.render(w, http.StatusUnprocessableEntity, "settings", v)
		return
	}
	sw, err := c.switcher.PlanSwitch(r.Context(), c.ws.ID, mode, c.store.connections(c.ws.ID))
	if err != nil {
		status := http.StatusUnprocessableEntity
		if errors.Is(err, connectors.ErrAlreadyInMode) {
			status = http.StatusConflict
		}
		v.ModeErrors = append(v.ModeErrors, sentence(err.Error()))
		c.render(w, status, "settings", v)
		return
	}
	c.store.saveSwitch(sw)
	http.Redirect(w, r, "/settings/switch", http.StatusSeeOther)
}

// switchView is the confirmation screen of a switch.
type switchView struct {
	page
	Switch   connectors.Switch
	Projects map[string]string
	Steps    []stepMark
}

// stepMark is one step of the workflow's progress bar.
type stepMark struct {
	Title         string
	Done, Current bool
}

func (c *console) switchView(sw connectors.Switch) switchView {
	v := switchView{page: c.page("Switch the external-ID scope", "settings"), Switch: sw, Projects: map[string]string{}}
	for _, p := range c.ws.Projects {
		v.Projects[p.ID] = p.Name
	}
	order := []connectors.SwitchStep{connectors.SwitchPlanned, connectors.SwitchVerified, connectors.SwitchCommitted, connectors.SwitchFinished}
	titles := []string{"Plan", "Verify", "Commit", "Finish"}
	at := 0
	for i, s := range order {
		if s == sw.Step {
			at = i
		}
	}
	for i, t := range titles {
		v.Steps = append(v.Steps, stepMark{Title: t, Done: i <= at, Current: i == at+1 || (at == len(order)-1 && i == at)})
	}
	return v
}

func (c *console) showSwitch(w http.ResponseWriter, r *http.Request) {
	sw, ok := c.store.switchOf(c.ws.ID)
	if !ok {
		http.Redirect(w, r, "/settings", http.StatusSeeOther)
		return
	}
	v := c.switchView(sw)
	v.Notice = notices[r.URL.Query().Get("notice")]
	c.render(w, http.StatusOK, "switch", v)
}

// stepSwitch runs one step of the saved switch: verify, commit (or commit
// anyway), finish, cancel, done; and, for the demo, the customer pasting
// the policies the current step asks for.
func (c *console) stepSwitch(w http.ResponseWriter, r *http.Request) {
	sw, ok := c.store.switchOf(c.ws.ID)
	if !ok {
		http.Redirect(w, r, "/settings", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	var err error
	notice := ""
	next := sw
	switch r.PathValue("step") {
	case "verify":
		next, err = c.switcher.Verify(ctx, sw)
	case "commit":
		anyway := r.PostFormValue("anyway") == "1"
		next, err = c.switcher.Commit(ctx, sw, func(o *connectors.CommitOptions) { o.AllowNotReady = anyway })
		notice = "committed"
	case "finish":
		next, err = c.switcher.Finish(ctx, sw)
		if err == nil && next.Step == connectors.SwitchFinished {
			notice = "finished"
		}
	case "cancel":
		if sw.Step == connectors.SwitchCommitted || sw.Step == connectors.SwitchFinished {
			err = errors.New("the switch is committed: the workspace uses the new external IDs, so it can only be finished (or switched back with a new switch)")
			break
		}
		c.store.dropSwitch(c.ws.ID)
		http.Redirect(w, r, "/settings?notice=cancelled", http.StatusSeeOther)
		return
	case "done":
		if sw.Step == connectors.SwitchFinished {
			c.store.dropSwitch(c.ws.ID)
		}
		http.Redirect(w, r, "/settings", http.StatusSeeOther)
		return
	case "demo-paste":
		err = c.pasteSwitchPolicies(r, sw)
		notice = "pasted"
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		v := c.switchView(sw)
		v.Errors = append(v.Errors, sentence(err.Error()))
		c.render(w, http.StatusConflict, "switch", v)
		return
	}
	c.store.saveSwitch(next)
	target := "/settings/switch"
	if notice != "" {
		target += "?notice=" + notice
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// pasteSwitchPolicies does the customer's part of a switch in the local
// AWS: before the commit each role gets its transitional trust policy,
// after it the final one.
func (c *console) pasteSwitchPolicies(r *http.Request, sw connectors.Switch) error {
	final := sw.Step == connectors.SwitchCommitted || sw.Step == connectors.SwitchFinished
	for _, role := range sw.Roles {
		var doc *policy.Document = role.TransitionalTrustPolicy
		if final {
			doc = role.FinalTrustPolicy
		}
		if err := c.customer.setTrustOf(r.Context(), role.RoleARN, doc); err != nil {
			return err
		}
	}
	return nil
}
