package localaws

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsconnect/awsconnect/policy"
)

// Seed is what a server holds when it starts, besides the platform
// account: accounts with their IAM users (and keys), managed policies,
// roles and resources. A Go test builds one as a value; the server program
// (examples/localaws) reads one from a JSON file with LoadSeed. Options.Seed
// hands it to Start, which creates all of it or nothing.
//
// Its JSON names are snake_case, as in this example:
//
//	{"accounts": [{
//	  "id": "444455556666",
//	  "users": [{"name": "admin",
//	    "policies": {"admin": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
//	    "access_keys": [{"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}]}],
//	  "policies": [{"name": "reports", "document": {...}}],
//	  "roles": [{"name": "awsconnect", "trust_policy": {...}, "policies": {"s3": {...}}, "managed_policies": ["reports"]}],
//	  "buckets": ["reports"],
//	  "functions": [{"name": "echo"}, {"name": "hello", "response": {"greeting": "hello"}}],
//	  "log_groups": ["/platform/app"],
//	  "email_identities": ["example.com"]
//	}]}
//
// The entry of the platform account (Options.PlatformAccountID) may list
// the platform user (PlatformUserName): its policies and keys are added to
// the user Start creates.
//
// A Seed is a plain value; Start only reads it.
type Seed struct {
	// Accounts are created in order.
	Accounts []SeedAccount `json:"accounts"`

	// file and positions locate values for error messages when the seed was
	// read from JSON: positions maps a path such as accounts[0].roles[1] to
	// its line and column.
	file      string
	positions map[string]position
}

// SeedAccount is one account of a Seed.
type SeedAccount struct {
	// ID is the 12-digit account ID. Required.
	ID string `json:"id"`
	// Users are IAM users, created first.
	Users []SeedUser `json:"users,omitempty"`
	// Policies are customer managed policies, created before the roles
	// that name them.
	Policies []SeedPolicy `json:"policies,omitempty"`
	// Roles are IAM roles.
	Roles []SeedRole `json:"roles,omitempty"`
	// Buckets are S3 buckets, in the server's region.
	Buckets []string `json:"buckets,omitempty"`
	// Functions are Lambda functions, in the server's region.
	Functions []SeedFunction `json:"functions,omitempty"`
	// LogGroups are CloudWatch Logs log groups, in the server's region.
	LogGroups []string `json:"log_groups,omitempty"`
	// EmailIdentities are verified SES identities (addresses or domains),
	// in the server's region.
	EmailIdentities []string `json:"email_identities,omitempty"`
}

// SeedUser is an IAM user of a SeedAccount.
type SeedUser struct {
	// Name is the user name. Required.
	Name string `json:"name"`
	// Policies are inline identity policies by name.
	Policies map[string]*policy.Document `json:"policies,omitempty"`
	// ManagedPolicies name customer managed policies of the account (by
	// name or ARN) to attach.
	ManagedPolicies []string `json:"managed_policies,omitempty"`
	// AccessKeys are the user's long-term keys, fixed in advance so that a
	// client can be configured before the server starts.
	AccessKeys []SeedAccessKey `json:"access_keys,omitempty"`
}

// SeedAccessKey is a long-term access key of a SeedUser. Its secret never
// appears in fmt or slog output.
type SeedAccessKey struct {
	// AccessKeyID is the key's ID, 16-128 letters, digits or underscores
	// (AKIA... by convention). Required.
	AccessKeyID string `json:"access_key_id"`
	// SecretAccessKey is the key's secret, at least 16 characters. Required.
	SecretAccessKey string `json:"secret_access_key"`
}

// Format prints the key ID only, whatever the verb, so that a seed logged
// with %v or %+v does not leak the secret.
func (k SeedAccessKey) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "{access_key_id:%s secret_access_key:REDACTED}", k.AccessKeyID)
}

// LogValue logs the key ID only.
func (k SeedAccessKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("access_key_id", k.AccessKeyID), slog.String("secret_access_key", "REDACTED"))
}

// SeedPolicy is a customer managed policy of a SeedAccount.
type SeedPolicy struct {
	// Name is the policy name. Required.
	Name string `json:"name"`
	// Document is the policy. Required.
	Document *policy.Document `json:"document"`
}

// SeedRole is an IAM role of a SeedAccount.
type SeedRole struct {
	// Name is the role name. Required.
	Name string `json:"name"`
	// Path is the role's path. Optional; default "/".
	Path string `json:"path,omitempty"`
	// Description is the role's description. Optional.
	Description string `json:"description,omitempty"`
	// TrustPolicy says who may assume the role. Required.
	TrustPolicy *policy.Document `json:"trust_policy"`
	// Policies are inline permission policies by name.
	Policies map[string]*policy.Document `json:"policies,omitempty"`
	// ManagedPolicies name customer managed policies of the account (by
	// name or ARN) to attach.
	ManagedPolicies []string `json:"managed_policies,omitempty"`
	// MaxSessionDurationSeconds caps AssumeRole's DurationSeconds, 3600 to
	// 43200. Optional; default 3600.
	MaxSessionDurationSeconds int `json:"max_session_duration_seconds,omitempty"`
	// Tags are the role's tags.
	Tags map[string]string `json:"tags,omitempty"`
}

// SeedFunction is a Lambda function of a SeedAccount. A seed file cannot
// carry Go code, so its function either returns Response or, without one,
// echoes its event back.
type SeedFunction struct {
	// Name is the function name. Required.
	Name string `json:"name"`
	// Response is the JSON the function returns. Optional; default the
	// event it was invoked with.
	Response json.RawMessage `json:"response,omitempty"`
}

// LoadSeed reads a seed file. A malformed file is refused with an error
// naming the file, line, column and field ("seed.json:7:9:
// accounts[0].roles[0].trust_policy: ..."); unknown fields are errors, so
// a misspelt name is not silently ignored.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("localaws: read the seed file: %w", err)
	}
	return ParseSeed(path, data)
}

// ParseSeed reads a seed from JSON; name (usually the file name) starts
// every error message.
//
// A UTF-8 byte-order mark, which editors on Windows write, is skipped.
func ParseSeed(name string, data []byte) (*Seed, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	positions, err := checkSeedJSON(name, data)
	if err != nil {
		return nil, err
	}
	seed := &Seed{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(seed); err != nil {
		// checkSeedJSON has already walked every value, so this is not
		// expected; say where anyway.
		return nil, fmt.Errorf("localaws: %s: %w", name, err)
	}
	seed.file, seed.positions = name, positions
	return seed, nil
}

// where prefixes err with the location of path: file:line:col when the
// seed came from JSON.
func (seed *Seed) where(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "localaws: ")
	// A value the file leaves out (an account without "id", a null entry)
	// has no position of its own: point at the nearest one that has.
	for at := path; seed.file != ""; {
		if p, ok := seed.positions[at]; ok {
			return fmt.Errorf("localaws: %s:%d:%d: %s: %s", seed.file, p.line, p.col, path, msg)
		}
		i := strings.LastIndexAny(at, ".[")
		if i <= 0 {
			break
		}
		at = at[:i]
	}
	return fmt.Errorf("localaws: seed %s: %s", path, msg)
}

// apply creates the seed in s, in order: accounts, then per account its
// users, managed policies, roles and resources. Start calls it on a new
// server and discards the server on error, so a refused seed creates
// nothing that anyone can reach.
func (s *Server) apply(seed *Seed) error {
	first := map[string]int{}
	for i, sa := range seed.Accounts {
		at := fmt.Sprintf("accounts[%d]", i)
		if j, dup := first[sa.ID]; dup && sa.ID != "" {
			return seed.where(at+".id", fmt.Errorf("account %s is already accounts[%d]; list each account once, with all its users, roles and resources", sa.ID, j))
		}
		first[sa.ID] = i
		a, err := s.CreateAccount(sa.ID)
		if err != nil {
			return seed.where(at+".id", err)
		}
		if err := s.applyAccount(seed, at, a, sa); err != nil {
			return err
		}
	}
	return nil
}

// applyAccount creates one account's entities; at is its path in the seed.
func (s *Server) applyAccount(seed *Seed, at string, a *Account, sa SeedAccount) error {
	for i, u := range sa.Users {
		p := fmt.Sprintf("%s.users[%d]", at, i)
		// Start created the platform user: its entry adds to it.
		if a != s.platform || u.Name != PlatformUserName {
			if _, err := a.CreateUser(u.Name); err != nil {
				return seed.where(p+".name", err)
			}
		}
		for _, n := range sortedKeys(u.Policies) {
			if err := a.PutUserPolicy(u.Name, n, u.Policies[n]); err != nil {
				return seed.where(p+".policies."+n, err)
			}
		}
		for j, k := range u.AccessKeys {
			creds := aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}
			if err := a.ImportAccessKey(u.Name, creds); err != nil {
				return seed.where(fmt.Sprintf("%s.access_keys[%d]", p, j), err)
			}
		}
	}
	for i, mp := range sa.Policies {
		p := fmt.Sprintf("%s.policies[%d]", at, i)
		if mp.Document == nil {
			return seed.where(p, fmt.Errorf("policy %q needs a document", mp.Name))
		}
		if _, err := a.CreatePolicy(mp.Name, mp.Document); err != nil {
			return seed.where(p, err)
		}
	}
	for i, u := range sa.Users {
		for j, ref := range u.ManagedPolicies {
			if err := a.AttachUserPolicy(u.Name, a.policyRef(ref)); err != nil {
				return seed.where(fmt.Sprintf("%s.users[%d].managed_policies[%d]", at, i, j), err)
			}
		}
	}
	for i, r := range sa.Roles {
		if err := s.applyRole(seed, fmt.Sprintf("%s.roles[%d]", at, i), a, r); err != nil {
			return err
		}
	}
	for i, b := range sa.Buckets {
		if err := a.CreateBucket(b); err != nil {
			return seed.where(fmt.Sprintf("%s.buckets[%d]", at, i), err)
		}
	}
	for i, f := range sa.Functions {
		if err := a.createSeedFunction(f); err != nil {
			return seed.where(fmt.Sprintf("%s.functions[%d]", at, i), err)
		}
	}
	for i, g := range sa.LogGroups {
		if err := a.CreateLogGroup(g); err != nil {
			return seed.where(fmt.Sprintf("%s.log_groups[%d]", at, i), err)
		}
	}
	for i, id := range sa.EmailIdentities {
		if !strings.Contains(id, ".") {
			return seed.where(fmt.Sprintf("%s.email_identities[%d]", at, i),
				fmt.Errorf("email identity %q must be an address (someone@example.com) or a domain (example.com)", id))
		}
		a.VerifyEmailIdentity(id)
	}
	return nil
}

// applyRole creates one seeded role with its policies.
func (s *Server) applyRole(seed *Seed, at string, a *Account, r SeedRole) error {
	opts := []RoleOption{func(o *RoleOptions) {
		if r.Path != "" {
			o.Path = r.Path
		}
		if r.MaxSessionDurationSeconds != 0 {
			o.MaxSessionDuration = time.Duration(r.MaxSessionDurationSeconds) * time.Second
		}
		o.Description, o.Policies, o.Tags = r.Description, r.Policies, r.Tags
	}}
	if r.TrustPolicy == nil {
		return seed.where(at, fmt.Errorf("role %q needs a trust_policy", r.Name))
	}
	if _, err := a.CreateRole(r.Name, r.TrustPolicy, opts...); err != nil {
		return seed.where(at, err)
	}
	for j, ref := range r.ManagedPolicies {
		if err := a.AttachRolePolicy(r.Name, a.policyRef(ref)); err != nil {
			return seed.where(fmt.Sprintf("%s.managed_policies[%d]", at, j), err)
		}
	}
	return nil
}

// policyRef turns a managed policy's name into its ARN in a; an ARN is
// returned as it is.
func (a *Account) policyRef(ref string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	return "arn:aws:iam::" + a.id + ":policy/" + ref
}

// createSeedFunction registers a seeded function: a fixed response, or an
// echo of the event.
func (a *Account) createSeedFunction(f SeedFunction) error {
	response := f.Response
	handler := func(_ context.Context, event json.RawMessage) (json.RawMessage, error) {
		if response != nil {
			return response, nil
		}
		return event, nil
	}
	_, err := a.CreateFunction(f.Name, handler)
	return err
}
