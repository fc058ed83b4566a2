package redisstore

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// A value in Redis is
//
//	version (1 byte, valueVersion) | len(key ID) (1 byte) | key ID |
//	nonce (12 bytes, random) | AES-256-GCM ciphertext and tag of the payload
//
// sealed with the key named by the key ID, with associated data
//
//	aadPrefix | version | len(key ID) | key ID | cache key (role.StoreKey.Bytes)
//
// so the header cannot be altered and a value moved under another cache
// key's name fails to open.
const (
	valueVersion = 1
	aadPrefix    = "awsconnect.redisstore.v1\x00"
	nonceSize    = 12
	tagSize      = 16
)

// Reasons a value fails to open; logged (never with the value) and tested.
var (
	errMalformed  = errors.New("the value is not one this package writes")
	errUnknownKey = errors.New("the value was encrypted with a key the key ring does not hold")
	errAuth       = errors.New("the value failed authentication: it was altered, or written under another cache key")
	errPayload    = errors.New("the decrypted payload is not valid credentials")
)

// payload is the plaintext: the credentials, with stable snake_case names.
type payload struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SessionToken    string `json:"session_token"`
	ExpiresUnixMs   int64  `json:"expires_unix_ms"`
	AccountID       string `json:"account_id,omitempty"`
	Source          string `json:"source,omitempty"`
}

// seal encrypts creds for cacheKey with the ring's current key.
func seal(r *KeyRing, cacheKey []byte, creds aws.Credentials) ([]byte, error) {
	pt, err := json.Marshal(payload{
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
		ExpiresUnixMs:   creds.Expires.UnixMilli(),
		AccountID:       creds.AccountID,
		Source:          creds.Source,
	})
	if err != nil {
		return nil, fmt.Errorf("redisstore: encoding credentials: %w", err)
	}
	defer clear(pt)
	id := r.current
	aead := r.aeads[id]
	hdr := make([]byte, 0, 2+len(id)+nonceSize+len(pt)+tagSize)
	hdr = append(hdr, valueVersion, byte(len(id)))
	hdr = append(hdr, id...)
	out := hdr
	nonce := make([]byte, nonceSize)
	// crypto/rand.Read never returns an error (it crashes the program
	// instead, since Go 1.24).
	_, _ = rand.Read(nonce)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, pt, aad(hdr, cacheKey)), nil
}

// open decrypts a value read under cacheKey's name. The returned key ID is
// the one the value names (for logs), valid whenever the header parsed.
func open(r *KeyRing, cacheKey, value []byte) (creds aws.Credentials, keyID string, err error) {
	if len(value) < 2 || value[0] != valueVersion {
		return aws.Credentials{}, "", errMalformed
	}
	n := int(value[1])
	if n == 0 || n > maxKeyIDLen || len(value) < 2+n+nonceSize+tagSize {
		return aws.Credentials{}, "", errMalformed
	}
	keyID = string(value[2 : 2+n])
	if !keyIDPattern.MatchString(keyID) {
		return aws.Credentials{}, "", errMalformed
	}
	aead, ok := r.aeads[keyID]
	if !ok {
		return aws.Credentials{}, keyID, errUnknownKey
	}
	hdr := value[:2+n]
	nonce := value[2+n : 2+n+nonceSize]
	pt, err := aead.Open(nil, nonce, value[2+n+nonceSize:], aad(hdr, cacheKey))
	if err != nil {
		return aws.Credentials{}, keyID, errAuth
	}
	defer clear(pt)
	var p payload
	if err := json.Unmarshal(pt, &p); err != nil || p.AccessKeyID == "" || p.SecretAccessKey == "" || p.ExpiresUnixMs <= 0 {
		return aws.Credentials{}, keyID, errPayload
	}
	return aws.Credentials{
		AccessKeyID:     p.AccessKeyID,
		SecretAccessKey: p.SecretAccessKey,
		SessionToken:    p.SessionToken,
		Source:          p.Source,
		CanExpire:       true,
		Expires:         time.UnixMilli(p.ExpiresUnixMs).UTC(),
		AccountID:       p.AccountID,
	}, keyID, nil
}

func aad(hdr, cacheKey []byte) []byte {
	a := make([]byte, 0, len(aadPrefix)+len(hdr)+len(cacheKey))
	a = append(a, aadPrefix...)
	a = append(a, hdr...)
	return append(a, cacheKey...)
}
