package redisstore

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSealOpenRoundTrip(t *testing.T) {
	r := mustRing(t, randomBytes(32), testKey("k1"))
	k := storeKey(t, roleA, extA).Bytes()
	want := testCreds(time.Now())
	v, err := seal(r, k, want)
	if err != nil {
		t.Fatal(err)
	}
	got, id, err := open(r, k, v)
	if err != nil {
		t.Fatal(err)
	}
	if id != "k1" || got != want {
		t.Fatalf("open = %+v (key %q), want %+v", got, id, want)
	}
	for _, secret := range []string{want.SecretAccessKey, want.SessionToken, want.AccessKeyID, roleA, extA} {
		if bytes.Contains(v, []byte(secret)) {
			t.Errorf("the sealed value holds %q in clear", secret)
		}
	}
}

func TestNoncesDiffer(t *testing.T) {
	r := mustRing(t, randomBytes(32), testKey("k1"))
	k := storeKey(t, roleA, extA).Bytes()
	c := testCreds(time.Now())
	a, _ := seal(r, k, c)
	b, _ := seal(r, k, c)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same credentials are identical: the nonce is not fresh")
	}
}

// TestValueBoundToItsKey: a value moved under another cache key (another
// tenant, another role, other session options) does not open.
func TestValueBoundToItsKey(t *testing.T) {
	r := mustRing(t, randomBytes(32), testKey("k1"))
	from := storeKey(t, roleA, extA).Bytes()
	v, err := seal(r, from, testCreds(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	for name, to := range map[string][]byte{
		"other external ID": storeKey(t, roleA, extB).Bytes(),
		"other role":        storeKey(t, roleB, extA).Bytes(),
	} {
		if _, _, err := open(r, to, v); !errors.Is(err, errAuth) {
			t.Errorf("%s: open = %v, want %v", name, err, errAuth)
		}
	}
}

func TestOpenRefusesTampering(t *testing.T) {
	r := mustRing(t, randomBytes(32), testKey("k1"), testKey("k2"))
	k := storeKey(t, roleA, extA).Bytes()
	v, _ := seal(r, k, testCreds(time.Now()))
	for i := range v {
		bad := bytes.Clone(v)
		bad[i] ^= 0x01
		if _, _, err := open(r, k, bad); err == nil {
			t.Fatalf("a value with byte %d flipped opened", i)
		}
	}
	if _, _, err := open(r, k, v[:len(v)-1]); err == nil {
		t.Fatal("a truncated value opened")
	}
}

// TestRotation: a ring whose current key is new still opens values sealed
// with the previous key and seals new values with the new one; a ring that
// dropped the old key reports it as unknown.
func TestRotation(t *testing.T) {
	names := randomBytes(32)
	old, next := testKey("2025"), testKey("2026")
	k := storeKey(t, roleA, extA).Bytes()
	c := testCreds(time.Now())
	v, _ := seal(mustRing(t, names, old), k, c)

	rotated := mustRing(t, names, next, old)
	got, id, err := open(rotated, k, v)
	if err != nil || id != "2025" || got != c {
		t.Fatalf("rotated ring: open = %v, %q, %v", got, id, err)
	}
	v2, _ := seal(rotated, k, c)
	if _, id, err := open(rotated, k, v2); err != nil || id != "2026" {
		t.Fatalf("new value: key %q, %v; want sealed with 2026", id, err)
	}
	if _, id, err := open(mustRing(t, names, next), k, v); !errors.Is(err, errUnknownKey) || id != "2025" {
		t.Fatalf("ring without the old key: %q, %v; want %v", id, err, errUnknownKey)
	}
	// Same ID, other secret: authentication fails.
	if _, _, err := open(mustRing(t, names, testKey("2025")), k, v); !errors.Is(err, errAuth) {
		t.Fatalf("same key ID, other secret: %v; want %v", err, errAuth)
	}
}

func TestNewKeyRingRefuses(t *testing.T) {
	good := testKey("k1")
	for name, tc := range map[string]struct {
		names   []byte
		current Key
		prev    []Key
		want    string
	}{
		"short name secret": {randomBytes(16), good, nil, "name secret is 16 bytes"},
		"short key":         {randomBytes(32), Key{ID: "k", Secret: randomBytes(16)}, nil, "exactly 32"},
		"empty ID":          {randomBytes(32), Key{Secret: randomBytes(32)}, nil, "key ID \"\""},
		"ID with colon":     {randomBytes(32), Key{ID: "a:b", Secret: randomBytes(32)}, nil, "key ID \"a:b\""},
		"long ID":           {randomBytes(32), Key{ID: strings.Repeat("a", 65), Secret: randomBytes(32)}, nil, "1 to 64"},
		"duplicate ID":      {randomBytes(32), good, []Key{testKey("k1")}, "appears twice"},
	} {
		_, err := NewKeyRing(tc.names, tc.current, tc.prev...)
		if !errors.Is(err, ErrInvalidKey) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want ErrInvalidKey mentioning %q", name, err, tc.want)
		}
	}
}

func TestKeysNeverPrintSecrets(t *testing.T) {
	k := Key{ID: "k1", Secret: []byte("0123456789abcdef0123456789ABCDEF")}
	names := []byte("NAMESECRETNAMESECRETNAMESECRET!!")
	r := mustRing(t, names, k)
	var logs logBuffer
	logs.logger().Info("keys", "key", k, "ring", r)
	for _, out := range []string{
		fmt.Sprint(k), fmt.Sprintf("%+v %#v %x %s %q", k, k, k, k, k),
		fmt.Sprint(r), fmt.Sprintf("%+v %#v %x %s", r, r, r, r), fmt.Sprintf("%+v", *r),
		logs.String(),
	} {
		for _, secret := range []string{"0123456789abcdef", "NAMESECRET", "30313233", "4e414d45"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q prints a secret", out)
			}
		}
		if !strings.Contains(out, "k1") {
			t.Errorf("%q does not name the key", out)
		}
	}
}

// FuzzOpen: open never panics on any bytes, and opens only what seal
// wrote: the one plaintext ever sealed under the fuzz key is the seed's
// (GCM makes forging another infeasible, so anything else that opens is a
// bug).
func FuzzOpen(f *testing.F) {
	r, _ := NewKeyRing(bytes.Repeat([]byte{1}, 32), Key{ID: "k1", Secret: bytes.Repeat([]byte{2}, 32)})
	k := []byte("awsconnect.role.v1 fuzz key")
	want := testCreds(time.Unix(1_800_000_000, 0))
	v, _ := seal(r, k, want)
	f.Add(v)
	f.Add([]byte{1, 2, 'k', '1'})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, value []byte) {
		c, _, err := open(r, k, value)
		if err == nil && c != want {
			t.Fatalf("a value the fuzzer made opened: %x -> %+v", value, c)
		}
	})
}
