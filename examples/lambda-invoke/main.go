package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/examples/internal/demo"
	"github.com/awsconnect/awsconnect/localaws"
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

func main() { demo.Main("lambda-invoke", run) }

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
	local, p, err := demo.Start(out, "awsconnect Lambda, SES and CloudWatch connectors")
	if err != nil {
		return err
	}
	defer local.Close()

	// 1. The customer creates the role and deploys the function.
	var deriver scope.Deriver
	externalID, err := deriver.ExternalID(scope.ProjectMode, workspaceID, projectID)
	if err != nil {
		return err
	}
	p.Step(1, "The customer creates role %s (external ID %s) and deploys function %q", roleName, externalID, function)
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
	p.Policy("permissions policy (least privilege for the three connectors):", permissions)
	customer, err := local.CreateAccount(customerAccount)
	if err != nil {
		return err
	}
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
	p.Line("role ARN: %s; function %s version %s behind alias \"live\"; SES identity %s verified", roleARN, function, version, domain)

	// 2. The platform checks the three connections.
	p.Step(2, "The platform checks the three connections (the Connect button)")
	platform := local.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(platform), func(o *role.Options) { o.PlatformAccountID = local.PlatformAccountID() })
	defer cache.Close()
	projectMode := connectors.FixedMode(scope.ProjectMode)
	resolver := connectors.NewResolver(platform, deriver, projectMode, cache, func(o *connectors.Options) {
		o.PlatformAccountID = local.PlatformAccountID()
		// The local AWS listens on 127.0.0.1, which the endpoint policy
		// refuses by default (a customer's endpoint must not reach the
		// platform's own network); allow it explicitly.
		o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
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
		p.Report(c.Kind+" connection:", rep)
		if !rep.OK() {
			return fmt.Errorf("the %s connection check failed", c.Kind)
		}
		if cfgs[c.Kind], err = resolver.Config(ctx, c); err != nil {
			return err
		}
	}

	// 3. Lambda.
	p.Step(3, "The platform invokes %s:live", function)
	// The typed connector honours the connection's fields: restricted to
	// the function, in the role's account.
	fn, err := lambda.NewFromConnection(cfgs[lambda.KindName], conns[0])
	if err != nil {
		return err
	}
	res, err := fn.Invoke(ctx, function, []byte(`{"id":"o-1001","email":"ann@customer.example","total":42.5}`), lambda.InvokeOptions{Qualifier: "live", Tail: true})
	if err != nil {
		return err
	}
	p.Line("response (version %s): %s", res.ExecutedVersion, strings.TrimSpace(string(res.Payload)))
	for _, l := range strings.Split(strings.TrimSpace(res.LogTail), "\n") {
		// The function's own lines, between Lambda's START, END and REPORT.
		if !strings.HasPrefix(l, "START ") && !strings.HasPrefix(l, "END ") && !strings.HasPrefix(l, "REPORT ") {
			p.Line("log tail: %s", l)
		}
	}
	_, err = fn.Invoke(ctx, function, []byte(`{"id":"o-1002","total":0}`), lambda.InvokeOptions{Qualifier: "live"})
	var fe *lambda.FunctionError
	if !errors.As(err, &fe) {
		return fmt.Errorf("a bad order should fail in the function, got %v", err)
	}
	p.Line("a bad order fails in the function: *lambda.FunctionError{Type: %q, Message: %q}", fe.Type, fe.Message)
	if err := fn.InvokeAsync(ctx, function, []byte(`{"id":"o-1003","total":9.9}`), "live"); err != nil {
		return err
	}
	p.Line("an asynchronous invocation was queued (HTTP 202); the function ran %d times in all", len(local.LambdaInvocations()))

	// 4. SES.
	p.Step(4, "The platform emails the confirmation through SES")
	mailer, err := ses.NewFromConnection(cfgs[ses.KindName], conns[1])
	if err != nil {
		return err
	}
	id, err := mailer.Send(ctx, ses.Email{
		From: "Shop <orders@" + domain + ">", To: []string{"ann@customer.example"}, Subject: "Order o-1001 accepted",
		Text: "Your order o-1001 ships as SHP-1001.", HTML: "<p>Your order <b>o-1001</b> ships as SHP-1001.</p>",
		Tags: map[string]string{"kind": "confirmation"},
	})
	if err != nil {
		return err
	}
	sent := local.SentEmails()
	p.Line("sent message %s to %v: %q", id, sent[0].To, sent[0].Subject)
	_, err = mailer.Send(ctx, ses.Email{From: "orders@" + domain, To: []string{"ann@"}, Subject: "x", Text: "x"})
	p.Line("an invalid address is refused before any call: %v", err)

	// 5. CloudWatch.
	p.Step(5, "The platform records the order in CloudWatch")
	cw, err := cloudwatch.NewFromConnection(cfgs[cloudwatch.KindName], conns[2])
	if err != nil {
		return err
	}
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
	p.Line("metric %s/OrderTotal, sum over the last hour: %v", namespace, results[0].Values)
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
	p.Line("log events accepted: %d in %d call(s); %s/%s now holds (sorted by time):", put.Accepted, put.Calls, logGroup, logStream)
	for e, err := range cw.GetLogEvents(ctx, logGroup, logStream, time.Time{}, time.Time{}) {
		if err != nil {
			return err
		}
		p.Line("  %s", aws.ToString(e.Message))
	}

	// 6. A missing permission.
	p.Step(6, "What a missing permission looks like: invoking \"billing\", which the policy does not grant")
	other := lambda.New(cfgs[lambda.KindName], func(o *lambda.Options) { o.AccountID = customerAccount })
	_, err = other.Invoke(ctx, "billing", nil, lambda.InvokeOptions{})
	if err == nil {
		return errors.New("billing was invoked, but the permissions policy does not grant it")
	}
	need, rerr := lambda.Requirements(lambda.Target{Region: region, AccountID: customerAccount, Function: "billing"}, lambda.OpInvoke)
	if rerr != nil {
		return rerr
	}
	p.Report("", connectors.CheckReport{Steps: []connectors.CheckStep{connectors.ServiceStep("AWS Lambda Invoke billing", need[0], err)}})

	p.Done(len(local.Requests()))
	return nil
}
