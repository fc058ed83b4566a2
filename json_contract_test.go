package awsconnect_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// screenTypes are the types a platform's screens show, as JSON: the roots of
// the UI contract (issue 14). Every exported struct type they reach is held
// to it too.
var screenTypes = []reflect.Type{
	reflect.TypeFor[connectors.CheckReport](),
	reflect.TypeFor[connectors.CheckStep](),
	reflect.TypeFor[connectors.ValidationError](),
	reflect.TypeFor[connectors.FieldError](),
	reflect.TypeFor[connectors.Connection](),
	reflect.TypeFor[connectors.Auth](),
	reflect.TypeFor[connectors.Kind](),
	reflect.TypeFor[connectors.Field](),
	reflect.TypeFor[connectors.OperationInfo](),
	reflect.TypeFor[connectors.SettingsScreen](),
	reflect.TypeFor[connectors.Principal](),
	reflect.TypeFor[connectors.ExternalIDInfo](),
	reflect.TypeFor[connectors.ModeChoice](),
	reflect.TypeFor[connectors.Switch](),
	reflect.TypeFor[connectors.SwitchConnection](),
	reflect.TypeFor[connectors.SwitchRole](),
	reflect.TypeFor[connectors.DriftEvent](),
	reflect.TypeFor[scope.Plan](),
	reflect.TypeFor[scope.Change](),
	reflect.TypeFor[scope.RoleUpdate](),
	reflect.TypeFor[scope.Connection](),
	reflect.TypeFor[policy.Finding](),
	reflect.TypeFor[role.Stats](),
	reflect.TypeFor[s3.Entry](),
	reflect.TypeFor[s3.Bucket](),
	reflect.TypeFor[s3.ObjectInfo](),
	reflect.TypeFor[s3.PutResult](),
	reflect.TypeFor[s3.UploadResult](),
	reflect.TypeFor[onboarding.Guide](),
	reflect.TypeFor[onboarding.Step](),
	reflect.TypeFor[onboarding.Value](),
	reflect.TypeFor[onboarding.CopyBack](),
	reflect.TypeFor[onboarding.Kit](),
	// What a workflow step shows of a connector's call.
	reflect.TypeFor[lambda.Result](),
	reflect.TypeFor[lambda.FunctionError](),
	reflect.TypeFor[lambda.Function](),
	reflect.TypeFor[ses.Account](),
	reflect.TypeFor[cloudwatch.LogEvent](),
	reflect.TypeFor[cloudwatch.PutLogEventsResult](),
	reflect.TypeFor[signedhttp.Identity](),
}

// awsWireTypes keep AWS's own JSON names on purpose: an IAM policy document
// is pasted into AWS as it marshals ("Version", "Statement"), so the walk
// does not enter them.
var awsWireTypes = map[reflect.Type]string{
	reflect.TypeFor[policy.Document]():  "the IAM policy grammar",
	reflect.TypeFor[policy.Statement](): "the IAM policy grammar",
	reflect.TypeFor[policy.Principal](): "the IAM policy grammar",
}

// TestLexOutputsKeepLexNames: the Lex connector's results marshal with the
// names of the Lex V2 runtime's own JSON, which its nested types decode.
func TestLexOutputsKeepLexNames(t *testing.T) {
	b, err := json.Marshal(lex.PutSessionOutput{SessionID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"sessionId":"s1"}`; got != want {
		t.Fatalf("json.Marshal(lex.PutSessionOutput) = %s, want %s", got, want)
	}
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// reachableStructs returns every struct type of this module the screen
// types reach through fields, elements, pointers and map values, sorted by
// name.
func reachableStructs(t *testing.T) []reflect.Type {
	t.Helper()
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || !strings.HasPrefix(typ.PkgPath(), "github.com/awsconnect/awsconnect") {
			return
		}
		seen[typ] = true
		if _, ok := awsWireTypes[typ]; ok {
			return
		}
		out = append(out, typ)
		for f := range typ.Fields() {
			if f.IsExported() && f.Tag.Get("json") != "-" {
				walk(f.Type)
			}
		}
	}
	for _, typ := range screenTypes {
		walk(typ)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// TestScreenTypesHaveSnakeCaseJSONNames fails on any exported field of a
// screen type (or a type it reaches) without a snake_case json name or
// json:"-": an untagged field marshals under its Go name ("RoleARN"), which
// the next rename changes under every screen that reads it.
func TestScreenTypesHaveSnakeCaseJSONNames(t *testing.T) {
	types := reachableStructs(t)
	if len(types) < len(screenTypes) {
		t.Fatalf("walked %d struct types from %d roots: the walk is broken", len(types), len(screenTypes))
	}
	for _, typ := range types {
		for f := range typ.Fields() {
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				continue // embedded: its fields are promoted and walked on their own
			}
			if !snakeCase.MatchString(name) {
				t.Errorf("%s.%s has json name %q: give it a snake_case `json:\"...\"` tag or `json:\"-\"`", typ, f.Name, name)
			}
		}
	}
}

// TestScreenTypesWithoutExportedFieldsStillMarshalTheirContent fails on a
// screen type whose JSON would be "{}" because all its state is unexported
// (and it has no MarshalJSON): a screen that shows it would show nothing.
func TestScreenTypesWithoutExportedFieldsStillMarshalTheirContent(t *testing.T) {
	marshaler := reflect.TypeFor[json.Marshaler]()
	for _, typ := range screenTypes {
		exported := false
		for f := range typ.Fields() {
			exported = exported || f.IsExported()
		}
		if !exported && !typ.Implements(marshaler) && !reflect.PointerTo(typ).Implements(marshaler) {
			t.Errorf("%s has no exported field and no MarshalJSON: it marshals as {}", typ)
		}
	}
}

// TestScreenTypesZeroValuesMarshalAndRoundTrip marshals the zero value of
// every screen type and reached struct, reads it back and marshals it
// again: both must succeed and give the same bytes.
func TestScreenTypesZeroValuesMarshalAndRoundTrip(t *testing.T) {
	for _, typ := range reachableStructs(t) {
		t.Run(typ.String(), func(t *testing.T) {
			zero := reflect.New(typ)
			first, err := json.Marshal(zero.Interface())
			if err != nil {
				t.Fatalf("json.Marshal of the zero %s: %v", typ, err)
			}
			if typ == reflect.TypeFor[onboarding.Kit]() {
				return // built by onboarding.New only; not read back from JSON
			}
			back := reflect.New(typ)
			if err := json.Unmarshal(first, back.Interface()); err != nil {
				t.Fatalf("json.Unmarshal of the zero %s's JSON %s: %v", typ, first, err)
			}
			second, err := json.Marshal(back.Interface())
			if err != nil {
				t.Fatalf("json.Marshal of the read-back %s: %v", typ, err)
			}
			if !bytes.Equal(first, second) {
				t.Errorf("zero %s changed through a round trip:\n%s\n%s", typ, first, second)
			}
		})
	}
}

// TestScreenTypesTimesAreRFC3339 checks that every time.Time field of a
// screen type is zero-omitted (so the zero value does not read
// "0001-01-01T00:00:00Z") or written in RFC 3339 once set.
func TestScreenTypesTimesAreRFC3339(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 30, 15, 0, time.UTC)
	for _, typ := range reachableStructs(t) {
		for f := range typ.Fields() {
			if f.Type != reflect.TypeFor[time.Time]() || !f.IsExported() {
				continue
			}
			v := reflect.New(typ)
			v.Elem().FieldByIndex(f.Index).Set(reflect.ValueOf(at))
			b, err := json.Marshal(v.Interface())
			if err != nil {
				t.Fatalf("%s with %s set: %v", typ, f.Name, err)
			}
			if !bytes.Contains(b, []byte(`"`+at.Format(time.RFC3339)+`"`)) {
				t.Errorf("%s.%s does not marshal as RFC 3339 %s: %s", typ, f.Name, at.Format(time.RFC3339), b)
			}
		}
	}
}

// enumValues lists each enum a screen reads with its values.
var enumValues = []struct {
	ptr   any
	known []string
}{
	{new(connectors.Status), []string{"passed", "warned", "failed", "skipped"}},
	{new(connectors.Cause), []string{"invalid_fields", "trust_policy_denied", "external_id_not_required", "permission_missing",
		"region_disabled", "network_error", "throttled", "credentials_invalid", "external_id_retired", "endpoint_refused", "unknown"}},
	{new(connectors.Actor), []string{"customer", "platform"}},
	{new(connectors.StepID), []string{"fields_valid", "role_assumed", "external_id_required", "service_reachable"}},
	{new(connectors.AuthType), []string{"iam_role", "access_key"}},
	{new(connectors.DriftKind), []string{"role_untrusted", "external_id_not_required", "permission_missing"}},
	{new(connectors.SwitchKind), []string{"mode_switch", "rotation"}},
	{new(connectors.SwitchStep), []string{"planned", "verified", "committed", "finished"}},
	{new(connectors.Readiness), []string{"unverified", "ready", "not_ready"}},
	{new(connectors.Cleanup), []string{"pending", "done", "old_id_trusted", "new_id_refused", "unknown"}},
	{new(scope.Mode), []string{"workspace", "project"}},
	{new(policy.Severity), []string{"ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"}},
	{new(policy.Decision), []string{"Allow", "ImplicitDeny", "ExplicitDeny"}},
	{new(role.Reason), []string{"unknown", "trust_policy", "duration_too_long", "region_disabled", "platform_credentials",
		"throttled", "network", "invalid_request", "clock_skew", "platform_permission"}},
}

// TestScreenEnumsRoundTripAndRefuseUnknownValues marshals each enum value
// as its string, reads it back to the same value, and refuses a value the
// library does not know with an error that names it.
func TestScreenEnumsRoundTripAndRefuseUnknownValues(t *testing.T) {
	for _, e := range enumValues {
		typ := reflect.TypeOf(e.ptr).Elem()
		t.Run(typ.String(), func(t *testing.T) {
			known := e.known
			for _, s := range known {
				v := reflect.New(typ)
				if err := json.Unmarshal([]byte(`"`+s+`"`), v.Interface()); err != nil {
					t.Fatalf("%s %q: %v", typ, s, err)
				}
				b, err := json.Marshal(v.Elem().Interface())
				if err != nil || string(b) != `"`+s+`"` {
					t.Errorf("%s %q marshals as %s, %v", typ, s, b, err)
				}
			}
			v := reflect.New(typ)
			err := json.Unmarshal([]byte(`"no_such_value"`), v.Interface())
			if err == nil {
				t.Fatalf("%s accepted the unknown value \"no_such_value\"", typ)
			}
			if !strings.Contains(err.Error(), "no_such_value") || !strings.Contains(err.Error(), known[0]) {
				t.Errorf("%s's error for an unknown value should name it and the known ones: %v", typ, err)
			}
		})
	}
}

// goldenScreens are the golden files that pin a screen type's JSON, each
// with the type it is the JSON of.
var goldenScreens = map[string]func() any{
	"connectors/testdata/check_passed.golden":                   func() any { return new(connectors.CheckReport) },
	"connectors/testdata/check_invalid_fields.golden":           func() any { return new(connectors.CheckReport) },
	"connectors/testdata/check_trust_policy_denied.golden":      func() any { return new(connectors.CheckReport) },
	"connectors/testdata/check_permission_missing.golden":       func() any { return new(connectors.CheckReport) },
	"connectors/testdata/check_external_id_not_required.golden": func() any { return new(connectors.CheckReport) },
	"connectors/testdata/check_zero.golden":                     func() any { return new(connectors.CheckReport) },
	"connectors/testdata/validation_error.golden":               func() any { return new(connectors.ValidationError) },
	"connectors/testdata/validation_error_zero.golden":          func() any { return new(connectors.ValidationError) },
	"connectors/testdata/settings_screen.golden":                func() any { return new(connectors.SettingsScreen) },
	"connectors/testdata/switch_planned.golden":                 func() any { return new(connectors.Switch) },
	"connectors/testdata/drift_event.golden":                    func() any { return new(connectors.DriftEvent) },
	"connectors/s3/testdata/entries.golden":                     func() any { return new([]s3.Entry) },
	"connectors/s3/testdata/buckets.golden":                     func() any { return new([]s3.Bucket) },
	"connectors/s3/testdata/object_info.golden":                 func() any { return new(s3.ObjectInfo) },
	"connectors/s3/testdata/upload.golden":                      func() any { return new(s3.UploadResult) },
	"policy/testdata/findings.golden":                           func() any { return new([]policy.Finding) },
	"policy/testdata/finding_zero.golden":                       func() any { return new(policy.Finding) },
	"role/testdata/stats.golden":                                func() any { return new(role.Stats) },
	"role/testdata/stats_zero.golden":                           func() any { return new(role.Stats) },
	"scope/testdata/plan.golden":                                func() any { return new(scope.Plan) },
	"scope/testdata/plan_zero.golden":                           func() any { return new(scope.Plan) },
	"onboarding/testdata/console-steps.json":                    func() any { return new(onboarding.Guide) },
}

// TestGoldenScreensRoundTrip reads each golden screen back into its type
// and marshals it again: the bytes must be the golden file's, so what a
// platform stores of a screen reads back as it was written (CheckReport's
// status included, which follows from the steps).
func TestGoldenScreensRoundTrip(t *testing.T) {
	for path, newV := range goldenScreens {
		t.Run(path, func(t *testing.T) {
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			v := newV()
			if err := json.Unmarshal(want, v); err != nil {
				t.Fatalf("json.Unmarshal of %s into %T: %v", path, v, err)
			}
			got, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatalf("json.Marshal of %T read from %s: %v", v, path, err)
			}
			if got = append(got, '\n'); !bytes.Equal(want, got) {
				t.Errorf("%s changed through unmarshal and marshal:\n--- want\n%s\n--- got\n%s", path, want, got)
			}
		})
	}
}
