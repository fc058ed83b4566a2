package role

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeSTS is an stscreds.AssumeRoleAPIClient that mints credentials naming
// the role and external ID they were assumed for, so tests can prove which
// key a credential came from.
type fakeSTS struct {
	now  func() time.Time
	life time.Duration // credential lifetime; default the requested duration

	calls atomic.Int64
	mu    sync.Mutex
	input []sts.AssumeRoleInput
	fail  func(n int64, in *sts.AssumeRoleInput) error // optional; nil means succeed
	gate  chan struct{}                                // optional; each call waits for a receive... close
	enter chan struct{}                                // optional; signalled when a call starts
	yield int                                          // optional; runtime.Gosched this often inside each call, to widen races

	expiry map[string]time.Time // STS's expiry of every access key ID minted; guarded by mu
	cur    map[string]int       // calls in progress per key (role, external ID, session name); guarded by mu
	maxCur int                  // the most calls ever in progress at once for one key; guarded by mu
}

// maxConcurrent returns the most AssumeRole calls that were ever in progress
// at once for one key.
func (f *fakeSTS) maxConcurrent() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxCur
}

func (f *fakeSTS) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	n := f.calls.Add(1)
	k := aws.ToString(in.RoleArn) + "|" + aws.ToString(in.ExternalId) + "|" + aws.ToString(in.RoleSessionName)
	f.mu.Lock()
	f.input = append(f.input, *in)
	if f.cur == nil {
		f.cur = map[string]int{}
	}
	f.cur[k]++
	f.maxCur = max(f.maxCur, f.cur[k])
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.cur[k]--
		f.mu.Unlock()
	}()
	for range f.yield {
		runtime.Gosched()
	}
	if f.enter != nil {
		f.enter <- struct{}{}
	}
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.fail != nil {
		if err := f.fail(n, in); err != nil {
			return nil, err
		}
	}
	life := f.life
	if life == 0 {
		life = time.Duration(aws.ToInt32(in.DurationSeconds)) * time.Second
	}
	id := fmt.Sprintf("%s|%s|%d", aws.ToString(in.RoleArn), aws.ToString(in.ExternalId), n)
	exp := f.now().Add(life)
	f.mu.Lock()
	if f.expiry == nil {
		f.expiry = map[string]time.Time{}
	}
	f.expiry["ASIA"+id] = exp
	f.mu.Unlock()
	return &sts.AssumeRoleOutput{
		Credentials: &types.Credentials{
			AccessKeyId:     aws.String("ASIA" + id),
			SecretAccessKey: aws.String("SECRETKEY" + id),
			SessionToken:    aws.String("SESSIONTOKEN" + id),
			Expiration:      aws.Time(exp),
		},
		AssumedRoleUser: &types.AssumedRoleUser{
			Arn:           aws.String("arn:aws:sts::123456789012:assumed-role/R/" + aws.ToString(in.RoleSessionName)),
			AssumedRoleId: aws.String("AROA:" + aws.ToString(in.RoleSessionName)),
		},
	}, nil
}

// expiryOf returns the expiry STS gave the credentials with accessKeyID.
func (f *fakeSTS) expiryOf(accessKeyID string) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.expiry[accessKeyID]
}

func (f *fakeSTS) inputs() []sts.AssumeRoleInput {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sts.AssumeRoleInput(nil), f.input...)
}

// fakeClock is the tests' clock seam.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a Cache over a fakeSTS and a fakeClock.
type env struct {
	t     *testing.T
	clock *fakeClock
	sts   *fakeSTS
	cache *Cache
}

func newEnv(t *testing.T, optFns ...func(*Options)) *env {
	t.Helper()
	clock := newFakeClock()
	f := &fakeSTS{now: clock.Now}
	fns := append([]func(*Options){func(o *Options) {
		o.Now = clock.Now
		o.rand = func() float64 { return 0 }
	}}, optFns...)
	c := NewCache(f, fns...)
	t.Cleanup(func() { _ = c.Close() })
	return &env{t: t, clock: clock, sts: f, cache: c}
}

// advance moves the fake clock; every call, the hit path included, reads it.
func (e *env) advance(d time.Duration) { e.clock.add(d) }

func spec(roleARN, externalID string) Spec {
	return Spec{RoleARN: roleARN, ExternalID: externalID}
}

const (
	roleA = "arn:aws:iam::111122223333:role/ConnectorA"
	roleB = "arn:aws:iam::444455556666:role/path/ConnectorB"
	extA  = "acme_iam_external_id_1"
	extB  = "acme_iam_external_id_2"
)

// runtimeYield lets other goroutines run while a test waits for them to
// reach a state it can observe.
func runtimeYield() { runtime.Gosched() }
