package onboarding_test

import (
	"testing"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

// BenchmarkKit measures building a kit and every artifact of it, against
// the yardstick of generating its two policies alone.
func BenchmarkKit(b *testing.B) {
	reqs := quickstartRequirements()
	b.Run("policies only (yardstick)", func(b *testing.B) {
		for b.Loop() {
			if _, err := policy.TrustPolicy(platformAccount, externalID); err != nil {
				b.Fatal(err)
			}
			if _, err := policy.LeastPrivilege(reqs...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("New", func(b *testing.B) {
		for b.Loop() {
			if _, err := onboarding.NewFromRequirements(platformAccount, externalID, roleName, reqs); err != nil {
				b.Fatal(err)
			}
		}
	})
	k := quickstartKit(b)
	for name, gen := range map[string]func() ([]byte, error){
		"TemplateJSON": k.TemplateJSON, "TemplateYAML": k.TemplateYAML, "Terraform": k.Terraform, "CLIScript": k.CLIScript,
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := gen(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("QuickCreateURL", func(b *testing.B) {
		for b.Loop() {
			if _, err := k.QuickCreateURL("https://acme.s3.us-east-1.amazonaws.com/role.json"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
