package localaws

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/awsconnect/awsconnect/policy"
)

// FuzzParseAssumeRole: any query either validates into a complete input or
// is refused with a 400 that names what is wrong.
func FuzzParseAssumeRole(f *testing.F) {
	f.Add("RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fr&RoleSessionName=s1&ExternalId=abc&DurationSeconds=900")
	f.Add("RoleArn=x&RoleSessionName=&Tags.member.1.Key=k&Tags.member.1.Value=v&PolicyArns.member.1.arn=a")
	f.Add("RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fr&RoleSessionName=ss&DurationSeconds=99999999999999999999")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		in, aerr := parseAssumeRole(q)
		if aerr != nil {
			if aerr.status != http.StatusBadRequest || aerr.message == "" {
				t.Fatalf("refusal %+v is not a 400 with a message", aerr)
			}
			return
		}
		if !strings.HasPrefix(in.roleARN, "arn:") || !sessionNamePattern.MatchString(in.sessionName) ||
			(in.duration != 0 && (in.duration < minSessionDuration || in.duration > maxMaxSessionDuration)) {
			t.Fatalf("accepted an invalid AssumeRole input %+v from %q", in, query)
		}
	})
}

// FuzzClassifyS3: every method and URL gets an operation name, and an IAM
// action whenever it is served.
func FuzzClassifyS3(f *testing.F) {
	for _, s := range []string{"GET /", "PUT /b", "GET /b/k?uploadId=1", "POST /b?delete", "GET /b/k?acl", "PATCH /b/k"} {
		method, target, _ := strings.Cut(s, " ")
		f.Add(method, target, false)
	}
	f.Fuzz(func(t *testing.T, method, target string, copySource bool) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		r := &http.Request{Method: method, URL: u, Header: http.Header{}}
		if copySource {
			r.Header.Set("X-Amz-Copy-Source", "/b/k")
		}
		req, ok := classifyS3(r)
		if req.op == "" || (ok && !strings.HasPrefix(req.action, "s3:")) || (!ok && req.action != "") {
			t.Fatalf("%s %s classified as %+v (served %v)", method, target, req, ok)
		}
	})
}

// FuzzIAMOperation: any IAM request body is answered with a result or one
// of IAM's errors, in XML, and never leaves a role whose documents break
// IAM's rules.
func FuzzIAMOperation(f *testing.F) {
	trust := url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}`)
	perms := url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	for _, q := range []string{
		"Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=" + trust + "&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Action=CreateRole&RoleName=r&Path=%2Fa%2F&MaxSessionDuration=7200&AssumeRolePolicyDocument=" + trust,
		"Action=PutRolePolicy&RoleName=r&PolicyName=p&PolicyDocument=" + perms,
		"Action=CreatePolicy&PolicyName=p&PolicyDocument=" + perms,
		"Action=AttachRolePolicy&RoleName=r&PolicyArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Apolicy%2Fp",
		"Action=ListRolePolicies&RoleName=r&MaxItems=1&Marker=a",
		"Action=TagRole&RoleName=r&Tags.member.1.Key=aws%3Ax&Tags.member.1.Value=v",
		"Action=UntagRole&RoleName=r&TagKeys.member.1=k",
		"Action=GetPolicyVersion&PolicyArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Apolicy%2Fp&VersionId=v2",
		"Action=DeleteRole&RoleName=r",
	} {
		f.Add(q)
	}
	s, err := Start()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = s.Close() })
	a, err := s.CreateAccount(customerAccount)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := a.CreateUser("admin"); err != nil {
		f.Fatal(err)
	}
	all, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`))
	if err := a.PutUserPolicy("admin", "all", all); err != nil {
		f.Fatal(err)
	}
	key, err := a.CreateAccessKey("admin")
	if err != nil {
		f.Fatal(err)
	}
	s.mu.Lock()
	caller := s.keys[key.AccessKeyID].caller()
	s.mu.Unlock()
	h := s.routes["iam"].handler
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		c := &call{server: s, service: "iam", protocol: protocolQuery, caller: caller, region: "us-east-1",
			body: []byte(body), entry: &LogEntry{}, requestID: "fuzz"}
		c.operation = h.operation(r, c.body)
		w := httptest.NewRecorder()
		h.serve(w, r, c)
		var doc struct {
			XMLName xml.Name
			Error   struct{ Code string }
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatalf("%q: answer is not XML: %v\n%s", body, err, w.Body.String())
		}
		switch {
		case w.Code == http.StatusOK && doc.XMLName.Local != c.operation+"Response":
			t.Fatalf("%q: 200 with %s", body, doc.XMLName.Local)
		case w.Code != http.StatusOK && (doc.XMLName.Local != "ErrorResponse" || doc.Error.Code == ""):
			t.Fatalf("%q: %d without an error code:\n%s", body, w.Code, w.Body.String())
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, r := range a.roles {
			inline := 0
			for _, d := range r.policies {
				inline += d.size()
			}
			if r.trust.size() > policy.TrustPolicyQuota || inline > maxRoleInlinePolicies || len(r.attached) > maxManagedPerRole ||
				len(r.tags) > maxTags || iamName("roleName", r.name) != nil || iamPath(r.path) != nil {
				t.Fatalf("%q left role %q breaking IAM's rules", body, r.name)
			}
		}
	})
}
