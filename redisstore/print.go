package redisstore

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the store without keys or secrets.
func (s *Store) String() string {
	if s == nil {
		return "redisstore.Store(nil)"
	}
	return fmt.Sprintf("redisstore.Store{prefix: %q, ring: %v, available: %t}", s.opts.Prefix, s.ring, s.Available())
}

// GoString is the %#v form, redacted like String.
func (s *Store) GoString() string { return s.String() }

// Format makes every fmt verb print String: fmt's bad-verb path (%t, %d)
// would otherwise walk the store into its key ring's name secret and AES
// key schedules, and its Redis client's password.
func (s *Store) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String(), s.GoString()) }

// LogValue gives slog the prefix and the key IDs only.
func (s *Store) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue(s.String())
	}
	return redact.Value(s.String(), slog.String("prefix", s.opts.Prefix), slog.Any("ring", s.ring), slog.Bool("available", s.Available()))
}

// MarshalJSON writes String, never a key or the Redis client's options.
func (s *Store) MarshalJSON() ([]byte, error) { return redact.JSON(s.String()) }

// MarshalJSON writes the key's ID only: encoding/json would otherwise write
// its Secret in base64 (a configuration dump, an API answer).
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID string `json:"id"`
	}{k.ID})
}
