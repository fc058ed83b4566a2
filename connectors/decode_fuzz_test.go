package connectors

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzConnectionJSON decodes arbitrary JSON as a stored connection: decoding
// never panics; a connection that decodes validates without panicking, and
// what it marshals to decodes again to the same connection, except that the
// secrets the library redacts come back refused with ErrRedactedSecret, never
// as the placeholder stored as a secret.
func FuzzConnectionJSON(f *testing.F) {
	f.Add(`{"id":"c1","workspace_id":"12345","kind":"s3","region":"us-east-1","auth":{"type":"iam_role","role_arn":"arn:aws:iam::444455556666:role/r"},"fields":{"bucket":"b"}}`)
	f.Add(`{"auth":{"type":"access_key","access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"` + Redacted + `"}}`)
	f.Add(`{"endpoint":"https://user:pw@s3.example.com","fields":{"token":"x"}}`)
	f.Add(`{"kind":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, doc string) {
		var c Connection
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return
		}
		_ = c.Validate()
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a decoded connection does not marshal: %v", err)
		}
		var back Connection
		if err := json.Unmarshal(out, &back); err != nil {
			if !errors.Is(err, ErrRedactedSecret) {
				t.Fatalf("%s: re-decoding %s: %v", doc, out, err)
			}
			return
		}
		again, err := json.Marshal(back)
		if err != nil || string(again) != string(out) {
			t.Fatalf("round trip changed the connection:\n%s\n%s (%v)", out, again, err)
		}
	})
}

// FuzzParseOperation: any name is either exactly one of the kind's
// operations or refused with ErrUnknownOperation and a message naming the
// kind; a suggestion is always one of the valid names.
func FuzzParseOperation(f *testing.F) {
	k := Kind{Name: "fuzz", Operations: []OperationInfo{{Name: "GetObject"}, {Name: "PutObject"}, {Name: "ListObjectsV2"}}}
	for _, s := range []string{"GetObject", "getobject", "Get", "", "PutObjectX", strings.Repeat("a", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		op, err := k.ParseOperation(s)
		if err == nil {
			if string(op) != s {
				t.Fatalf("ParseOperation(%q) = %q", s, op)
			}
			return
		}
		if !errors.Is(err, ErrUnknownOperation) || !strings.Contains(err.Error(), `"fuzz"`) {
			t.Fatalf("ParseOperation(%q): %v", s, err)
		}
		// The suggestion follows the quoted name, which may hold the phrase.
		if i := strings.LastIndex(err.Error(), "; did you mean \""); i >= 0 {
			name, _, _ := strings.Cut(err.Error()[i+len("; did you mean \""):], `"`)
			if _, found := k.Operation(Operation(name)); !found {
				t.Fatalf("ParseOperation(%q) suggests %q, not an operation", s, name)
			}
		}
	})
}
