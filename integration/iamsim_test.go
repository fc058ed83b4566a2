//go:build integration

package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/policy"
)

// TestDifferentialIAMSimulate evaluates thousands of generated policies and
// requests with policy.Evaluate and with @cloud-copilot/iam-simulate, an
// independent implementation of AWS's evaluation logic, started by
// scripts/integration.d/40-iam-simulate.sh. Every disagreement must be one
// of the documented divergences (iamsim_divergences_test.go); any other
// fails the test with the case, and the seed reproduces the run:
//
//	AWSCONNECT_IT_IAMSIM_SEED=<seed> scripts/integration -run TestDifferentialIAMSimulate ./integration/
func TestDifferentialIAMSimulate(t *testing.T) {
	vals := requireEnv(t, "AWSCONNECT_IT_IAMSIM_NODE", "AWSCONNECT_IT_IAMSIM_DRIVER", "AWSCONNECT_IT_IAMSIM_NODE_PATH")
	node, driver, nodePath := vals[0], vals[1], vals[2]
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("AWSCONNECT_IT_IAMSIM_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "AWSCONNECT_IT_IAMSIM_SEED must be an unsigned integer")
	}
	n := 5000
	if s := os.Getenv("AWSCONNECT_IT_IAMSIM_CASES"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(t, err, "AWSCONNECT_IT_IAMSIM_CASES must be an integer")
	}
	t.Logf("differential seed %d, %d cases (AWSCONNECT_IT_IAMSIM_SEED=%d reproduces this run)", seed, n, seed)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, driver)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Wait() }()

	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cases := make([]diffCase, n)
	for i := range cases {
		cases[i] = genCase(r)
	}
	// Write from one goroutine, read from this one, so neither pipe fills.
	writeErr := make(chan error, 1)
	go func() {
		enc := json.NewEncoder(stdin)
		for _, c := range cases {
			if err := enc.Encode(c); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- stdin.Close()
	}()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	agree, perDivergence, decisions := 0, map[string]int{}, map[string]int{}
	var undocumented []string
	for i := 0; i < n; i++ {
		require.True(t, sc.Scan(), "the driver stopped after %d cases: %v", i, sc.Err())
		var out struct {
			Decision string `json:"decision"`
			Error    string `json:"error"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &out))
		c := cases[i]
		doc := mustParseCase(t, c)
		ours := doc.Evaluate(policy.Request{Action: c.Action, Resource: c.Resource, Context: requestContext(c.Context)})
		if out.Error != "" {
			undocumented = append(undocumented, fmt.Sprintf("case %d: iam-simulate refused it: %s\n%s", i, out.Error, caseJSON(c)))
			continue
		}
		decisions[out.Decision]++
		if ours.String() == out.Decision {
			agree++
			continue
		}
		d := classify(c, ours.String(), out.Decision)
		if d == nil {
			undocumented = append(undocumented, fmt.Sprintf("case %d: policy.Evaluate %s, iam-simulate %s\n%s", i, ours, out.Decision, caseJSON(c)))
			continue
		}
		perDivergence[d.ID]++
	}
	require.NoError(t, <-writeErr)
	t.Logf("%d cases: %d agree, documented divergences %v; iam-simulate's decisions %v", n, agree, perDivergence, decisions)
	// A generator whose cases all deny would agree without testing much.
	for _, d := range []string{"Allow", "ImplicitDeny", "ExplicitDeny"} {
		require.Greater(t, decisions[d], n/20, "fewer than 5%% of the cases are %s; the generator has drifted", d)
	}
	if len(undocumented) > 0 {
		shown := undocumented[:min(len(undocumented), 10)]
		t.Fatalf("seed %d: %d disagreements no divergence documents (first %d):\n%s", seed, len(undocumented), len(shown), joinLines(shown))
	}
	require.Greater(t, agree, n*9/10, "fewer than 90%% of the cases agree")
}

func mustParseCase(t *testing.T, c diffCase) *policy.Document {
	t.Helper()
	b, err := json.Marshal(c.Policy)
	require.NoError(t, err)
	d, err := policy.Parse(b)
	require.NoError(t, err, "%s", b)
	return d
}

func caseJSON(c diffCase) string {
	b, _ := json.Marshal(c)
	return string(b)
}

func joinLines(xs []string) string {
	out := ""
	for _, x := range xs {
		out += x + "\n"
	}
	return out
}
