// Package crossbin helps the tests that run binaries cross-built by Bazel: it resolves their
// runfiles paths and parses the platform=path list the test rule passes.
package crossbin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Runfile resolves a $(rootpath) relative to the runfiles tree (go_test runs in its package
// directory, not at the runfiles root).
func Runfile(p string) string {
	if dir := os.Getenv("TEST_SRCDIR"); dir != "" {
		return filepath.Join(dir, os.Getenv("TEST_WORKSPACE"), p)
	}
	return p
}

// Parse turns "platform=path,..." into a map of resolved paths, and fails t if a platform of
// want is missing. An empty list skips t: the binaries only exist under bazel test.
func Parse(t *testing.T, list string, want []string) map[string]string {
	t.Helper()
	if list == "" {
		t.Skip("needs -binaries: run it with bazel test (tools/test step 1), which builds them")
	}
	out := map[string]string{}
	for _, pair := range strings.Split(list, ",") {
		name, path, ok := strings.Cut(pair, "=")
		if !ok {
			t.Fatalf("-binaries: %q is not platform=path", pair)
		}
		out[name] = Runfile(path)
	}
	for _, name := range want {
		if _, ok := out[name]; !ok {
			t.Fatalf("-binaries lacks %s", name)
		}
	}
	return out
}
