package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Manifests and the o/ directories zig 0.11 made for them (taken from a real
// x86_64-linux-musl runtime: musl's crtn.o, and the object of tls.c).
var realManifests = []struct {
	key, manifest, digest string
}{
	{
		"10db8067b1c73131717493a0bae5d116",
		"0\n61 976595 499162500000000000 4b91abd3d669fe64a7b9a8a40afd332b 1 libc/musl/crt/x86_64/crtn.s\n",
		"913c374c41b65b835a441171ef7cc680",
	},
	{
		"1e5af69a383c1f9b5a4aae5bbbfb5885",
		"0\n0 961415 499162500000000000 82547a8dd7f3efb3f077622e34876868 1 libc/musl/src/thread/tls.c\n" +
			"0 961415 499162500000000000 82547a8dd7f3efb3f077622e34876868 1 libc/musl/src/thread/tls.c\n",
		"3ff3fa74855640425d088b6b3155461c",
	},
}

func TestOutputDigestMatchesZig(t *testing.T) {
	for _, tc := range realManifests {
		files, err := parseManifest([]byte(tc.manifest))
		if err != nil {
			t.Fatal(err)
		}
		got, err := outputDigest(tc.key, files)
		if err != nil || got != tc.digest {
			t.Errorf("outputDigest(%s) = %s, %v; want %s (the directory zig made)", tc.key, got, err, tc.digest)
		}
		// inode and mtime are not part of the digest: normalized manifests lead to the same place.
		files, _ = parseManifest(normalizeManifest([]byte(tc.manifest)))
		if got, _ := outputDigest(tc.key, files); got != tc.digest {
			t.Errorf("normalized manifest of %s leads to %s; want %s", tc.key, got, tc.digest)
		}
	}
}

func TestParseManifestErrors(t *testing.T) {
	for _, bad := range []string{
		"0\nnot a line\n",
		"0\n1 2 3 zz 1 a.c\n",
		"0\n1 2 3 " + strings.Repeat("g", 32) + " 1 a.c\n",
	} {
		if _, err := parseManifest([]byte(bad)); err == nil || !strings.Contains(err.Error(), "zig 0.11 manifest") {
			t.Errorf("parseManifest(%q): %v; want an error naming the format", bad, err)
		}
	}
	if _, err := outputDigest("xyz", nil); err == nil {
		t.Error("outputDigest of a bad key: no error")
	}
}

func TestIsWholeBuild(t *testing.T) {
	h := strings.Repeat("0", 32)
	line := func(p string) string { return "1 0 0 " + h + " 1 " + p + "\n" }
	tests := []struct {
		name  string
		lines []string
		want  bool
	}{
		{"one object: its source twice and headers", []string{"a.c", "a.c", "x.h", "y.h"}, false},
		{"an archive of two sources", []string{"a.c", "b.c", "a.c", "x.h", "b.c"}, true},
		{"a crt file that includes another source", []string{"crt/rcrt1.c", "ldso/dlstart.c"}, true},
		{"compiler-rt, Zig sources", []string{"compiler_rt.zig", "compiler_rt/a.zig"}, true},
		{"assembly and C++", []string{"a.S", "b.cpp"}, true},
		{"headers only", []string{"x.h", "y.h"}, false},
	}
	for _, tc := range tests {
		m := "0\n"
		for _, l := range tc.lines {
			m += line(l)
		}
		files, err := parseManifest([]byte(m))
		if err != nil {
			t.Fatal(err)
		}
		if got := isWholeBuild(files); got != tc.want {
			t.Errorf("%s: isWholeBuild = %v; want %v", tc.name, got, tc.want)
		}
	}
}

// writeEntry adds a manifest and the o/ directory it leads to (with one
// output file) to a synthetic zig cache; it returns the digest.
func writeEntry(t *testing.T, cache, key string, sources []string, output string) string {
	t.Helper()
	m := "0\n"
	for i, s := range sources {
		m += "10 0 0 " + strings.Repeat(string("0123456789abcdef"[i%16]), 32) + " 1 " + s + "\n"
	}
	must(t, os.MkdirAll(filepath.Join(cache, "h"), 0o755))
	must(t, os.WriteFile(filepath.Join(cache, "h", key+".txt"), []byte(m), 0o644))
	files, err := parseManifest([]byte(m))
	must(t, err)
	d, err := outputDigest(key, files)
	must(t, err)
	must(t, os.MkdirAll(filepath.Join(cache, "o", d), 0o755))
	must(t, os.WriteFile(filepath.Join(cache, "o", d, output), []byte(output), 0o644))
	return d
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	must(t, err)
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestRemoveWholeBuildsAndPruneOrphans(t *testing.T) {
	cache := t.TempDir()
	k := func(c byte) string { return strings.Repeat(string(c), 32) }
	obj := writeEntry(t, cache, k('1'), []string{"a.c", "a.c", "a.h"}, "a.o")
	arc := writeEntry(t, cache, k('2'), []string{"a.c", "b.c", "b.c", "a.c"}, "libc.a")
	crt := writeEntry(t, cache, k('3'), []string{"crtn.s"}, "crtn.o")
	for _, d := range []string{"z/zir", "tmp/x"} {
		must(t, os.MkdirAll(filepath.Join(cache, d), 0o755))
	}
	must(t, removeWholeBuilds(cache))
	for _, d := range []string{"z", "tmp"} {
		if _, err := os.Stat(filepath.Join(cache, d)); !os.IsNotExist(err) {
			t.Errorf("%s/ (zig's ZIR cache and scratch) is still there: %v", d, err)
		}
	}
	if got, want := listDir(t, filepath.Join(cache, "h")), []string{k('1') + ".txt", k('3') + ".txt"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("manifests left: %q; want %q (the archive's removed)", got, want)
	}
	if _, err := os.Stat(filepath.Join(cache, "o", arc)); !os.IsNotExist(err) {
		t.Errorf("the archive's outputs o/%s are still there: %v", arc, err)
	}

	// An orphan (what an interrupted or order-dependent build leaves) goes; a
	// directory a manifest reads from (compiler-rt's builtin.zig) stays.
	must(t, os.MkdirAll(filepath.Join(cache, "o", "orphan"), 0o755))
	builtin := strings.Repeat("e", 32)
	rt := writeEntry(t, cache, k('4'), []string{"compiler_rt.zig", "o/" + builtin + "/builtin.zig"}, "libcompiler_rt.a")
	must(t, os.MkdirAll(filepath.Join(cache, "o", builtin), 0o755))
	must(t, pruneOrphans(cache))
	want := []string{obj, crt, rt, builtin}
	sort.Strings(want)
	if got := listDir(t, filepath.Join(cache, "o")); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("o/ after pruneOrphans: %q; want %q", got, want)
	}

	// A manifest whose outputs are gone would be a cache hit that fails the link.
	must(t, os.RemoveAll(filepath.Join(cache, "o", crt)))
	if err := pruneOrphans(cache); err == nil || !strings.Contains(err.Error(), "which is missing") {
		t.Errorf("pruneOrphans with a manifest leading nowhere: %v; want an error", err)
	}
}
