package connectors

import (
	"context"
	"testing"

	"github.com/awsconnect/awsconnect/scope"
)

// BenchmarkResolverConfig resolves the aws.Config of a connection whose role
// credentials are already cached, and retrieves them, as a connector's first
// call does.
func BenchmarkResolverConfig(b *testing.B) {
	f := &fakeSTS{want: map[string]bool{projectExt: true}}
	r, _ := newTestResolver(b, f, testRegistry(nil), scope.ProjectMode)
	c := roleConn()
	ctx := context.Background()
	cfg, err := r.Config(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		cfg, err := r.Config(ctx, c)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if n := len(f.snapshot()); n != 1 {
		b.Fatalf("%d AssumeRole calls, want 1", n)
	}
}
