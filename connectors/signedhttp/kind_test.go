package signedhttp_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

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

// TestKindConformance: what every kind promises; the operations are the
// IAM actions of the policy catalog, spelled as it spells them, and their
// requirements are on every resource of each action's resource types.
func TestKindConformance(t *testing.T) {
	connectortest.KindConformance(t, signedhttp.Kind, connectortest.Conformance{
		New: connectors.Constructor(signedhttp.NewFromConnection),
		Conn: connectors.Connection{Region: "cn-north-1",
			Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: "arn:aws-cn:iam::111122223333:role/r"}},
		Misspelt: map[string]string{"servce": "s3"},
		Operations: []connectortest.OperationCase{
			{In: "s3:GetObject"},
			{In: "s3:getobject", Refused: &connectortest.Refusal{Contains: []string{`did you mean "s3:GetObject"?`}}},
			{In: "s3:GetObjects", Refused: &connectortest.Refusal{Contains: []string{`did you mean "s3:GetObject"?`}}},
			{In: "nosuchservice:Do", Refused: &connectortest.Refusal{Contains: []string{`"nosuchservice" names no catalogued service`}}},
		},
		Requirements: []connectortest.RequirementsCase{{Name: "every resource of each type, in the role's partition",
			Ops: []connectors.Operation{"s3:GetObject", "sts:GetCallerIdentity"},
			Want: []policy.Requirement{
				{Action: "s3:GetObject", Resource: "arn:aws-cn:s3:cn-north-1:111122223333:accesspoint/*/object/*"},
				{Action: "s3:GetObject", Resource: "arn:aws-cn:s3:::*/*"},
				{Action: "sts:GetCallerIdentity"},
			}}},
	})
}
