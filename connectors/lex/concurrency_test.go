package lex_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/awsconnect/awsconnect/connectors/lex"
)

// TestConnectorIsSafeForConcurrentUse holds one conversation per goroutine
// through one Connector (run with -race); each session keeps its own state.
func TestConnectorIsSafeForConcurrentUse(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			ref := lex.Ref{SessionID: fmt.Sprintf("customer-%02d", i)}
			count := fmt.Sprint(i + 1)
			for _, text := range []string{"I would like to order flowers", "roses", count} {
				if _, err := c.RecognizeText(ctx, ref, text); !assert.NoError(t, err) {
					return
				}
			}
			sess, err := c.GetSession(ctx, ref)
			if assert.NoError(t, err) {
				assert.Equal(t, count, sess.SessionState.Intent.SlotValue("Count"))
				assert.Equal(t, "Ordered "+count+" roses.", sess.Messages[0].Content)
			}
			assert.NoError(t, c.DeleteSession(ctx, ref))
		})
	}
	wg.Wait()
}
