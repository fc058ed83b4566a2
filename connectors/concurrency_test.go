package connectors

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

// TestResolverIsSafeForConcurrentUse resolves, checks and retrieves the
// credentials of connections of several projects from many goroutines at
// once (run with -race): each goroutine gets the credentials of its own
// external ID, and each ID is assumed once besides the fresh call of each
// check.
func TestResolverIsSafeForConcurrentUse(t *testing.T) {
	const projects, perProject = 4, 8
	want := map[string]bool{}
	for p := range projects {
		want[fmt.Sprintf("acme_iam_external_id_12345_%d", p)] = true
	}
	f := &fakeSTS{want: want}
	r, _ := newTestResolver(t, f, testRegistry(nil), scope.ProjectMode)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, projects*perProject)
	for i := range projects * perProject {
		wg.Go(func() {
			c := roleConn()
			c.ProjectID = fmt.Sprint(i % projects)
			wantKey := "ASIATEMPacme_iam_external_id_12345_" + c.ProjectID
			if i%perProject == 0 {
				if rep := r.Check(ctx, c); rep.Status() != Passed {
					errs <- fmt.Errorf("check of project %s: %s", c.ProjectID, rep)
				}
			}
			cfg, err := r.Config(ctx, c)
			if err != nil {
				errs <- err
				return
			}
			creds, err := cfg.Credentials.Retrieve(ctx)
			if err != nil {
				errs <- err
				return
			}
			if creds.AccessKeyID != wantKey {
				errs <- fmt.Errorf("project %s got the credentials %s", c.ProjectID, creds.AccessKeyID)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assumed := map[string]int{}
	for _, c := range f.snapshot() {
		if c.ExternalId != nil {
			assumed[aws.ToString(c.ExternalId)]++
		}
	}
	require.Len(t, assumed, projects)
	// Check proves the role with a fresh call (role.Cache.RetrieveFresh);
	// everything else shares one cached call per ID.
	checks := map[string]int{}
	for i := range projects * perProject {
		if i%perProject == 0 {
			checks[fmt.Sprintf("acme_iam_external_id_12345_%d", i%projects)]++
		}
	}
	for id, n := range assumed {
		require.LessOrEqual(t, n, 1+checks[id], "external ID %s assumed more than once besides its checks", id)
	}
}

// TestRegistryIsSafeForConcurrentUse registers kinds while others look
// them up, list them and validate connections against them.
func TestRegistryIsSafeForConcurrentUse(t *testing.T) {
	reg := testRegistry(nil)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			k, _ := reg.Lookup("test")
			k.Name = fmt.Sprintf("kind-%d", i)
			assert.NoError(t, reg.Register(k))
		})
		wg.Go(func() {
			_ = reg.Kinds()
			assert.NoError(t, roleConn().validate(reg))
		})
	}
	wg.Wait()
	require.Len(t, reg.Kinds(), 17)
}
