package role

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// TestClockJumpForwardWhileSTSFails: credentials fetched, the clock jumps
// past their expiry, and STS now fails, permanently or transiently. No
// path may fall back to the credentials it holds: every caller gets the
// error, and none gets the expired key, however often it asks; a step back
// after the failure does not revive them either (they were dropped).
func TestClockJumpForwardWhileSTSFails(t *testing.T) {
	for name, failure := range map[string]error{
		"AccessDenied": apiError("AccessDenied", "not authorized"),
		"Throttling":   apiError("Throttling", "Rate exceeded"),
		"network":      errors.New("dial tcp: i/o timeout"),
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			s := spec(roleA, extA)
			p, err := e.cache.Provider(s)
			require.NoError(t, err)
			first, err := p.Retrieve(ctx)
			require.NoError(t, err)

			e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return failure }
			for _, jump := range []time.Duration{2 * time.Hour, time.Minute, 24 * time.Hour} {
				e.clock.add(jump)
				for range 3 {
					for how, retrieve := range map[string]func() (aws.Credentials, error){
						"Provider":      func() (aws.Credentials, error) { return p.Retrieve(ctx) },
						"Retrieve":      func() (aws.Credentials, error) { return e.cache.Retrieve(ctx, s) },
						"RetrieveFresh": func() (aws.Credentials, error) { return e.cache.RetrieveFresh(ctx, s) },
					} {
						got, err := retrieve()
						require.Error(t, err, "%s after %v", how, jump)
						require.NotEqual(t, first.AccessKeyID, got.AccessKeyID, "%s served expired credentials", how)
						require.Empty(t, got.SecretAccessKey, how)
					}
				}
			}
			// Back to the moment the credentials were still valid: they
			// were dropped, so a failing STS still gives only errors.
			e.clock.add(-(2*time.Hour + time.Minute + 24*time.Hour))
			got, err := p.Retrieve(ctx)
			if err == nil {
				require.True(t, got.Expires.After(e.clock.Now()), "credentials past their expiry")
			}
		})
	}
}
