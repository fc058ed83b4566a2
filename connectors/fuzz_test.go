package connectors

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// FuzzValidateNeverLeaks validates arbitrary connection forms: Validate must
// not panic, and neither its error nor any print of the connection may hold
// the secret access key, the secret field or a password in the endpoint URL.
func FuzzValidateNeverLeaks(f *testing.F) {
	f.Add("12345", "test", "us-east-1", string(AuthAccessKey), "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "bucket", "tok", "https", "@s3.example.com")
	f.Add("", "", "us-east-9", string(AuthIAMRole), "", "", "", "", "ftp", "/x@y")
	f.Fuzz(func(t *testing.T, ws, kind, region, authType, keyID, secret, bucket, token, scheme, endpointRest string) {
		const marker = "SECRETMARKER"
		if strings.Contains(ws+kind+region+authType+keyID+bucket+scheme, marker) {
			return // the marker must come only from the secrets
		}
		c := Connection{WorkspaceID: ws, Kind: kind, Region: region, Endpoint: scheme + "://user:" + marker + endpointRest,
			Auth:   Auth{Type: AuthType(authType), AccessKeyID: keyID, SecretAccessKey: Secret(marker + secret)},
			Fields: map[string]string{"bucket": bucket, "token": marker + token}}
		err := c.Validate()
		j, _ := json.Marshal(c)
		printed := fmt.Sprintf("%v %+v %#v %s", c, c, c, j)
		if err != nil {
			printed += err.Error()
		}
		if strings.Contains(printed, marker) {
			t.Fatalf("a secret leaked: %s", printed)
		}
	})
}
