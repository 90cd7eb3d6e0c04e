package main

import (
	"strings"
	"testing"
)

func TestCheckSealed(t *testing.T) {
	for _, tc := range []struct {
		ws, rgc, tmpdir, err string
	}{
		{"/var/tmp/ws", "/var/tmp/rgc", "/var/tmp/t", ""},
		{"/tmp/ws", "/var/tmp/rgc", "/var/tmp/t", "the workspace /tmp/ws is under /tmp"},
		{"/tmp", "/var/tmp/rgc", "/var/tmp/t", "the workspace /tmp is under /tmp"},
		{"/tmpfoo/ws", "/var/tmp/rgc", "/var/tmp/t", ""},
		{"/var/tmp/ws", "/tmp/rgc", "/var/tmp/t", "this tools/bazel is in /tmp/rgc, under /tmp"},
		{"/var/tmp/ws", "/var/tmp/rgc", "", "set TMPDIR to a writable directory outside /tmp"},
		{"/var/tmp/ws", "/var/tmp/rgc", "/tmp/t", "set TMPDIR to a writable directory outside /tmp"},
		{"/var/tmp/ws", "/var/tmp/rgc", "/tmp", "set TMPDIR to a writable directory outside /tmp"},
	} {
		err := checkSealed(tc.ws, tc.rgc, tc.tmpdir)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("checkSealed(%q, %q, %q): %v", tc.ws, tc.rgc, tc.tmpdir, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "RULES_GO_CROSS_SEALED_TMP=1: ")):
			t.Errorf("checkSealed(%q, %q, %q) = %v, want an error with %q", tc.ws, tc.rgc, tc.tmpdir, err, tc.err)
		}
	}
}
