// Package crossbin helps the tests that run binaries cross-built by Bazel: it resolves their
// runfiles paths, parses the platform=path list the test rule passes and runs a binary for
// another architecture under qemu-user.
package crossbin

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
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

// Each runs check as a subtest named after each platform of list (see Parse), with the path of
// its binary and what targets, keyed by platform, wants of it. A platform of targets missing
// from list fails t.
func Each[T any](t *testing.T, list string, targets map[string]T, check func(t *testing.T, path string, want T)) {
	t.Helper()
	for name, path := range Parse(t, list, slices.Sorted(maps.Keys(targets))) {
		t.Run(name, func(t *testing.T) { check(t, path, targets[name]) })
	}
}

// Command runs the binary at path, built for goarch, natively when that is the host's
// architecture and else under qemu-user (qemu-aarch64, qemu-x86_64). sysroot, if not empty, is
// qemu's -L root for a dynamically linked binary (its loader and libraries); a native run
// ignores it.
func Command(t *testing.T, goarch, sysroot, path string, args ...string) *exec.Cmd {
	t.Helper()
	if goarch == runtime.GOARCH {
		return exec.Command(path, args...)
	}
	qemu := map[string]string{"arm64": "qemu-aarch64", "amd64": "qemu-x86_64"}[goarch]
	if qemu == "" {
		t.Fatalf("no qemu-user binary known for GOARCH %s", goarch)
	}
	q, err := exec.LookPath(qemu)
	if err != nil {
		t.Fatalf("%s not found in PATH (%v): install Debian's qemu-user package (tools/bazel installs it in its environment)", qemu, err)
	}
	var qargs []string
	if sysroot != "" {
		qargs = append(qargs, "-L", sysroot)
	}
	return exec.Command(q, append(append(qargs, path), args...)...)
}
