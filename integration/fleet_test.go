//go:build integration

package integration

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/internal/peer"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/redisstore"
	"github.com/awsconnect/awsconnect/role"
)

// fleet is one fleet test's world: the local AWS's STS (in this process,
// counting every AssumeRole it answers), one customer role that trusts the
// platform with any fleet_ext_ external ID, a Redis, and the key ring.
type fleet struct {
	t       testing.TB
	aws     *localaws.Server
	roleARN string
	base    workerConfig
}

func newFleet(t testing.TB, redisAddr string) *fleet {
	t.Helper()
	s, err := localaws.Start()
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	trust, err := policy.Parse([]byte(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole",
		"Condition":{"StringLike":{"sts:ExternalId":"fleet_ext_*"}}}]}`, s.PlatformAccountID())))
	require.NoError(t, err)
	customer, err := s.CreateAccount("111122223333")
	require.NoError(t, err)
	roleARN, err := customer.CreateRole("FleetConnector", trust)
	require.NoError(t, err)
	creds := s.PlatformCredentials()
	return &fleet{t: t, aws: s, roleARN: roleARN, base: workerConfig{
		STSURL: s.URL(), Region: s.Config(nil).Region, AccessKey: creds.AccessKeyID, SecretKey: creds.SecretAccessKey,
		RedisAddr: redisAddr, Prefix: "fleet:" + uniqueName("") + ":",
		NameSecret: randomKey(), Keys: []workerKey{{ID: "k1", Secret: randomKey()}},
		RoleARN: roleARN, Timeout: 2 * time.Second, Cooldown: 100 * time.Millisecond,
	}}
}

func randomKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

// assumeRoleCalls counts the AssumeRole calls the STS answered.
func (f *fleet) assumeRoleCalls() int {
	n := 0
	for _, e := range f.aws.Requests() {
		if e.Operation == "AssumeRole" && e.Status == 200 {
			n++
		}
	}
	return n
}

// worker is one worker process: this test binary, re-executed with
// fleetWorkerEnv set.
type worker struct {
	cmd *exec.Cmd
	in  *json.Encoder
	out *bufio.Scanner
}

func (f *fleet) startWorkers(n int, cfg workerConfig) []*worker {
	f.t.Helper()
	raw, err := json.Marshal(cfg)
	require.NoError(f.t, err)
	ws := make([]*worker, n)
	for i := range ws {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), fleetWorkerEnv+"="+string(raw))
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		require.NoError(f.t, err)
		stdout, err := cmd.StdoutPipe()
		require.NoError(f.t, err)
		require.NoError(f.t, cmd.Start())
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		w := &worker{cmd: cmd, in: json.NewEncoder(stdin), out: sc}
		ws[i] = w
		f.t.Cleanup(func() {
			_ = stdin.Close() // EOF: the worker exits
			_ = cmd.Wait()
		})
	}
	return ws
}

// all sends cmd to every worker at once and returns their replies.
func (f *fleet) all(ws []*worker, cmd workerCommand) []workerReply {
	f.t.Helper()
	reps := make([]workerReply, len(ws))
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = w.in.Encode(cmd); errs[i] != nil {
				return
			}
			if !w.out.Scan() {
				errs[i] = fmt.Errorf("worker %d exited: %v", i, w.out.Err())
				return
			}
			errs[i] = json.Unmarshal(w.out.Bytes(), &reps[i])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(f.t, err)
	}
	return reps
}

// retrieve has every worker retrieve keys [from, to) and requires that no
// Retrieve failed and every checked credential was its key's.
func (f *fleet) retrieve(ws []*worker, from, to int) (reps []workerReply, calls int) {
	f.t.Helper()
	before := f.assumeRoleCalls()
	reps = f.all(ws, workerCommand{Op: "retrieve", From: from, To: to, Concurrency: 8, CheckEvery: 50})
	for i, r := range reps {
		require.Zero(f.t, r.Failed, "worker %d: failed Retrieves: %v", i, r.Errors)
		require.Zero(f.t, r.Mismatched, "worker %d: credentials of another key", i)
		require.Equal(f.t, to-from, r.OK, "worker %d", i)
	}
	return reps, f.assumeRoleCalls() - before
}

func redisForFleet(t *testing.T) string {
	t.Helper()
	return requireEnv(t, "AWSCONNECT_IT_REDIS_ADDR")[0]
}

// newBenchFleet is newFleet for a benchmark, which skips without Redis.
func newBenchFleet(b *testing.B) *fleet {
	b.Helper()
	return newFleet(b, peer.Require(b, howToRun, "AWSCONNECT_IT_REDIS_ADDR")[0])
}

// TestFleetOneCallPerKey: 8 worker processes retrieving the same 1,000
// keys at once through one Redis make exactly 1,000 AssumeRole calls.
func TestFleetOneCallPerKey(t *testing.T) {
	f := newFleet(t, redisForFleet(t))
	ws := f.startWorkers(8, f.base)
	reps, calls := f.retrieve(ws, 0, 1000)
	require.Equal(t, 1000, calls, "AssumeRole calls counted by the STS")
	var refreshes, storeHits uint64
	for _, r := range reps {
		refreshes += r.Stats.Refreshes
		storeHits += r.Stats.StoreHits
		require.Zero(t, r.Stats.LeaseTimeouts)
	}
	require.EqualValues(t, 1000, refreshes)
	require.EqualValues(t, 7000, storeHits)
	// A restarted worker starts with the fleet's credentials.
	_, calls = f.retrieve(f.startWorkers(1, f.base), 0, 1000)
	require.Zero(t, calls)
}

// TestFleetMovedValueRefused: a value copied under another key's name in
// Redis is not served; the worker assumes the key's own role session.
func TestFleetMovedValueRefused(t *testing.T) {
	addr := redisForFleet(t)
	f := newFleet(t, addr)
	_, calls := f.retrieve(f.startWorkers(1, f.base), 0, 2)
	require.Equal(t, 2, calls)

	// The parent builds the same store to find the names.
	rc := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
	defer rc.Close()
	ring, err := redisstore.NewKeyRing(f.base.NameSecret, redisstore.Key{ID: "k1", Secret: f.base.Keys[0].Secret})
	require.NoError(t, err)
	st, err := redisstore.New(rc, ring, func(o *redisstore.Options) { o.Prefix = f.base.Prefix })
	require.NoError(t, err)
	namer := role.NewCache(nil)
	defer namer.Close()
	k0, err := namer.StoreKey(fleetSpec(f.roleARN, 0))
	require.NoError(t, err)
	k1, err := namer.StoreKey(fleetSpec(f.roleARN, 1))
	require.NoError(t, err)
	ctx := context.Background()
	raw, err := rc.Get(ctx, st.ValueName(k0)).Bytes()
	require.NoError(t, err)
	require.NoError(t, rc.Set(ctx, st.ValueName(k1), raw, time.Hour).Err())

	w := f.startWorkers(1, f.base)
	reps := f.all(w, workerCommand{Op: "retrieve", From: 1, To: 2, CheckEvery: 1})
	require.Equal(t, 1, reps[0].OK, "key 1 got its own credentials: %+v", reps[0])
	require.Equal(t, 3, f.assumeRoleCalls(), "the moved value was refused and key 1 assumed again")
	require.Zero(t, reps[0].Stats.StoreHits)
}

// TestFleetRedisKilled: Redis dies mid-run: no Retrieve fails and the
// workers call STS themselves; Redis comes back: the store is used again.
func TestFleetRedisKilled(t *testing.T) {
	redisForFleet(t)
	srv := startOwnRedis(t)
	f := newFleet(t, srv.addr())
	ws := f.startWorkers(2, f.base)
	_, calls := f.retrieve(ws, 0, 100)
	require.Equal(t, 100, calls)

	srv.kill()
	reps, calls := f.retrieve(ws, 100, 200)
	require.GreaterOrEqual(t, calls, 100, "STS calls resume with Redis gone")
	require.LessOrEqual(t, calls, 200, "at most one per key per worker")
	for _, r := range reps {
		require.Positive(t, r.Stats.StoreErrors)
	}

	srv.start()
	for i, r := range f.all(ws, workerCommand{Op: "probe"}) {
		require.True(t, r.Available, "worker %d never saw Redis back", i)
	}
	_, calls = f.retrieve(ws, 200, 300)
	require.Equal(t, 100, calls, "with Redis back, one call per key again")
}

// TestFleetKeyRotation: entries written under the old key are read after
// the key rotates; once the old key is dropped they are misses (never
// failures) and are rewritten under the new key.
func TestFleetKeyRotation(t *testing.T) {
	f := newFleet(t, redisForFleet(t))
	old := f.base.Keys[0]
	next := workerKey{ID: "k2", Secret: randomKey()}
	_, calls := f.retrieve(f.startWorkers(1, f.base), 0, 100)
	require.Equal(t, 100, calls)

	rotated := f.base
	rotated.Keys = []workerKey{next, old}
	reps, calls := f.retrieve(f.startWorkers(2, rotated), 0, 100)
	require.Zero(t, calls, "the rotated ring reads entries under the old key")
	require.EqualValues(t, 100, reps[0].Stats.StoreHits)

	dropped := f.base
	dropped.Keys = []workerKey{next}
	_, calls = f.retrieve(f.startWorkers(1, dropped), 0, 100)
	require.Equal(t, 100, calls, "old-key entries are misses once the old key is gone")
	_, calls = f.retrieve(f.startWorkers(1, dropped), 0, 100)
	require.Zero(t, calls, "they were rewritten under the new key")
}

// ownRedis is a redis-server of the test's own, on a fixed port so it can
// be killed and started again at the same address.
type ownRedis struct {
	t    *testing.T
	bin  string
	port int
	cmd  *exec.Cmd
}

func startOwnRedis(t *testing.T) *ownRedis {
	t.Helper()
	bin := requireEnv(t, "AWSCONNECT_IT_REDIS_SERVER")[0]
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	r := &ownRedis{t: t, bin: bin, port: port}
	t.Cleanup(r.kill)
	r.start()
	return r
}

func (r *ownRedis) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *ownRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command(r.bin, "--bind", "127.0.0.1", "--port", fmt.Sprint(r.port),
		"--save", "", "--appendonly", "no", "--dir", r.t.TempDir())
	require.NoError(r.t, r.cmd.Start())
	c := redis.NewClient(&redis.Options{Addr: r.addr(), MaxRetries: -1})
	defer c.Close()
	for i := 0; ; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		require.Less(r.t, i, 200, "redis-server on %s did not answer: %v", r.addr(), err)
		time.Sleep(25 * time.Millisecond) // readiness poll, not a timing assertion
	}
}

func (r *ownRedis) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Signal(syscall.SIGKILL)
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}
