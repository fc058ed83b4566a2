package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/localaws"
)

// defaultAddr is where the server listens without -addr: the port other
// local AWS emulators use, so existing client configuration works.
const defaultAddr = "127.0.0.1:4566"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "localaws:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// usageError is a bad command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// config is the parsed command line.
type config struct {
	addr, seed, region, platformAccount, user, envFile string
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("localaws", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", defaultAddr, "`host:port` to listen on; port 0 picks a free one")
	fs.StringVar(&c.seed, "seed", "", "JSON `file` of accounts, users with keys, roles and resources to create first")
	fs.StringVar(&c.region, "region", "us-east-1", "the `region` printed for clients and used for seeded resources")
	fs.StringVar(&c.platformAccount, "platform-account", localaws.DefaultPlatformAccountID, "the platform's 12-digit account `ID`")
	fs.StringVar(&c.user, "user", "", "whose credentials to print, `ACCOUNT/USER`; default the platform user")
	fs.StringVar(&c.envFile, "env-file", "", "also write the client environment to `file` once listening")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Sprintf("unexpected argument %q; every setting is a flag (-h lists them)", fs.Arg(0))}
	}
	return c, nil
}

// run serves until ctx ends, then stops the server.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	s, env, err := start(c)
	if err != nil {
		return err
	}
	if c.envFile != "" {
		if err := writeEnvFile(c.envFile, env); err != nil {
			_ = s.Close()
			return err
		}
	}
	fmt.Fprintf(stdout, "localaws: serving on %s (SIGINT or SIGTERM stops it)\n", s.URL())
	for _, kv := range env {
		fmt.Fprintln(stdout, "export "+kv)
	}
	<-ctx.Done()
	if err := s.Close(); err != nil {
		return fmt.Errorf("localaws: stop: %w", err)
	}
	fmt.Fprintln(stdout, "localaws: stopped")
	return nil
}

// start starts the seeded server and returns the client environment.
func start(c config) (*localaws.Server, []string, error) {
	var seed *localaws.Seed
	if c.seed != "" {
		var err error
		if seed, err = localaws.LoadSeed(c.seed); err != nil {
			return nil, nil, err
		}
	}
	s, err := localaws.Start(func(o *localaws.Options) {
		o.Addr, o.Region, o.PlatformAccountID, o.Seed = c.addr, c.region, c.platformAccount, seed
	})
	if err != nil {
		return nil, nil, err
	}
	creds, err := credentialsFor(s, seed, c.user)
	if err != nil {
		_ = s.Close()
		return nil, nil, err
	}
	return s, []string{
		"AWS_ENDPOINT_URL=" + shellQuote(s.URL()),
		"AWS_ACCESS_KEY_ID=" + shellQuote(creds.AccessKeyID),
		"AWS_SECRET_ACCESS_KEY=" + shellQuote(creds.SecretAccessKey),
		"AWS_REGION=" + shellQuote(c.region),
		"AWS_DEFAULT_REGION=" + shellQuote(c.region),
	}, nil
}

// credentialsFor picks the key to print: the platform user's unless user
// names another, a seeded key when the seed has one for that user, else a
// new key.
func credentialsFor(s *localaws.Server, seed *localaws.Seed, user string) (aws.Credentials, error) {
	accountID, name := s.PlatformAccountID(), localaws.PlatformUserName
	if user != "" {
		var ok bool
		accountID, name, ok = strings.Cut(user, "/")
		if !ok || accountID == "" || name == "" {
			return aws.Credentials{}, usageError{fmt.Sprintf("-user %q must be ACCOUNT/USER, e.g. 444455556666/admin", user)}
		}
	}
	if seed != nil {
		for _, a := range seed.Accounts {
			for _, u := range a.Users {
				if a.ID == accountID && u.Name == name && len(u.AccessKeys) > 0 {
					k := u.AccessKeys[0]
					return aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}, nil
				}
			}
		}
	}
	if accountID == s.PlatformAccountID() && name == localaws.PlatformUserName {
		return s.PlatformCredentials(), nil
	}
	a, ok := s.Account(accountID)
	if !ok {
		return aws.Credentials{}, usageError{fmt.Sprintf("-user %q: no account %s; add it to the seed file", user, accountID)}
	}
	creds, err := a.CreateAccessKey(name)
	if err != nil {
		return aws.Credentials{}, usageError{fmt.Sprintf("-user %q: %v", user, err)}
	}
	return creds, nil
}

// writeEnvFile writes the export lines atomically (a temporary file
// renamed into place), so that a script waiting for the file never reads
// half of it. The file holds a secret key: only its owner may read it.
func writeEnvFile(path string, env []string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".localaws-env-*")
	if err != nil {
		return fmt.Errorf("localaws: write -env-file: %w", err)
	}
	defer os.Remove(tmp.Name())
	var b strings.Builder
	for _, kv := range env {
		b.WriteString("export " + kv + "\n")
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("localaws: write -env-file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("localaws: write -env-file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("localaws: write -env-file: %w", err)
	}
	return nil
}

// shellQuote quotes v for a POSIX shell.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
