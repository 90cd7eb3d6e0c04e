package rootcmd

import (
	"reflect"
	"testing"
)

func TestCommand(t *testing.T) {
	cmd := Command("/c/env-v1/root", nil, nil, "sh", "-c", "apt-get update")
	want := []string{"unshare", "-m", "--propagation", "private", "--", "/bin/sh", "-c", script, "in_root", "/c/env-v1/root", "sh", "-c", "apt-get update"}
	if !reflect.DeepEqual(cmd.Args, want) {
		t.Errorf("Args = %q, want %q", cmd.Args, want)
	}
}
