package lambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

const fnARN = "arn:aws:lambda:us-east-1:" + connectortest.CustomerAccountID + ":function:"

// allOps is what the role is granted in the operation tests.
func allOps(t *testing.T) []policy.Requirement {
	reqs, err := lambda.Requirements(lambda.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Function: "orders:*"}, lambda.OpInvoke, lambda.OpGetFunction, lambda.OpListFunctions)
	require.NoError(t, err)
	more, err := lambda.Requirements(lambda.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Function: "orders"}, lambda.OpInvoke, lambda.OpGetFunction)
	require.NoError(t, err)
	return append(reqs, more...)
}

type order struct {
	ID    string `json:"id"`
	Items int    `json:"items"`
}

// withFunctions registers "orders" (versions 1, 2; alias live -> 1) and
// "billing" in the customer's account.
func withFunctions(t *testing.T, e *connectortest.Env) {
	t.Helper()
	_, err := e.Customer.CreateFunction("orders", func(ctx context.Context, o order) (map[string]any, error) {
		if o.Items < 0 {
			return nil, fmt.Errorf("order %s: negative items", o.ID)
		}
		localaws.LambdaLogf(ctx, "processing %s", o.ID)
		lc, _ := lambdacontext.FromContext(ctx)
		return map[string]any{"id": o.ID, "accepted": true, "arn": lc.InvokedFunctionArn}, nil
	})
	require.NoError(t, err)
	for range 2 {
		_, err = e.Customer.PublishVersion("orders")
		require.NoError(t, err)
	}
	require.NoError(t, e.Customer.CreateAlias("orders", "live", "1"))
	_, err = e.Customer.CreateFunction("billing", func() error { return nil })
	require.NoError(t, err)
}

func TestInvoke(t *testing.T) {
	e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(allOps(t)...))
	withFunctions(t, e)
	c := lambda.New(e.Config(t))
	ctx := context.Background()
	tests := []struct {
		name, function, qualifier, wantVersion, wantARN string
	}{
		{"name", "orders", "", "$LATEST", fnARN + "orders"},
		{"ARN", fnARN + "orders", "", "$LATEST", fnARN + "orders"},
		{"version", "orders", "2", "2", fnARN + "orders:2"},
		{"alias in name", "orders:live", "", "1", fnARN + "orders:live"},
		{"alias in ARN", fnARN + "orders:live", "", "1", fnARN + "orders:live"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Invoke(ctx, tt.function, []byte(`{"id":"o-1","items":2}`), lambda.InvokeOptions{Qualifier: tt.qualifier, Tail: true})
			require.NoError(t, err)
			require.Equal(t, 200, res.StatusCode)
			require.Equal(t, tt.wantVersion, res.ExecutedVersion)
			var body map[string]any
			require.NoError(t, json.Unmarshal(res.Payload, &body))
			require.Equal(t, map[string]any{"id": "o-1", "accepted": true, "arn": tt.wantARN}, body)
			require.Contains(t, res.LogTail, "processing o-1")
			require.Contains(t, res.LogTail, "REPORT RequestId:")
		})
	}

	t.Run("function error", func(t *testing.T) {
		_, err := c.Invoke(ctx, "orders", []byte(`{"id":"o-2","items":-1}`), lambda.InvokeOptions{Tail: true})
		var fe *lambda.FunctionError
		require.True(t, errors.As(err, &fe), "%T: %v", err, err)
		require.Equal(t, "Unhandled", fe.Kind)
		require.Equal(t, "errorString", fe.Type)
		require.Equal(t, "order o-2: negative items", fe.Message)
		require.Equal(t, "orders", fe.Function)
		require.Contains(t, fe.LogTail, "START RequestId:")
		require.Equal(t, "lambda: function orders failed: errorString: order o-2: negative items", fe.Error())
	})

	t.Run("API errors stay SDK errors", func(t *testing.T) {
		_, err := c.Invoke(ctx, "orders:nope", nil, lambda.InvokeOptions{})
		require.Equal(t, "ResourceNotFoundException", connectors.ErrorCode(err), "orders:* is granted, the alias does not exist: %v", err)
		_, err = c.Invoke(ctx, "billing", nil, lambda.InvokeOptions{})
		require.True(t, connectors.IsAccessDenied(err))
		var fe *lambda.FunctionError
		require.False(t, errors.As(err, &fe))
	})

	t.Run("invalid references fail before any call", func(t *testing.T) {
		before := len(e.Server.Requests())
		_, err := c.Invoke(ctx, "bad name", nil, lambda.InvokeOptions{})
		require.ErrorIs(t, err, lambda.ErrInvalidFunction)
		_, err = c.Invoke(ctx, "orders:1", nil, lambda.InvokeOptions{Qualifier: "2"})
		require.ErrorIs(t, err, lambda.ErrInvalidFunction)
		require.Len(t, e.Server.Requests(), before)
	})
}

func TestInvokeAsyncAndDryRun(t *testing.T) {
	e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(allOps(t)...))
	withFunctions(t, e)
	c := lambda.New(e.Config(t))
	ctx := context.Background()
	require.NoError(t, c.InvokeAsync(ctx, "orders", []byte(`{"id":"async","items":1}`), "live"))
	require.NoError(t, c.DryRun(ctx, "orders", ""))
	inv := e.Server.LambdaInvocations()
	require.Len(t, inv, 1, "a dry run runs nothing")
	require.Equal(t, "Event", inv[0].Type)
	require.Equal(t, fnARN+"orders:1", inv[0].FunctionARN)

	err := c.DryRun(ctx, "billing", "")
	require.True(t, connectors.IsAccessDenied(err), "a dry run proves lambda:InvokeFunction: %v", err)
}

func TestFunctionsAndGetFunction(t *testing.T) {
	e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(allOps(t)...))
	withFunctions(t, e)
	for i := range 60 {
		_, err := e.Customer.CreateFunction(fmt.Sprintf("extra-%02d", i), func() error { return nil })
		require.NoError(t, err)
	}
	c := lambda.New(e.Config(t))
	ctx := context.Background()
	var names []string
	for f, err := range c.Functions(ctx) {
		require.NoError(t, err)
		names = append(names, aws.ToString(f.FunctionName))
	}
	require.Len(t, names, 62, "every page of 50 is followed")
	require.Equal(t, "billing", names[0])
	require.Equal(t, "orders", names[61])

	e.Server.ResetRequests()
	n := 0
	for range c.Functions(ctx) {
		n++
		if n == 3 {
			break // stopping early is allowed
		}
	}
	require.Len(t, e.Server.Requests(), 1, "no page is fetched after the consumer stops")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	var errs []error
	for _, err := range c.Functions(cancelled) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1, "one error, then the iteration ends")
	require.ErrorIs(t, errs[0], context.Canceled)

	out, err := c.GetFunction(ctx, "orders", "live")
	require.NoError(t, err)
	require.Equal(t, "1", aws.ToString(out.Configuration.Version))
	_, err = c.GetFunction(ctx, "billing", "")
	require.True(t, connectors.IsAccessDenied(err))
}

func TestRestriction(t *testing.T) {
	e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(allOps(t)...))
	withFunctions(t, e)
	c := lambda.New(e.Config(t), func(o *lambda.Options) { o.Function = "orders"; o.AccountID = connectortest.CustomerAccountID })
	ctx := context.Background()
	// The same name in another account or region is another function.
	for _, other := range []string{"billing", "999999999999:function:orders", "arn:aws:lambda:eu-west-1:" + connectortest.CustomerAccountID + ":function:orders"} {
		_, err := c.Invoke(ctx, other, nil, lambda.InvokeOptions{})
		require.ErrorIs(t, err, lambda.ErrOutsideRestriction, other)
	}
	_, err := c.Invoke(ctx, fnARN+"orders", []byte(`{"id":"x"}`), lambda.InvokeOptions{})
	require.NoError(t, err, "the restricted function by its full ARN")
	_, err = c.Invoke(ctx, "orders:live", []byte(`{"id":"x"}`), lambda.InvokeOptions{})
	require.NoError(t, err)
	var names []string
	for f, err := range c.Functions(ctx) {
		require.NoError(t, err)
		names = append(names, aws.ToString(f.FunctionName))
	}
	require.Equal(t, []string{"orders"}, names, "a restricted connector lists its function only, through GetFunction")

	bad := lambda.New(e.Config(t), func(o *lambda.Options) { o.Function = "orders:live" })
	_, err = bad.Invoke(ctx, "", nil, lambda.InvokeOptions{})
	require.ErrorIs(t, err, lambda.ErrInvalidFunction)
}

func TestCheck(t *testing.T) {
	listOnly := policy.Requirement{Action: "lambda:ListFunctions"}
	getOrders := policy.Requirement{Action: "lambda:GetFunction", Resource: fnARN + "orders"}
	tests := []struct {
		name         string
		fields       map[string]string
		perms        []policy.Requirement
		fault        *localaws.Fault
		endpoint     string
		want         connectors.Status
		wantAction   string
		wantResource string
		wantPolicy   bool
	}{
		{name: "list passes", perms: []policy.Requirement{listOnly}, want: connectors.Passed, wantAction: "lambda:ListFunctions", wantResource: "*"},
		{name: "list denied", perms: []policy.Requirement{getOrders}, want: connectors.Failed, wantAction: "lambda:ListFunctions", wantResource: "*", wantPolicy: true},
		{name: "restricted passes", fields: map[string]string{"function": "orders"}, perms: []policy.Requirement{getOrders}, want: connectors.Passed, wantAction: "lambda:GetFunction", wantResource: fnARN + "orders"},
		{name: "restricted denied", fields: map[string]string{"function": "orders"}, perms: []policy.Requirement{listOnly}, want: connectors.Failed, wantAction: "lambda:GetFunction", wantResource: fnARN + "orders", wantPolicy: true},
		{name: "restricted function missing", fields: map[string]string{"function": "ghost"}, perms: []policy.Requirement{{Action: "lambda:GetFunction", Resource: fnARN + "ghost"}}, want: connectors.Failed, wantAction: "lambda:GetFunction"},
		{name: "throttled", perms: []policy.Requirement{listOnly}, fault: &localaws.Fault{Service: "lambda", Operation: "ListFunctions", Kind: localaws.Throttle}, want: connectors.Warned},
		{name: "endpoint unreachable", perms: []policy.Requirement{listOnly}, endpoint: "http://127.0.0.1:1", want: connectors.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := connectortest.New(t, lambda.KindName, connectortest.WithFields(tt.fields), connectortest.WithPermissions(tt.perms...))
			withFunctions(t, e)
			if tt.fault != nil {
				remove, err := e.Server.InjectFault(*tt.fault)
				require.NoError(t, err)
				defer remove()
			}
			if tt.endpoint != "" {
				e.Conn.Endpoint = tt.endpoint
			}
			rep := e.Resolver.Check(context.Background(), e.Conn)
			if tt.endpoint != "" {
				// The role is assumed through the platform's own STS endpoint;
				// only the service call goes to the connection's endpoint.
				require.Equal(t, []string{"fields_valid=passed", "role_assumed=passed", "external_id_required=passed", "service_reachable=failed"}, connectortest.Statuses(rep), "%s", rep)
				s, _ := rep.Step(connectors.StepServiceReachable)
				require.Contains(t, s.Hint, "endpoint")
				return
			}
			svc, ok := rep.Step(connectors.StepServiceReachable)
			require.True(t, ok, "%s", rep)
			require.Equal(t, tt.want, svc.Status, "%s", rep)
			require.NotEmpty(t, svc.Message)
			if tt.want != connectors.Passed {
				require.NotEmpty(t, svc.Hint)
			}
			if tt.wantAction != "" {
				require.Equal(t, tt.wantAction, svc.Action)
			}
			if tt.wantResource != "" {
				require.Equal(t, tt.wantResource, svc.Resource)
			}
			require.Equal(t, tt.wantPolicy, svc.PolicyToAdd != nil, "%s", rep)
			if tt.wantPolicy {
				// The statement to add is exactly what grants the check call.
				e.Grant(t, policy.Requirement{Action: svc.Action, Resource: map[bool]string{true: "", false: svc.Resource}[svc.Resource == "*"]})
				again, _ := e.Resolver.Check(context.Background(), e.Conn).Step(connectors.StepServiceReachable)
				require.Equal(t, connectors.Passed, again.Status)
			}
		})
	}
}

func TestCheckTrustOutcomes(t *testing.T) {
	listOnly := policy.Requirement{Action: "lambda:ListFunctions"}
	t.Run("trust refused", func(t *testing.T) {
		e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(listOnly))
		wrong, err := policy.TrustPolicy(e.Server.PlatformAccountID(), "another_external_id")
		require.NoError(t, err)
		require.NoError(t, e.Customer.UpdateTrustPolicy(connectortest.RoleName, wrong))
		rep := e.Resolver.Check(context.Background(), e.Conn)
		require.Equal(t, []string{"fields_valid=passed", "role_assumed=failed", "external_id_required=skipped", "service_reachable=skipped"}, connectortest.Statuses(rep), "%s", rep)
	})
	t.Run("external ID not required", func(t *testing.T) {
		e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(listOnly))
		open, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + e.Server.PlatformAccountID() + `:root"},"Action":"sts:AssumeRole"}]}`))
		require.NoError(t, err)
		require.NoError(t, e.Customer.UpdateTrustPolicy(connectortest.RoleName, open))
		rep := e.Resolver.Check(context.Background(), e.Conn)
		require.Equal(t, []string{"fields_valid=passed", "role_assumed=passed", "external_id_required=warned", "service_reachable=passed"}, connectortest.Statuses(rep), "%s", rep)
	})
	t.Run("invalid function field", func(t *testing.T) {
		e := connectortest.New(t, lambda.KindName, connectortest.WithFields(map[string]string{"function": "orders:live"}), connectortest.WithPermissions(listOnly))
		rep := e.Resolver.Check(context.Background(), e.Conn)
		require.Equal(t, connectors.Failed, rep.Steps[0].Status, "%s", rep)
	})
}

func TestRequirements(t *testing.T) {
	tests := []struct {
		name    string
		target  lambda.Target
		ops     []lambda.Operation
		want    []policy.Requirement
		wantErr bool
	}{
		{name: "every function", target: lambda.Target{Region: "eu-west-1", AccountID: connectortest.CustomerAccountID}, ops: []lambda.Operation{lambda.OpInvoke, lambda.OpListFunctions},
			want: []policy.Requirement{{Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:eu-west-1:" + connectortest.CustomerAccountID + ":function:*"}, {Action: "lambda:ListFunctions"}}},
		{name: "unqualified", target: lambda.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Function: "orders"}, ops: []lambda.Operation{lambda.OpInvoke},
			want: []policy.Requirement{{Action: "lambda:InvokeFunction", Resource: fnARN + "orders"}}},
		{name: "alias", target: lambda.Target{Region: "us-east-1", Function: "orders:live"}, ops: []lambda.Operation{lambda.OpGetFunction},
			want: []policy.Requirement{{Action: "lambda:GetFunction", Resource: "arn:aws:lambda:us-east-1:*:function:orders:live"}}},
		{name: "all qualifiers", target: lambda.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Function: "orders:*"}, ops: []lambda.Operation{lambda.OpInvoke},
			want: []policy.Requirement{{Action: "lambda:InvokeFunction", Resource: fnARN + "orders:*"}}},
		{name: "ARN wins", target: lambda.Target{Region: "us-east-1", Function: "arn:aws-cn:lambda:cn-north-1:111122223333:function:f"}, ops: []lambda.Operation{lambda.OpInvoke},
			want: []policy.Requirement{{Action: "lambda:InvokeFunction", Resource: "arn:aws-cn:lambda:cn-north-1:111122223333:function:f"}}},
		{name: "no region", target: lambda.Target{}, ops: []lambda.Operation{lambda.OpInvoke}, wantErr: true},
		{name: "bad function", target: lambda.Target{Region: "us-east-1", Function: "a b"}, ops: []lambda.Operation{lambda.OpInvoke}, wantErr: true},
		{name: "unknown op", target: lambda.Target{Region: "us-east-1"}, ops: []lambda.Operation{"Delete"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lambda.Requirements(tt.target, tt.ops...)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			_, err = policy.LeastPrivilege(got...)
			require.NoError(t, err, "the policy package accepts every requirement")
		})
	}
}

func TestRegistryKind(t *testing.T) {
	k, ok := connectors.Lookup(lambda.KindName)
	require.True(t, ok)
	require.Equal(t, "AWS Lambda", k.Title)
	f, ok := k.Field(lambda.FieldFunction)
	require.True(t, ok)
	require.False(t, f.Required)
	require.NoError(t, f.Validate("orders"))
	require.Error(t, f.Validate("orders:live"))
	require.Error(t, f.Validate("bad name"))
	_, err := k.New(aws.Config{Region: "us-east-1", HTTPClient: http.DefaultClient}, connectors.Connection{Fields: map[string]string{"function": "x:1"}})
	require.Error(t, err)
}

func TestInvokeClientContext(t *testing.T) {
	reqs, err := lambda.Requirements(lambda.Target{Region: "us-east-1", AccountID: connectortest.CustomerAccountID, Function: "whoami"}, lambda.OpInvoke)
	require.NoError(t, err)
	e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(reqs...))
	_, err = e.Customer.CreateFunction("whoami", func(ctx context.Context) (map[string]string, error) {
		lc, _ := lambdacontext.FromContext(ctx)
		return lc.ClientContext.Custom, nil
	})
	require.NoError(t, err)
	c := lambda.New(e.Config(t))
	res, err := c.Invoke(context.Background(), "whoami", nil, lambda.InvokeOptions{ClientContext: []byte(`{"custom":{"tenant":"acme"}}`)})
	require.NoError(t, err)
	require.JSONEq(t, `{"tenant":"acme"}`, string(res.Payload))
	require.Empty(t, res.LogTail, "no tail unless asked")
}

// TestConcurrentInvoke shares one connector across goroutines, as a
// platform does; run with -race.
func TestConcurrentInvoke(t *testing.T) {
	e := connectortest.New(t, lambda.KindName, connectortest.WithPermissions(allOps(t)...))
	withFunctions(t, e)
	c := lambda.New(e.Config(t))
	errs := make(chan error, 20)
	for i := range 20 {
		go func() {
			res, err := c.Invoke(context.Background(), "orders:live", []byte(fmt.Sprintf(`{"id":"o-%d","items":1}`, i)), lambda.InvokeOptions{Tail: i%2 == 0})
			if err == nil && !strings.Contains(string(res.Payload), fmt.Sprintf(`"o-%d"`, i)) {
				err = fmt.Errorf("invocation %d got %s", i, res.Payload)
			}
			errs <- err
		}()
	}
	for range 20 {
		require.NoError(t, <-errs)
	}
	require.Len(t, e.Server.LambdaInvocations(), 20)
}
