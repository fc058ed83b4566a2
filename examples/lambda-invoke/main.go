// Command lambda-invoke runs the Lambda, SES and CloudWatch connectors
// against the embedded local AWS, so it needs no AWS account: an order is
// processed by the customer's Lambda function, confirmed by email through
// SES, and recorded as a CloudWatch metric and log events.
//
//  1. the customer creates the role with the generated trust policy and one
//     least-privilege policy for the three connectors, and deploys the
//     function (a Go handler, with a version and a "live" alias);
//  2. the platform checks the three connections (the Connect button);
//  3. it invokes the function synchronously (with its log tail), shows a
//     function error as the typed error, and queues an asynchronous event;
//  4. it emails the confirmation through SES;
//  5. it records a metric and log events in CloudWatch and reads them back;
//  6. it shows, with the library's own hint, what a missing permission
//     looks like.
//
// Run it with:
//
//	go run ./examples/lambda-invoke
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/internal/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// The demo's tenant and the customer's resources.
const (
	workspaceID     = "12345"
	projectID       = "6789"
	customerAccount = "444455556666"
	region          = "us-east-1"
	roleName        = "awsconnect-platform"
	function        = "orders"
	domain          = "shop.example"
	namespace       = "Shop"
	logGroup        = "/shop/orders"
	logStream       = "platform"
)

// order is the function's input.
type order struct {
	ID    string  `json:"id"`
	Email string  `json:"email"`
	Total float64 `json:"total"`
}

// confirmation is the function's output.
type confirmation struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Shipment string `json:"shipment"`
}

// processOrder is the customer's function: an ordinary aws-lambda-go
// handler, which runs unchanged under the real Lambda runtime.
func processOrder(ctx context.Context, o order) (confirmation, error) {
	if o.Total <= 0 {
		return confirmation{}, fmt.Errorf("order %s: total must be positive, got %.2f", o.ID, o.Total)
	}
	localaws.LambdaLogf(ctx, "accepted order %s for %.2f", o.ID, o.Total)
	return confirmation{ID: o.ID, Status: "accepted", Shipment: "SHP-" + strings.TrimPrefix(o.ID, "o-")}, nil
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := run(ctx, os.Stdout)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lambda-invoke:", err)
		os.Exit(1)
	}
}

// requirements are the permissions the platform's use of the three
// connectors needs, as the connectors state them.
func requirements() ([]policy.Requirement, error) {
	var all []policy.Requirement
	add := func(reqs []policy.Requirement, err error) error {
		all = append(all, reqs...)
		return err
	}
	// Invocations go to the "live" alias; Check reads the function itself.
	if err := add(lambda.Requirements(lambda.Target{Region: region, AccountID: customerAccount, Function: function + ":live"}, lambda.OpInvoke)); err != nil {
		return nil, err
	}
	if err := add(lambda.Requirements(lambda.Target{Region: region, AccountID: customerAccount, Function: function}, lambda.OpGetFunction)); err != nil {
		return nil, err
	}
	if err := add(lambda.Requirements(lambda.Target{Region: region}, lambda.OpListFunctions)); err != nil {
		return nil, err
	}
	if err := add(ses.Requirements(ses.Target{Region: region, AccountID: customerAccount, Identity: domain}, ses.OpSend, ses.OpGetAccount)); err != nil {
		return nil, err
	}
	if err := add(cloudwatch.Requirements(cloudwatch.Target{Region: region, AccountID: customerAccount, Namespace: namespace, LogGroup: logGroup},
		cloudwatch.OpPutMetricData, cloudwatch.OpGetMetricData, cloudwatch.OpListMetrics, cloudwatch.OpCreateLogGroup,
		cloudwatch.OpCreateLogStream, cloudwatch.OpPutLogEvents, cloudwatch.OpGetLogEvents, cloudwatch.OpDescribeLogGroups)); err != nil {
		return nil, err
	}
	return all, nil
}

func run(ctx context.Context, out io.Writer) error {
	local, err := localaws.Start()
	if err != nil {
		return err
	}
	defer local.Close()
	p := printer{out}
	p.title("awsconnect Lambda, SES and CloudWatch connectors, against the embedded local AWS at " + local.URL())

	// 1. The customer creates the role and deploys the function.
	var deriver scope.Deriver
	externalID, err := deriver.ExternalID(scope.ProjectMode, workspaceID, projectID)
	if err != nil {
		return err
	}
	p.step(1, "The customer creates role %s (external ID %s) and deploys function %q", roleName, externalID, function)
	trust, err := policy.TrustPolicy(local.PlatformAccountID(), externalID)
	if err != nil {
		return err
	}
	reqs, err := requirements()
	if err != nil {
		return err
	}
	permissions, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		return err
	}
	p.json("permissions policy (least privilege for the three connectors):", permissions)
	customer := local.CreateAccount(customerAccount)
	roleARN, err := customer.CreateRole(roleName, trust, localaws.WithPolicy("awsconnect-services", permissions))
	if err != nil {
		return err
	}
	if _, err := customer.CreateFunction(function, processOrder); err != nil {
		return err
	}
	version, err := customer.PublishVersion(function)
	if err != nil {
		return err
	}
	if err := customer.CreateAlias(function, "live", version); err != nil {
		return err
	}
	if _, err := customer.CreateFunction("billing", func(context.Context) error { return nil }); err != nil {
		return err
	}
	customer.VerifyEmailIdentity(domain)
	p.line("role ARN: %s; function %s version %s behind alias \"live\"; SES identity %s verified", roleARN, function, version, domain)

	// 2. The platform checks the three connections.
	p.step(2, "The platform checks the three connections (the Connect button)")
	platform := local.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(platform), func(o *role.Options) { o.PlatformAccountID = local.PlatformAccountID() })
	defer cache.Close()
	projectMode := func(context.Context, string) (scope.Mode, error) { return scope.ProjectMode, nil }
	resolver := connectors.NewResolver(platform, deriver, projectMode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
	})
	conn := func(kind string, fields map[string]string) connectors.Connection {
		return connectors.Connection{ID: kind, WorkspaceID: workspaceID, ProjectID: projectID, Kind: kind, Region: region, Endpoint: local.URL(),
			Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: roleARN}, Fields: fields}
	}
	conns := []connectors.Connection{
		conn(lambda.KindName, map[string]string{lambda.FieldFunction: function}),
		conn(ses.KindName, map[string]string{ses.FieldIdentity: domain}),
		conn(cloudwatch.KindName, map[string]string{cloudwatch.FieldNamespace: namespace, cloudwatch.FieldLogGroup: logGroup}),
	}
	cfgs := map[string]aws.Config{}
	for _, c := range conns {
		rep := resolver.Check(ctx, c)
		p.report(c.Kind+" connection:", rep)
		if !rep.OK() {
			return fmt.Errorf("the %s connection check failed", c.Kind)
		}
		if cfgs[c.Kind], err = resolver.Config(ctx, c); err != nil {
			return err
		}
	}

	// 3. Lambda.
	p.step(3, "The platform invokes %s:live", function)
	fn := lambda.New(cfgs[lambda.KindName], func(o *lambda.Options) { o.Function = function; o.AccountID = customerAccount })
	res, err := fn.Invoke(ctx, function, []byte(`{"id":"o-1001","email":"ann@customer.example","total":42.5}`), lambda.InvokeOptions{Qualifier: "live", Tail: true})
	if err != nil {
		return err
	}
	p.line("response (version %s): %s", res.ExecutedVersion, strings.TrimSpace(string(res.Payload)))
	for _, l := range strings.Split(strings.TrimSpace(res.LogTail), "\n") {
		// The function's own lines, between Lambda's START, END and REPORT.
		if !strings.HasPrefix(l, "START ") && !strings.HasPrefix(l, "END ") && !strings.HasPrefix(l, "REPORT ") {
			p.line("log tail: %s", l)
		}
	}
	_, err = fn.Invoke(ctx, function, []byte(`{"id":"o-1002","total":0}`), lambda.InvokeOptions{Qualifier: "live"})
	var fe *lambda.FunctionError
	if !errors.As(err, &fe) {
		return fmt.Errorf("a bad order should fail in the function, got %v", err)
	}
	p.line("a bad order fails in the function: *lambda.FunctionError{Type: %q, Message: %q}", fe.Type, fe.Message)
	if err := fn.InvokeAsync(ctx, function, []byte(`{"id":"o-1003","total":9.9}`), "live"); err != nil {
		return err
	}
	p.line("an asynchronous invocation was queued (HTTP 202); the function ran %d times in all", len(local.LambdaInvocations()))

	// 4. SES.
	p.step(4, "The platform emails the confirmation through SES")
	mailer := ses.New(cfgs[ses.KindName], func(o *ses.Options) { o.Identity = domain })
	id, err := mailer.Send(ctx, ses.Email{
		From: "Shop <orders@" + domain + ">", To: []string{"ann@customer.example"}, Subject: "Order o-1001 accepted",
		Text: "Your order o-1001 ships as SHP-1001.", HTML: "<p>Your order <b>o-1001</b> ships as SHP-1001.</p>",
		Tags: map[string]string{"kind": "confirmation"},
	})
	if err != nil {
		return err
	}
	sent := local.SentEmails()
	p.line("sent message %s to %v: %q", id, sent[0].To, sent[0].Subject)
	_, err = mailer.Send(ctx, ses.Email{From: "orders@" + domain, To: []string{"ann@"}, Subject: "x", Text: "x"})
	p.line("an invalid address is refused before any call: %v", err)

	// 5. CloudWatch.
	p.step(5, "The platform records the order in CloudWatch")
	cw := cloudwatch.New(cfgs[cloudwatch.KindName], func(o *cloudwatch.Options) { o.Namespace, o.LogGroup = namespace, logGroup })
	now := time.Now().UTC().Truncate(time.Minute)
	if err := cw.PutMetricData(ctx, namespace, []types.MetricDatum{
		{MetricName: aws.String("OrderTotal"), Timestamp: aws.Time(now), Value: aws.Float64(42.5), Unit: types.StandardUnitNone},
		{MetricName: aws.String("OrderTotal"), Timestamp: aws.Time(now), Value: aws.Float64(9.9), Unit: types.StandardUnitNone},
	}); err != nil {
		return err
	}
	results, err := cw.GetMetricData(ctx, now.Add(-time.Hour), now.Add(time.Minute),
		cloudwatch.Query{ID: "revenue", MetricName: "OrderTotal", Stat: "Sum", Period: time.Hour})
	if err != nil {
		return err
	}
	p.line("metric %s/OrderTotal, sum over the last hour: %v", namespace, results[0].Values)
	if err := cw.CreateLogStream(ctx, logGroup, logStream); err != nil {
		return err
	}
	put, err := cw.PutLogEvents(ctx, logGroup, logStream, []cloudwatch.LogEvent{
		{Time: now.Add(2 * time.Second), Message: "order o-1001 confirmation emailed"},
		{Time: now.Add(time.Second), Message: "order o-1001 accepted, shipment SHP-1001"},
	})
	if err != nil {
		return err
	}
	p.line("log events accepted: %d in %d call(s); %s/%s now holds (sorted by time):", put.Accepted, put.Calls, logGroup, logStream)
	for e, err := range cw.GetLogEvents(ctx, logGroup, logStream, time.Time{}, time.Time{}) {
		if err != nil {
			return err
		}
		p.line("  %s", aws.ToString(e.Message))
	}

	// 6. A missing permission.
	p.step(6, "What a missing permission looks like: invoking \"billing\", which the policy does not grant")
	other := lambda.New(cfgs[lambda.KindName], func(o *lambda.Options) { o.AccountID = customerAccount })
	_, err = other.Invoke(ctx, "billing", nil, lambda.InvokeOptions{})
	if err == nil {
		return errors.New("billing was invoked, but the permissions policy does not grant it")
	}
	need, rerr := lambda.Requirements(lambda.Target{Region: region, AccountID: customerAccount, Function: "billing"}, lambda.OpInvoke)
	if rerr != nil {
		return rerr
	}
	p.report("", connectors.CheckReport{Steps: []connectors.CheckStep{connectors.ServiceStep("AWS Lambda Invoke billing", need[0], err)}})

	fmt.Fprintln(out)
	p.line("done: %d requests served by the local AWS, each signed, verified and checked against IAM policies.", len(local.Requests()))
	return nil
}

// printer writes the demo's output: numbered steps, indented lines, JSON.
type printer struct{ w io.Writer }

func (p printer) title(s string) {
	fmt.Fprintf(p.w, "%s\n%s\n", s, strings.Repeat("=", len(s)))
}

func (p printer) step(n int, format string, args ...any) {
	fmt.Fprintf(p.w, "\n%d. %s\n", n, fmt.Sprintf(format, args...))
}

func (p printer) line(format string, args ...any) {
	fmt.Fprintf(p.w, "   %s\n", fmt.Sprintf(format, args...))
}

// wrap prints a long text after label, wrapped at 100 columns.
func (p printer) wrap(label, text string) {
	const width = 100
	indent := strings.Repeat(" ", len(label))
	line := label
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > width && strings.TrimSpace(line) != strings.TrimSpace(label) {
			p.line("%s", line)
			line = indent
		}
		if line != label && line != indent {
			line += " "
		}
		line += word
	}
	p.line("%s", line)
}

// report prints a check report's steps, with the hint and policy of each
// failed one.
func (p printer) report(label string, r connectors.CheckReport) {
	if label != "" {
		p.line("%s", label)
	}
	for _, st := range r.Steps {
		p.line("  [%s] %s", st.Status, st.Title)
		if st.Status == connectors.Passed || st.Status == connectors.Skipped {
			continue
		}
		p.wrap("      message: ", st.Message)
		p.wrap("      hint:    ", st.Hint)
		if st.PolicyToAdd != nil {
			p.json("      policy to add: ", st.PolicyToAdd)
		}
	}
}

// json prints a policy under label, indented one level deeper than it.
func (p printer) json(label string, d *policy.Document) {
	b, err := d.Indented()
	if err != nil {
		p.line("%s (cannot print: %v)", label, err)
		return
	}
	p.line("%s", strings.TrimRight(label, " "))
	indent := strings.Repeat(" ", len(label)-len(strings.TrimLeft(label, " "))+2)
	for _, l := range strings.Split(string(b), "\n") {
		p.line("%s%s", indent, l)
	}
}
