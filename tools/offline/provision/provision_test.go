package provision

import (
	"os"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/layout"
)

func TestEnsureSkipsACompleteEnvironment(t *testing.T) {
	l := layout.At(t.TempDir())
	if err := os.MkdirAll(l.Env, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.Env+"/.complete", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	progress := func(s string) { t.Errorf("progress %q: a complete environment is not provisioned again", s) }
	if err := Ensure(Options{Layout: l, Mirror: DefaultMirror, Progress: progress}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.LockFile()); !os.IsNotExist(err) {
		t.Errorf("the warm path took the lock (%s exists)", l.LockFile())
	}
}
