package scope

import (
	"strings"
	"testing"
)

// FuzzDeriveInjective checks that every derived ID is valid and parses back to
// exactly the tenant it was derived for, which proves derivation injective:
// two tenants with the same ID would have to parse to the same tenant.
func FuzzDeriveInjective(f *testing.F) {
	f.Add("acme_iam_external_id", false, "12345", "6789", false)
	f.Add("", true, "1_2", "", true)
	f.Add("a", true, "1", "2", false)
	f.Add("p_", false, "ws.1", "p@2", true)
	f.Fuzz(func(t *testing.T, prefix string, project bool, workspaceID, projectID string, keyed bool) {
		d := Deriver{Prefix: prefix}
		if keyed {
			d.Secret = []byte("fuzz-secret")
		}
		mode := WorkspaceMode
		if project {
			mode = ProjectMode
		} else {
			projectID = ""
		}
		id, err := d.ExternalID(mode, workspaceID, projectID)
		if err != nil {
			return
		}
		if err := ValidateExternalID(id); err != nil {
			t.Fatalf("derived invalid ID %q: %v", id, err)
		}
		got, err := d.Parse(id)
		if err != nil {
			t.Fatalf("Parse(%q) of a derived ID: %v", id, err)
		}
		want := Tenant{Mode: mode, WorkspaceID: workspaceID, ProjectID: projectID}
		if got != want {
			t.Fatalf("Parse(%q) = %+v, derived from %+v", id, got, want)
		}
	})
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// derives back to the same ID.
func FuzzParse(f *testing.F) {
	f.Add("awsconnect_iam_external_id_12345")
	f.Add("awsconnect_iam_external_id_12345_6789")
	f.Add("awsconnect_iam_external_id__")
	f.Fuzz(func(t *testing.T, id string) {
		var d Deriver
		tenant, err := d.Parse(id)
		if err != nil {
			return
		}
		again, err := d.ExternalID(tenant.Mode, tenant.WorkspaceID, tenant.ProjectID)
		if err != nil || again != id {
			t.Fatalf("Parse(%q) = %+v, which derives %q, %v", id, tenant, again, err)
		}
	})
}

// FuzzValidateExternalID checks ValidateExternalID against a direct reading
// of AWS's pattern.
func FuzzValidateExternalID(f *testing.F) {
	f.Add("acme_iam_external_id_12345")
	f.Add("a")
	f.Add("é1")
	f.Fuzz(func(t *testing.T, id string) {
		want := len([]rune(id)) >= 2 && len([]rune(id)) <= 1224
		for _, r := range id {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r < 128 && strings.ContainsRune("_+=,.@:/-", r)) {
				want = false
			}
		}
		if got := ValidateExternalID(id) == nil; got != want {
			t.Fatalf("ValidateExternalID(%q) valid = %v, want %v", id, got, want)
		}
	})
}
