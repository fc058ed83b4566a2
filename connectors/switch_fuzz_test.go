package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/awsconnect/awsconnect/scope"
)

// FuzzSavedSwitch reads arbitrary saved switch states, as a platform reads
// them back from its database: a step given one must not panic, and either
// refuses it as invalid without calling STS or acts on it; a state that
// reads at all writes back to the same JSON.
func FuzzSavedSwitch(f *testing.F) {
	f.Add(`{"kind":"mode_switch","workspace_id":"12345","from_mode":"workspace","to_mode":"project","step":"planned","connections":[],"roles":[]}`)
	f.Add(`{"kind":"rotation","workspace_id":"12345","from_mode":"project","to_mode":"project","to_deriver_version":"v2","step":"committed"}`)
	f.Add(`{"kind":"mode_switch","workspace_id":"1","from_mode":"workspace","to_mode":"project","step":"verified","connections":[{"connection_id":"c","role_arn":"r","old_external_id":"aa","new_external_id":"bb","readiness":"ready"}],"roles":[{"role_arn":"r"}]}`)
	f.Add(`{"step":"finished","roles":[{"final_trust_policy":{"Version":"2012-10-17","Statement":[]}}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		var sw Switch
		if json.Unmarshal([]byte(doc), &sw) != nil {
			return
		}
		out, err := json.Marshal(sw)
		if err != nil {
			return // a document a state refuses to write (an invalid mode) is never stored
		}
		var back Switch
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("a written state does not read back: %v\n%s", err, out)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(out) {
			t.Fatalf("state changed on a round trip:\n%s\n%s", out, again)
		}
		f := &fakeSTS{err: errors.New("no STS in this test")}
		r, _ := newTestResolver(t, f, testRegistry(nil), scope.WorkspaceMode)
		r.opts.STS = f
		w := NewSwitcher(NewSettings(r), func(o *SwitcherOptions) { o.Modes = &MemoryScopes{}; o.Derivers = &MemoryScopes{} })
		ctx := context.Background()
		if err := w.validate(sw); err != nil {
			if !errors.Is(err, ErrInvalidSwitch) {
				t.Fatalf("invalid state refused with %v", err)
			}
			for _, step := range []func(context.Context, Switch) (Switch, error){w.Verify, w.Finish} {
				got, err := step(ctx, sw)
				if !errors.Is(err, ErrInvalidSwitch) {
					t.Fatalf("a step acted on an invalid state: %v", err)
				}
				if j, _ := json.Marshal(got); string(j) != string(out) {
					t.Fatalf("a refused step changed the state")
				}
			}
			if n := len(f.snapshot()); n != 0 {
				t.Fatalf("%d STS calls for an invalid state", n)
			}
			return
		}
		_, _ = w.Verify(ctx, sw)
		_, _ = w.Commit(ctx, sw)
		_, _ = w.Finish(ctx, sw)
	})
}
