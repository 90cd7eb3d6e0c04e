package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestToolDir(t *testing.T) {
	look := func(name string) (string, error) {
		if name == "cc" {
			return "/opt/tc/bin/cc", nil
		}
		return "", errors.New("not found")
	}
	tests := []struct{ argv0, cwd, want string }{
		{"bazel-out/k8-opt-exec/bin/tc/x/cc", "/e/execroot/_main", "/e/execroot/_main/bazel-out/k8-opt-exec/bin/tc/x"},
		{"/abs/bazel-out/bin/tc/cc", "/tmp/go-build1", "/abs/bazel-out/bin/tc"},
		{"./c++", "/d", "/d"},
		{"../t/ar", "/a/b", "/a/t"},
		{"cc", "/w", "/opt/tc/bin"}, // found through PATH
		{"ar", "/w", "/w"},          // not found: current dir
	}
	for _, tc := range tests {
		if got := toolDir(tc.argv0, tc.cwd, look); got != tc.want {
			t.Errorf("toolDir(%q, %q) = %q; want %q", tc.argv0, tc.cwd, got, tc.want)
		}
	}
}

func TestExecrootOf(t *testing.T) {
	tests := []struct {
		dir   string
		depth int
		want  string
	}{
		{"/e/execroot/_main/bazel-out/k8-opt-exec/bin/external/rules_go_cross~/tc", 6, "/e/execroot/_main"},
		{"/e/x", 0, "/e/x"},
		{"/e/x", 1, "/e"},
		{"/e", 5, "/"},
	}
	for _, tc := range tests {
		if got := execrootOf(tc.dir, tc.depth); got != tc.want {
			t.Errorf("execrootOf(%q, %d) = %q; want %q", tc.dir, tc.depth, got, tc.want)
		}
	}
}

func TestResolveLayout(t *testing.T) {
	const root = "/s/42/execroot/_main"
	dir := root + "/bazel-out/k8-opt-exec/bin/tc/musl"
	cfg := &config{Target: "x86_64-linux-musl", Zig: "external/zig_sdk/zig", Lib: "external/zig_sdk/lib", Depth: 5}

	// Bazel action: cwd is the execroot -> relative paths.
	l := resolveLayout(cfg, dir, root, nil)
	want := layout{Execroot: root, InExecroot: true, Zig: "external/zig_sdk/zig", Lib: "external/zig_sdk/lib"}
	if l != want {
		t.Errorf("in execroot: %+v; want %+v", l, want)
	}

	// Go's linker / cgo from a temp dir -> absolute paths under the execroot
	// (these do not exist, so stableLibDir keeps the lib path).
	l = resolveLayout(cfg, dir, "/tmp/go-build123/b001", nil)
	want = layout{Execroot: root, InExecroot: false, Zig: root + "/external/zig_sdk/zig", Lib: root + "/external/zig_sdk/lib"}
	if l != want {
		t.Errorf("outside execroot: %+v; want %+v", l, want)
	}

	// The same dir spelled differently counts as the execroot.
	l = resolveLayout(cfg, dir, "/other/spelling", func(a, b string) bool { return a == "/other/spelling" && b == root })
	if !l.InExecroot || l.Zig != "external/zig_sdk/zig" {
		t.Errorf("same dir, other spelling: %+v; want relative paths", l)
	}

	// Absolute paths in the config stay absolute; a bare name gets ./
	cfg2 := &config{Target: "x86_64-linux-musl", Zig: "zig", Lib: "/nonexistent/zig/lib", Depth: 5}
	l = resolveLayout(cfg2, dir, root, nil)
	if l.Zig != "./zig" || l.Lib != "/nonexistent/zig/lib" {
		t.Errorf("bare zig / absolute lib: %+v", l)
	}
}

func TestStableLibDir(t *testing.T) {
	real := t.TempDir()
	realLib := filepath.Join(real, "sdk", "lib")
	for _, d := range []string{"include", "libc/musl"} {
		if err := os.MkdirAll(filepath.Join(realLib, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(realLib, libMarker), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	realLib, _ = filepath.EvalSymlinks(realLib)

	sandbox := t.TempDir()
	// Directory symlink (execroot/external/<repo> -> output_base/external/<repo>).
	dirLink := filepath.Join(sandbox, "a", "external", "zig_sdk")
	os.MkdirAll(filepath.Dir(dirLink), 0o755)
	if err := os.Symlink(filepath.Join(real, "sdk"), dirLink); err != nil {
		t.Fatal(err)
	}
	if got := stableLibDir(filepath.Join(dirLink, "lib"), filepath.EvalSymlinks); got != realLib {
		t.Errorf("dir symlink: %q; want %q", got, realLib)
	}

	// Per-file symlinks (Bazel's sandbox).
	fileLib := filepath.Join(sandbox, "b", "external", "zig_sdk", "lib")
	os.MkdirAll(filepath.Join(fileLib, "include"), 0o755)
	if err := os.Symlink(filepath.Join(realLib, libMarker), filepath.Join(fileLib, libMarker)); err != nil {
		t.Fatal(err)
	}
	fileLib, _ = filepath.EvalSymlinks(fileLib)
	if got := stableLibDir(fileLib, filepath.EvalSymlinks); got != realLib {
		t.Errorf("file symlinks: %q; want %q", got, realLib)
	}

	// Plain copy (remote execution): unchanged.
	copyLib := filepath.Join(sandbox, "c", "lib")
	os.MkdirAll(filepath.Join(copyLib, "include"), 0o755)
	os.WriteFile(filepath.Join(copyLib, libMarker), nil, 0o644)
	copyLib, _ = filepath.EvalSymlinks(copyLib)
	if got := stableLibDir(copyLib, filepath.EvalSymlinks); got != copyLib {
		t.Errorf("copy: %q; want %q", got, copyLib)
	}

	// Missing: unchanged.
	if got := stableLibDir("/nonexistent/lib", filepath.EvalSymlinks); got != "/nonexistent/lib" {
		t.Errorf("missing: %q", got)
	}
}

func TestCacheDirFor(t *testing.T) {
	l := layout{Execroot: "/e/execroot/_main"}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	abs := &config{Cache: "/tmp/rules_go_cross/zig-cache"}
	rel := &config{Cache: "tmp/zig-cache"}
	if got := cacheDirFor(abs, l, "/cwd", getenv); got != "/tmp/rules_go_cross/zig-cache" {
		t.Errorf("absolute cfg cache: %q", got)
	}
	if got := cacheDirFor(rel, l, "/cwd", getenv); got != "/e/execroot/_main/tmp/zig-cache" {
		t.Errorf("relative cfg cache: %q", got)
	}
	env[cacheEnv] = "/override"
	if got := cacheDirFor(abs, l, "/cwd", getenv); got != "/override" {
		t.Errorf("env override: %q", got)
	}
	env[cacheEnv] = "rel/cache"
	if got := cacheDirFor(abs, l, "/cwd", getenv); got != "/cwd/rel/cache" {
		t.Errorf("relative env override: %q", got)
	}
}
