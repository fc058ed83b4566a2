//go:build integration

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
)

// browserTimeout bounds the whole browser test: each step takes well under a
// second; a shared CI machine starting Chromium may take tens.
const browserTimeout = 5 * time.Minute

// TestBrowser drives the console in headless Chromium as a user would:
// settings, the connection form with each kind of bad input, a connection
// created and connected step by step, the scope switch with its list of
// affected connections, and a broken role. Every screen is checked for the
// errors it must show and for any it must not, and written as a screenshot.
func TestBrowser(t *testing.T) {
	b := startBrowser(t)
	c := b.console

	// Settings, as a new workspace sees them.
	b.open("/settings")
	b.screen("01-settings", noErrors)
	require.Equal(t, "111122223333", b.text("#platform-account"))
	require.Equal(t, "workspace", b.eval(`document.querySelector('input[name=mode]:checked').value`))
	require.Equal(t, "acme_iam_external_id_12345", b.text("#xid-0"))

	b.open("/connections")
	b.screen("02-connections-empty", noErrors)

	// The connection form, and every kind of bad input. The first
	// submission: a role ARN with an 11-digit account, a region typo, an
	// endpoint at the metadata address, a bucket name S3 refuses.
	b.open("/connections/new?kind=s3")
	b.screen("03-connection-form", noErrors)
	b.fill(map[string]string{
		"id": "marketing-reports", "project_id": "6789",
		"auth.role_arn": "arn:aws:iam::44445555666:role/acme-marketing",
		"region":        "us-est-1", "endpoint": "http://169.254.169.254/latest",
		"fields.bucket": "Acme_Reports", "fields.prefix": "reports/",
	})
	b.check("operations", "ListObjects", "GetObject")
	b.submit("#save")
	b.screen("04-form-bad-input", fieldErrs{
		"auth.role_arn": "account ID must be 12 digits",
		"region":        `"us-est-1" is not a known region; did you mean us-east-1 or us-west-1?`,
		"endpoint":      "AWS metadata address",
		"fields.bucket": "Acme_Reports",
	})
	b.requireValues(map[string]string{
		"id": "marketing-reports", "auth.role_arn": "arn:aws:iam::44445555666:role/acme-marketing",
		"region": "us-est-1", "endpoint": "http://169.254.169.254/latest", "fields.bucket": "Acme_Reports", "fields.prefix": "reports/",
	})
	require.Equal(t, []any{"ListObjects", "GetObject"}, b.eval(`Array.from(document.querySelectorAll('input[name=operations]:checked')).map(e => e.value)`))
	require.Empty(t, c.store.list(), "nothing is saved")

	// The second: access key authorization with the secret access key
	// pasted into the access key ID field.
	b.click("#auth-key")
	b.fill(map[string]string{"auth.access_key_id": pastedSecret, "region": "us-east-1", "endpoint": c.local.URL(), "fields.bucket": demoBucket})
	b.submit("#save")
	b.screen("05-form-secret-in-wrong-field", fieldErrs{
		"auth.access_key_id":     "check that the secret access key was not pasted here",
		"auth.secret_access_key": "Secret access key is required",
	})
	require.NotContains(t, b.html(), pastedSecret, "the pasted secret is never sent back")
	b.requireValues(map[string]string{"auth.access_key_id": "", "auth.secret_access_key": "", "region": "us-east-1", "id": "marketing-reports"})
	require.Equal(t, true, b.eval(`document.querySelector('#auth-key').checked`))
	require.Empty(t, c.store.list(), "nothing is saved")

	// Corrected: an IAM role connection.
	b.click("#auth-iam")
	b.fill(map[string]string{"auth.role_arn": "arn:aws:iam::" + customerAccountID + ":role/acme-marketing"})
	b.submit("#save")
	b.screen("06-connection-created", noErrors)
	require.Contains(t, b.text("#notice"), "Connection saved")
	require.Equal(t, "acme_iam_external_id_12345", b.text("#external-id"))
	require.Contains(t, b.text("#trust-policy"), `"sts:ExternalId": "acme_iam_external_id_12345"`)
	require.Contains(t, b.text("#permissions-policy"), `"s3:GetObject"`)
	b.click(`button[data-copy="trust-policy"]`)
	b.waitVisible(`button.copied[data-copy="trust-policy"]`)

	// Connect before the customer created the role: the role step fails.
	b.submit("#connect")
	b.screen("07-connect-no-role", stepsAre{connectors.StepFields: "passed", connectors.StepRoleAssumed: "failed",
		connectors.StepExternalIDRequired: "skipped", connectors.StepServiceReachable: "skipped"})

	// The customer creates the role with the two policies; Connect passes
	// every step.
	b.submit("#demo-setup")
	require.Contains(t, b.text("#notice"), "now has the trust and permissions policies")
	b.submit("#connect")
	b.screen("08-connect-passed", stepsAre{connectors.StepFields: "passed", connectors.StepRoleAssumed: "passed",
		connectors.StepExternalIDRequired: "passed", connectors.StepServiceReachable: "passed"})
	require.Contains(t, b.stepText(connectors.StepRoleAssumed), "acme_iam_external_id_12345")

	// A second connection, of another kind and project.
	b.open("/connections/new?kind=lambda")
	b.fill(map[string]string{"id": "finance-orders", "project_id": "6790",
		"auth.role_arn": "arn:aws:iam::" + customerAccountID + ":role/acme-finance", "fields.function": demoFunction})
	b.check("operations", "Invoke")
	b.submit("#save")
	b.submit("#demo-setup")
	b.submit("#connect")
	b.screen("09-lambda-connected", stepsAre{connectors.StepFields: "passed", connectors.StepRoleAssumed: "passed",
		connectors.StepExternalIDRequired: "passed", connectors.StepServiceReachable: "passed"})
	b.open("/connections")
	b.screen("10-connections", noErrors)

	// The scope switch. Saving the mode in force is refused beside the
	// selector.
	b.open("/settings")
	b.submit("#save-scope")
	b.screen("11-settings-same-mode", fieldErrs{"mode": "already uses that mode"})
	b.click(`input[name=mode][value=project]`)
	b.submit("#save-scope")
	b.screen("12-switch-plan", noErrors)
	require.Equal(t, map[string]string{"marketing-reports": "unverified", "finance-orders": "unverified"}, b.readiness())
	require.Contains(t, b.text(`tr[data-connection="marketing-reports"]`), "acme_iam_external_id_12345_6789")
	require.Contains(t, b.text(`tr[data-connection="finance-orders"]`), "acme_iam_external_id_12345_6790")
	require.Contains(t, b.text("#role-0-transitional"), "acme_iam_external_id_12345_6790")
	require.Contains(t, b.text("#role-0-transitional"), `"acme_iam_external_id_12345"`)

	// Verify before the customer pasted anything: neither role is ready.
	b.submit("#verify")
	b.screen("13-switch-not-ready", noErrors)
	require.Equal(t, map[string]string{"marketing-reports": "not_ready", "finance-orders": "not_ready"}, b.readiness())
	require.Contains(t, b.text("#verify-result"), "2 connection(s) would break")
	b.requireAbsent("#confirm")

	// The customer pastes the transitional policies; verify again.
	b.submit("#demo-paste")
	b.submit("#verify")
	b.screen("14-switch-ready", noErrors)
	require.Equal(t, map[string]string{"marketing-reports": "ready", "finance-orders": "ready"}, b.readiness())
	require.Contains(t, b.text("#verify-result"), "Every role trusts its new external ID")

	b.submit("#confirm")
	b.screen("15-switch-committed", noErrors)
	require.Contains(t, b.text("#notice"), "Switch committed")
	b.submit("#demo-paste")
	b.submit("#finish")
	b.screen("16-switch-finished", noErrors)
	require.Contains(t, b.text("#finish-result"), "Finished")
	b.submit("#done")
	b.screen("17-settings-project-mode", noErrors)
	require.Equal(t, "project", b.eval(`document.querySelector('input[name=mode]:checked').value`))
	require.Equal(t, "acme_iam_external_id_12345_6789", b.text("#xid-0"))
	require.Equal(t, "acme_iam_external_id_12345_6790", b.text("#xid-1"))

	// The connection still connects, with its project's ID.
	b.open("/connections/marketing-reports")
	b.submit("#connect")
	b.screen("18-connect-after-switch", stepsAre{connectors.StepFields: "passed", connectors.StepRoleAssumed: "passed",
		connectors.StepExternalIDRequired: "passed", connectors.StepServiceReachable: "passed"})
	require.Contains(t, b.stepText(connectors.StepRoleAssumed), "acme_iam_external_id_12345_6789")

	// The customer breaks the role: Connect fails at the role, says how to
	// fix it and gives the trust policy to set.
	b.submit("#demo-break")
	require.Contains(t, b.text("#notice"), "requires external ID "+brokenExternalID)
	b.submit("#connect")
	b.screen("19-connect-broken-role", stepsAre{connectors.StepFields: "passed", connectors.StepRoleAssumed: "failed",
		connectors.StepExternalIDRequired: "skipped", connectors.StepServiceReachable: "skipped"})
	failed := b.stepText(connectors.StepRoleAssumed)
	require.Contains(t, failed, "How to fix it:")
	require.Contains(t, failed, "Trust policy to set on the role")
	require.Contains(t, failed, `"sts:ExternalId": "acme_iam_external_id_12345_6789"`)
	role := `#report-steps li[data-step="role_assumed"] `
	require.Equal(t, "The customer, in their AWS account", b.text(role+`dd[data-actor="customer"]`))
	require.Equal(t, "trust_policy_denied", b.text(role+`dd.cause`))

	// Following the fix repairs it.
	b.submit("#demo-setup")
	b.submit("#connect")
	b.screen("20-connect-repaired", stepsAre{connectors.StepFields: "passed", connectors.StepRoleAssumed: "passed",
		connectors.StepExternalIDRequired: "passed", connectors.StepServiceReachable: "passed"})
}

// browser is one headless Chromium tab on a console.
type browser struct {
	t       *testing.T
	ctx     context.Context
	base    string
	console *console
	shots   string
}

// startBrowser starts a console and Chromium; both stop when the test ends.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	exe := os.Getenv("AWSCONNECT_IT_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("no Chromium at %s (%v): run scripts/integration, whose 50-chromium.sh installs Debian's chromium and sets AWSCONNECT_IT_CHROMIUM", exe, err)
	}
	shots := screenshotDir(t)
	c, srv := startConsole(t)

	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.DisableGPU,
		// Chromium's sandbox needs user namespaces, which CI containers
		// running as root do not give.
		chromedp.NoSandbox,
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	// Cancelling the contexts stops Chromium and chromedp's goroutines;
	// TestMain's goleak check holds them to it.
	t.Cleanup(func() {
		_ = chromedp.Cancel(bctx)
		cancelBrowser()
		cancelAlloc()
		cancel()
	})
	require.NoError(t, chromedp.Do(bctx, chromedp.Navigate("about:blank")), "starting Chromium at %s", exe)
	return &browser{t: t, ctx: bctx, base: srv.URL, console: c, shots: shots}
}

// screenshotDir is $AWSCONNECT_ARTIFACTS/screenshots, by default
// .ci/artifacts/screenshots at the module's root, emptied of earlier runs'
// screenshots.
func screenshotDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("AWSCONNECT_ARTIFACTS")
	if root == "" {
		dir, err := os.Getwd()
		require.NoError(t, err)
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(dir)
			require.NotEqual(t, dir, parent, "no go.mod above the test's directory")
			dir = parent
		}
		root = filepath.Join(dir, ".ci", "artifacts")
	}
	dir := filepath.Join(root, "screenshots")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	old, err := filepath.Glob(filepath.Join(dir, "*.png"))
	require.NoError(t, err)
	for _, f := range old {
		require.NoError(t, os.Remove(f))
	}
	return dir
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, actions...))
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

// submit clicks a button that posts a form and waits for the page it leads
// to.
func (b *browser) submit(sel string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
	require.NoError(b.t, err, "submitting with %s", sel)
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel)))
}

func (b *browser) waitVisible(sel string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(sel)))
}

// fill sets inputs and selects by name.
func (b *browser) fill(values map[string]string) {
	b.t.Helper()
	for name, v := range values {
		b.do(chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`[name=%q]`, name)), v))
	}
}

// check ticks the checkboxes of name with the given values.
func (b *browser) check(name string, values ...string) {
	b.t.Helper()
	for _, v := range values {
		b.click(fmt.Sprintf(`input[name=%q][value=%q]`, name, v))
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.TextContent(chromedp.CSS(sel)))
	require.NoError(b.t, err, "reading %s", sel)
	return strings.Join(strings.Fields(s), " ")
}

func (b *browser) eval(js string) any {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js))
	require.NoError(b.t, err, "evaluating %s", js)
	return v
}

func (b *browser) html() string {
	b.t.Helper()
	return b.eval(`document.documentElement.outerHTML`).(string)
}

func (b *browser) requireAbsent(sel string) {
	b.t.Helper()
	require.Equal(b.t, false, b.eval(fmt.Sprintf(`document.querySelector(%q) !== null`, sel)), "%s is on the page", sel)
}

// requireValues checks what the inputs named show.
func (b *browser) requireValues(want map[string]string) {
	b.t.Helper()
	for name, v := range want {
		got := b.eval(fmt.Sprintf(`document.querySelector('[name=%q]:not([type=radio])').value`, name))
		require.Equal(b.t, v, got, "input %s", name)
	}
}

// readiness maps each affected connection of the switch screen to its
// readiness.
func (b *browser) readiness() map[string]string {
	b.t.Helper()
	out := map[string]string{}
	for k, v := range b.eval(`Object.fromEntries(Array.from(document.querySelectorAll('tr.affected')).map(e => [e.dataset.connection, e.dataset.readiness]))`).(map[string]any) {
		out[k] = v.(string)
	}
	return out
}

// stepText is the text of one step of the Connect report.
func (b *browser) stepText(id connectors.StepID) string {
	b.t.Helper()
	return b.text(fmt.Sprintf(`#report-steps li[data-step=%q]`, id))
}

// expectation is what a screen must show, and so what it must not.
type expectation interface {
	verify(b *browser)
}

// noErrors: no error banner, no field error, no failed step.
var noErrors = fieldErrs{}

// fieldErrs: exactly these inputs show an error, each containing the text.
type fieldErrs map[string]string

func (want fieldErrs) verify(b *browser) {
	b.t.Helper()
	got := b.shownErrors()
	if len(want) == 0 {
		require.Empty(b.t, b.banners(), "error banners")
	}
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	wantNames := make([]string, 0, len(want))
	for n := range want {
		wantNames = append(wantNames, n)
	}
	slices.Sort(names)
	slices.Sort(wantNames)
	require.Equal(b.t, wantNames, names, "inputs showing an error: %v", got)
	for n, part := range want {
		require.Contains(b.t, got[n], part, "the error beside %s", n)
	}
	require.Empty(b.t, b.eval(`Array.from(document.querySelectorAll('#report-steps .step.failed')).map(e => e.dataset.step)`), "failed steps")
}

// stepsAre: the report's steps have exactly these statuses, and nothing
// else on the page is an error.
type stepsAre map[connectors.StepID]string

func (want stepsAre) verify(b *browser) {
	b.t.Helper()
	require.Empty(b.t, b.shownErrors(), "field errors")
	require.Empty(b.t, b.banners(), "error banners")
	got := map[connectors.StepID]string{}
	for k, v := range b.eval(`Object.fromEntries(Array.from(document.querySelectorAll('#report-steps .step')).map(e => [e.dataset.step, e.dataset.status]))`).(map[string]any) {
		got[connectors.StepID(k)] = v.(string)
	}
	require.Equal(b.t, map[connectors.StepID]string(want), got, "the report's steps")
	for id, status := range want {
		if status == "failed" {
			require.Contains(b.t, b.stepText(id), "How to fix it:", "a failed step says how to fix it")
		}
	}
}

// shownErrors maps each input an error is shown beside to the error's text.
func (b *browser) shownErrors() map[string]string {
	b.t.Helper()
	out := map[string]string{}
	raw := b.eval(`Array.from(document.querySelectorAll('.field-error')).map(e => {
		const f = e.closest('.field, .choice-group, #operations');
		const i = f && f.querySelector('input, select');
		return [i ? i.name : '', e.textContent.trim()];
	})`).([]any)
	for _, pair := range raw {
		p := pair.([]any)
		out[p[0].(string)] += p[1].(string)
	}
	return out
}

func (b *browser) banners() []any {
	b.t.Helper()
	return b.eval(`Array.from(document.querySelectorAll('.banner.error')).map(e => e.textContent.trim()).filter(t => !t.startsWith('The connection was not saved'))`).([]any)
}

// screen checks the screen against what it must show and writes its
// screenshot.
func (b *browser) screen(name string, want expectation) {
	b.t.Helper()
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(b.shots, name+".png"), shot, 0o644))
	want.verify(b)
}
