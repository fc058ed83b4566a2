package redisstore

import (
	"bytes"
	"crypto/rand"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/role"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func testKey(id string) Key { return Key{ID: id, Secret: randomBytes(KeySize)} }

func mustRing(t testing.TB, nameSecret []byte, current Key, previous ...Key) *KeyRing {
	t.Helper()
	r, err := NewKeyRing(nameSecret, current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// storeKey builds the StoreKey a Cache would use for spec.
func storeKey(t testing.TB, roleARN, externalID string) role.StoreKey {
	t.Helper()
	c := role.NewCache(nil)
	defer c.Close()
	k, err := c.StoreKey(role.Spec{RoleARN: roleARN, ExternalID: externalID})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

const (
	roleA = "arn:aws:iam::111122223333:role/ConnectorA"
	roleB = "arn:aws:iam::444455556666:role/ConnectorB"
	extA  = "acme_iam_external_id_1"
	extB  = "acme_iam_external_id_2"
)

func testCreds(now time.Time) aws.Credentials {
	return aws.Credentials{
		AccessKeyID:     "ASIAEXAMPLEACCESSKEY",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY",
		SessionToken:    "FwoGZXIvYXdzEXAMPLESESSIONTOKEN",
		CanExpire:       true,
		Expires:         now.Add(time.Hour).Truncate(time.Millisecond).UTC(),
		AccountID:       "111122223333",
		Source:          "AssumeRoleProvider",
	}
}

// logBuffer is a slog handler target tests read back.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
