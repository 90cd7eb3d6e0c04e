package bazelversion

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseAtLeast71(t *testing.T) {
	for _, tc := range []struct {
		out  string
		want bool
	}{
		{"bazel 7.7.1\n", true},
		{"bazel 7.1.0\n", true},
		{"bazel 7.0.2\n", false},
		{"bazel 6.5.0\n", false},
		{"bazel 8.0.0rc1\n", true},
		{"bazel 10.2.0\n", true},
		{"bazel 7.1.0-homebrew\n", true},
		{"bazel no_version\n", false},
		{"bazel\n", false},
		{"", false},
		{"bazel 7\n", true}, // no dot: the whole word is both major and minor, as the bash read it
		{"bazel x.1\n", false},
		{"bazel 7.7.1\nbazel 6.0.0\n", true}, // several lines: the first word before a dot decides, as in the bash
	} {
		if got := parseAtLeast71(tc.out); got != tc.want {
			t.Errorf("parseAtLeast71(%q) = %v, want %v", tc.out, got, tc.want)
		}
	}
}

func TestAtLeast71RunsBazel(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, script string
		want         bool
	}{
		{"new", "#!/bin/sh\necho 'bazel 7.7.1'\n", true},
		{"old", "#!/bin/sh\necho 'bazel 6.4.0'\n", false},
		{"fails", "#!/bin/sh\necho 'bazel 7.7.1'\nexit 3\n", false},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.script), 0o755); err != nil {
			t.Fatal(err)
		}
		if got := AtLeast71(p); got != tc.want {
			t.Errorf("AtLeast71(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
	if AtLeast71(filepath.Join(dir, "missing")) {
		t.Error("AtLeast71 of a missing file = true")
	}
}
