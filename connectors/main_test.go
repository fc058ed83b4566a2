package connectors

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testRoleARN  = "arn:aws:iam::111122223333:role/Connector"
	testPlatform = "999988887777"
)

// fakeSTS answers AssumeRole like STS would for a role whose trust policy
// admits the platform with the external IDs in want (and, when open, without
// any external ID). It records every call.
type fakeSTS struct {
	mu    sync.Mutex // guards calls
	calls []sts.AssumeRoleInput
	want  map[string]bool
	open  bool
	err   error // returned for every call when set
	now   func() time.Time
}

func (f *fakeSTS) AssumeRole(_ context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, *in)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	ext := aws.ToString(in.ExternalId)
	if (ext == "" && !f.open) || (ext != "" && !f.want[ext]) {
		return nil, &smithy.GenericAPIError{Code: "AccessDenied",
			Message: fmt.Sprintf("User: arn:aws:iam::%s:user/platform is not authorized to perform: sts:AssumeRole on resource: %s", testPlatform, aws.ToString(in.RoleArn))}
	}
	now := time.Now
	if f.now != nil {
		now = f.now
	}
	return &sts.AssumeRoleOutput{Credentials: &types.Credentials{
		AccessKeyId: aws.String("ASIATEMP" + ext), SecretAccessKey: aws.String("temp-secret"),
		SessionToken: aws.String("temp-token"), Expiration: aws.Time(now().Add(time.Hour)),
	}}, nil
}

func (f *fakeSTS) snapshot() []sts.AssumeRoleInput {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sts.AssumeRoleInput(nil), f.calls...)
}

// testChecker is the connector of the "test" kind: its Check reports the
// service step from a configurable error.
type testChecker struct {
	cfg aws.Config
	err error
}

func (c testChecker) Check(ctx context.Context) CheckReport {
	if _, err := c.cfg.Credentials.Retrieve(ctx); err != nil {
		return CheckReport{Steps: []CheckStep{ServiceStep("Test service", testNeed, err)}}
	}
	return CheckReport{Steps: []CheckStep{ServiceStep("Test service", testNeed, c.err)}}
}

func testRegistry(serviceErr error) *Registry {
	reg := &Registry{}
	err := reg.Register(Kind{
		Name: "test", Title: "Test service",
		Fields: []Field{
			{Key: "bucket", Label: "Bucket", Required: true, Validate: func(v string) error {
				if len(v) < 3 {
					return errors.New("must be at least 3 characters")
				}
				return nil
			}},
			{Key: "token", Label: "API token", Secret: true},
		},
		Operations:  testOperations,
		Permissions: testPermissions,
		New: func(cfg aws.Config, c Connection) (Checker, error) {
			if c.Fields["bucket"] == "fail-new" {
				return nil, errors.New("cannot build")
			}
			return testChecker{cfg: cfg, err: serviceErr}, nil
		},
	})
	if err != nil {
		panic(err)
	}
	return reg
}

// testOperations are the test kind's operations.
var testOperations = []OperationInfo{
	{Name: "GetObject", Title: "Read objects", Actions: []string{"s3:GetObject"}},
	{Name: "PutObject", Title: "Write objects", Actions: []string{"s3:PutObject"}},
}

// testPermissions grants each operation's action on the bucket's objects,
// and Check's testNeed.
func testPermissions(c Connection, ops []Operation) ([]policy.Requirement, error) {
	var reqs []policy.Requirement
	for _, op := range ops {
		reqs = append(reqs, policy.Requirement{Action: "s3:" + string(op), Resource: "arn:" + c.Partition() + ":s3:::" + c.Fields["bucket"] + "/*"})
	}
	return append(reqs, testNeed), nil
}

// testNeed is the permission the test kind's Check proves.
var testNeed = policy.Requirement{Action: "s3:ListBucket", Resource: "arn:aws:s3:::my-bucket"}

func init() {
	// The default registry knows the test kind too, for Validate and the
	// print paths, which use it.
	Register(Kind{Name: "test", Title: "Test service", Fields: testRegistry(nil).kinds["test"].Fields,
		Operations: testOperations, Permissions: testPermissions,
		New: func(cfg aws.Config, c Connection) (Checker, error) { return testChecker{cfg: cfg}, nil }})
}

func roleConn() Connection {
	return Connection{ID: "c1", WorkspaceID: "12345", ProjectID: "6789", Kind: "test", Region: "eu-west-1",
		Auth:   Auth{Type: AuthIAMRole, RoleARN: testRoleARN},
		Fields: map[string]string{"bucket": "my-bucket", "token": "tok-secret-value"}}
}

func keyConn() Connection {
	return Connection{ID: "c2", WorkspaceID: "12345", Kind: "test", Region: "us-east-1",
		Auth:   Auth{Type: AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		Fields: map[string]string{"bucket": "my-bucket"}}
}

func modes(m map[string]scope.Mode) ModeFunc {
	return func(_ context.Context, ws string) (scope.Mode, error) {
		if mode, ok := m[ws]; ok {
			return mode, nil
		}
		return "", fmt.Errorf("unknown workspace %q", ws)
	}
}

// newTestResolver builds a Resolver over a role.Cache and the probe client,
// both backed by f.
func newTestResolver(t testing.TB, f *fakeSTS, reg *Registry, mode scope.Mode) (*Resolver, *role.Cache) {
	cache := role.NewCache(f, func(o *role.Options) { o.PlatformAccountID = testPlatform })
	t.Cleanup(func() { _ = cache.Close() })
	r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{Prefix: "acme_iam_external_id"},
		modes(map[string]scope.Mode{"12345": mode}), cache, func(o *Options) {
			o.STS = f
			o.Registry = reg
			o.PlatformAccountID = testPlatform
		})
	return r, cache
}
