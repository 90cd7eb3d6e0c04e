// Package hermetic_test proves that the actions of this repository's builds cannot reach a host C
// toolchain: it runs as a Bazel test, in the same environment as the build's actions (tools/bazel's
// root, strict action env), and fails if any C compiler, linker or libc header is reachable there.
// The cgo matrix (//tests/cgo) builds in that same environment, so its C code can only have been
// compiled by the zig toolchains.
package hermetic_test

import (
	"os"
	"os/exec"
	"testing"
)

func TestNoHostCToolchain(t *testing.T) {
	if os.Getenv("TEST_SRCDIR") == "" {
		t.Skip("asserts the environment of Bazel actions: run it with bazel test //tests/hermetic")
	}
	for _, tool := range []string{"gcc", "cc", "c++", "g++", "cpp", "clang", "clang++", "ld", "ld.bfd", "ld.gold", "as", "x86_64-linux-gnu-gcc", "aarch64-linux-gnu-gcc"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			continue // not there at all: unreachable
		}
		// Present on disk (Debian's Bazel depends on gcc): it must not work.
		out, err := exec.Command(p, "--version").CombinedOutput()
		if err == nil {
			t.Errorf("%s (%s) runs from actions: a host C toolchain could leak into builds:\n%s", tool, p, out)
		}
	}
	for _, p := range []string{"/usr/include/stdio.h", "/usr/include/x86_64-linux-gnu", "/usr/lib/gcc/x86_64-linux-gnu", "/usr/libexec/gcc/x86_64-linux-gnu"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s is visible where actions run: host C headers or compiler parts could leak into builds", p)
		}
	}
}
