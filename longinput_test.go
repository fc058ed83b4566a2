package awsconnect_test

import (
	"strings"
	"testing"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// TestErrorsQuoteAtMostAFewBytesOfInput gives every validating entry point
// a 1 MiB input: each refuses it with an error that names it but quotes at
// most internal/echo.Max bytes of it, so that junk from a form, an API call
// or a stored row never turns into a megabyte error or log line.
func TestErrorsQuoteAtMostAFewBytesOfInput(t *testing.T) {
	big := strings.Repeat("A", 1<<20)
	errs := map[string]error{}
	_, errs["ParseMode"] = scope.ParseMode(big)
	errs["ValidateExternalID"] = scope.ValidateExternalID(big)
	_, errs["TrustPolicy principal"] = policy.TrustPolicy(big, "acme_1234567890")
	_, errs["TrustPolicy extid"] = policy.TrustPolicy("111122223333", big)
	_, errs["policy.Parse"] = policy.Parse([]byte(`{"Version":"` + big + `"}`))
	_, errs["policy.Parse action"] = policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + big + `","Resource":"*"}]}`))
	_, errs["policy.Parse effect"] = policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"` + big + `","Action":"s3:GetObject","Resource":"*"}]}`))
	_, errs["onboarding.New role"] = onboarding.New("111122223333", "acme_1234567890", big, nil)
	_, errs["onboarding.New extid"] = onboarding.New("111122223333", big, "r", nil)
	_, errs["ParseRoleARN"] = role.ParseRoleARN(big)
	_, errs["ParseRoleARN 2"] = role.ParseRoleARN("arn:aws:iam::111122223333:role/" + big)
	d := scope.Deriver{Prefix: big}
	_, errs["Deriver prefix"] = d.ExternalID(scope.WorkspaceMode, "1", "")
	_, errs["Deriver ws"] = scope.Deriver{Prefix: "acme"}.ExternalID(scope.WorkspaceMode, big, "")
	for _, c := range []connectors.Connection{
		{ID: big, WorkspaceID: "w", Kind: "s3", Region: "us-east-1"},
		{ID: "c", WorkspaceID: big, Kind: "s3", Region: "us-east-1"},
		{ID: "c", WorkspaceID: "w", Kind: big, Region: "us-east-1"},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: big},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Endpoint: "http://" + big},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Endpoint: "http://10.0.0.1/" + big},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Endpoint: "http://10.0.0.1:" + big},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Auth: connectors.Auth{Type: connectors.AuthIAMRole, RoleARN: big}},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Auth: connectors.Auth{Type: connectors.AuthType(big)}},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Auth: connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: big, SecretAccessKey: "x"}},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Fields: map[string]string{big: "v"}},
		{ID: "c", WorkspaceID: "w", Kind: "s3", Region: "us-east-1", Fields: map[string]string{"bucket": big}},
	} {
		err := c.Validate()
		if err == nil {
			t.Errorf("Validate accepts %.100v", c)
			continue
		}
		if len(err.Error()) > 4096 {
			t.Errorf("Validate: %d bytes: %.200s", len(err.Error()), err.Error())
		}
	}
	errs["CheckURL"] = connectors.EndpointPolicy{}.CheckURL("http://10.0.0.1/" + big)
	errs["CheckHost"] = connectors.EndpointPolicy{}.CheckHost(big + ".localhost")
	for name, err := range errs {
		if err == nil {
			t.Errorf("%s accepts a 1 MiB input", name)
			continue
		}
		if len(err.Error()) > 4096 {
			t.Errorf("%s: %d bytes: %.200s", name, len(err.Error()), err.Error())
		}
	}
}
