package role

import (
	"maps"
	"strings"
	"testing"
	"time"
)

// FuzzValidate: any Spec is either refused with a package-prefixed error or
// yields inputs STS accepts, and its key does not depend on map order.
func FuzzValidate(f *testing.F) {
	f.Add(roleA, extA, "", "ws", "proj", "", int64(0), "k", "v", "arn:aws:iam::aws:policy/ReadOnlyAccess")
	f.Add(roleB, "x", "bad name", "", "", "conn", int64(time.Hour), "", "", "nope")
	f.Fuzz(func(t *testing.T, roleARN, ext, session, ws, proj, conn string, d int64, tagK, tagV, policyARN string) {
		s := Spec{RoleARN: roleARN, ExternalID: ext, SessionName: session, WorkspaceID: ws, ProjectID: proj,
			ConnectionID: conn, Duration: time.Duration(d), PolicyARNs: []string{policyARN},
			Tags: map[string]string{tagK: tagV, "fixed": "1"}}
		in, err := validate(&s, DefaultDuration, "awsconnect")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "role: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if ext == "" {
			t.Fatal("accepted a spec without an external ID")
		}
		if err := checkName("SessionName", in.sessionName); err != nil {
			t.Fatalf("session name %q: %v", in.sessionName, err)
		}
		same := s
		same.Tags = maps.Clone(s.Tags) // iterated in another random order
		if keyOf(&s, DefaultDuration) != keyOf(&same, DefaultDuration) {
			t.Fatal("key depends on how the tags map was built")
		}
	})
}
