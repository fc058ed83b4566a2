package ses_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/ses"
)

// TestConcurrentSend shares one Connector across goroutines, as its doc
// allows; run with -race.
func TestConcurrentSend(t *testing.T) {
	e, c := sesEnv(t, nil, sendPerms(t, "example.com")...)
	const n = 16
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ids[i], errs[i] = c.Send(context.Background(), ses.Email{From: "ops@example.com", To: []string{fmt.Sprintf("r%d@customer.net", i)},
				Subject: "s", Text: "t", Attachments: []ses.Attachment{{Name: "a.txt", Data: []byte("x")}}[:i%2]})
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		require.NoError(t, errs[i])
		seen[ids[i]] = true
	}
	require.Len(t, seen, n, "one message ID per message")
	require.Len(t, e.Server.SentEmails(), n)
}
