//go:build integration

package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/redis/go-redis/v9"

	"github.com/awsconnect/awsconnect/redisstore"
	"github.com/awsconnect/awsconnect/role"
)

// fleetWorkerEnv, when set to a workerConfig in JSON, makes the test binary
// a fleet worker (see TestMain): a separate process with its own role.Cache
// and redisstore.Store, driven by JSON commands on stdin.
const fleetWorkerEnv = "AWSCONNECT_IT_FLEET_WORKER"

// workerConfig is everything a worker process needs; the parent test owns
// the localaws STS and the Redis.
type workerConfig struct {
	STSURL, Region, AccessKey, SecretKey string
	RedisAddr, Prefix                    string
	NameSecret                           []byte
	Keys                                 []workerKey // current first
	RoleARN                              string
	// Timeout is each Redis call's bound, and the cache's StoreTimeout.
	Timeout time.Duration
	// Cooldown is the breaker's.
	Cooldown time.Duration
}

type workerKey struct {
	ID     string
	Secret []byte
}

// workerCommand is one instruction: retrieve keys [From, To), proving the
// identity of every CheckEvery-th; or probe until the store answers; or
// report stats.
type workerCommand struct {
	Op          string `json:"op"`
	From        int    `json:"from"`
	To          int    `json:"to"`
	Concurrency int    `json:"concurrency"`
	CheckEvery  int    `json:"check_every"`
}

type workerReply struct {
	OK         int        `json:"ok"`
	Failed     int        `json:"failed"`
	Mismatched int        `json:"mismatched"`
	Errors     []string   `json:"errors"`
	Available  bool       `json:"available"`
	Stats      role.Stats `json:"stats"`
}

// fleetSpec is key i of the fleet tests: its own external ID and session
// name, so a credential proves (through GetCallerIdentity) which key it
// was assumed for.
func fleetSpec(roleARN string, i int) role.Spec {
	return role.Spec{RoleARN: roleARN, ExternalID: fmt.Sprintf("fleet_ext_%05d", i), SessionName: fmt.Sprintf("fleet-%05d", i)}
}

// runFleetWorker is the worker process's main.
func runFleetWorker(raw string) int {
	var cfg workerConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "fleet worker: bad config:", err)
		return 2
	}
	httpc := &http.Client{Timeout: time.Minute}
	awsCfg := aws.Config{
		Region:       cfg.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, ""),
		BaseEndpoint: aws.String(cfg.STSURL),
		HTTPClient:   httpc,
	}
	keys := make([]redisstore.Key, len(cfg.Keys))
	for i, k := range cfg.Keys {
		keys[i] = redisstore.Key{ID: k.ID, Secret: k.Secret}
	}
	ring, err := redisstore.NewKeyRing(cfg.NameSecret, keys[0], keys[1:]...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet worker:", err)
		return 2
	}
	rc := redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, ContextTimeoutEnabled: true, MaxRetries: -1, DialTimeout: cfg.Timeout})
	defer rc.Close()
	store, err := redisstore.New(rc, ring, func(o *redisstore.Options) {
		o.Prefix = cfg.Prefix
		o.Timeout = cfg.Timeout
		o.BreakerCooldown = cfg.Cooldown
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet worker:", err)
		return 2
	}
	stsClient := sts.NewFromConfig(awsCfg)
	cache := role.NewCache(stsClient, func(o *role.Options) {
		o.Store = store
		o.StoreTimeout = cfg.Timeout
		o.StoreLeaseWait = 20 * time.Second
		o.RefreshTimeout = time.Minute
	})
	defer cache.Close()

	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var cmd workerCommand
		if err := json.Unmarshal(in.Bytes(), &cmd); err != nil {
			fmt.Fprintln(os.Stderr, "fleet worker: bad command:", err)
			return 2
		}
		var rep workerReply
		switch cmd.Op {
		case "retrieve":
			rep = retrieveRange(cache, awsCfg, cfg.RoleARN, cmd)
		case "probe":
			// Wait until the store answers again (a readiness poll, not a
			// timing assertion): the breaker lets a probe through every
			// Cooldown.
			k, _ := cache.StoreKey(fleetSpec(cfg.RoleARN, -1))
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(cfg.Cooldown / 2) {
				if _, _, err := store.Get(context.Background(), k); err == nil {
					rep.Available = true
					break
				}
			}
		case "stats":
		default:
			fmt.Fprintln(os.Stderr, "fleet worker: unknown op", cmd.Op)
			return 2
		}
		rep.Stats = cache.Stats()
		if err := out.Encode(rep); err != nil {
			return 2
		}
	}
	return 0
}

// retrieveRange retrieves keys [From, To) with Concurrency goroutines and
// proves every CheckEvery-th credential belongs to its key.
func retrieveRange(cache *role.Cache, awsCfg aws.Config, roleARN string, cmd workerCommand) workerReply {
	var (
		mu  sync.Mutex
		rep workerReply
		wg  sync.WaitGroup
	)
	next := make(chan int)
	for range max(cmd.Concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				spec := fleetSpec(roleARN, i)
				creds, err := cache.Retrieve(context.Background(), spec)
				mismatch := false
				if err == nil && cmd.CheckEvery > 0 && i%cmd.CheckEvery == 0 {
					cfg := awsCfg.Copy()
					cfg.Credentials = credentials.StaticCredentialsProvider{Value: creds}
					id, ierr := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
					if ierr != nil {
						err = fmt.Errorf("GetCallerIdentity with key %d's credentials: %w", i, ierr)
					} else if !strings.HasSuffix(aws.ToString(id.Arn), "/"+spec.SessionName) {
						mismatch = true
					}
				}
				mu.Lock()
				switch {
				case err != nil:
					rep.Failed++
					if len(rep.Errors) < 5 {
						rep.Errors = append(rep.Errors, err.Error())
					}
				case mismatch:
					rep.Mismatched++
				default:
					rep.OK++
				}
				mu.Unlock()
			}
		}()
	}
	for i := cmd.From; i < cmd.To; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return rep
}
