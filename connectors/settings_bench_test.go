package connectors

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/scope"
)

// BenchmarkSettingsPrincipal measures the settings screen's principal once
// discovered (a lock and a copy) against the configured one (no lock), the
// yardstick.
func BenchmarkSettingsPrincipal(b *testing.B) {
	r := NewResolver(aws.Config{}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil)
	discovered := NewSettings(r, func(o *SettingsOptions) { o.STS = staticIdentity{} })
	configured := NewSettings(NewResolver(aws.Config{}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil,
		func(o *Options) { o.PlatformAccountID = testPlatform }))
	ctx := context.Background()
	for _, bb := range []struct {
		name string
		s    *Settings
	}{{"discovered", discovered}, {"configured", configured}} {
		b.Run(bb.name, func(b *testing.B) {
			if _, err := bb.s.Principal(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bb.s.Principal(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type staticIdentity struct{}

func (staticIdentity) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String(testPlatform), Arn: aws.String("arn:aws:iam::" + testPlatform + ":user/platform")}, nil
}
