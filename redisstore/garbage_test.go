package redisstore

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// fakeRedis speaks just enough RESP2 for go-redis to connect, and answers
// every GET with reply, as a Redis holding garbage, a proxy gone wrong or
// something that is not Redis would.
type fakeRedis struct {
	l     net.Listener
	reply func() string
	wg    sync.WaitGroup
}

func startFakeRedis(t *testing.T, reply func() string) *fakeRedis {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeRedis{l: l, reply: reply}
	var conns sync.Map
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Store(c, true)
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				defer c.Close()
				f.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		conns.Range(func(c, _ any) bool { _ = c.(net.Conn).Close(); return true })
		f.wg.Wait()
	})
	return f
}

// serve reads RESP arrays of bulk strings and answers each command.
func (f *fakeRedis) serve(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		args, err := readCommand(r)
		if err != nil {
			return
		}
		var out string
		switch strings.ToUpper(args[0]) {
		case "HELLO":
			out = "-ERR unknown command 'HELLO'\r\n"
		case "GET":
			out = f.reply()
		default:
			out = "+OK\r\n"
		}
		if _, err := io.WriteString(c, out); err != nil {
			return
		}
	}
}

func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "*")))
	if err != nil || n < 1 {
		return nil, fmt.Errorf("not a command: %q", line)
	}
	args := make([]string, n)
	for i := range args {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "$")))
		if err != nil {
			return nil, err
		}
		b := make([]byte, size+2)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		args[i] = string(b[:size])
	}
	return args, nil
}

func bulk(b []byte) string { return "$" + strconv.Itoa(len(b)) + "\r\n" + string(b) + "\r\n" }

// TestGarbageFromRedisIsAMissOrAnError: whatever GET returns, Get never
// panics and never hands out credentials: a reply that is a value but not
// one sealed for this key (another key's value, another format version,
// random bytes, an integer) is a miss, logged with the reason and without
// the value; a reply that is not a value (an error, an array, bytes that are
// not RESP) is an error, which role.Cache counts as a store error and
// answers from STS. Neither leaks the credentials of the other key.
func TestGarbageFromRedisIsAMissOrAnError(t *testing.T) {
	ring := mustRing(t, randomBytes(32), testKey("k1"))
	creds := testCreds(time.Now())
	other, err := seal(ring, storeKey(t, roleB, extB).Bytes(), creds)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := seal(ring, storeKey(t, roleA, extA).Bytes(), creds)
	if err != nil {
		t.Fatal(err)
	}
	version2 := append([]byte{2}, mine[1:]...)
	cases := []struct {
		name, reply string
		wantErr     bool
		wantLog     string
	}{
		{"another key's value", bulk(other), false, "written under another cache key"},
		{"another format version", bulk(version2), false, "not one this package writes"},
		{"random bytes naming an unknown key", bulk([]byte("\x01\x02k9garbage-that-is-long-enough-to-hold-a-nonce-and-a-tag")), false, "key ring does not hold"},
		{"random bytes naming a held key", bulk([]byte("\x01\x02k1garbage-that-is-long-enough-to-hold-a-nonce-and-a-tag")), false, "failed authentication"},
		{"an empty value", bulk(nil), false, "not one this package writes"},
		{"an integer", ":42\r\n", false, "not one this package writes"},
		{"an error reply", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", true, ""},
		{"an array", "*1\r\n$1\r\nx\r\n", true, ""},
		{"not RESP", "HTTP/1.1 400 Bad Request\r\n", true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := startFakeRedis(t, func() string { return tc.reply })
			client := redis.NewClient(&redis.Options{Addr: fake.l.Addr().String(), ContextTimeoutEnabled: true, MaxRetries: -1,
				DisableIdentity: true, PoolSize: 1})
			t.Cleanup(func() { _ = client.Close() })
			var logs logBuffer
			s, err := New(client, ring, func(o *Options) { o.Logger = logs.logger() })
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Get(t.Context(), storeKey(t, roleA, extA))
			if ok || got.AccessKeyID != "" || got.SecretAccessKey != "" {
				t.Fatalf("Get handed out credentials from %s: %v", tc.name, got)
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("Get error = %v, want an error: %t", err, tc.wantErr)
			}
			out := logs.String()
			if tc.wantLog != "" && !strings.Contains(out, tc.wantLog) {
				t.Fatalf("log %q does not say %q", out, tc.wantLog)
			}
			for _, secret := range []string{creds.SecretAccessKey, creds.SessionToken, extA, extB, roleA, roleB} {
				if strings.Contains(out, secret) || (err != nil && strings.Contains(err.Error(), secret)) {
					t.Fatalf("a log or error names %q: %s %v", secret, out, err)
				}
			}
		})
	}
}
