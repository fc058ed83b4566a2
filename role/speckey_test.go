package role

import (
	"reflect"
	"testing"
	"time"
)

// TestKeyCoversEverySpecField changes each field of Spec, found by
// reflection so that a field added later is covered too, and requires a
// different cache key: two specs that assume differently must never share
// credentials. The tenant IDs count only while SessionName is derived from
// them; a given SessionName replaces them.
func TestKeyCoversEverySpecField(t *testing.T) {
	base := Spec{RoleARN: "arn:aws:iam::111122223333:role/r", ExternalID: "acme_1",
		WorkspaceID: "w", ProjectID: "p", ConnectionID: "c", Duration: time.Hour,
		Policy: `{"Version":"2012-10-17"}`, PolicyARNs: []string{"arn:aws:iam::aws:policy/A"},
		Tags: map[string]string{"k": "v"}, TransitiveTagKeys: []string{"k"}, SourceIdentity: "s"}
	tenant := map[string]bool{"WorkspaceID": true, "ProjectID": true, "ConnectionID": true}
	typ := reflect.TypeFor[Spec]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		for _, named := range []bool{false, true} {
			if named && !tenant[f.Name] && f.Name != "SessionName" {
				continue
			}
			a := base
			if named {
				a.SessionName = "given"
			}
			b := a
			v := reflect.ValueOf(&b).Elem().Field(i)
			switch v.Kind() {
			case reflect.String:
				v.SetString(v.String() + "x")
			case reflect.Int64:
				v.SetInt(v.Int() + int64(time.Minute))
			case reflect.Slice:
				v.Set(reflect.ValueOf([]string{"arn:aws:iam::aws:policy/B"}))
			case reflect.Map:
				v.Set(reflect.ValueOf(map[string]string{"k": "w"}))
			default:
				t.Fatalf("Spec.%s is a %s, which this test does not know how to change: teach it", f.Name, v.Kind())
			}
			same := keyOf(&a, time.Hour) == keyOf(&b, time.Hour)
			if named && tenant[f.Name] {
				if !same {
					t.Errorf("with SessionName given, Spec.%s changes the key but not the call", f.Name)
				}
				continue
			}
			if same {
				t.Errorf("Spec.%s (session name given: %t) does not change the cache key", f.Name, named)
			}
		}
	}
	// Zero duration is the default duration, one key for both.
	a, b := base, base
	a.Duration, b.Duration = 0, time.Hour
	if keyOf(&a, time.Hour) != keyOf(&b, time.Hour) {
		t.Error("Duration 0 and the default duration are two keys")
	}
}
