package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	const good = `# written by a Bazel rule
target=x86_64-linux-musl        # zig target triple
zig=external/rules_go_cross~~zig~zig_sdk/zig     # execroot-relative
lib = external/rules_go_cross~~zig~zig_sdk/lib

depth=6
runtime=bazel-out/k8-opt-exec/bin/toolchains/private/runtime_c_x86_64-linux-musl:bazel-out/k8-opt-exec/bin/toolchains/private/runtime_c++_x86_64-linux-musl
goarch=amd64
`
	c, err := parseConfig("launcher.cfg", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		Target:  "x86_64-linux-musl",
		Zig:     "external/rules_go_cross~~zig~zig_sdk/zig",
		Lib:     "external/rules_go_cross~~zig~zig_sdk/lib",
		Depth:   6,
		Runtime: "bazel-out/k8-opt-exec/bin/toolchains/private/runtime_c_x86_64-linux-musl:bazel-out/k8-opt-exec/bin/toolchains/private/runtime_c++_x86_64-linux-musl",
		GOARCH:  "amd64",
	}
	if *c != want {
		t.Errorf("parseConfig = %+v; want %+v", *c, want)
	}

	c, err = parseConfig("x.cfg", []byte("target=aarch64-linux-gnu.2.17\nzig=a#b/zig\nlib=l\ndepth=0\ncache=\nruntime=\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Zig != "a#b/zig" || c.Depth != 0 || c.Cache != "" || c.Runtime != "" || c.Target != "aarch64-linux-gnu.2.17" {
		t.Errorf("parseConfig = %+v; want zig a#b/zig (# inside a word is not a comment), depth 0, no shared cache and no runtime for empty values", *c)
	}
}

func TestParseConfigErrors(t *testing.T) {
	const base = "target=x86_64-linux-musl\nzig=z\nlib=l\ndepth=3\n"
	tests := []struct {
		name, data, key, msg string
	}{
		{"missing target", "zig=z\nlib=l\ndepth=3\n", "target", "missing"},
		{"missing zig", "target=x86_64-linux-musl\nlib=l\ndepth=3\n", "zig", "missing"},
		{"missing lib", "target=x86_64-linux-musl\nzig=z\ndepth=3\n", "lib", "missing"},
		{"missing depth", "target=x86_64-linux-musl\nzig=z\nlib=l\n", "depth", "missing"},
		{"empty file", "", "target", "missing"},
		{"bad depth", strings.Replace(base, "depth=3", "depth=three", 1), "depth", "non-negative integer"},
		{"negative depth", strings.Replace(base, "depth=3", "depth=-1", 1), "depth", "non-negative integer"},
		{"empty value", strings.Replace(base, "zig=z", "zig=  # nothing", 1), "zig", "empty value"},
		{"unknown key", base + "zgi=x\n", "zgi", "unknown key"},
		{"duplicate", base + "lib=m\n", "lib", "more than once"},
		{"no equals", base + "cache\n", "", "want key=value"},
		{"bad target", strings.Replace(base, "x86_64-linux-musl", "x86_64-musl", 1), "target", "target triple"},
		{"target with blank", strings.Replace(base, "x86_64-linux-musl", "x86_64-linux-mu sl", 1), "target", "invalid character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig("/x/launcher.cfg", []byte(tc.data))
			var ce *configError
			if !errors.As(err, &ce) {
				t.Fatalf("parseConfig: err = %v; want a configError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "/x/launcher.cfg") {
				t.Errorf("error %q does not name the file", msg)
			}
			if tc.key != "" && !strings.Contains(msg, `"`+tc.key+`"`) {
				t.Errorf("error %q does not name the key %q", msg, tc.key)
			}
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("error %q does not say %q", msg, tc.msg)
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	dir := t.TempDir()
	_, file, err := loadConfig(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "launcher.cfg")) {
		t.Fatalf("loadConfig(empty dir) = %v; want an error naming %s", err, file)
	}
	if err := os.WriteFile(filepath.Join(dir, "launcher.cfg"), []byte("target=x86_64-linux-musl\nzig=z\nlib=l\ndepth=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, _, err := loadConfig(dir); err != nil || c.Depth != 1 {
		t.Fatalf("loadConfig = %+v, %v", c, err)
	}
}

func TestTargetHelpers(t *testing.T) {
	for target, glibc := range map[string]bool{
		"x86_64-linux-musl": false, "aarch64-linux-musl": false,
		"x86_64-linux-gnu": true, "x86_64-linux-gnu.2.28": true, "aarch64-linux-gnu.2.17": true,
		"arm-linux-gnueabihf": true, "arm-linux-musleabihf": false,
	} {
		if got := isGlibcTarget(target); got != glibc {
			t.Errorf("isGlibcTarget(%q) = %v", target, got)
		}
	}
}
