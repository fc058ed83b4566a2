package s3_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	s3c "github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// s3Call builds a proof call from a call on the typed connector that
// NewFromConnection returns for the proof's connection.
var s3Call = connectortest.CallOn(s3c.NewFromConnection)

func withBucket(a *localaws.Account) error { return a.CreateBucket(bucket) }

// TestRequirementsPassTheirOwnCheck is the proof of issue 12 for S3: the
// policy generated for the chosen operations passes Connect, lets each
// operation run and denies one outside them. The first case is the user
// report: a bucket-limited connection using only GetObject got a policy
// that Connect failed for want of s3:ListBucket.
func TestRequirementsPassTheirOwnCheck(t *testing.T) {
	get := s3Call(func(ctx context.Context, c *s3c.Connector) error {
		obj, err := c.GetObject(ctx, "", prefix+"hello.txt")
		if err != nil {
			return err
		}
		defer obj.Body.Close()
		b, err := io.ReadAll(obj.Body)
		if err == nil && string(b) != "hello" {
			err = errors.New("read " + string(b))
		}
		return err
	})
	put := s3Call(func(ctx context.Context, c *s3c.Connector) error {
		_, err := c.PutObject(ctx, "", prefix+"hello.txt", strings.NewReader("hello"))
		return err
	})
	getMissing := s3Call(func(ctx context.Context, c *s3c.Connector) error {
		_, err := c.GetObject(ctx, "", "missing.txt")
		var se *s3c.Error
		if errors.As(err, &se) && se.Code() == "NoSuchKey" {
			return nil // authorised: with s3:ListBucket, S3 says the key is missing
		}
		if err == nil {
			return errors.New("a missing key was found")
		}
		return err
	})
	list := s3Call(func(ctx context.Context, c *s3c.Connector) error {
		for _, err := range c.ListObjects(ctx, "", s3c.ListOptions{}) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	del := s3Call(func(ctx context.Context, c *s3c.Connector) error { return c.DeleteObject(ctx, "", prefix+"hello.txt") })
	listBuckets := s3Call(func(ctx context.Context, c *s3c.Connector) error {
		for _, err := range c.ListBuckets(ctx) {
			if err != nil {
				return err
			}
		}
		return nil
	})

	connectortest.ProveAll(t, s3c.Kind, map[string]connectortest.Proof{
		"bucket and prefix, no operation: the check's own permissions pass Connect": {Fields: map[string]string{"bucket": bucket, "prefix": prefix}, Setup: withBucket,
			Order: []connectors.Operation{}, Ops: map[connectors.Operation]connectortest.Call{},
			OutsideAction: "s3:GetObject", Outside: get},
		"bucket, GetObject only": {Fields: map[string]string{"bucket": bucket}, Setup: withBucket,
			Order: []connectors.Operation{s3c.OpGetObject}, Ops: map[connectors.Operation]connectortest.Call{s3c.OpGetObject: getMissing},
			OutsideAction: "s3:PutObject", Outside: put},
		"bucket and prefix, write read list": {Fields: map[string]string{"bucket": bucket, "prefix": prefix}, Setup: withBucket,
			Order:         []connectors.Operation{s3c.OpPutObject, s3c.OpGetObject, s3c.OpListObjects},
			Ops:           map[connectors.Operation]connectortest.Call{s3c.OpPutObject: put, s3c.OpGetObject: get, s3c.OpListObjects: list},
			OutsideAction: "s3:DeleteObject", Outside: del},
		"every bucket, list buckets": {Setup: withBucket,
			Order: []connectors.Operation{s3c.OpListBuckets}, Ops: map[connectors.Operation]connectortest.Call{s3c.OpListBuckets: listBuckets},
			OutsideAction: "s3:ListBucket", Outside: s3Call(func(ctx context.Context, c *s3c.Connector) error {
				for _, err := range c.ListObjects(ctx, bucket, s3c.ListOptions{}) {
					if err != nil {
						return err
					}
				}
				return nil
			})},
	})
}

func TestKindConformance(t *testing.T) {
	connectortest.KindConformance(t, s3c.Kind, connectortest.Conformance{
		New: connectors.Constructor(s3c.NewFromConnection),
		Conn: connectors.Connection{ID: "c", Region: "cn-north-1",
			Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws-cn:iam::111122223333:role/r"},
			Fields: map[string]string{"bucket": "reports", "prefix": "2024/"}},
		Misspelt: map[string]string{"bucktet": "reports"},
		Operations: []connectortest.OperationCase{
			{In: "getobject", Refused: &connectortest.Refusal{Contains: []string{"valid operations: ListBuckets, ListObjects, GetObject", `did you mean "GetObject"`}}},
			{In: "GetObjects", Refused: &connectortest.Refusal{Contains: []string{"valid operations: ListBuckets, ListObjects, GetObject", `did you mean "GetObject"`}}},
			{In: "Bogus", Refused: &connectortest.Refusal{Contains: []string{"valid operations: ListBuckets, ListObjects, GetObject"}}},
			{In: "", Refused: &connectortest.Refusal{Contains: []string{"is empty", "valid operations: ListBuckets, ListObjects, GetObject"}}},
			{In: " GetObject", Refused: &connectortest.Refusal{Contains: []string{`did you mean "GetObject"`}}},
		},
		Requirements: []connectortest.RequirementsCase{{Name: "in the role's partition, scoped, with the check's",
			Fields: map[string]string{"bucket": "reports", "prefix": "2024/"}, Ops: []connectors.Operation{s3c.OpGetObject},
			Want: []policy.Requirement{
				{Action: "s3:GetObject", Resource: "arn:aws-cn:s3:::reports/2024/*"},
				{Action: "s3:ListBucket", Resource: "arn:aws-cn:s3:::reports", Condition: policy.Conditions{"StringLike": {"s3:prefix": {"2024/*"}}}},
			}}},
		Refusals: []connectortest.RefusalCase{{Name: "prefix without a bucket", Fields: map[string]string{"prefix": "x/"},
			Requirements: &connectortest.Refusal{Contains: []string{"needs a bucket"}}}},
	})
}

// TestNewFromConnectionHonoursFields: the typed constructor restricts the
// connector to the connection's bucket and prefix.
func TestNewFromConnectionHonoursFields(t *testing.T) {
	conn := connectors.Connection{ID: "c", Kind: s3c.KindName, Region: "cn-north-1",
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws-cn:iam::111122223333:role/r"},
		Fields: map[string]string{"bucket": "reports", "prefix": "2024/"}}
	c, err := s3c.NewFromConnection(aws.Config{Region: "cn-north-1"}, conn)
	require.NoError(t, err)
	require.Equal(t, "reports", c.Bucket())
	require.Equal(t, "2024/", c.Prefix())
	_, err = c.GetObject(context.Background(), "", "other/x")
	require.ErrorIs(t, err, s3c.ErrOutsideRestriction)
}
