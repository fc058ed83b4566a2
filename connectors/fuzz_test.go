package connectors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// FuzzValidateNeverLeaks validates arbitrary connection forms: Validate must
// not panic, and neither its error nor any print of the connection may hold
// the secret access key, the secret field or a password in the endpoint URL.
func FuzzValidateNeverLeaks(f *testing.F) {
	f.Add("12345", "test", "us-east-1", string(AuthAccessKey), "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "bucket", "tok", "https", "@s3.example.com")
	f.Add("", "", "us-east-9", string(AuthIAMRole), "", "", "", "", "ftp", "/x@y")
	f.Add("12345", "test", "us-east-1", string(AuthAccessKey), "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "bucket", "tok", "a", ":")
	f.Add("12345", "test", "us-east-1", string(AuthAccessKey), "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "bucket", "tok", "http", "@169.254.169.254/?x#y")
	f.Fuzz(func(t *testing.T, ws, kind, region, authType, keyID, secret, bucket, token, scheme, endpointRest string) {
		const marker = "SECRETMARKER"
		if strings.Contains(ws+kind+region+authType+keyID+bucket+scheme, marker) {
			return // the marker must come only from the secrets
		}
		c := Connection{WorkspaceID: ws, Kind: kind, Region: region, Endpoint: scheme + "://user:" + marker + endpointRest,
			Auth:   Auth{Type: AuthType(authType), AccessKeyID: keyID, SecretAccessKey: Secret(marker + secret)},
			Fields: map[string]string{"bucket": bucket, "token": marker + token}}
		err := c.Validate()
		errAllowing := c.validate(DefaultRegistry, EndpointPolicy{Allow: AllowHosts("127.0.0.1", "169.254.0.0/16")})
		j, _ := json.Marshal(c)
		var logs bytes.Buffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("c", "conn", c, "err", err)
		slog.New(slog.NewTextHandler(&logs, nil)).Info("c", "conn", c, "err", errAllowing)
		printed := fmt.Sprintf("%v %+v %#v %s %q %x %s", c, c, c, c, c, c, j) + logs.String()
		for _, e := range []error{err, errAllowing} {
			if e != nil {
				printed += e.Error()
				if je, jerr := json.Marshal(e); jerr == nil {
					printed += string(je)
				}
			}
		}
		if strings.Contains(printed, marker) {
			t.Fatalf("a secret leaked: %s", printed)
		}
	})
}
