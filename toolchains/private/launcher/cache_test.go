package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestInvocationCache(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	rt := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(rt, "h"), 0o755))
	must(t, os.MkdirAll(filepath.Join(rt, "o", "d1"), 0o755))
	must(t, os.WriteFile(filepath.Join(rt, "h", "k1.txt"), []byte("manifest"), 0o444))
	must(t, os.WriteFile(filepath.Join(rt, "o", "d1", "libc.a"), []byte("a"), 0o444))

	c, err := newInvocationCache(rt)
	if err != nil {
		t.Fatal(err)
	}
	// Manifests are writable copies, outputs symlinks.
	if b, err := os.ReadFile(filepath.Join(c.dir, "h", "k1.txt")); err != nil || string(b) != "manifest" {
		t.Errorf("h/k1.txt: %q, %v", b, err)
	}
	if err := os.WriteFile(filepath.Join(c.dir, "h", "k1.txt"), []byte("rewritten"), 0o644); err != nil {
		t.Errorf("zig cannot rewrite its manifest copy: %v", err)
	}
	if l, err := os.Readlink(filepath.Join(c.dir, "o", "d1")); err != nil || l != filepath.Join(rt, "o", "d1") {
		t.Errorf("o/d1 -> %q, %v", l, err)
	}
	if got := c.builtRuntimePieces(); len(got) != 0 {
		t.Errorf("nothing built yet, got %q", got)
	}
	// zig builds pieces in new entries (and the user's own objects).
	for p, f := range map[string]string{"o/n1": "libc++.a", "o/n2": "crt1.o", "o/n3": "libc.so.6", "o/n4": "main.o", "o/n5": "ld-linux-x86-64.so.2"} {
		must(t, os.MkdirAll(filepath.Join(c.dir, p), 0o755))
		must(t, os.WriteFile(filepath.Join(c.dir, p, f), nil, 0o644))
	}
	if got, want := c.builtRuntimePieces(), []string{"crt1.o", "ld-linux-x86-64.so.2", "libc++.a", "libc.so.6"}; !reflect.DeepEqual(got, want) {
		t.Errorf("builtRuntimePieces = %q; want %q", got, want)
	}
	c.remove()
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("cache not removed: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(rt, "h", "k1.txt")); err != nil || string(b) != "manifest" {
		t.Errorf("the runtime changed: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(rt, "o", "d1", "libc.a")); err != nil {
		t.Errorf("the runtime lost a file: %v", err)
	}

	if _, err := newInvocationCache(t.TempDir()); err == nil || !strings.Contains(err.Error(), "incomplete (no h/)") {
		t.Errorf("empty runtime: %v", err)
	}
}

// The C and the C++ part of the runtime both hold the small pieces (crt
// files, compiler-rt): a link's cache gets each entry once, from the C part.
func TestInvocationCacheTwoParts(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	part := func(entries map[string]string) string {
		rt := t.TempDir()
		for key, digest := range entries {
			must(t, os.MkdirAll(filepath.Join(rt, "h"), 0o755))
			must(t, os.MkdirAll(filepath.Join(rt, "o", digest), 0o755))
			must(t, os.WriteFile(filepath.Join(rt, "h", key+".txt"), []byte(digest), 0o444))
		}
		return rt
	}
	c := part(map[string]string{"libc": "d_libc", "crt": "d_crt"})
	cxx := part(map[string]string{"libcxx": "d_libcxx", "crt": "d_crt"})
	ic, err := newInvocationCache(c, cxx)
	if err != nil {
		t.Fatal(err)
	}
	defer ic.remove()
	for digest, from := range map[string]string{"d_libc": c, "d_crt": c, "d_libcxx": cxx} {
		if l, err := os.Readlink(filepath.Join(ic.dir, "o", digest)); err != nil || l != filepath.Join(from, "o", digest) {
			t.Errorf("o/%s -> %q, %v; want %s", digest, l, err, filepath.Join(from, "o", digest))
		}
	}
	if got := listDir(t, filepath.Join(ic.dir, "h")); strings.Join(got, " ") != "crt.txt libc.txt libcxx.txt" {
		t.Errorf("h/: %q", got)
	}
	if got := ic.builtRuntimePieces(); len(got) != 0 {
		t.Errorf("seeded entries counted as built: %q", got)
	}
}
