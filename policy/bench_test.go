package policy

import (
	"os"
	"testing"
)

func benchDoc(b *testing.B) (*Document, []byte) {
	b.Helper()
	data, err := os.ReadFile("testdata/least_privilege_connector.json")
	if err != nil {
		b.Fatal(err)
	}
	d, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	return d, data
}

func BenchmarkParse(b *testing.B) {
	_, data := benchDoc(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	d, _ := benchDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate measures one authorisation as the embedded AWS makes it
// for every request: the last statement matches, with a condition context.
func BenchmarkEvaluate(b *testing.B) {
	d, _ := benchDoc(b)
	r := Request{
		Action:   "s3:GetObject",
		Resource: "arn:aws:s3:::archive/2026/q1.csv",
		Context: map[string][]string{
			"aws:PrincipalArn":    {"arn:aws:sts::123456789012:assumed-role/r/s"},
			"aws:SecureTransport": {"true"},
			"aws:CurrentTime":     {"2026-11-28T13:00:00Z"},
		},
	}
	b.ReportAllocs()
	for b.Loop() {
		if d.Evaluate(r) != Allow {
			b.Fatal("not allowed")
		}
	}
}

func BenchmarkEvaluateTrust(b *testing.B) {
	d, err := TrustPolicy("111122223333", "acme_iam_external_id_12345_6789", "acme_iam_external_id_12345")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !d.Admits("arn:aws:sts::111122223333:assumed-role/platform/s", "acme_iam_external_id_12345") {
			b.Fatal("not admitted")
		}
	}
}

func BenchmarkEvaluateAll(b *testing.B) {
	d, _ := benchDoc(b)
	session := mustParse(b, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::archive/*"}}`)
	deny := mustParse(b, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}}`)
	r := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::archive/2026/q1.csv"}
	b.ReportAllocs()
	for b.Loop() {
		if EvaluateAll(r, session, d, deny) != Allow {
			b.Fatal("not allowed")
		}
	}
}

func BenchmarkLeastPrivilege(b *testing.B) {
	reqs := s3ConnectorRequirements()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LeastPrivilege(reqs...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLint(b *testing.B) {
	d, _ := benchDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		if f := Lint(d, IdentityPolicyKind); len(f) != 0 {
			b.Fatal(f)
		}
	}
}
