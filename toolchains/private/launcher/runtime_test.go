package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestNormalizeManifest(t *testing.T) {
	in := "0\n499 5416486 1796276162861004921 53a28f6be888aef4c8f94ecbf03f4411 1 libc/musl/src/misc/a64l.c\n" +
		"586 5417149 1796276162941403964 7668ae272b9173fec6a1f641eccc1107 1 libc/musl/src/include/a b.h\n" +
		"not a file line\n"
	want := "0\n499 0 0 53a28f6be888aef4c8f94ecbf03f4411 1 libc/musl/src/misc/a64l.c\n" +
		"586 0 0 7668ae272b9173fec6a1f641eccc1107 1 libc/musl/src/include/a b.h\n" +
		"not a file line\n"
	if got := string(normalizeManifest([]byte(in))); got != want {
		t.Errorf("normalizeManifest:\n%s\nwant:\n%s", got, want)
	}
}

func TestPickCPU(t *testing.T) {
	var mask [16]uint64
	mask[0] = 0b1010 // CPUs 1 and 3
	mask[1] = 1      // CPU 64
	tests := []struct {
		n    int
		want int
	}{{0, 1}, {1, 3}, {2, 64}, {3, 1}, {100, 3}}
	for _, tc := range tests {
		one, ok := pickCPU(mask, tc.n)
		var want [16]uint64
		want[tc.want/64] = 1 << (tc.want % 64)
		if !ok || one != want {
			t.Errorf("pickCPU(n=%d) = %v; want CPU %d", tc.n, one, tc.want)
		}
	}
	if _, ok := pickCPU([16]uint64{}, 0); ok {
		t.Error("empty mask: ok")
	}
}

func TestFinishRuntime(t *testing.T) {
	out := t.TempDir()
	for _, d := range []string{"h", "o/abc", "tmp/x", "z/y"} {
		must(t, os.MkdirAll(filepath.Join(out, d), 0o755))
	}
	must(t, os.WriteFile(filepath.Join(out, "h", "timestamp"), nil, 0o644))
	must(t, os.WriteFile(filepath.Join(out, "h", "k.txt"), []byte("1 2 3 aa 1 libc/x.c\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(out, "o", "abc", "libc.a"), []byte("!<arch>\n"), 0o644))
	if err := finishRuntime(out); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.Walk(out, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			r, _ := filepath.Rel(out, p)
			got = append(got, r)
		}
		return nil
	})
	if want := []string{"h/k.txt", "o/abc/libc.a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("files after finishRuntime: %q; want %q", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "h", "k.txt")); string(b) != "1 0 0 aa 1 libc/x.c\n" {
		t.Errorf("manifest not normalized: %q", b)
	}

	empty := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(empty, "h"), 0o755))
	if err := finishRuntime(empty); err == nil || !strings.Contains(err.Error(), "nothing was built") {
		t.Errorf("no manifests: %v", err)
	}
	odd := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(odd, "h"), 0o755))
	must(t, os.WriteFile(filepath.Join(odd, "stray"), nil, 0o644))
	if err := finishRuntime(odd); err == nil || !strings.Contains(err.Error(), "unexpected stray") {
		t.Errorf("unknown entry: %v", err)
	}
}

// The runtime's probe links go through the same rewrites as real links, so
// zig computes the same keys for them: canonical (-fPIC, no strip) links.
func TestRuntimeVariantsAreCanonicalLinks(t *testing.T) {
	tests := []struct {
		part string
		want []string // subcommand and the first argument of each probe
	}{
		{"c", []string{"cc -o", "cc -shared"}},
		{"c++", []string{"c++ -nostdlib"}},
	}
	for _, tc := range tests {
		var got []string
		for _, v := range runtimeVariants(tc.part, "p.src", "/s") {
			o, err := rewrite(request{Mode: v.mode, Target: "aarch64-linux-gnu.2.28", Execroot: "/e", Lib: "/proc/self/cwd/l"}, v.args)
			if err != nil {
				t.Fatalf("%s: %v", v.name, err)
			}
			j := strings.Join(o.Args, " ")
			if !isLink(v.args) || !strings.HasSuffix(j, "-fPIC -target aarch64-linux-gnu.2.28") || o.Strip.Mode != stripNone {
				t.Errorf("%s: %q is not a canonical link", v.name, j)
			}
			if !strings.Contains(j, " p.src") {
				t.Errorf("%s: %q does not link the probe", v.name, j)
			}
			got = append(got, v.mode.subcommand()+" "+v.args[0])
		}
		if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
			t.Errorf("part %s: probes %q; want %q", tc.part, got, tc.want)
		}
	}
}

func TestRunRuntimeUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-target", "x86_64-linux-musl"}, "-part is required"},
		{[]string{"-part", "c", "-target", "x86_64-linux-musl"}, "-zig is required"},
		{[]string{"-part", "c", "-target", "x86_64-linux-musl", "-zig", "z", "-lib", "l", "-out", "o"}, "-src is required"},
		{[]string{"-part", "c+", "-target", "x86_64-linux-musl", "-zig", "z", "-lib", "l", "-out", "o", "-src", "s"}, `-part "c+": want c or c++`},
		{[]string{"-part", "c", "-target", "x86", "-zig", "z", "-lib", "l", "-out", "o", "-src", "s"}, "-target"},
		{[]string{"-part", "c++", "-target", "x86_64-linux-musl", "-zig", "z", "-lib", "/abs/l", "-out", "o", "-src", "s"}, "-lib /abs/l: want a path below the working directory"},
		{[]string{"-part", "c", "-target", "x86_64-linux-musl", "-zig", "z", "-lib", "l", "-out", "../o", "-src", "s"}, "-out ../o"},
	}
	for _, tc := range tests {
		var b strings.Builder
		if code := runRuntime(tc.args, &b); code != 2 || !strings.Contains(b.String(), tc.want) {
			t.Errorf("runRuntime(%q) = %d, %q; want 2 and %q", tc.args, code, b.String(), tc.want)
		}
	}
}
