package awsconnect_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// rawSDKText is what the SDK and smithy put in an error's text; a check
// step's Message and Hint are sentences for a customer and hold none of it
// (CheckStep.Detail and RequestID do).
var rawSDKText = []string{"api error", "operation error", "StatusCode:", "RequestID:", "(Forbidden: Forbidden)", "https response error", "smithy"}

// kindFields are a connection's fields of each kind, naming resources the
// customer's account does not have unless a case creates them.
var kindFields = map[string]map[string]string{
	s3.KindName:         {s3.FieldBucket: "acme-reports"},
	lambda.KindName:     {lambda.FieldFunction: "process-order"},
	ses.KindName:        {ses.FieldIdentity: "acme.example"},
	lex.KindName:        {lex.FieldBotID: "BOTID12345", lex.FieldBotAliasID: "ALIASID123", lex.FieldLocaleID: "en_US"},
	cloudwatch.KindName: {cloudwatch.FieldNamespace: "Acme/Orders", cloudwatch.FieldLogGroup: "/acme/orders"},
	signedhttp.KindName: {signedhttp.FieldService: "sts"},
}

// TestCheckMessagesAreSentencesOnEveryFailure runs Connect against the
// local AWS for every connector kind through each failure a customer or
// platform meets, and holds every failed or warned step to the contract:
// a cause and an actor, a Message (and Hint) that is a sentence with no
// raw SDK error text, and a report that marshals with its status.
func TestCheckMessagesAreSentencesOnEveryFailure(t *testing.T) {
	cases := []struct {
		name  string
		opts  func(kind string) []func(*connectortest.Options)
		edit  func(e *connectortest.Env, c *connectors.Connection)
		fault *localaws.Fault
		want  connectors.Cause // of the first failed or warned step; "" for any
	}{
		{name: "no permissions", want: connectors.CausePermissionMissing},
		{name: "resource missing", opts: func(kind string) []func(*connectortest.Options) {
			return []func(*connectortest.Options){func(o *connectortest.Options) {
				o.Policy = &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Effect: policy.EffectAllow, Action: policy.Strings{"*"}, Resource: policy.Strings{"*"}}}}
			}}
		}},
		{name: "trust policy for another external ID", opts: func(string) []func(*connectortest.Options) {
			return []func(*connectortest.Options){func(o *connectortest.Options) {
				o.Trust, _ = policy.TrustPolicy(localaws.DefaultPlatformAccountID, "another_external_id_1")
			}}
		}, want: connectors.CauseTrustPolicyDenied},
		{name: "open trust policy", opts: func(string) []func(*connectortest.Options) {
			return []func(*connectortest.Options){func(o *connectortest.Options) {
				o.Trust = &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Effect: policy.EffectAllow,
					Principal: &policy.Principal{AWS: policy.Strings{"arn:aws:iam::" + localaws.DefaultPlatformAccountID + ":root"}}, Action: policy.Strings{"sts:AssumeRole"}}}}
			}}
		}, want: connectors.CauseExternalIDNotRequired},
		{name: "role does not exist", edit: func(e *connectortest.Env, c *connectors.Connection) {
			c.Auth.RoleARN = "arn:aws:iam::" + connectortest.CustomerAccountID + ":role/missing"
		}, want: connectors.CauseTrustPolicyDenied},
		{name: "unknown access key", edit: func(e *connectortest.Env, c *connectors.Connection) {
			c.Auth = connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
		}, want: connectors.CauseCredentialsInvalid},
		{name: "wrong secret access key", edit: func(e *connectortest.Env, c *connectors.Connection) {
			if _, err := e.Customer.CreateUser("ci"); err != nil {
				t.Fatal(err)
			}
			key, err := e.Customer.CreateAccessKey("ci")
			if err != nil {
				t.Fatal(err)
			}
			c.Auth = connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: key.AccessKeyID, SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
		}, want: connectors.CauseSignatureMismatch},
		{name: "invalid region", edit: func(e *connectortest.Env, c *connectors.Connection) { c.Region = "us-eest-1" }, want: connectors.CauseInvalidFields},
		{name: "metadata endpoint", edit: func(e *connectortest.Env, c *connectors.Connection) { c.Endpoint = "http://169.254.169.254" }},
		{name: "STS throttled", fault: &localaws.Fault{Service: "sts", Operation: "AssumeRole", Kind: localaws.Throttle}},
		{name: "STS unreachable", fault: &localaws.Fault{Service: "sts", Operation: "AssumeRole", Kind: localaws.DropConnection}, want: connectors.CauseNetworkError},
		{name: "service error", fault: &localaws.Fault{Service: "*", Kind: localaws.ServerError}, want: connectors.CauseServiceUnavailable},
		{name: "STS error", fault: &localaws.Fault{Service: "sts", Operation: "AssumeRole", Kind: localaws.ServerError}},
	}
	// passes are the cases Connect passes by design: the check of SES
	// and CloudWatch does not prove the identity or log group exists (a
	// new one may be created later), and signed HTTP's probe,
	// GetCallerIdentity, needs no permission.
	passes := map[string]bool{"ses/resource missing": true, "cloudwatch/resource missing": true,
		"signedhttp/no permissions": true, "signedhttp/resource missing": true}
	for _, kind := range []string{s3.KindName, lambda.KindName, ses.KindName, lex.KindName, cloudwatch.KindName, signedhttp.KindName} {
		for _, tc := range cases {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				var opts []func(*connectortest.Options)
				if tc.opts != nil {
					opts = tc.opts(kind)
				}
				opts = append(opts, connectortest.WithFields(kindFields[kind]))
				e := connectortest.New(t, kind, opts...)
				c := e.Conn
				if tc.edit != nil {
					tc.edit(e, &c)
				}
				if f := tc.fault; f != nil {
					fault := *f
					if fault.Service == "*" {
						fault.Service = map[string]string{s3.KindName: "s3", lambda.KindName: "lambda", ses.KindName: "ses", lex.KindName: "lex",
							cloudwatch.KindName: "monitoring", signedhttp.KindName: "sts"}[kind]
						if kind == signedhttp.KindName {
							fault.Operation = "GetCallerIdentity"
						}
					}
					remove, err := e.Server.InjectFault(fault)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(remove)
				}
				report := e.Resolver.Check(context.Background(), c)
				if passes[kind+"/"+tc.name] {
					if report.Status() != connectors.Passed {
						t.Fatalf("Connect should pass (%s), but: %v", kind+"/"+tc.name, connectortest.Statuses(report))
					}
					return
				}
				if report.Status() == connectors.Passed {
					t.Fatalf("Connect passed: %v", connectortest.Statuses(report))
				}
				if testing.Verbose() {
					for _, s := range report.Steps {
						t.Logf("%s %s %s %s: %s | %s", s.ID, s.Status, s.Cause, s.Actor, s.Message, s.Hint)
					}
				}
				b, err := json.Marshal(report)
				if err != nil || !strings.HasPrefix(string(b), `{"status":"`+string(report.Status())+`"`) {
					t.Fatalf("the report marshals as %.80s, %v; want its status first", b, err)
				}
				var first *connectors.CheckStep
				for i, s := range report.Steps {
					if s.Status != connectors.Failed && s.Status != connectors.Warned {
						continue
					}
					if first == nil {
						first = &report.Steps[i]
					}
					if s.Cause == "" {
						t.Errorf("%s %s has no cause: %q", s.ID, s.Status, s.Message)
					}
					if s.Actor == "" && s.Cause != connectors.CauseUnknown {
						t.Errorf("%s %s (%s) names nobody to act", s.ID, s.Status, s.Cause)
					}
					for what, text := range map[string]string{"Message": s.Message, "Hint": s.Hint} {
						if text == "" && what == "Hint" {
							continue
						}
						assertSentence(t, string(s.ID)+" "+what, text)
					}
				}
				if tc.want != "" && (first == nil || first.Cause != tc.want) {
					t.Errorf("want cause %s; the report is %s", tc.want, b)
				}
			})
		}
	}
}

// assertSentence fails unless text reads as a sentence for a customer:
// it starts with a capital letter (or a quoted name), ends with a full
// stop, question mark or a pasted policy, and holds no raw SDK error text.
func assertSentence(t *testing.T, what, text string) {
	t.Helper()
	if text == "" {
		t.Errorf("%s is empty", what)
		return
	}
	for _, raw := range rawSDKText {
		if strings.Contains(text, raw) {
			t.Errorf("%s holds the raw SDK text %q: %s", what, raw, text)
		}
	}
	if r := []rune(text)[0]; !unicode.IsUpper(r) && r != '"' {
		t.Errorf("%s does not start with a capital letter: %s", what, text)
	}
	if trimmed := strings.TrimSpace(text); !strings.HasSuffix(trimmed, ".") && !strings.HasSuffix(trimmed, "?") && !strings.HasSuffix(trimmed, "}") {
		t.Errorf("%s does not end a sentence: %s", what, text)
	}
}
