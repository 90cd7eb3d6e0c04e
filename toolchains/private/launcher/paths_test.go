package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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

	// Bazel action: cwd is the execroot -> relative zig.
	l := resolveLayout(cfg, dir, root, nil)
	want := layout{Execroot: root, InExecroot: true, Zig: "external/zig_sdk/zig", Lib: "external/zig_sdk/lib"}
	if l != want {
		t.Errorf("in execroot: %+v; want %+v", l, want)
	}

	// Go's linker / cgo from a temp dir -> absolute zig under the execroot.
	l = resolveLayout(cfg, dir, "/tmp/go-build123/b001", nil)
	want = layout{Execroot: root, InExecroot: false, Zig: root + "/external/zig_sdk/zig", Lib: "external/zig_sdk/lib"}
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

func TestZigLib(t *testing.T) {
	in := layout{Execroot: "/e/_main", InExecroot: true, Lib: "external/z/lib"}
	out := layout{Execroot: "/e/_main", InExecroot: false, Lib: "external/z/lib"}
	abs := layout{Execroot: "/e/_main", InExecroot: false, Lib: "/opt/zig/lib"}
	tests := []struct {
		name string
		l    layout
		link bool
		want string
	}{
		{"compile in execroot: relative (for .d files)", in, false, "external/z/lib"},
		{"link in execroot: the runtime's spelling", in, true, "/proc/self/cwd/external/z/lib"},
		{"compile in a Go temp dir", out, false, "/proc/self/cwd/external/z/lib"},
		{"link in a Go temp dir", out, true, "/proc/self/cwd/external/z/lib"},
		{"absolute lib= as it is", abs, true, "/opt/zig/lib"},
	}
	for _, tc := range tests {
		if got := tc.l.zigLib(tc.link); got != tc.want {
			t.Errorf("%s: zigLib = %q; want %q", tc.name, got, tc.want)
		}
	}
	if got := in.absLib(); got != "/e/_main/external/z/lib" {
		t.Errorf("absLib = %q", got)
	}
}

func TestAnchor(t *testing.T) {
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "external", "z", "lib"), 0o755))
	l := layout{Execroot: root, Lib: "external/z/lib"}

	cwd := t.TempDir()
	if err := anchor(l, cwd); err != nil {
		t.Fatal(err)
	}
	if got, err := os.Readlink(filepath.Join(cwd, "external")); err != nil || got != filepath.Join(root, "external") {
		t.Errorf("cwd/external -> %q, %v; want %s", got, err, filepath.Join(root, "external"))
	}
	// A second invocation in the same directory finds it.
	if err := anchor(l, cwd); err != nil {
		t.Errorf("second anchor: %v", err)
	}
	// Something else under that name is an error naming it.
	other := t.TempDir()
	must(t, os.Mkdir(filepath.Join(other, "external"), 0o755))
	if err := anchor(l, other); err == nil || !strings.Contains(err.Error(), filepath.Join(other, "external")+" exists") {
		t.Errorf("anchor over another dir: %v; want an error naming it", err)
	}
	// In the execroot nothing is made.
	l.InExecroot = true
	if err := anchor(l, t.TempDir()); err != nil {
		t.Errorf("in execroot: %v", err)
	}
	if err := anchor(layout{Execroot: root, Lib: "../up/lib"}, t.TempDir()); err == nil {
		t.Error("lib outside the execroot: no error")
	}
}

func TestSharedCacheDir(t *testing.T) {
	l := layout{Execroot: "/e/execroot/_main"}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	abs := &config{Cache: "/var/cache/zig"}
	rel := &config{Cache: "tmp/zig-cache"}
	none := &config{}
	if got := sharedCacheDir(none, l, "/cwd", getenv); got != "" {
		t.Errorf("no cache=: %q; want \"\" (a fresh cache per invocation)", got)
	}
	if got := sharedCacheDir(abs, l, "/cwd", getenv); got != "/var/cache/zig" {
		t.Errorf("absolute cfg cache: %q", got)
	}
	if got := sharedCacheDir(rel, l, "/cwd", getenv); got != "/e/execroot/_main/tmp/zig-cache" {
		t.Errorf("relative cfg cache: %q", got)
	}
	env[cacheEnv] = "/override"
	if got := sharedCacheDir(none, l, "/cwd", getenv); got != "/override" {
		t.Errorf("env override: %q", got)
	}
	env[cacheEnv] = "rel/cache"
	if got := sharedCacheDir(abs, l, "/cwd", getenv); got != "/cwd/rel/cache" {
		t.Errorf("relative env override: %q", got)
	}
}

func TestRuntimeDirs(t *testing.T) {
	l := layout{Execroot: "/e/_main"}
	tests := []struct {
		runtime string
		want    []string
	}{
		{"", nil},
		{"bazel-out/x/rt", []string{"/e/_main/bazel-out/x/rt"}},
		{"/abs/rt", []string{"/abs/rt"}},
		{"bazel-out/x/rt_c:bazel-out/x/rt_c++", []string{"/e/_main/bazel-out/x/rt_c", "/e/_main/bazel-out/x/rt_c++"}},
		{"a::/b/", []string{"/e/_main/a", "/b"}},
	}
	for _, tc := range tests {
		if got := runtimeDirs(&config{Runtime: tc.runtime}, l); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("runtimeDirs(runtime=%q) = %q; want %q", tc.runtime, got, tc.want)
		}
	}
}
