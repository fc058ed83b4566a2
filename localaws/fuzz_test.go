package localaws

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
