package redact

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
)

type secretHolder struct{ secret string }

func (s secretHolder) String() string                { return "holder" }
func (s secretHolder) GoString() string              { return "pkg.Holder{}" }
func (s secretHolder) Format(f fmt.State, verb rune) { Format(f, verb, s.String(), s.GoString()) }
func (s secretHolder) LogValue() slog.Value          { return Value(s.String()) }
func (s secretHolder) MarshalJSON() ([]byte, error)  { return JSON(s.String()) }

func TestFormatPrintsOnlyTheDescription(t *testing.T) {
	h := secretHolder{secret: "SECRET"}
	for verb, want := range map[string]string{"%v": "holder", "%+v": "holder", "%#v": "pkg.Holder{}", "%s": "holder",
		"%q": `"holder"`, "%x": "686f6c646572", "%X": "686F6C646572", "%d": "holder", "%10.2f": "holder"} {
		if got := fmt.Sprintf(verb, h); got != want {
			t.Errorf("%s: %q, want %q", verb, got, want)
		}
	}
	j, err := json.Marshal(struct{ H secretHolder }{h})
	if err != nil || string(j) != `{"H":"holder"}` {
		t.Errorf("json: %s %v", j, err)
	}
	if v := Value("d", slog.String("k", "v")); v.Kind() != slog.KindGroup {
		t.Errorf("Value with attributes is %v, want a group", v.Kind())
	}
}
