package signedhttp_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/internal/connectortest"
	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// s3Get sends a signed GET to path on the connection's endpoint through
// the typed connector, as a platform calls an API the other connectors do
// not wrap; a non-2xx answer is a *signedhttp.ResponseError.
func s3Get(path string) connectortest.Call {
	return func(ctx context.Context, cfg aws.Config, conn connectors.Connection) error {
		c, err := signedhttp.NewFromConnection(cfg, conn)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, conn.Endpoint+path, nil)
		if err != nil {
			return err
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			// AWS's message, which names a missing action, is in the body.
			return fmt.Errorf("%w: %s", &signedhttp.ResponseError{Op: "GET " + path, StatusCode: resp.StatusCode,
				Code: signedhttp.ParseErrorCode(body), Body: string(body)}, body)
		}
		return nil
	}
}

// TestRequirementsPassTheirOwnCheck: the operations of the signed HTTP
// connector are the IAM actions of the APIs called; the generated policy
// passes Connect (GetCallerIdentity, which needs no permission), lets the
// chosen calls through and denies another.
func TestRequirementsPassTheirOwnCheck(t *testing.T) {
	const bucket = "raw-api-bucket"
	connectortest.Prove(t, connectortest.Proof{
		Kind:          signedhttp.Kind,
		Fields:        map[string]string{signedhttp.FieldService: "s3"},
		Setup:         func(a *localaws.Account) error { return a.CreateBucket(bucket) },
		Order:         []connectors.Operation{"s3:ListAllMyBuckets"},
		Ops:           map[connectors.Operation]connectortest.Call{"s3:ListAllMyBuckets": s3Get("/")},
		OutsideAction: "s3:ListBucket",
		Outside:       s3Get("/" + bucket + "?list-type=2"),
	})
}

func TestOperationsAreIAMActions(t *testing.T) {
	op, err := signedhttp.Kind.ParseOperation("s3:GetObject")
	require.NoError(t, err)
	require.Equal(t, connectors.Operation("s3:GetObject"), op)
	_, err = signedhttp.Kind.ParseOperation("s3:getobject")
	require.ErrorIs(t, err, connectors.ErrUnknownOperation)
	require.ErrorContains(t, err, `did you mean "s3:GetObject"?`)
	_, err = signedhttp.Kind.ParseOperation("s3:GetObjects")
	require.ErrorContains(t, err, `did you mean "s3:GetObject"?`)
	_, err = signedhttp.Kind.ParseOperation("nosuchservice:Do")
	require.ErrorContains(t, err, `"nosuchservice" names no catalogued service`)

	conn := connectors.Connection{Kind: signedhttp.KindName, Region: "cn-north-1",
		Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws-cn:iam::111122223333:role/r"}}
	reqs, err := signedhttp.Kind.Requirements(conn, []connectors.Operation{"s3:GetObject", "sts:GetCallerIdentity"})
	require.NoError(t, err)
	require.Equal(t, []policy.Requirement{
		{Action: "s3:GetObject", Resource: "arn:aws-cn:s3:cn-north-1:111122223333:accesspoint/*/object/*"},
		{Action: "s3:GetObject", Resource: "arn:aws-cn:s3:::*/*"},
		{Action: "sts:GetCallerIdentity"},
	}, reqs)
	_, err = policy.LeastPrivilege(reqs...)
	require.NoError(t, err)
}

// TestImportRegistersSignedHTTP: importing the universal connector
// registers its kind, and only it.
func TestImportRegistersSignedHTTP(t *testing.T) {
	require.Equal(t, []string{signedhttp.KindName}, connectors.DefaultRegistry.Names())
}
