package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/scope"
)

// A secret access key shaped like AWS's (AWS's documentation example).
const pastedSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// s3Form is a valid form of an S3 connection through role roleName of the
// demo customer's account.
func s3Form(srv string, id, projectID, roleName string) url.Values {
	return url.Values{
		"id": {id}, "project_id": {projectID}, "kind": {"s3"}, "auth.type": {"iam_role"},
		"auth.role_arn": {"arn:aws:iam::" + customerAccountID + ":role/" + roleName},
		"region":        {"us-east-1"}, "endpoint": {srv},
		"fields.bucket": {demoBucket}, "fields.prefix": {"reports/"},
		"operations": {"ListObjects", "GetObject"},
	}
}

// createConnected saves a connection through the form, sets its role up in
// the demo account and presses Connect, requiring each step to succeed.
func createConnected(t *testing.T, cl client, c *console, form url.Values) {
	t.Helper()
	id := form.Get("id")
	resp, body := cl.post("/connections", form)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, body)
	require.Equal(t, "/connections/"+id+"?notice=created", resp.Header.Get("Location"))
	resp, body = cl.post("/connections/"+id+"/demo/setup", nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, body)
	resp, _ = cl.post("/connections/"+id+"/connect", nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	rec, ok := c.store.get(id)
	require.True(t, ok)
	require.NotNil(t, rec.Report)
	require.Equal(t, connectors.Passed, rec.Report.Status(), rec.Report.String())
}

func TestConnectionLifecycle(t *testing.T) {
	c, srv := startConsole(t)
	cl := client{t, srv}

	_, body := cl.get("/connections")
	require.Contains(t, body, "No connections yet")

	createConnected(t, cl, c, s3Form(c.local.URL(), "reports", "6789", "acme-reports"))
	rec, _ := c.store.get("reports")
	require.Equal(t, []connectors.Operation{"ListObjects", "GetObject"}, rec.Operations)

	resp, body := cl.get("/connections/reports")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	// The role's policies, with copy buttons, and the report step by step.
	require.Contains(t, body, `data-copy="trust-policy"`)
	require.Contains(t, body, `data-copy="permissions-policy"`)
	require.Contains(t, body, "&#34;sts:ExternalId&#34;: &#34;acme_iam_external_id_12345&#34;")
	require.Contains(t, body, "&#34;Action&#34;: &#34;s3:GetObject&#34;")
	for _, step := range []connectors.StepID{connectors.StepFields, connectors.StepRoleAssumed, connectors.StepExternalIDRequired, connectors.StepServiceReachable} {
		require.Contains(t, body, `data-step="`+string(step)+`" data-status="passed"`)
	}
	require.Empty(t, fieldErrors(t, body))

	_, body = cl.get("/connections")
	require.Contains(t, body, `<a href="/connections/reports">reports</a>`)

	// Breaking the role: Connect fails at the role with the fix, the trust
	// policy to set, and skips what depends on it.
	resp, _ = cl.post("/connections/reports/demo/break", nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	cl.post("/connections/reports/connect", nil)
	rec, _ = c.store.get("reports")
	step, ok := rec.Report.FirstFailure()
	require.True(t, ok, rec.Report.String())
	require.Equal(t, connectors.StepRoleAssumed, step.ID)
	require.NotEmpty(t, step.Hint)
	require.NotNil(t, step.TrustPolicy)
	require.Equal(t, connectors.CauseTrustPolicyDenied, step.Cause)
	require.Equal(t, connectors.ActorCustomer, step.Actor)
	_, body = cl.get("/connections/reports")
	require.Contains(t, body, `data-actor="customer"`)
	require.Contains(t, body, "<code>trust_policy_denied</code>")
	require.Contains(t, body, "<code>"+step.RequestID+"</code>")
	require.Contains(t, body, `data-step="role_assumed" data-status="failed"`)
	require.Contains(t, body, `data-step="service_reachable" data-status="skipped"`)
	require.Contains(t, body, "Trust policy to set on the role")

	// Repairing it makes Connect pass again.
	cl.post("/connections/reports/demo/setup", nil)
	cl.post("/connections/reports/connect", nil)
	rec, _ = c.store.get("reports")
	require.Equal(t, connectors.Passed, rec.Report.Status(), rec.Report.String())

	resp, _ = cl.post("/connections/reports/delete", nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Empty(t, c.store.list())
	resp, _ = cl.get("/connections/reports")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestFormBadInput submits each kind of bad input and requires the library's
// message beside exactly the inputs at fault, what the user typed kept
// except secrets, and nothing saved.
func TestFormBadInput(t *testing.T) {
	c, srv := startConsole(t)
	cl := client{t, srv}
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		want   map[string]string // input -> part of its message
		kept   map[string]string // input -> value shown again
		absent []string          // values the page must not hold
	}{
		{
			name:   "wrong role ARN",
			change: func(f url.Values) { f.Set("auth.role_arn", "arn:aws:iam::44445555666:role/acme") },
			want:   map[string]string{"auth.role_arn": "account ID must be 12 digits"},
			kept:   map[string]string{"auth.role_arn": "arn:aws:iam::44445555666:role/acme", "fields.bucket": demoBucket},
		},
		{
			name:   "region typo",
			change: func(f url.Values) { f.Set("region", "us-est-1") },
			want:   map[string]string{"region": `"us-est-1" is not a known region; did you mean us-east-1 or us-west-1?`},
			kept:   map[string]string{"region": "us-est-1", "id": "bad"},
		},
		{
			name:   "endpoint the policy refuses",
			change: func(f url.Values) { f.Set("endpoint", "http://169.254.169.254/latest") },
			want:   map[string]string{"endpoint": "metadata"},
			kept:   map[string]string{"endpoint": "http://169.254.169.254/latest"},
		},
		{
			name: "secret access key pasted into the access key ID",
			change: func(f url.Values) {
				f.Del("auth.role_arn")
				f.Set("auth.type", "access_key")
				f.Set("auth.access_key_id", pastedSecret)
			},
			want:   map[string]string{"auth.access_key_id": "check that the secret access key was not pasted here", "auth.secret_access_key": "is required"},
			kept:   map[string]string{"auth.access_key_id": "", "auth.secret_access_key": "", "region": "us-east-1"},
			absent: []string{pastedSecret, "wJalrXUtnFEMI"},
		},
		{
			name:   "secret access key pasted into the role ARN",
			change: func(f url.Values) { f.Set("auth.role_arn", pastedSecret) },
			want:   map[string]string{"auth.role_arn": "looks like a secret access key"},
			kept:   map[string]string{"auth.role_arn": "", "fields.bucket": demoBucket},
			absent: []string{pastedSecret, "wJalrXUtnFEMI"},
		},
		{
			name: "secret access key never shown again",
			change: func(f url.Values) {
				f.Del("auth.role_arn")
				f.Set("auth.type", "access_key")
				f.Set("auth.access_key_id", "AKIAIOSFODNN7EXAMPLE")
				f.Set("auth.secret_access_key", pastedSecret)
				f.Set("region", "eu-wst-1")
			},
			want:   map[string]string{"region": "is not a known region"},
			kept:   map[string]string{"auth.access_key_id": "AKIAIOSFODNN7EXAMPLE", "auth.secret_access_key": ""},
			absent: []string{pastedSecret},
		},
		{
			name:   "no operation, no name, no project",
			change: func(f url.Values) { f.Del("operations"); f.Set("id", ""); f.Set("project_id", "") },
			want:   map[string]string{"operations": "choose at least one operation", "id": "Name is required", "project_id": "choose one of the workspace's projects"},
		},
		{
			name:   "miscased operation",
			change: func(f url.Values) { f["operations"] = []string{"getobject"} },
			want:   map[string]string{"operations": `did you mean "GetObject"`},
		},
		{
			name:   "a field the library validates",
			change: func(f url.Values) { f.Set("fields.bucket", "Acme_Reports") },
			want:   map[string]string{"fields.bucket": "Acme_Reports"},
			kept:   map[string]string{"fields.bucket": "Acme_Reports"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := s3Form(c.local.URL(), "bad", "6789", "acme-reports")
			tc.change(form)
			resp, body := cl.post("/connections", form)
			require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
			require.Contains(t, body, "The connection was not saved")
			got := fieldErrors(t, body)
			require.Len(t, got, len(tc.want), "errors shown: %v", got)
			for in, part := range tc.want {
				require.Len(t, got[in], 1, "errors beside %s: %v", in, got)
				require.Contains(t, got[in][0], part)
				require.Regexp(t, regexp.MustCompile(`^["A-Z].*[.?)]$`), got[in][0], "a sentence")
			}
			for in, v := range tc.kept {
				shown, ok := inputValue(t, body, in)
				require.True(t, ok, "input %s is on the form", in)
				require.Equal(t, v, shown, "input %s", in)
			}
			for _, s := range tc.absent {
				require.NotContains(t, body, s)
			}
			require.Empty(t, c.store.list(), "nothing is saved")
		})
	}
}

func TestDuplicateName(t *testing.T) {
	c, srv := startConsole(t)
	cl := client{t, srv}
	resp, _ := cl.post("/connections", s3Form(c.local.URL(), "reports", "6789", "acme-reports"))
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	resp, body := cl.post("/connections", s3Form(c.local.URL(), "reports", "6790", "other"))
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Contains(t, fieldErrors(t, body)["id"][0], "is taken")
	rec, _ := c.store.get("reports")
	require.Equal(t, "6789", rec.Conn.ProjectID, "the first connection is kept")
}

func TestFormOfEachKind(t *testing.T) {
	c, srv := startConsole(t)
	cl := client{t, srv}
	for _, k := range c.registry.Kinds() {
		resp, body := cl.get(formURL(k.Name))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `<option value="`+k.Name+`" selected>`)
		for _, f := range k.Fields {
			_, ok := inputValue(t, body, "fields."+f.Key)
			require.True(t, ok, "kind %s field %s", k.Name, f.Key)
		}
		for _, op := range k.Operations {
			require.Contains(t, body, `value="`+string(op.Name)+`"`)
		}
	}
	// An open-ended kind takes IAM actions typed in.
	form := url.Values{"id": {"api"}, "project_id": {"6789"}, "kind": {"signedhttp"}, "auth.type": {"iam_role"},
		"auth.role_arn": {"arn:aws:iam::" + customerAccountID + ":role/api"}, "region": {"us-east-1"},
		"operations": {"execute-api:Invoke, bogus"}}
	resp, body := cl.post("/connections", form)
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Contains(t, fieldErrors(t, body)["operations"][0], "bogus")
	form.Set("operations", "execute-api:Invoke")
	resp, body = cl.post("/connections", form)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, body)
}

// TestScopeSwitch runs the settings workflow over HTTP: plan, verify (not
// ready, then ready once the customer pasted), commit, finish.
func TestScopeSwitch(t *testing.T) {
	c, srv := startConsole(t)
	cl := client{t, srv}
	ctx := t.Context()
	createConnected(t, cl, c, s3Form(c.local.URL(), "marketing", "6789", "marketing"))
	createConnected(t, cl, c, s3Form(c.local.URL(), "finance", "6790", "finance"))

	_, body := cl.get("/settings")
	require.Contains(t, body, `<code id="platform-account">111122223333</code>`)
	require.Contains(t, body, "acme_iam_external_id_12345<")

	// The mode in force is refused beside the selector.
	resp, body := cl.post("/settings/scope", url.Values{"mode": {"workspace"}})
	require.Equal(t, http.StatusConflict, resp.StatusCode)
	require.Contains(t, fieldErrors(t, body)["mode"][0], "already uses that mode")
	resp, body = cl.post("/settings/scope", url.Values{"mode": {"projects"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Len(t, fieldErrors(t, body)["mode"], 1)

	resp, _ = cl.post("/settings/scope", url.Values{"mode": {"project"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, body = cl.get("/settings/switch")
	for _, want := range []string{
		`data-connection="marketing" data-readiness="unverified"`, `data-connection="finance" data-readiness="unverified"`,
		`<code class="new">acme_iam_external_id_12345_6789</code>`, `<code class="new">acme_iam_external_id_12345_6790</code>`,
		`data-copy="role-0-transitional"`, `data-copy="role-1-final"`,
	} {
		require.Contains(t, body, want)
	}
	// A second plan while one is in progress is refused.
	resp, _ = cl.post("/settings/scope", url.Values{"mode": {"project"}})
	require.Equal(t, http.StatusConflict, resp.StatusCode)

	cl.post("/settings/switch/verify", nil)
	_, body = cl.get("/settings/switch")
	require.Contains(t, body, `data-connection="marketing" data-readiness="not_ready"`)
	require.Contains(t, body, `id="confirm-anyway"`)
	require.NotContains(t, body, `id="confirm"`)

	cl.post("/settings/switch/demo-paste", nil)
	cl.post("/settings/switch/verify", nil)
	_, body = cl.get("/settings/switch")
	require.Contains(t, body, `data-connection="marketing" data-readiness="ready"`)
	require.Contains(t, body, `data-connection="finance" data-readiness="ready"`)
	require.Contains(t, body, `id="confirm"`)

	resp, _ = cl.post("/settings/switch/commit", nil)
	require.Equal(t, "/settings/switch?notice=committed", resp.Header.Get("Location"))
	mode, err := c.scopes.Mode(ctx, demoWorkspace.ID)
	require.NoError(t, err)
	require.Equal(t, scope.ProjectMode, mode)
	resp, _ = cl.post("/settings/switch/cancel", nil)
	require.Equal(t, http.StatusConflict, resp.StatusCode, "a committed switch cannot be cancelled")

	// Finish before the final policies: the old ID is still trusted.
	cl.post("/settings/switch/finish", nil)
	sw, _ := c.store.switchOf(demoWorkspace.ID)
	require.Equal(t, connectors.SwitchCommitted, sw.Step)
	require.Equal(t, connectors.CleanupOldIDTrusted, sw.Roles[0].Cleanup)
	cl.post("/settings/switch/demo-paste", nil)
	resp, _ = cl.post("/settings/switch/finish", nil)
	require.Equal(t, "/settings/switch?notice=finished", resp.Header.Get("Location"))
	_, body = cl.get("/settings/switch")
	require.Contains(t, body, `id="finish-result"`)
	cl.post("/settings/switch/done", nil)
	_, ok := c.store.switchOf(demoWorkspace.ID)
	require.False(t, ok)

	_, body = cl.get("/settings")
	require.Contains(t, body, "acme_iam_external_id_12345_6789<")
	require.Contains(t, body, "acme_iam_external_id_12345_6790<")
	// The connections work with their new IDs.
	for _, id := range []string{"marketing", "finance"} {
		cl.post("/connections/"+id+"/connect", nil)
		rec, _ := c.store.get(id)
		require.Equal(t, connectors.Passed, rec.Report.Status(), rec.Report.String())
	}
}

func TestCancelSwitch(t *testing.T) {
	c, srv := startConsole(t)
	cl := client{t, srv}
	createConnected(t, cl, c, s3Form(c.local.URL(), "marketing", "6789", "marketing"))
	cl.post("/settings/scope", url.Values{"mode": {"project"}})
	resp, _ := cl.post("/settings/switch/cancel", nil)
	require.Equal(t, "/settings?notice=cancelled", resp.Header.Get("Location"))
	mode, err := c.scopes.Mode(t.Context(), demoWorkspace.ID)
	require.NoError(t, err)
	require.Equal(t, scope.WorkspaceMode, mode)
	resp, _ = cl.get("/settings/switch")
	require.Equal(t, "/settings", resp.Header.Get("Location"))
}

func TestCrossOriginPostRefused(t *testing.T) {
	c, srv := startConsole(t)
	cl := client{t, srv}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/connections",
		strings.NewReader(s3Form(c.local.URL(), "x", "6789", "x").Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, _ := cl.do(req)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Empty(t, c.store.list())
}

func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	var out safeBuffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, &out) }()
	// The listener is bound, so the request waits until the console serves.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ln.Addr().String()+"/settings", nil)
	require.NoError(t, err)
	hc := &http.Client{Transport: &http.Transport{}}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	hc.CloseIdleConnections()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, out.String(), "awsconnect console on http://"+ln.Addr().String())
	cancel()
	require.NoError(t, <-done)
}

// safeBuffer is a bytes.Buffer serve writes to while the test reads it.
type safeBuffer struct {
	mu  sync.Mutex // guards buf
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
