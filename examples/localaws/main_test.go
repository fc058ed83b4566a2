package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain runs the program itself when asked to (the signal test starts
// this binary as the server), and the tests otherwise.
func TestMain(m *testing.M) {
	if os.Getenv("LOCALAWS_EXAMPLE_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

const seed = `{"accounts": [{"id": "444455556666",
  "users": [{"name": "admin", "access_keys": [{"access_key_id": "AKIASEEDEDADMIN00001", "secret_access_key": "seeded-secret-0123456789"}]},
            {"name": "ci"}]}]}`

// readEnv reads the program's output up to the last export line and
// returns the environment it printed.
func readEnv(t *testing.T, out *bufio.Reader) map[string]string {
	t.Helper()
	env := map[string]string{}
	for {
		line, err := out.ReadString('\n')
		require.NoError(t, err, "the program stopped before printing its environment")
		kv, ok := strings.CutPrefix(strings.TrimSpace(line), "export ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		env[k] = strings.Trim(v, "'")
		if k == "AWS_DEFAULT_REGION" {
			return env
		}
	}
}

// clientConfig is what an SDK client configured from env gets.
func clientConfig(env map[string]string) aws.Config {
	return aws.Config{
		Region:       env["AWS_REGION"],
		BaseEndpoint: aws.String(env["AWS_ENDPOINT_URL"]),
		Credentials:  credentials.NewStaticCredentialsProvider(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], ""),
	}
}

// serve runs the program in-process with args and returns its printed
// environment and a function that stops it and returns its output.
func serve(t *testing.T, args ...string) (map[string]string, func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, io.Discard)
		_ = pw.CloseWithError(io.EOF)
		done <- err
	}()
	out := bufio.NewReader(pr)
	env := readEnv(t, out)
	return env, func() string {
		cancel()
		rest, _ := io.ReadAll(out)
		require.NoError(t, <-done)
		return string(rest)
	}
}

// TestServe: the program serves the seeded local AWS and prints (and
// writes) the environment a client needs; the printed key works.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	seedFile, envFile := filepath.Join(dir, "seed.json"), filepath.Join(dir, "localaws.env")
	require.NoError(t, os.WriteFile(seedFile, []byte(seed), 0o600))

	for _, tc := range []struct{ user, arn string }{
		{"", "arn:aws:iam::111122223333:user/platform"},
		{"444455556666/admin", "arn:aws:iam::444455556666:user/admin"},
		{"444455556666/ci", "arn:aws:iam::444455556666:user/ci"},
	} {
		t.Run("user "+tc.user, func(t *testing.T) {
			args := []string{"-addr", "127.0.0.1:0", "-seed", seedFile, "-env-file", envFile, "-region", "eu-west-1"}
			if tc.user != "" {
				args = append(args, "-user", tc.user)
			}
			env, stop := serve(t, args...)
			require.Regexp(t, `^http://127\.0\.0\.1:\d+$`, env["AWS_ENDPOINT_URL"])
			require.Equal(t, "eu-west-1", env["AWS_REGION"])
			if tc.user == "444455556666/admin" {
				require.Equal(t, "AKIASEEDEDADMIN00001", env["AWS_ACCESS_KEY_ID"], "a seeded user's seeded key")
			}
			written, err := os.ReadFile(envFile)
			require.NoError(t, err)
			require.Contains(t, string(written), "export AWS_SECRET_ACCESS_KEY='"+env["AWS_SECRET_ACCESS_KEY"]+"'\n")
			info, err := os.Stat(envFile)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the env file holds a secret")

			id, err := sts.NewFromConfig(clientConfig(env)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
			require.NoError(t, err)
			require.Equal(t, tc.arn, *id.Arn)
			require.Contains(t, stop(), "localaws: stopped")
		})
	}
}

// TestBadInput: a malformed seed file or command line stops the program
// before it listens, saying what is wrong and where.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	seedFile, envFile := filepath.Join(dir, "seed.json"), filepath.Join(dir, "localaws.env")
	require.NoError(t, os.WriteFile(seedFile, []byte("{\"accounts\": [\n  {\"id\": \"444455556666\", \"user\": []}]}"), 0o600))
	for _, tc := range []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"-seed", seedFile}, seedFile + `:2:26: accounts[0]: unknown field "user"`, false},
		{[]string{"-seed", filepath.Join(dir, "missing.json")}, "read the seed file", false},
		{[]string{"-user", "admin"}, `-user "admin" must be ACCOUNT/USER`, true},
		{[]string{"-user", "999999999999/admin"}, "no account 999999999999", true},
		{[]string{"-user", "111122223333/nobody"}, `no user "nobody"`, true},
		{[]string{"-platform-account", "1"}, "must be 12 digits", false},
		{[]string{"extra"}, `unexpected argument "extra"`, true},
		{[]string{"-nosuchflag"}, "flag provided but not defined", true},
	} {
		args := append([]string{"-addr", "127.0.0.1:0", "-env-file", envFile}, tc.args...)
		err := run(t.Context(), args, io.Discard, io.Discard)
		require.ErrorContains(t, err, tc.want, tc.args)
		require.Equal(t, tc.usage, errors.As(err, new(usageError)), tc.args)
		_, statErr := os.Stat(envFile)
		require.ErrorIs(t, statErr, os.ErrNotExist, "nothing was served, so no environment was written")
	}
}

// TestSignal: the program stops cleanly on SIGTERM and SIGINT, exiting 0.
func TestSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0")
			cmd.Env = append(os.Environ(), "LOCALAWS_EXAMPLE_RUN_MAIN=1")
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			out := bufio.NewReader(stdout)
			env := readEnv(t, out)
			_, err = sts.NewFromConfig(clientConfig(env)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
			require.NoError(t, err)

			require.NoError(t, cmd.Process.Signal(sig))
			rest, err := io.ReadAll(out)
			require.NoError(t, err)
			require.NoError(t, cmd.Wait(), "exit status 0")
			require.Contains(t, string(rest), "localaws: stopped")
		})
	}
}
