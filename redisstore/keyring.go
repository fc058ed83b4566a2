package redisstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
)

// Sizes of the platform's secrets.
const (
	// KeySize is the length of an encryption key's Secret: 32 bytes, for
	// AES-256.
	KeySize = 32
	// MinNameSecretSize is the shortest name secret accepted: 32 bytes,
	// the size of the HMAC-SHA256 output it keys.
	MinNameSecretSize = 32
	// maxKeyIDLen bounds a key ID, which every value carries in clear.
	maxKeyIDLen = 64
)

// ErrInvalidKey is wrapped by every error NewKeyRing returns for a key or
// name secret it refuses.
var ErrInvalidKey = errors.New("redisstore: invalid key")

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Key is one of the platform's encryption keys. It prints (fmt, slog) as
// its ID only, never its Secret.
type Key struct {
	// ID names the key inside every value it encrypts, so a key ring
	// picks the right key to decrypt with while keys rotate: 1 to 64 of
	// A-Z, a-z, 0-9, '.', '_', '-'. It is stored in clear; do not put
	// anything secret in it. Required.
	ID string
	// Secret is the AES-256 key: KeySize (32) random bytes, e.g. from
	// crypto/rand, held in the platform's secret manager. Required.
	Secret []byte
}

// String returns the key's ID, never its secret.
func (k Key) String() string { return fmt.Sprintf("redisstore.Key{ID: %q}", k.ID) }

// GoString is String, so %#v never prints the secret.
func (k Key) GoString() string { return k.String() }

// Format prints String for every verb, so %v, %+v and %x never print the
// secret either.
func (k Key) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// LogValue logs the key's ID only.
func (k Key) LogValue() slog.Value { return slog.GroupValue(slog.String("id", k.ID)) }

// KeyRing holds the platform's encryption keys and the secret that names
// entries. It encrypts with its current key and decrypts with any key it
// holds, so keys rotate without a flush (see the package doc). A KeyRing is
// immutable and safe for concurrent use; it prints as its key IDs only.
type KeyRing struct {
	current string
	aeads   map[string]cipher.AEAD
	ids     []string // current first, for printing
	names   []byte   // HMAC key for entry names; never printed
}

// NewKeyRing returns a key ring that encrypts with current and also
// decrypts values encrypted with any of previous. nameSecret keys the HMAC
// that turns a cache key into a Redis name: at least MinNameSecretSize (32)
// random bytes, kept secret (it stops whoever reads Redis from testing
// guessed role ARNs and external IDs against the names) and kept stable
// (changing it orphans every entry, as a flush would).
//
// NewKeyRing copies what it needs; the caller may wipe the slices after.
func NewKeyRing(nameSecret []byte, current Key, previous ...Key) (*KeyRing, error) {
	if len(nameSecret) < MinNameSecretSize {
		return nil, fmt.Errorf("%w: the name secret is %d bytes; it must be at least %d random bytes", ErrInvalidKey, len(nameSecret), MinNameSecretSize)
	}
	r := &KeyRing{
		current: current.ID,
		aeads:   make(map[string]cipher.AEAD, 1+len(previous)),
		names:   append([]byte(nil), nameSecret...),
	}
	for _, k := range append([]Key{current}, previous...) {
		if !keyIDPattern.MatchString(k.ID) {
			return nil, fmt.Errorf("%w: key ID %q: it must be 1 to %d of A-Z, a-z, 0-9, '.', '_', '-'", ErrInvalidKey, k.ID, maxKeyIDLen)
		}
		if _, dup := r.aeads[k.ID]; dup {
			return nil, fmt.Errorf("%w: key ID %q appears twice; give every key its own ID", ErrInvalidKey, k.ID)
		}
		if len(k.Secret) != KeySize {
			return nil, fmt.Errorf("%w: key %q is %d bytes; AES-256 needs exactly %d random bytes", ErrInvalidKey, k.ID, len(k.Secret), KeySize)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("%w: key %q: %v", ErrInvalidKey, k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("%w: key %q: %v", ErrInvalidKey, k.ID, err)
		}
		r.aeads[k.ID] = aead
		r.ids = append(r.ids, k.ID)
	}
	return r, nil
}

// CurrentKeyID is the ID of the key new values are encrypted with.
func (r *KeyRing) CurrentKeyID() string { return r.current }

// KeyIDs lists the IDs of every key the ring decrypts with, current first.
func (r *KeyRing) KeyIDs() []string { return append([]string(nil), r.ids...) }

// String lists the key IDs, never a secret.
func (r *KeyRing) String() string {
	return fmt.Sprintf("redisstore.KeyRing{current: %q, keys: %q}", r.current, r.ids)
}

// GoString is String.
func (r *KeyRing) GoString() string { return r.String() }

// Format prints String for every verb.
func (r *KeyRing) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r.String())) }

// LogValue logs the key IDs only.
func (r *KeyRing) LogValue() slog.Value {
	return slog.GroupValue(slog.String("current", r.current), slog.Any("keys", r.ids))
}

// name returns the HMAC-SHA256 of a cache key under the name secret.
func (r *KeyRing) name(cacheKey []byte) []byte {
	m := hmac.New(sha256.New, r.names)
	m.Write(cacheKey)
	return m.Sum(nil)
}
