package remoteworker

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestIsHostTool(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"gcc", true},
		{"gcc-14", true},
		{"x86_64-linux-gnu-gcc-14", true},
		{"x86_64-linux-gnu-ld.bfd", true},
		{"ld.gold", true},
		{"cc", true},
		{"cpp-14", true},
		{"go", true},
		{"gofmt", true},
		{"clang-19", true},
		{"zig", true},
		{"sh", false},
		{"java", false},
		{"gzip", false},
		{"qemu-aarch64", false},
		{"ldd", false},
		{"gold-linker-docs", false},
		{"cat", false},
		{"as-root", false},
	} {
		if got := isHostTool(tc.name); got != tc.want {
			t.Errorf("isHostTool(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestHiddenPaths(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mk("usr/bin/gcc-14")
	mk("usr/bin/sh")
	mk("usr/lib/go-1.27/bin/go")
	mk("usr/include/stdio.h")
	if err := os.Symlink("gcc-14", filepath.Join(root, "usr/bin/gcc")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../lib/go-1.27/bin/go", filepath.Join(root, "usr/bin/go")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("go-1.27", filepath.Join(root, "usr/lib/go")); err != nil {
		t.Fatal(err)
	}
	files, dirs, err := hiddenPaths(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(root, "usr/bin/gcc-14")}; !reflect.DeepEqual(files, want) {
		t.Errorf("files = %q, want %q", files, want)
	}
	if want := []string{filepath.Join(root, "usr/include"), filepath.Join(root, "usr/lib/go-1.27")}; !reflect.DeepEqual(dirs, want) {
		t.Errorf("dirs = %q, want %q", dirs, want)
	}
	if _, _, err := hiddenPaths(filepath.Join(root, "missing")); err == nil {
		t.Error("hiddenPaths of a missing root: no error")
	}
}
