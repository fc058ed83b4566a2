package localaws

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/policy"
)

// Account is one AWS account in the server's memory. Its methods stand in
// for the AWS console: they prepare what a test needs (roles, users,
// buckets, functions, ...) and read what a client did, with the same rules
// as the corresponding API calls.
//
// An Account is safe for concurrent use; its state is guarded by the
// server's lock, so changes are seen by the very next request.
type Account struct {
	server *Server
	id     string
	// users, roles and managed are guarded by server.mu.
	users   map[string]*user
	roles   map[string]*iamRole
	managed map[string]*managedPolicy // customer managed policies by name
}

// user is an IAM user: a name and its identity policies.
type user struct {
	name string
	id   string // AIDA..., GetCallerIdentity's UserId
	// policies are the inline identity policies by name.
	policies map[string]*policy.Document
	// attached are managed policy ARNs.
	attached []string
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
	// userName names the user of a long-term key or of GetSessionToken's
	// temporary credentials.
	userName string
	// session is set for role sessions (AssumeRole).
	session *roleSession
}

// roleSession is what AssumeRole granted: the role (looked up by name on
// every request, so policy changes apply at once) and the session's own
// restrictions.
type roleSession struct {
	roleName, roleID, sessionName string
	// policy is the union of the session policies (inline and managed),
	// intersected with the role's permissions; nil when none was passed.
	policy         *policy.Document
	tags           map[string]string
	sourceIdentity string
}

// ID returns the 12-digit account ID.
func (a *Account) ID() string { return a.id }

// CreateAccount adds an account with the given 12-digit ID, or returns the
// existing one, so tests can name accounts without bookkeeping. An ID that
// is not 12 digits is refused.
func (s *Server) CreateAccount(id string) (*Account, error) {
	if !iamarn.IsAccountID(id) {
		return nil, fmt.Errorf("localaws: account ID %q must be 12 digits, e.g. 444455556666", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account(id), nil
}

// Account returns the account with the given ID, and false when the server
// has none.
func (s *Server) Account(id string) (*Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[id]
	return a, ok
}

// account returns the account, creating it. The server's lock must be held.
func (s *Server) account(id string) *Account {
	if a, ok := s.accounts[id]; ok {
		return a
	}
	a := &Account{server: s, id: id, users: map[string]*user{}, roles: map[string]*iamRole{},
		managed: map[string]*managedPolicy{}}
	s.accounts[id] = a
	return a
}

// CreateUser adds an IAM user with no policies and returns its ARN. Give it
// policies with PutUserPolicy and keys with CreateAccessKey.
func (a *Account) CreateUser(name string) (string, error) {
	if err := iamName("userName", name); err != nil {
		return "", err
	}
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	if _, ok := a.users[name]; ok {
		return "", iamError(errEntityExists, "User with name %s already exists.", name)
	}
	a.users[name] = &user{name: name, id: "AIDA" + randomID(16), policies: map[string]*policy.Document{}}
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

// accessKeyIDPattern is IAM's rule for access key IDs.
var accessKeyIDPattern = regexp.MustCompile(`^[\w]{16,128}$`)

// ImportAccessKey gives the user a long-term access key with a known ID and
// secret, so that a server started from a seed file (or a CI job) answers
// to credentials fixed in advance. The ID must be 16-128 letters, digits or
// underscores and unused; the secret at least 16 characters.
func (a *Account) ImportAccessKey(userName string, creds aws.Credentials) error {
	switch {
	case !accessKeyIDPattern.MatchString(creds.AccessKeyID):
		return fmt.Errorf("localaws: access key ID %q must be 16-128 letters, digits or underscores, e.g. AKIAIOSFODNN7EXAMPLE", creds.AccessKeyID)
	case len(creds.SecretAccessKey) < 16:
		return fmt.Errorf("localaws: the secret access key of %s must be at least 16 characters", creds.AccessKeyID)
	case creds.SessionToken != "":
		return fmt.Errorf("localaws: access key %s: a long-term key has no session token", creds.AccessKeyID)
	}
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	if _, ok := a.users[userName]; !ok {
		return fmt.Errorf("localaws: no user %q in account %s; create it with CreateUser", userName, a.id)
	}
	if _, dup := a.server.keys[creds.AccessKeyID]; dup {
		return fmt.Errorf("localaws: access key ID %s is already in use", creds.AccessKeyID)
	}
	a.server.keys[creds.AccessKeyID] = &accessKey{id: creds.AccessKeyID, secret: creds.SecretAccessKey, account: a, userName: userName}
	return nil
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

// PutUserPolicy sets the user's inline identity policy called policyName,
// replacing one of that name.
func (a *Account) PutUserPolicy(userName, policyName string, doc *policy.Document) error {
	if doc == nil {
		return fmt.Errorf("localaws: PutUserPolicy %q: nil policy", policyName)
	}
	if err := iamName("policyName", policyName); err != nil {
		return err
	}
	if _, err := parseIdentityPolicy(doc.String()); err != nil {
		return err
	}
	return a.withUser(userName, func(u *user) error {
		u.policies[policyName] = doc
		return nil
	})
}

// DeleteUserPolicy removes the user's inline policy called policyName.
func (a *Account) DeleteUserPolicy(userName, policyName string) error {
	return a.withUser(userName, func(u *user) error {
		if _, ok := u.policies[policyName]; !ok {
			return fmt.Errorf("localaws: user %q has no inline policy %q", userName, policyName)
		}
		delete(u.policies, policyName)
		return nil
	})
}

// AttachUserPolicy attaches a managed policy (see CreatePolicy) to the user.
func (a *Account) AttachUserPolicy(userName, policyARN string) error {
	return a.withUser(userName, func(u *user) error {
		if a.server.managedPolicy(policyARN) == nil {
			return fmt.Errorf("localaws: no managed policy %s; create it with CreatePolicy", policyARN)
		}
		if slices.Contains(u.attached, policyARN) {
			return nil
		}
		u.attached = append(u.attached, policyARN)
		return nil
	})
}

// withUser runs fn on the named user under the server's lock.
func (a *Account) withUser(userName string, fn func(*user) error) error {
	a.server.mu.Lock()
	defer a.server.mu.Unlock()
	u, ok := a.users[userName]
	if !ok {
		return fmt.Errorf("localaws: no user %q in account %s; create it with CreateUser", userName, a.id)
	}
	return fn(u)
}

// userARN is arn:aws:iam::ACCOUNT:user/NAME.
func (a *Account) userARN(name string) string {
	return "arn:aws:iam::" + a.id + ":user/" + name
}

// caller describes the key's identity. The server's lock must be held.
func (k *accessKey) caller() Caller {
	c := Caller{AccountID: k.account.id, AccessKeyID: k.id}
	switch {
	case k.session != nil:
		c.ARN = "arn:aws:sts::" + k.account.id + ":assumed-role/" + k.session.roleName + "/" + k.session.sessionName
		c.UserID = k.session.roleID + ":" + k.session.sessionName
	default:
		if u, ok := k.account.users[k.userName]; ok {
			c.ARN = k.account.userARN(u.name)
			c.UserID = u.id
		}
	}
	return c
}

// conditionKeys are the global condition keys the key's identity brings:
// aws:username for users; for role sessions aws:PrincipalArn (the role's
// ARN, not the session's, as IAM sets it), aws:PrincipalTag/* from session
// tags and aws:SourceIdentity. The server's lock must be held.
func (k *accessKey) conditionKeys() map[string][]string {
	keys := map[string][]string{}
	if k.session == nil {
		keys["aws:username"] = []string{k.userName}
		return keys
	}
	if r, ok := k.account.roles[k.session.roleName]; ok {
		keys["aws:PrincipalArn"] = []string{k.account.roleARN(r)}
	}
	for tk, tv := range k.session.tags {
		keys["aws:PrincipalTag/"+tk] = []string{tv}
	}
	if k.session.sourceIdentity != "" {
		keys["aws:SourceIdentity"] = []string{k.session.sourceIdentity}
	}
	return keys
}

// permissions returns the identity policies that apply to the key's caller
// now, and the session policy (nil when none), so that policy changes take
// effect on the next request as in IAM (minus IAM's propagation delay). The
// server's lock must be held.
func (k *accessKey) permissions() (identity []*policy.Document, session *policy.Document) {
	var attached []string
	switch {
	case k.session != nil:
		r, ok := k.account.roles[k.session.roleName]
		if !ok || r.id != k.session.roleID {
			return nil, nil // the role was deleted (or re-created): no permissions
		}
		for _, n := range sortedKeys(r.policies) {
			identity = append(identity, r.policies[n].doc)
		}
		attached, session = r.attached, k.session.policy
	default:
		u, ok := k.account.users[k.userName]
		if !ok {
			return nil, nil
		}
		for _, n := range sortedKeys(u.policies) {
			identity = append(identity, u.policies[n])
		}
		attached = u.attached
	}
	for _, arn := range attached {
		if p := k.account.server.managedPolicy(arn); p != nil {
			identity = append(identity, p.doc.doc)
		}
	}
	return identity, session
}

// lookupKey finds an issued access key, or nil.
func (s *Server) lookupKey(id string) *accessKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[id]
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
