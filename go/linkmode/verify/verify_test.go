package verify

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
)

func glibcApp(arch linkmode.Arch) *elfinfo.Info {
	return &elfinfo.Info{
		Path: "bin/app", Machine: map[linkmode.Arch]string{"amd64": "x86-64", "arm64": "aarch64"}[arch], Arch: arch,
		Type: "EXEC", Link: linkmode.LinkDynamic, Interpreter: linkmode.GlibcInterpreter(arch),
		Needed: []string{"libpthread.so.0", "libc.so.6"}, Libc: linkmode.LibcGlibc, LibcEvidence: "interpreter " + linkmode.GlibcInterpreter(arch),
		GlibcMax: "2.28", GlibcMaxSymbols: []string{"statx"},
	}
}

func muslDynamicApp() *elfinfo.Info {
	return &elfinfo.Info{
		Path: "bin/app", Machine: "x86-64", Arch: linkmode.ArchAMD64, Type: "DYN", Link: linkmode.LinkDynamic,
		Interpreter: "/lib/ld-musl-x86_64.so.1", Needed: []string{"libc.so"}, Libc: linkmode.LibcMusl, LibcEvidence: "interpreter /lib/ld-musl-x86_64.so.1",
	}
}

func staticApp(libc linkmode.Libc) *elfinfo.Info {
	return &elfinfo.Info{Path: "bin/app", Machine: "x86-64", Arch: linkmode.ArchAMD64, Type: "EXEC", Link: linkmode.LinkStatic, Libc: libc, LibcEvidence: "static"}
}

func withNeeded(info *elfinfo.Info, libs ...string) *elfinfo.Info {
	c := *info
	c.Needed = append(append([]string{}, info.Needed...), libs...)
	return &c
}

const (
	staticBase = "/etc/passwd\n/etc/ssl/certs/ca-certificates.crt\n/usr/share/zoneinfo/UTC\n"
	debianBase = `# distroless base, Debian 12
/etc/passwd
/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
/lib/x86_64-linux-gnu/
/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
/lib/x86_64-linux-gnu/libc.so.6
/lib/x86_64-linux-gnu/libpthread.so.0
# glibc 2.36
`
	usrMergeBase = `/lib -> usr/lib
/lib64 -> usr/lib64
/usr/lib64/ld-linux-x86-64.so.2 -> ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
/usr/lib/x86_64-linux-gnu/libc.so.6 -> libc-2.31.so
/usr/lib/x86_64-linux-gnu/libc-2.31.so
/usr/lib/x86_64-linux-gnu/libpthread.so.0
`
	oldBase = `./lib64/ld-linux-x86-64.so.2
./lib64/libc.so.6 -> libc-2.17.so
./lib64/libc-2.17.so
./lib64/libpthread.so.0
`
	noVersionBase = "/lib64/ld-linux-x86-64.so.2\n/usr/lib/x86_64-linux-gnu/libc.so.6\n/usr/lib/x86_64-linux-gnu/libpthread.so.0\n"
	arm64Base     = "/lib/ld-linux-aarch64.so.1\n/lib/aarch64-linux-gnu/libc.so.6\n"
	muslBase      = "/lib/ld-musl-x86_64.so.1\n/lib/libc.musl-x86_64.so.1 -> ld-musl-x86_64.so.1\n"
	loopBase      = "/lib64/ld-linux-x86-64.so.2 -> /lib64/loop\n/lib64/loop -> /lib64/ld-linux-x86-64.so.2\n"
)

func parse(t *testing.T, name, list string) *Base {
	t.Helper()
	b, err := ParseFileList(name, strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckBase(t *testing.T) {
	tests := []struct {
		name      string
		info      *elfinfo.Info
		base      string // name of the base; the list is bases[base]
		list      string
		ok        bool
		problem   string // substring of the first problem
		glibc     string
		noteMatch string
	}{
		{name: "glibc on static", info: glibcApp("amd64"), base: "static", list: staticBase,
			problem: `bin/app cannot start on base "static": it is dynamically linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2 is not in the base); the kernel would report "exec: no such file or directory". Use a glibc base (go_image base = "glibc" or "auto"), or build for linux_amd64_musl / linux_amd64 (static).`},
		{name: "glibc on debian", info: glibcApp("amd64"), base: "glibc", list: debianBase, ok: true, glibc: "2.36"},
		{name: "glibc on usrmerge", info: glibcApp("amd64"), base: "glibc", list: usrMergeBase, ok: true, glibc: "2.31"},
		{name: "glibc too new", info: glibcApp("amd64"), base: "centos7", list: oldBase, glibc: "2.17",
			problem: "bin/app cannot start on base \"centos7\": it needs GLIBC_2.28 (statx) but the base has glibc 2.17 (/lib64/libc-2.17.so in the file list); the loader would report \"version `GLIBC_2.28' not found\". Use a base with glibc >= 2.28, or link against glibc 2.17 or older (CC=\"zig cc -target x86_64-linux-gnu.2.17\")."},
		{name: "glibc version unknown", info: glibcApp("amd64"), base: "b", list: noVersionBase, ok: true, noteMatch: "pass -base-glibc X.Y"},
		{name: "missing library", info: withNeeded(glibcApp("amd64"), "libsqlite3.so.0"), base: "glibc", list: debianBase, glibc: "2.36",
			problem: `it needs libsqlite3.so.0 (DT_NEEDED), which is not in /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib64, /usr/lib64, /lib, /usr/lib; the loader would fail with "error while loading shared libraries: libsqlite3.so.0: cannot open shared object file". Add libsqlite3.so.0 to the base, or link it statically (e.g. build for linux_amd64_musl).`},
		{name: "missing libresolv", info: withNeeded(glibcApp("amd64"), "libresolv.so.2"), base: "glibc", list: debianBase, glibc: "2.36",
			problem: `Use a glibc base (go_image base = "glibc" or "auto")`},
		{name: "amd64 binary on arm64 base", info: glibcApp("amd64"), base: "glibc-arm64", list: arm64Base,
			problem: "(interpreter /lib64/ld-linux-x86-64.so.2 is not in the base; the base has /lib/ld-linux-aarch64.so.1, so it is for arm64, not amd64)"},
		{name: "arm64 glibc on arm64 base", info: withNeeded(glibcApp("arm64")), base: "glibc-arm64", list: arm64Base + "/lib/aarch64-linux-gnu/libpthread.so.0\n", ok: true},
		{name: "musl dynamic on musl", info: muslDynamicApp(), base: "musl", list: muslBase, ok: true},
		{name: "musl dynamic on static", info: muslDynamicApp(), base: "static", list: staticBase,
			problem: `it is dynamically linked against musl (interpreter /lib/ld-musl-x86_64.so.1 is not in the base); the kernel would report "exec: no such file or directory". Use a musl base (go_image base = "musl" or "auto"), or build for linux_amd64_musl / linux_amd64 (static).`},
		{name: "musl static on empty", info: staticApp(linkmode.LibcMusl), base: "empty", list: "", ok: true, noteMatch: "static binary: needs nothing from the base"},
		{name: "pure on static", info: staticApp(linkmode.LibcNone), base: "static", list: staticBase, ok: true},
		{name: "symlink loop", info: glibcApp("amd64"), base: "loop", list: loopBase, problem: "is not in the base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckBase(tt.info, parse(t, tt.base, tt.list))
			if r.OK != tt.ok {
				t.Fatalf("OK = %v, want %v; problems: %q", r.OK, tt.ok, r.Problems)
			}
			if tt.problem != "" && (len(r.Problems) == 0 || !strings.Contains(r.Problems[0], tt.problem)) {
				t.Errorf("first problem:\n%q\nwant it to contain:\n%q", r.Problems, tt.problem)
			}
			if r.Glibc != tt.glibc {
				t.Errorf("base glibc %q, want %q", r.Glibc, tt.glibc)
			}
			if tt.noteMatch != "" && !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, tt.noteMatch) }) {
				t.Errorf("notes %q, want one containing %q", r.Notes, tt.noteMatch)
			}
			if r.Name != tt.base {
				t.Errorf("name %q, want %q", r.Name, tt.base)
			}
		})
	}
}

func TestCheckBaseStatedGlibc(t *testing.T) {
	b := parse(t, "b", noVersionBase)
	b.Glibc, b.GlibcSource = elfinfo.Version{2, 27}, "-base-glibc"
	r := CheckBase(glibcApp("amd64"), b)
	if r.OK || !strings.Contains(r.Problems[0], "but the base has glibc 2.27 (-base-glibc)") {
		t.Errorf("CheckBase = %+v, want glibc 2.27 too old", r)
	}
}

func TestCheckBaseLibraries(t *testing.T) {
	r := CheckBase(glibcApp("amd64"), parse(t, "glibc", usrMergeBase))
	want := []Library{
		{Name: "libpthread.so.0", Found: true, Path: "/usr/lib/x86_64-linux-gnu/libpthread.so.0"},
		{Name: "libc.so.6", Found: true, Path: "/usr/lib/x86_64-linux-gnu/libc-2.31.so"},
	}
	if !slices.Equal(r.Libraries, want) || r.Interpreter != "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" {
		t.Errorf("libraries %+v interpreter %s, want %+v and the resolved loader", r.Libraries, r.Interpreter, want)
	}
	r = CheckBase(muslDynamicApp(), parse(t, "musl", muslBase))
	if want := []Library{{Name: "libc.so", Found: true, Path: "(interpreter)"}}; !slices.Equal(r.Libraries, want) {
		t.Errorf("musl libraries %+v, want %+v", r.Libraries, want)
	}
}

func TestResolve(t *testing.T) {
	b := parse(t, "b", `/lib -> usr/lib
/usr/lib/x86_64-linux-gnu/libc.so.6 -> ../../../etc/../usr/lib/real.so
/usr/lib/real.so
/usr/lib/dir/
/bin/sh -> /usr/bin/busybox
/usr/bin/busybox
/etc/up -> ../../../../usr/lib/real.so
/dangling -> /nowhere
`)
	tests := []struct{ in, want string }{
		{"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/real.so"},
		{"/usr/lib/real.so", "/usr/lib/real.so"},
		{"/bin/sh", "/usr/bin/busybox"},
		{"/etc/up", "/usr/lib/real.so"}, // ".." stops at the root
		{"/dangling", ""},
		{"/usr/lib/dir", ""}, // a directory is not a file
		{"/usr/lib/real.so/x", ""},
		{"/missing", ""},
	}
	for _, tt := range tests {
		got, ok := b.Resolve(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("Resolve(%s) = %q, %v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseFileListErrors(t *testing.T) {
	if _, err := ParseFileList("b", strings.NewReader("/a -> \n")); err == nil || !strings.Contains(err.Error(), `line 1: symlink /a has no target; want "path -> target"`) {
		t.Errorf("ParseFileList error %v", err)
	}
	if _, err := ReadFileList(filepath.Join(t.TempDir(), "missing.txt"), ""); !os.IsNotExist(err) {
		t.Errorf("ReadFileList(missing) error %v, want not-exist", err)
	}
	p := filepath.Join(t.TempDir(), "static.txt")
	if err := os.WriteFile(p, []byte(staticBase), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFileList(p, ""); err != nil || b.Name != "static" || b.Source != p {
		t.Errorf("ReadFileList = %+v, %v, want base named static", b, err)
	}
}

func TestRootDir(t *testing.T) {
	root := t.TempDir()
	mk := func(p, content string) {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(p, target string) {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	mk("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "")
	mk("usr/lib/x86_64-linux-gnu/libc.so.6", "not an ELF file")
	mk("usr/lib/x86_64-linux-gnu/libpthread.so.0", "")
	link("lib", "usr/lib")
	// An absolute link must resolve inside the root, not on the host.
	link("lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
	mk("var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\n")

	b, err := OpenRoot(root, "")
	if err != nil {
		t.Fatal(err)
	}
	r := CheckBase(glibcApp("amd64"), b)
	if !r.OK || r.Glibc != "2.36" || r.GlibcSource != "/var/lib/dpkg/status.d/libc6" || r.Interpreter != "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" {
		t.Errorf("CheckBase(root) = %+v, want OK with glibc 2.36 from dpkg", r)
	}
	if b.Name != filepath.Base(root) {
		t.Errorf("name %q, want %q", b.Name, filepath.Base(root))
	}
	if _, err := OpenRoot(filepath.Join(root, "var/lib/dpkg/status.d/libc6"), ""); err == nil || !strings.Contains(err.Error(), "is not a directory") {
		t.Errorf("OpenRoot(file) error %v", err)
	}
}

func TestExpect(t *testing.T) {
	tests := []struct {
		name   string
		info   *elfinfo.Info
		expect Expect
		fail   []string // substrings of the failed checks' messages, in order
	}{
		{"all ok", glibcApp("amd64"), Expect{Arch: "amd64", Libc: "glibc", MaxGlibc: elfinfo.Version{2, 28}}, nil},
		{"wrong arch", glibcApp("amd64"), Expect{Arch: "arm64"},
			[]string{"bin/app is built for amd64 (ELF machine x86-64), expected arm64. Build it for an arm64 platform: linux_arm64, linux_arm64_musl or linux_arm64_glibc."}},
		{"glibc not musl", glibcApp("arm64"), Expect{Libc: "musl"},
			[]string{"bin/app is linked against glibc (interpreter /lib/ld-linux-aarch64.so.1), expected musl. Build for linux_arm64_musl (static musl via zig cc -target aarch64-linux-musl)."}},
		{"pure not musl", staticApp(linkmode.LibcNone), Expect{Libc: "musl"},
			[]string{"bin/app is a pure Go binary without libc (static), expected musl."}},
		{"musl not none", staticApp(linkmode.LibcMusl), Expect{Libc: "none"},
			[]string{"bin/app is linked against musl (static), expected none. Build for linux_amd64 (CGO_ENABLED=0); if its packages need cgo, expect musl instead."}},
		{"not static", glibcApp("amd64"), Expect{Static: true},
			[]string{"bin/app is dynamically linked (interpreter /lib64/ld-linux-x86-64.so.2, needs libpthread.so.0, libc.so.6), expected static. Build for linux_amd64_musl (static musl with cgo) or linux_amd64 (CGO_ENABLED=0)."}},
		{"static ok", staticApp(linkmode.LibcMusl), Expect{Static: true, MaxGlibc: elfinfo.Version{2, 17}}, nil},
		{"glibc too new", glibcApp("amd64"), Expect{MaxGlibc: elfinfo.Version{2, 27}},
			[]string{`bin/app requires GLIBC_2.28 (statx), newer than -max-glibc 2.27. Link against an older glibc, e.g. CC="zig cc -target x86_64-linux-gnu.2.27", or raise -max-glibc.`}},
		{"several", glibcApp("amd64"), Expect{Arch: "arm64", Libc: "musl", Static: true}, []string{"expected arm64", "expected musl", "expected static"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Run(tt.info, tt.expect, nil)
			if r.OK != (len(tt.fail) == 0) || len(r.Failures) != len(tt.fail) {
				t.Fatalf("OK=%v failures %q, want %d failures", r.OK, r.Failures, len(tt.fail))
			}
			for i, f := range tt.fail {
				if !strings.Contains(r.Failures[i], f) {
					t.Errorf("failure %d:\n%s\nwant it to contain:\n%s", i, r.Failures[i], f)
				}
			}
		})
	}
}

func TestRunWithBase(t *testing.T) {
	r := Run(glibcApp("amd64"), Expect{Arch: "amd64"}, parse(t, "static", staticBase))
	if r.OK || len(r.Failures) != 1 || !strings.HasPrefix(r.Failures[0], `bin/app cannot start on base "static"`) {
		t.Errorf("Run = %+v, want exactly the root-cause base failure", r)
	}
	if len(r.Base.Problems) < 2 {
		t.Errorf("base problems %q, want the loader and the libraries", r.Base.Problems)
	}
	if len(r.Checks) != 1 || !r.Checks[0].OK || r.SchemaVersion != linkmode.SchemaVersion {
		t.Errorf("checks %+v schema %d", r.Checks, r.SchemaVersion)
	}
}

func TestDpkgLibc6(t *testing.T) {
	for _, tc := range []struct {
		status string
		want   elfinfo.Version
	}{
		{"Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\n", elfinfo.Version{2, 36}},
		{"Package: libc6\nVersion: 1:2.31-13\n", elfinfo.Version{2, 31}},
		{"Package: libc-bin\nVersion: 2.17-1\n\nPackage: libc6\nVersion: 2.28-10\n", elfinfo.Version{2, 28}},
		{"Package: musl\nVersion: 1.2.3-1\n", nil},
		{"", nil},
	} {
		if got := dpkgLibc6([]byte(tc.status)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("dpkgLibc6(%q) = %v, want %v", tc.status, got, tc.want)
		}
	}
}
