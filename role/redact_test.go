package role

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// requireRedacted formats v every way a secret could leak and checks that no
// secret access key or session token minted by fakeSTS appears.
func requireRedacted(t *testing.T, v any) {
	t.Helper()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	logger.Info("value", "v", v)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("value", "v", v)
	outputs := []string{
		fmt.Sprint(v), fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v),
		fmt.Sprintf("%s", v), logs.String(),
	}
	if s, ok := v.(fmt.Stringer); ok {
		outputs = append(outputs, s.String())
	}
	if s, ok := v.(fmt.GoStringer); ok {
		outputs = append(outputs, s.GoString())
	}
	if err, ok := v.(error); ok {
		outputs = append(outputs, err.Error(), fmt.Errorf("wrapped: %w", err).Error())
	}
	for _, out := range outputs {
		require.NotContains(t, out, "SECRETKEY")
		require.NotContains(t, out, "SESSIONTOKEN")
	}
}

func TestRedaction(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	s := spec(roleA, extA)
	p, err := e.cache.Provider(s)
	require.NoError(t, err)
	creds, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	require.Contains(t, creds.SecretAccessKey, "SECRETKEY", "the fake mints recognisable secrets")

	// A failure after credentials are cached, so the error path runs with
	// secrets in memory.
	e.sts.fail = func(int64, *sts.AssumeRoleInput) error { return apiError("AccessDenied", "denied") }
	e.advance(2 * time.Hour)
	_, err = p.Retrieve(context.Background())
	require.Error(t, err)

	for name, v := range map[string]any{
		"Cache":           e.cache,
		"Provider":        p,
		"Stats":           e.cache.Stats(),
		"AssumeRoleError": err,
		"Spec":            s,
		"RoleARN":         must(ParseRoleARN(roleA)),
		"Reason":          ReasonTrustPolicy,
		"Options":         e.cache.opts,
	} {
		t.Run(name, func(t *testing.T) { requireRedacted(t, v) })
	}
	require.Contains(t, logs.String(), `"role_arn":"`+roleA+`"`)
	require.Contains(t, logs.String(), `"external_id":"`+extA+`"`)
	require.Contains(t, logs.String(), `"level":"WARN"`)
	require.NotContains(t, logs.String(), "SECRETKEY")
	require.NotContains(t, logs.String(), "SESSIONTOKEN")
	require.Contains(t, fmt.Sprint(p), roleA)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
