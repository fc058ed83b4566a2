package onboarding

import (
	"errors"
	"strings"
	"testing"

	"github.com/awsconnect/awsconnect/policy"
)

// Valid policies keep a template far under both quotas (the inline quota
// bounds the policy at 10,240 characters), so the size checks are tested
// directly, at and past each limit.
func TestCheckTemplateSize(t *testing.T) {
	for _, limit := range []int{TemplateBodyQuota, TemplateURLQuota} {
		if err := checkTemplateSize("JSON", limit, limit, "the quota"); err != nil {
			t.Errorf("a template of exactly %d bytes is refused: %v", limit, err)
		}
		err := checkTemplateSize("YAML", limit+1, limit, "the quota")
		if !errors.Is(err, ErrTemplateTooLarge) || !strings.Contains(err.Error(), "YAML template is") {
			t.Errorf("a template of %d bytes: %v", limit+1, err)
		}
	}
}

func TestGeneratedTemplatesFitTheTemplateBodyQuota(t *testing.T) {
	// About the largest permissions policy New accepts (Lint holds it to the
	// 6,144 characters of a managed policy), in many short resources,
	// still gives a template under TemplateBodyQuota.
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[`)
	for i := 0; b.Len() < policy.ManagedPolicyQuota-100; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"arn:aws:s3:::b/` + strings.Repeat("k", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26)) + `"`)
	}
	b.WriteString(`]}]}`)
	perms := mustParse(t, b.String())
	k, err := New("111122223333", "awsconnect_iam_external_id_12345", "r", perms)
	if err != nil {
		t.Fatal(err)
	}
	for _, gen := range []func() ([]byte, error){k.TemplateJSON, k.TemplateYAML} {
		body, err := gen()
		if err != nil {
			t.Fatal(err)
		}
		if len(body) > TemplateBodyQuota {
			t.Fatalf("template of %d bytes", len(body))
		}
	}
}

func mustParse(t *testing.T, s string) *policy.Document {
	t.Helper()
	d, err := policy.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
