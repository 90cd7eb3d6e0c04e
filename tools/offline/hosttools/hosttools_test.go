package hosttools

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		name      string
		c, withGo bool
	}{
		{"gcc", true, true},
		{"gcc-14", true, true},
		{"x86_64-linux-gnu-gcc-14", true, true},
		{"x86_64-linux-gnu-ld.bfd", true, true},
		{"ld.gold", true, true},
		{"cc", true, true},
		{"cpp-14", true, true},
		{"clang-19", true, true},
		{"go", false, true},
		{"gofmt", false, true},
		{"sh", false, false},
		{"java", false, false},
		{"gzip", false, false},
		{"qemu-aarch64", false, false},
		{"ldd", false, false},
		{"as-root", false, false},
		{"gold-linker-docs", false, false},
	} {
		if got := matches(tc.name, []Set{C}); got != tc.c {
			t.Errorf("matches(%q, C) = %v, want %v", tc.name, got, tc.c)
		}
		if got := matches(tc.name, []Set{C, Go}); got != tc.withGo {
			t.Errorf("matches(%q, C, Go) = %v, want %v", tc.name, got, tc.withGo)
		}
	}
}

func TestPaths(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, p string) {
		if err := os.Symlink(target, filepath.Join(root, p)); err != nil {
			t.Fatal(err)
		}
	}
	mk("usr/bin/gcc-14")
	mk("usr/bin/sh")
	mk("usr/lib/go-1.27/bin/go")
	mk("usr/include/stdio.h")
	link("gcc-14", "usr/bin/gcc")
	link("../lib/go-1.27/bin/go", "usr/bin/go")
	link("go-1.27", "usr/lib/go")
	for _, tc := range []struct {
		name        string
		sets        []Set
		files, dirs []string
	}{
		{"C", []Set{C}, []string{"usr/bin/gcc-14"}, []string{"usr/include"}},
		{"C and Go", []Set{C, Go}, []string{"usr/bin/gcc-14"}, []string{"usr/include", "usr/lib/go-1.27"}},
	} {
		files, dirs, err := Paths(root, tc.sets...)
		if err != nil {
			t.Fatal(err)
		}
		abs := func(ps []string) (out []string) {
			for _, p := range ps {
				out = append(out, filepath.Join(root, p))
			}
			return out
		}
		if !reflect.DeepEqual(files, abs(tc.files)) || !reflect.DeepEqual(dirs, abs(tc.dirs)) {
			t.Errorf("%s: Paths = %q, %q; want %q, %q", tc.name, files, dirs, abs(tc.files), abs(tc.dirs))
		}
	}
	if _, _, err := Paths(filepath.Join(root, "missing"), C); err == nil {
		t.Error("Paths of a missing root: no error")
	}
}

func TestStub(t *testing.T) {
	s := Stub("remote actions")
	if !strings.HasPrefix(s, "#!/bin/sh\n") || !strings.Contains(s, "hidden from remote actions") || !strings.HasSuffix(s, "exit 127\n") {
		t.Errorf("Stub = %q", s)
	}
}
