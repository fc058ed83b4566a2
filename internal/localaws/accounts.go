package localaws

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Account is one AWS account in the server's memory. Its methods stand in
// for the IAM console: there is no IAM wire API.
//
// An Account is safe for concurrent use; its state is guarded by the
// server's lock, so changes are seen by the very next request.
type Account struct {
	server *Server
	id     string
	// users and roles are guarded by server.mu.
	users map[string]*user
}

// user is an IAM user: a name and its identity policies.
type user struct {
	name string
	id   string // AIDA..., GetCallerIdentity's UserId
	// policies are the inline identity policies by name.
	policies map[string]permissionPolicy
}

// accessKey is one set of credentials the server issued: a user's
// long-term key, or the temporary credentials of a role session.
type accessKey struct {
	id, secret string
	// sessionToken is "" for long-term keys.
	sessionToken string
	// expires is zero for long-term keys.
	expires time.Time
	account *Account
	// userName names the owning user of a long-term key.
	userName string
}

// ID returns the 12-digit account ID.
func (a *Account) ID() string { return a.id }

// CreateAccount adds an account with the given 12-digit ID, or returns the
// existing one, so tests can name accounts without bookkeeping.
func (s *Server) CreateAccount(id string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accounts[id]; ok {
		return a
	}
	a := &Account{server: s, id: id, users: map[string]*user{}}
	s.accounts[id] = a
	return a
}

// CreateUser adds an IAM user with no policies and returns its ARN. Give it
// policies with PutUserPolicy and keys with CreateAccessKey.
func (a *Account) CreateUser(name string) (string, error) {
	if err := validateIAMName("user", name); err != nil {
		return "", err
	}
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	if _, ok := a.users[name]; ok {
		return "", fmt.Errorf("localaws: user %q already exists in account %s", name, a.id)
	}
	a.users[name] = &user{name: name, id: "AIDA" + randomID(16), policies: map[string]permissionPolicy{}}
	return a.userARN(name), nil
}

// CreateAccessKey issues a long-term access key for the user, as
// `aws iam create-access-key` does.
func (a *Account) CreateAccessKey(userName string) (aws.Credentials, error) {
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	if _, ok := a.users[userName]; !ok {
		return aws.Credentials{}, fmt.Errorf("localaws: no user %q in account %s; create it with CreateUser", userName, a.id)
	}
	k := &accessKey{id: "AKIA" + randomID(16), secret: randomSecret(30), account: a, userName: userName}
	a.server.keys[k.id] = k
	return aws.Credentials{AccessKeyID: k.id, SecretAccessKey: k.secret, Source: "localaws"}, nil
}

// issueTemporaryKey creates temporary credentials in account a that expire
// at expires; the caller fills in whose they are. The server's lock must be
// held.
func (s *Server) issueTemporaryKey(a *Account, expires time.Time) *accessKey {
	k := &accessKey{
		id:           "ASIA" + randomID(16),
		secret:       randomSecret(30),
		sessionToken: "IQoJb3JpZ2luX2Vj" + randomSecret(120),
		expires:      expires,
		account:      a,
	}
	s.keys[k.id] = k
	return k
}

// putUserPolicy sets the user's inline identity policy called policyName.
func (a *Account) putUserPolicy(userName, policyName string, p permissionPolicy) error {
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	u, ok := a.users[userName]
	if !ok {
		return fmt.Errorf("localaws: no user %q in account %s; create it with CreateUser", userName, a.id)
	}
	u.policies[policyName] = p
	return nil
}

// userARN is arn:aws:iam::ACCOUNT:user/NAME.
func (a *Account) userARN(name string) string {
	return "arn:aws:iam::" + a.id + ":user/" + name
}

// caller describes the key's identity. The server's lock must be held.
func (k *accessKey) caller() Caller {
	c := Caller{AccountID: k.account.id, AccessKeyID: k.id}
	if u, ok := k.account.users[k.userName]; ok {
		c.ARN = k.account.userARN(u.name)
		c.UserID = u.id
	}
	return c
}

// policies returns the identity policies that apply to the key's caller
// now, so policy changes take effect on the next request as in IAM (give or
// take IAM's propagation delay). The server's lock must be held.
func (k *accessKey) policies() []permissionPolicy {
	u, ok := k.account.users[k.userName]
	if !ok {
		return nil
	}
	out := make([]permissionPolicy, 0, len(u.policies))
	for _, p := range u.policies {
		out = append(out, p)
	}
	return out
}

// lookupKey finds an issued access key, or nil.
func (s *Server) lookupKey(id string) *accessKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[id]
}

// validateIAMName applies IAM's name rule: 1-64 characters of
// [A-Za-z0-9+=,.@_-].
func validateIAMName(what, name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("localaws: %s name %q must be 1-64 characters long", what, name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+=,.@_-", r)) {
			return fmt.Errorf("localaws: %s name %q may only contain letters, digits and +=,.@_-", what, name)
		}
	}
	return nil
}

// idAlphabet is the alphabet of AWS's key and principal IDs.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// randomID returns n characters of idAlphabet from crypto/rand.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+).
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// randomSecret returns a secret of n random bytes, base64-encoded like
// AWS's 40-character secret access keys.
func randomSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
