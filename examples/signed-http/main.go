package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/lex"
	s3conn "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/examples/internal/demo"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const (
	workspaceID     = "12345"
	customerAccount = "444455556666"
	bucket          = "acme-reports"
	botID           = "FLOWERSBOT"
)

func main() { demo.Main("signed-http", run) }

func run(ctx context.Context, out io.Writer) error {
	local, p, err := demo.Start(out, "awsconnect signed HTTP")
	if err != nil {
		return err
	}
	defer local.Close()

	p.Step(1, "Signing service and region inferred from AWS host names")
	for _, host := range []string{
		"runtime-v2-lex.eu-west-2.amazonaws.com", "email.us-east-1.amazonaws.com",
		"acme-reports.s3.dualstack.ap-southeast-2.amazonaws.com", "sts-fips.us-east-2.amazonaws.com",
		"a1b2c3.execute-api.eu-central-1.amazonaws.com", "iam.amazonaws.com",
	} {
		ep, err := signedhttp.ParseHost(host)
		if err != nil {
			return err
		}
		p.Line("%-55s service %-12s region %s", host, ep.Service, ep.Region)
	}

	// The customer's role allows S3 on one bucket and Lex on one bot.
	var deriver scope.Deriver
	externalID, err := deriver.ExternalID(scope.WorkspaceMode, workspaceID, "")
	if err != nil {
		return err
	}
	customer, err := demo.NewCustomer(local, customerAccount, externalID)
	if err != nil {
		return err
	}
	if err := customer.Account.CreateBucket(bucket); err != nil {
		return err
	}
	if err := customer.Account.CreateBucket("payroll"); err != nil {
		return err
	}
	err = customer.Account.CreateLexBot(localaws.LexBot{ID: botID, Intents: []localaws.LexIntent{{
		Name: "OrderFlowers", Utterances: []string{"I want {Count} {FlowerType}"},
		Slots:       []localaws.LexSlot{{Name: "FlowerType", Prompt: "Which flowers?"}, {Name: "Count", Prompt: "How many?"}},
		Fulfillment: "Ordered {Count} {FlowerType}.",
	}}})
	if err != nil {
		return err
	}
	reqs := s3conn.Requirements([]s3conn.Operation{s3conn.OpListObjects, s3conn.OpGetObject, s3conn.OpPutObject}, bucket, "")
	reqs = append(reqs, lex.Requirements([]lex.Operation{lex.OpRecognizeText}, "us-east-1", customerAccount, botID, lex.DefaultAliasID)...)
	roleARN, err := customer.CreateRole("awsconnect-signed-http", nil, reqs...)
	if err != nil {
		return err
	}

	// The platform resolves the connection into an aws.Config.
	base := local.Config(nil)
	cache := role.NewCache(sts.NewFromConfig(base), func(o *role.Options) { o.PlatformAccountID = local.PlatformAccountID() })
	defer cache.Close()
	resolver := connectors.NewResolver(base, deriver, connectors.FixedMode(scope.WorkspaceMode), cache,
		func(o *connectors.Options) {
			o.PlatformAccountID = local.PlatformAccountID()
			// The local AWS listens on 127.0.0.1, which the endpoint
			// policy refuses by default; allow it explicitly.
			o.AllowEndpoint = connectors.AllowHosts("127.0.0.1")
		})
	conn := connectors.Connection{ID: "raw-api", WorkspaceID: workspaceID, Kind: signedhttp.KindName, Region: "us-east-1",
		Endpoint: local.URL(), Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: roleARN}}
	cfg, err := resolver.Config(ctx, conn)
	if err != nil {
		return err
	}

	// The local AWS listens on 127.0.0.1, whose name says nothing about the
	// service, so each client names its signing service; against real AWS
	// host names it is inferred.
	s3Client := signedhttp.New(cfg, func(o *signedhttp.Options) { o.Service = "s3" }).Client()
	call := func(c *http.Client, method, path string, body io.Reader, length int64) (int, string, error) {
		req, err := http.NewRequestWithContext(ctx, method, local.URL()+path, body)
		if err != nil {
			return 0, "", err
		}
		if length > 0 {
			req.ContentLength = length
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}

	p.Step(2, "Raw S3 REST calls signed with the role's credentials (external ID %s)", externalID)
	steps := []struct {
		label, method, path string
		body                io.Reader
		length              int64
	}{
		{"PUT with a body (hashed through GetBody)", http.MethodPut, "/" + bucket + "/notes/hello.txt", strings.NewReader("hello from signed http"), 0},
		{"PUT with a streamed body (UNSIGNED-PAYLOAD)", http.MethodPut, "/" + bucket + "/notes/stream.txt", struct{ io.Reader }{strings.NewReader("streamed")}, 8},
		{"GET a listing with a query string", http.MethodGet, "/" + bucket + "?list-type=2&prefix=notes%2F", nil, 0},
		{"GET an object", http.MethodGet, "/" + bucket + "/notes/hello.txt", nil, 0},
		{"GET in a bucket the role may not read", http.MethodGet, "/payroll/salaries.csv", nil, 0},
	}
	for _, s := range steps {
		status, body, err := call(s3Client, s.method, s.path, s.body, s.length)
		if err != nil {
			return err
		}
		p.Line("%-45s %s %s -> %d %s", s.label, s.method, s.path, status, summarize(body))
	}

	p.Step(3, "A raw Lex V2 RecognizeText call")
	lexClient := signedhttp.New(cfg, func(o *signedhttp.Options) { o.Service = "lex" }).Client()
	path := "/bots/" + botID + "/botAliases/TSTALIASID/botLocales/en_US/sessions/demo-session/text"
	status, body, err := call(lexClient, http.MethodPost, path, strings.NewReader(`{"text":"I want 12 roses"}`), 0)
	if err != nil {
		return err
	}
	p.Line("POST %s -> %d %s", path, status, summarize(body))

	p.Step(4, "A presigned URL (printed without its signature)")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, local.URL()+"/"+bucket+"/notes/hello.txt", nil)
	if err != nil {
		return err
	}
	presigned, err := signedhttp.New(cfg, func(o *signedhttp.Options) { o.Service = "s3" }).Presign(ctx, req, 15*time.Minute)
	if err != nil {
		return err
	}
	p.Line("%s", strings.Replace(presigned.String(), local.URL(), "http://127.0.0.1:PORT", 1))

	p.Step(5, "The connection check")
	p.Block(resolver.Check(ctx, conn).String())
	return nil
}

// xmlKeys finds the keys of an S3 listing, and xmlMessage the message of an
// S3 error answer, whose code signedhttp.ParseErrorCode reads.
var (
	xmlKeys    = regexp.MustCompile(`<Key>([^<]+)</Key>`)
	xmlMessage = regexp.MustCompile(`<Message>([^<]+)</Message>`)
)

// summarize shortens a response body to one line: the keys of a listing, the
// code and message of an error, or the start of anything else.
func summarize(body string) string {
	if m := xmlKeys.FindAllStringSubmatch(body, -1); m != nil {
		keys := make([]string, len(m))
		for i, k := range m {
			keys[i] = k[1]
		}
		return "keys: " + strings.Join(keys, ", ")
	}
	if code := signedhttp.ParseErrorCode([]byte(body)); code != "" {
		if m := xmlMessage.FindStringSubmatch(body); m != nil {
			return code + ": " + m[1]
		}
		return code
	}
	body = strings.Join(strings.Fields(body), " ")
	if len(body) > 140 {
		body = body[:140] + "..."
	}
	return body
}
