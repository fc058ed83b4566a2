package localaws

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/stretchr/testify/require"
)

type greeting struct {
	Name string `json:"name"`
}

type quotaError struct{ left int }

func (e *quotaError) Error() string { return fmt.Sprintf("quota exhausted, %d left", e.left) }

// lambdaFixture starts a server with functions "greet" (echo, versions 1
// and 2, alias "live" -> 1), "fail", "panic", "slow" and "typed".
func lambdaFixture(t *testing.T, g grants) (*Server, *lambda.Client) {
	t.Helper()
	s, cfg := svcServer(t, g)
	a := s.Platform()
	_, err := a.CreateFunction("greet", func(ctx context.Context, in greeting) (map[string]string, error) {
		lc, _ := lambdacontext.FromContext(ctx)
		LambdaLogf(ctx, "greeting %s", in.Name)
		return map[string]string{"hello": in.Name, "arn": lc.InvokedFunctionArn}, nil
	}, func(c *FunctionConfig) { c.Description = "v-latest" })
	require.NoError(t, err)
	v1, err := a.PublishVersion("greet")
	require.NoError(t, err)
	require.Equal(t, "1", v1)
	_, err = a.PublishVersion("greet")
	require.NoError(t, err)
	require.NoError(t, a.CreateAlias("greet", "live", "1"))

	_, err = a.CreateFunction("fail", func(context.Context) error { return errors.New("boom") })
	require.NoError(t, err)
	_, err = a.CreateFunction("panic", func(context.Context) error { panic("kaput") })
	require.NoError(t, err)
	_, err = a.CreateFunction("typed", func(context.Context) error { return &quotaError{left: 0} })
	require.NoError(t, err)
	_, err = a.CreateFunction("custom", func(context.Context) error {
		return messages.InvokeResponse_Error{Type: "Validation", Message: "name is required"}
	})
	require.NoError(t, err)
	_, err = a.CreateFunction("slow", func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}, func(c *FunctionConfig) { c.Timeout = 10 * time.Millisecond })
	require.NoError(t, err)
	return s, lambda.NewFromConfig(cfg)
}

var allLambda = grants{"lambda:InvokeFunction": {"**"}, "lambda:GetFunction": {"**"}, "lambda:ListFunctions": {"*"}}

func TestLambdaInvokeRequestResponse(t *testing.T) {
	s, client := lambdaFixture(t, allLambda)
	acct := s.PlatformAccountID()
	tests := []struct {
		name, function, qualifier, wantVersion, wantARN string
	}{
		{"by name", "greet", "", "$LATEST", "arn:aws:lambda:us-east-1:" + acct + ":function:greet"},
		{"by ARN", "arn:aws:lambda:us-east-1:" + acct + ":function:greet", "", "$LATEST", "arn:aws:lambda:us-east-1:" + acct + ":function:greet"},
		{"by partial ARN", acct + ":function:greet", "", "$LATEST", "arn:aws:lambda:us-east-1:" + acct + ":function:greet"},
		{"version in name", "greet:2", "", "2", "arn:aws:lambda:us-east-1:" + acct + ":function:greet:2"},
		{"version as qualifier", "greet", "1", "1", "arn:aws:lambda:us-east-1:" + acct + ":function:greet:1"},
		{"alias", "greet", "live", "1", "arn:aws:lambda:us-east-1:" + acct + ":function:greet:live"},
		{"alias in ARN", "arn:aws:lambda:us-east-1:" + acct + ":function:greet:live", "", "1", "arn:aws:lambda:us-east-1:" + acct + ":function:greet:live"},
		{"$LATEST", "greet", "$LATEST", "$LATEST", "arn:aws:lambda:us-east-1:" + acct + ":function:greet:$LATEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &lambda.InvokeInput{FunctionName: aws.String(tt.function), Payload: []byte(`{"name":"ann"}`), LogType: types.LogTypeTail}
			if tt.qualifier != "" {
				in.Qualifier = aws.String(tt.qualifier)
			}
			s.ResetRequests()
			out, err := client.Invoke(context.Background(), in)
			require.NoError(t, err)
			require.Equal(t, int32(200), out.StatusCode)
			require.Nil(t, out.FunctionError)
			require.Equal(t, tt.wantVersion, aws.ToString(out.ExecutedVersion))
			var body map[string]string
			require.NoError(t, json.Unmarshal(out.Payload, &body))
			require.Equal(t, map[string]string{"hello": "ann", "arn": tt.wantARN}, body)

			tail, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
			require.NoError(t, err)
			require.Contains(t, string(tail), "START RequestId: ")
			require.Contains(t, string(tail), "Version: "+tt.wantVersion)
			require.Contains(t, string(tail), "greeting ann\nEND RequestId: ")
			require.Contains(t, string(tail), "REPORT RequestId: ")

			log := s.Requests()
			require.Len(t, log, 1)
			require.Equal(t, "Invoke", log[0].Operation)
			require.Equal(t, "lambda:InvokeFunction", log[0].Action)
			require.Equal(t, tt.wantARN, log[0].Resource, "authorised on the function ARN, qualified as invoked")
		})
	}
}

func TestLambdaFunctionErrors(t *testing.T) {
	_, client := lambdaFixture(t, allLambda)
	tests := []struct {
		function, wantType, wantMessage string
	}{
		{"fail", "errorString", "boom"},
		{"typed", "quotaError", "quota exhausted, 0 left"},
		{"custom", "Validation", "name is required"},
		{"panic", "string", "kaput"},
		{"slow", "Sandbox.Timedout", "Task timed out after 0.01 seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.function, func(t *testing.T) {
			out, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(tt.function)})
			require.NoError(t, err, "a function error is not an API error")
			require.Equal(t, int32(200), out.StatusCode)
			require.Equal(t, "Unhandled", aws.ToString(out.FunctionError))
			var body struct {
				ErrorMessage string `json:"errorMessage"`
				ErrorType    string `json:"errorType"`
			}
			require.NoError(t, json.Unmarshal(out.Payload, &body))
			require.Equal(t, tt.wantType, body.ErrorType)
			require.Contains(t, body.ErrorMessage, tt.wantMessage)
		})
	}
}

func TestLambdaInvokeEventAndDryRun(t *testing.T) {
	s, client := lambdaFixture(t, allLambda)
	out, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("greet"), Qualifier: aws.String("live"),
		InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"name":"bob"}`)})
	require.NoError(t, err)
	require.Equal(t, int32(202), out.StatusCode)
	require.Empty(t, out.Payload)

	out, err = client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("fail"), InvocationType: types.InvocationTypeEvent})
	require.NoError(t, err)
	require.Equal(t, int32(202), out.StatusCode, "an asynchronous caller never sees the function's error")

	out, err = client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("greet"), InvocationType: types.InvocationTypeDryRun})
	require.NoError(t, err)
	require.Equal(t, int32(204), out.StatusCode)

	inv := s.LambdaInvocations()
	require.Len(t, inv, 2, "the dry run runs nothing")
	require.Equal(t, "Event", inv[0].Type)
	require.Equal(t, "arn:aws:lambda:us-east-1:"+s.PlatformAccountID()+":function:greet:1", inv[0].FunctionARN)
	require.JSONEq(t, `{"name":"bob"}`, string(inv[0].Payload))
	require.Equal(t, "errorString", inv[1].Error)
}

func TestLambdaAPIErrors(t *testing.T) {
	s, client := lambdaFixture(t, allLambda)
	acct := s.PlatformAccountID()
	tests := []struct {
		name     string
		in       *lambda.InvokeInput
		code     string
		status   int
		mentions string
	}{
		{"unknown function", &lambda.InvokeInput{FunctionName: aws.String("nope")}, "ResourceNotFoundException", 404, "Function not found: arn:aws:lambda:us-east-1:" + acct + ":function:nope"},
		{"unknown version", &lambda.InvokeInput{FunctionName: aws.String("greet"), Qualifier: aws.String("9")}, "ResourceNotFoundException", 404, "function:greet:9"},
		{"unknown alias", &lambda.InvokeInput{FunctionName: aws.String("greet:dev")}, "ResourceNotFoundException", 404, "function:greet:dev"},
		{"qualifier mismatch", &lambda.InvokeInput{FunctionName: aws.String("greet:1"), Qualifier: aws.String("2")}, "InvalidParameterValueException", 400, "does not match"},
		{"bad name", &lambda.InvokeInput{FunctionName: aws.String("has space")}, "InvalidParameterValueException", 400, "functionName"},
		{"not JSON", &lambda.InvokeInput{FunctionName: aws.String("greet"), Payload: []byte("{nope")}, "InvalidRequestContentException", 400, "Could not parse"},
		{"too large", &lambda.InvokeInput{FunctionName: aws.String("greet"), Payload: []byte(`"` + strings.Repeat("x", 6<<20) + `"`)}, "RequestTooLargeException", 413, "smaller than"},
		{"other account", &lambda.InvokeInput{FunctionName: aws.String("arn:aws:lambda:us-east-1:999999999999:function:greet")}, "AccessDeniedException", 403, "no resource-based policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.Invoke(context.Background(), tt.in)
			ae := requireAPIError(t, err, tt.code)
			require.Contains(t, ae.ErrorMessage(), tt.mentions)
			log := s.Requests()
			require.Equal(t, tt.status, log[len(log)-1].Status)
		})
	}
}

func TestLambdaAccessDenied(t *testing.T) {
	s, client := lambdaFixture(t, grants{"lambda:InvokeFunction": {"arn:aws:lambda:us-east-1:*:function:greet:live"}})
	_, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("greet"), Qualifier: aws.String("live")})
	require.NoError(t, err, "the alias ARN is granted")

	acct := s.PlatformAccountID()
	_, err = client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("greet")})
	ae := requireAPIError(t, err, "AccessDeniedException")
	require.Equal(t, "User: arn:aws:iam::"+acct+":user/platform is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:"+acct+":function:greet because no identity-based policy allows the lambda:InvokeFunction action", ae.ErrorMessage())

	_, err = client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("does-not-exist")})
	requireAPIError(t, err, "AccessDeniedException") // authorised before looked up, as AWS
	_, err = client.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("greet")})
	requireAPIError(t, err, "AccessDeniedException")
	_, err = client.ListFunctions(context.Background(), &lambda.ListFunctionsInput{})
	ae = requireAPIError(t, err, "AccessDeniedException")
	require.Contains(t, ae.ErrorMessage(), "lambda:ListFunctions on resource: *")
	require.Len(t, s.LambdaInvocations(), 1)
}

func TestLambdaListFunctionsPages(t *testing.T) {
	s, client := lambdaFixture(t, allLambda)
	for i := range 5 {
		_, err := s.Platform().CreateFunction(fmt.Sprintf("extra-%d", i), func() error { return nil })
		require.NoError(t, err)
	}
	_, err := s.Platform().CreateFunction("elsewhere", func() error { return nil }, func(c *FunctionConfig) { c.Region = "eu-west-1" })
	require.NoError(t, err)

	var names []string
	pages := 0
	p := lambda.NewListFunctionsPaginator(client, &lambda.ListFunctionsInput{MaxItems: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Functions), 3)
		pages++
		for _, f := range page.Functions {
			names = append(names, aws.ToString(f.FunctionName))
			require.Equal(t, "$LATEST", aws.ToString(f.Version))
		}
	}
	require.Equal(t, []string{"custom", "extra-0", "extra-1", "extra-2", "extra-3", "extra-4", "fail", "greet", "panic", "slow", "typed"}, names, "one region's functions, in name order, each once")
	require.Equal(t, 4, pages)

	out, err := client.ListFunctions(context.Background(), &lambda.ListFunctionsInput{FunctionVersion: types.FunctionVersionAll, Marker: nil, MaxItems: aws.Int32(50)})
	require.NoError(t, err)
	var versions []string
	for _, f := range out.Functions {
		if aws.ToString(f.FunctionName) == "greet" {
			versions = append(versions, aws.ToString(f.Version))
		}
	}
	require.Equal(t, []string{"$LATEST", "1", "2"}, versions)

	_, err = client.ListFunctions(context.Background(), &lambda.ListFunctionsInput{Marker: aws.String("!!")})
	requireAPIError(t, err, "InvalidParameterValueException")
}

func TestLambdaGetFunction(t *testing.T) {
	s, client := lambdaFixture(t, allLambda)
	acct := s.PlatformAccountID()
	out, err := client.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("greet")})
	require.NoError(t, err)
	c := out.Configuration
	require.Equal(t, "greet", aws.ToString(c.FunctionName))
	require.Equal(t, "arn:aws:lambda:us-east-1:"+acct+":function:greet", aws.ToString(c.FunctionArn))
	require.Equal(t, "$LATEST", aws.ToString(c.Version))
	require.Equal(t, "v-latest", aws.ToString(c.Description))
	require.Equal(t, int32(3), aws.ToInt32(c.Timeout))
	require.Equal(t, types.StateActive, c.State)
	require.Equal(t, "S3", aws.ToString(out.Code.RepositoryType))

	out, err = client.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("greet"), Qualifier: aws.String("live")})
	require.NoError(t, err)
	require.Equal(t, "1", aws.ToString(out.Configuration.Version))
	require.Equal(t, "arn:aws:lambda:us-east-1:"+acct+":function:greet:live", aws.ToString(out.Configuration.FunctionArn))

	_, err = client.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("ghost")})
	requireAPIError(t, err, "ResourceNotFoundException")
}

func TestLambdaGoSideErrors(t *testing.T) {
	s := startServer(t)
	a := s.Platform()
	_, err := a.CreateFunction("bad name!", func() error { return nil })
	require.Error(t, err)
	_, err = a.CreateFunction("notfunc", 42)
	require.Error(t, err)
	_, err = a.CreateFunction("f", func() error { return nil })
	require.NoError(t, err)
	_, err = a.CreateFunction("f", func() error { return nil })
	require.ErrorContains(t, err, "already exists")
	require.ErrorContains(t, a.CreateAlias("f", "live", "7"), "no version")
	require.ErrorContains(t, a.CreateAlias("f", "123", "$LATEST"), "not all digits")
	_, err = a.PublishVersion("ghost")
	require.ErrorContains(t, err, "no function")
}

// Helpers shared by the Lambda, SES, CloudWatch and Logs tests.

// grants is an identity policy for the service tests, as action ->
// resource patterns ("**" is any resource, as "*" in IAM). Tests state it
// per test so each asserts which action and resource a call is authorised
// with.
type grants map[string][]string

// document turns g into an IAM policy; an empty g allows nothing the
// service tests call.
func (g grants) document(t *testing.T) *policy.Document {
	t.Helper()
	type stmt struct {
		Effect   string
		Action   string
		Resource []string
	}
	doc := struct {
		Version   string
		Statement []stmt
	}{Version: "2012-10-17"}
	for action, resources := range g {
		rs := make([]string, len(resources))
		for i, r := range resources {
			rs[i] = strings.ReplaceAll(r, "**", "*")
		}
		doc.Statement = append(doc.Statement, stmt{Effect: "Allow", Action: action, Resource: rs})
	}
	if len(doc.Statement) == 0 {
		doc.Statement = append(doc.Statement, stmt{Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: []string{"*"}})
	}
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	d, err := policy.Parse(b)
	require.NoError(t, err)
	return d
}

// svcServer starts a server whose platform user holds g, and returns an
// aws.Config with the platform's credentials and no retries.
func svcServer(t *testing.T, g grants, optFns ...func(*Options)) (*Server, aws.Config) {
	t.Helper()
	s := startServer(t, optFns...)
	setGrants(t, s, g)
	return s, noRetry(s.Config(nil))
}

// setGrants replaces the platform user's test policy.
func setGrants(t *testing.T, s *Server, g grants) {
	t.Helper()
	require.NoError(t, s.Platform().PutUserPolicy(PlatformUserName, "svc-test", g.document(t)))
}

// quickRetryer is the SDK's standard retryer without backoff delays, so
// retry tests do not wait.
func quickRetryer(attempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func FuzzParseLambdaRef(f *testing.F) {
	for _, s := range []string{"f", "f:1", "123456789012:function:f:live", "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", "arn:aws-cn:lambda:cn-north-1:123456789012:function:f", ":", ""} {
		f.Add(s, "")
		f.Add(s, "live")
	}
	f.Fuzz(func(t *testing.T, name, qualifier string) {
		ref, msg := parseLambdaRef(name, qualifier)
		if msg != "" {
			return
		}
		if !lambdaFunctionName.MatchString(strings.ReplaceAll(ref.name, ".", "_")) {
			t.Fatalf("%q parsed to an invalid name %q", name, ref.name)
		}
		if qualifier != "" && ref.qualifier != qualifier {
			t.Fatalf("%q with qualifier %q resolved to %q", name, qualifier, ref.qualifier)
		}
	})
}
