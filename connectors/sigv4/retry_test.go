package sigv4

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
)

// tokenRetryer records what the transport tells the retry-quota tokens it
// takes: nil refunds the retry's cost (it succeeded), an error keeps it.
type tokenRetryer struct {
	aws.Retryer
	mu       sync.Mutex // guards released
	released []error
}

func (r *tokenRetryer) GetRetryToken(ctx context.Context, err error) (func(error) error, error) {
	release, tokErr := r.Retryer.GetRetryToken(ctx, err)
	if tokErr != nil {
		return nil, tokErr
	}
	return func(err error) error {
		r.mu.Lock()
		r.released = append(r.released, err)
		r.mu.Unlock()
		return release(err)
	}, nil
}

// TestRetryTokensAreKeptForFailures: each retry's token is settled by the
// attempt it paid for, with that attempt's failure, or nil (a refund) when
// it succeeded, so that a service that keeps failing drains the retry
// quota as the SDK's own retries would.
func TestRetryTokensAreKeptForFailures(t *testing.T) {
	tests := []struct {
		name   string
		status func(n int) int
		failed bool
	}{
		{"every attempt fails", func(int) int { return http.StatusServiceUnavailable }, true},
		{"the last attempt succeeds", func(n int) int {
			if n < 3 {
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{respond: func(n int, w http.ResponseWriter) { w.WriteHeader(tt.status(n)) }}
			srv := newServer(t, rec)
			retryer := &tokenRetryer{Retryer: testRetryer()}
			tr := newTestTransport(srv, &countingProvider{}, func(o *Options) { o.Service, o.Region, o.Retryer = "lex", "us-east-1", retryer })
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
			require.NoError(t, err)
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			discard(resp)
			require.Len(t, rec.all(), 3)
			require.Len(t, retryer.released, 2, "two retries, each token settled once")
			require.Error(t, retryer.released[0], "attempt 2 failed")
			if tt.failed {
				require.Error(t, retryer.released[1])
			} else {
				require.NoError(t, retryer.released[1])
			}
		})
	}
}
