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
func s3Call(f func(ctx context.Context, c *s3c.Connector) error) connectortest.Call {
	return func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error {
		c, err := s3c.NewFromConnection(cfg, conn)
		if err != nil {
			return err
		}
		return f(ctx, c)
	}
}

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

	for name, p := range map[string]connectortest.Proof{
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
	} {
		t.Run(name, func(t *testing.T) {
			p.Kind = s3c.Kind
			connectortest.Prove(t, p)
		})
	}
}

func TestKindAPI(t *testing.T) {
	conn := connectors.Connection{ID: "c", Kind: s3c.KindName, Region: "cn-north-1",
		Auth:   connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws-cn:iam::111122223333:role/r"},
		Fields: map[string]string{"bucket": "reports", "prefix": "2024/"}}

	t.Run("operations", func(t *testing.T) {
		require.NotEmpty(t, s3c.Kind.Operations)
		for _, op := range s3c.Kind.Operations {
			require.NotEmpty(t, op.Title)
			require.NotEmpty(t, op.Actions)
			got, err := s3c.Kind.ParseOperation(string(op.Name))
			require.NoError(t, err)
			require.Equal(t, op.Name, got)
		}
	})
	t.Run("unknown or miscased operations", func(t *testing.T) {
		for in, suggestion := range map[string]string{"getobject": `"GetObject"`, "GetObjects": `"GetObject"`, "Bogus": "", "": ""} {
			_, err := s3c.Kind.ParseOperation(in)
			require.ErrorIs(t, err, connectors.ErrUnknownOperation, in)
			require.Contains(t, err.Error(), "valid operations: ListBuckets, ListObjects, GetObject")
			if suggestion != "" {
				require.Contains(t, err.Error(), "did you mean "+suggestion)
			}
			_, err = s3c.Kind.Requirements(conn, []connectors.Operation{connectors.Operation(in)})
			require.ErrorIs(t, err, connectors.ErrUnknownOperation)
		}
	})
	t.Run("requirements in the role's partition, scoped, with the check's", func(t *testing.T) {
		reqs, err := s3c.Kind.Requirements(conn, []connectors.Operation{s3c.OpGetObject})
		require.NoError(t, err)
		require.Equal(t, []policy.Requirement{
			{Action: "s3:GetObject", Resource: "arn:aws-cn:s3:::reports/2024/*"},
			{Action: "s3:ListBucket", Resource: "arn:aws-cn:s3:::reports", Condition: policy.Conditions{"StringLike": {"s3:prefix": {"2024/*"}}}},
		}, reqs)
	})
	t.Run("bad input", func(t *testing.T) {
		other := conn
		other.Kind = "lambda"
		_, err := s3c.Kind.Requirements(other, nil)
		require.ErrorContains(t, err, `is of kind "lambda"`)
		_, err = s3c.NewFromConnection(aws.Config{}, other)
		require.ErrorContains(t, err, `is of kind "lambda"`)

		typo := conn
		typo.Fields = map[string]string{"bucktet": "reports"}
		_, err = s3c.Kind.Requirements(typo, nil)
		require.ErrorIs(t, err, connectors.ErrUnknownField)
		require.ErrorContains(t, err, `"bucktet"`)
		require.ErrorContains(t, err, `its fields are "bucket", "prefix"`)
		_, err = s3c.NewFromConnection(aws.Config{}, typo)
		require.ErrorIs(t, err, connectors.ErrUnknownField)

		noBucket := conn
		noBucket.Fields = map[string]string{"prefix": "x/"}
		_, err = s3c.Kind.Requirements(noBucket, nil)
		require.ErrorContains(t, err, "needs a bucket")
	})
	t.Run("typed constructor honours the fields", func(t *testing.T) {
		c, err := s3c.NewFromConnection(aws.Config{Region: "cn-north-1"}, conn)
		require.NoError(t, err)
		require.Equal(t, "reports", c.Bucket())
		require.Equal(t, "2024/", c.Prefix())
		_, err = c.GetObject(context.Background(), "", "other/x")
		require.ErrorIs(t, err, s3c.ErrOutsideRestriction)
	})
}

// TestImportRegistersOnlyS3 is the registration the issue asked for: this
// test binary imports the S3 connector (and the test harness), and the
// default registry holds its kind and no other connector's.
func TestImportRegistersOnlyS3(t *testing.T) {
	require.Equal(t, []string{s3c.KindName}, connectors.DefaultRegistry.Names())
}
