package linkmode

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// facts scenarios for the plan matrix.
var scenarios = map[string]Facts{
	"nothing": {Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"fmt"}},
		{ImportPath: "fmt", Standard: true},
	}},
	"net": {Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"net/http"}},
		{ImportPath: "net/http", Standard: true, Imports: []string{"net"}},
		{ImportPath: "net", Standard: true, CgoFiles: []string{"cgo_unix_cgo.go"}},
		{ImportPath: "runtime/cgo", Standard: true, CgoFiles: []string{"cgo.go"}, CFiles: []string{"gcc_libinit.c"}},
	}},
	"os/user": {Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"os/user"}},
		{ImportPath: "os/user", Standard: true, CgoFiles: []string{"cgo_lookup_cgo.go"}},
	}},
	// Facts from Bazel may leave out the standard library.
	"net, std not listed": {Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"net", "os/user"}},
	}},
	"cgo files": {Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"example.com/x/sqlite", "net"}},
		{ImportPath: "example.com/x/sqlite", CgoFiles: []string{"sqlite.go"}, CFiles: []string{"sqlite3.c"}},
		{ImportPath: "net", Standard: true},
	}},
	"c files only": {Packages: []Package{
		{ImportPath: "example.com/app", CFiles: []string{"fast.c"}},
	}},
	"swig": {Packages: []Package{
		{ImportPath: "example.com/swig", SwigFiles: []string{"lib.swigcxx"}},
	}},
	"cdeps": {Packages: []Package{
		{ImportPath: "example.com/z", CDeps: []string{"@zlib//:zlib"}},
	}},
	"cgo = True": {Packages: []Package{
		{ImportPath: "example.com/c", Cgo: true},
	}},
	"cgo reason": {Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"example.org/sqlite"}},
		{ImportPath: "example.org/sqlite", Cgo: true, CgoReason: "is declared to need cgo"},
	}},
	"plugin": {Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"plugin"}},
		{ImportPath: "plugin", Standard: true, CgoFiles: []string{"plugin_dlopen.go"}},
	}},
	"tags": {Tags: []string{"prod", "netgo"}, Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"net"}},
	}},
}

type want struct {
	cgo     bool
	link    Link
	base    BaseKind
	tags    []string
	ldflags string
	err     []string // substrings of the error; the plan must fail
}

const (
	pureFlags  = "-s -w"
	muslFlags  = "-s -w -linkmode external -extldflags -static"
	glibcFlags = "-s -w -linkmode external"
)

var (
	pure        = want{cgo: false, link: LinkStatic, base: BaseStatic, tags: []string{}, ldflags: pureFlags}
	pureNet     = want{cgo: false, link: LinkStatic, base: BaseStatic, tags: []string{"netgo"}, ldflags: pureFlags}
	pureUser    = want{cgo: false, link: LinkStatic, base: BaseStatic, tags: []string{"osusergo"}, ldflags: pureFlags}
	pureNetUser = want{cgo: false, link: LinkStatic, base: BaseStatic, tags: []string{"netgo", "osusergo"}, ldflags: pureFlags}
	muslCgo     = want{cgo: true, link: LinkStatic, base: BaseStatic, tags: []string{"musl"}, ldflags: muslFlags}
	muslCgoNet  = want{cgo: true, link: LinkStatic, base: BaseStatic, tags: []string{"musl", "netgo"}, ldflags: muslFlags}
	glibcCgo    = want{cgo: true, link: LinkDynamic, base: BaseGlibc, tags: []string{}, ldflags: glibcFlags}
	needCgoErr  = func(pkg string) want {
		return want{err: []string{pkg, "has no libc", "Pick a musl or glibc platform, e.g. linux_ARCH_musl"}}
	}
	pluginNoneErr = want{err: []string{"package plugin is used (imported by example.com/app)", "Pick a glibc platform, e.g. linux_ARCH_glibc"}}
	pluginMuslErr = want{err: []string{"links musl statically", "plugin.Open needs dynamic linking", "linux_ARCH_glibc"}}
)

func TestDecideMatrix(t *testing.T) {
	tests := []struct {
		facts             string
		none, musl, glibc want
	}{
		{"nothing", pure, pure, pure},
		{"net", pureNet, pureNet, glibcCgo},
		{"os/user", pureUser, pureUser, glibcCgo},
		{"net, std not listed", pureNetUser, pureNetUser, glibcCgo},
		{"cgo files", needCgoErr(`example.com/x/sqlite uses cgo (import "C" in sqlite.go) and has C/C++ sources (sqlite3.c)`), muslCgoNet, glibcCgo},
		{"c files only", needCgoErr("example.com/app has C/C++ sources (fast.c)"), muslCgo, glibcCgo},
		{"swig", needCgoErr("example.com/swig has SWIG files (lib.swigcxx)"), muslCgo, glibcCgo},
		{"cdeps", needCgoErr("example.com/z links C/C++ libraries (cdeps @zlib//:zlib)"), muslCgo, glibcCgo},
		{"cgo = True", needCgoErr("example.com/c is built with cgo = True"), muslCgo, glibcCgo},
		{"cgo reason", needCgoErr("example.org/sqlite is declared to need cgo"), muslCgo, glibcCgo},
		{"plugin", pluginNoneErr, pluginMuslErr, glibcCgo},
		{"tags", want{link: LinkStatic, base: BaseStatic, tags: []string{"netgo", "prod"}, ldflags: pureFlags}, want{link: LinkStatic, base: BaseStatic, tags: []string{"netgo", "prod"}, ldflags: pureFlags}, want{cgo: true, link: LinkDynamic, base: BaseGlibc, tags: []string{"netgo", "prod"}, ldflags: glibcFlags}},
	}
	for _, tt := range tests {
		facts, ok := scenarios[tt.facts]
		if !ok {
			t.Fatalf("no scenario %q", tt.facts)
		}
		for _, arch := range Arches {
			for libc, w := range map[Libc]want{LibcNone: tt.none, LibcMusl: tt.musl, LibcGlibc: tt.glibc} {
				target := Target{OS: "linux", Arch: arch, Libc: libc}
				t.Run(tt.facts+"/"+target.Platform(), func(t *testing.T) {
					p, err := Decide(facts, target)
					if len(w.err) > 0 {
						if err == nil {
							t.Fatalf("Decide succeeded with %+v, want error containing %q", p, w.err)
						}
						for _, s := range w.err {
							s = strings.ReplaceAll(s, "ARCH", string(arch))
							if !strings.Contains(err.Error(), s) {
								t.Errorf("error %q does not contain %q", err, s)
							}
						}
						if _, ok := AsImpossible(err); !ok {
							t.Errorf("error %T is not an *ImpossibleError", err)
						}
						return
					}
					if err != nil {
						t.Fatalf("Decide: %v", err)
					}
					if p.Cgo != w.cgo || p.Link != w.link || p.Base != w.base {
						t.Errorf("cgo=%v link=%s base=%s, want cgo=%v link=%s base=%s", p.Cgo, p.Link, p.Base, w.cgo, w.link, w.base)
					}
					if !slices.Equal(p.Tags, w.tags) {
						t.Errorf("tags %q, want %q", p.Tags, w.tags)
					}
					if got := p.LDFlagsString(); got != w.ldflags {
						t.Errorf("ldflags %q, want %q", got, w.ldflags)
					}
					wantEnv := []string{"GOOS=linux", "GOARCH=" + string(arch), fmt.Sprintf("CGO_ENABLED=%d", map[bool]int{false: 0, true: 1}[w.cgo])}
					if !slices.Equal(p.Env, wantEnv) {
						t.Errorf("env %q, want %q", p.Env, wantEnv)
					}
					if p.Platform != target.Platform() || p.Target != target {
						t.Errorf("platform %s target %+v, want %s", p.Platform, p.Target, target.Platform())
					}
					if (p.ZigTarget != "") != w.cgo {
						t.Errorf("zig_target %q with cgo=%v", p.ZigTarget, w.cgo)
					}
					if len(p.Reasons) < 2 {
						t.Errorf("reasons %q: want at least two", p.Reasons)
					}
					for _, r := range p.Reasons {
						if r == "" || strings.Contains(r, "\n") {
							t.Errorf("reason %q: want one non-empty line", r)
						}
					}
				})
			}
		}
	}
}

func TestDecideReasons(t *testing.T) {
	tests := []struct {
		facts, platform string
		want            []string
	}{
		{"cgo files", "linux_arm64_musl", []string{
			`package example.com/x/sqlite uses cgo (import "C" in sqlite.go) and has C/C++ sources (sqlite3.c) -> cgo on`,
			`musl is linked statically (-linkmode external -extldflags -static, zig cc -target aarch64-linux-musl) -> static binary, base "static" (no libc needed at run time)`,
			`package net is used (imported by example.com/app) -> tag netgo: same pure-Go resolver as CGO_ENABLED=0 builds; musl has no NSS to offer`,
		}},
		{"net", "linux_amd64", []string{
			"platform linux_amd64 has no libc -> cgo off (CGO_ENABLED=0)",
			`Go's internal linker writes a static binary -> base "static" (runs on any base)`,
			"package net is used (imported by net/http) -> tag netgo: pure-Go DNS resolver, reads /etc/resolv.conf and /etc/hosts",
		}},
		{"net", "linux_amd64_glibc", []string{
			"package net is used (imported by net/http) -> cgo on, no netgo tag: DNS lookups go through glibc (NSS, /etc/nsswitch.conf)",
			`glibc is linked dynamically (-linkmode external, zig cc -target x86_64-linux-gnu.<version> pins the newest GLIBC symbol version) -> base "glibc" with /lib64/ld-linux-x86-64.so.2 and libc.so.6`,
		}},
		{"nothing", "linux_amd64_glibc", []string{
			"no package needs cgo and net, os/user, plugin are not used -> cgo off (CGO_ENABLED=0), the same binary linux_amd64 builds; it runs on any base including glibc",
		}},
		{"os/user", "linux_arm64_musl", []string{
			"no package needs cgo, and musl offers nothing over the pure-Go net and os/user -> cgo off (CGO_ENABLED=0), the same binary linux_arm64 builds without a C toolchain",
			"package os/user is used (imported by example.com/app) -> tag osusergo: users and groups from /etc/passwd and /etc/group",
		}},
		{"tags", "linux_amd64", []string{"build tags prod,netgo from the facts are kept"}},
	}
	for _, tt := range tests {
		t.Run(tt.facts+"/"+tt.platform, func(t *testing.T) {
			target, err := ParsePlatform(tt.platform)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Decide(scenarios[tt.facts], target)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !slices.Contains(p.Reasons, w) {
					t.Errorf("reasons lack %q; got:\n%s", w, strings.Join(p.Reasons, "\n"))
				}
			}
		})
	}
}

func TestDecideErrorMessage(t *testing.T) {
	_, err := Decide(scenarios["cgo files"], Target{OS: "linux", Arch: ArchAMD64, Libc: LibcNone})
	want := `platform linux_amd64 has no libc (pure Go, CGO_ENABLED=0), but 1 package needs cgo: example.com/x/sqlite uses cgo (import "C" in sqlite.go) and has C/C++ sources (sqlite3.c). Pick a musl or glibc platform, e.g. linux_amd64_musl (static) or linux_amd64_glibc (dynamic).`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	ie, _ := AsImpossible(err)
	if ie == nil || !slices.Equal(ie.Packages, []string{"example.com/x/sqlite"}) {
		t.Errorf("ImpossibleError %+v, want Packages [example.com/x/sqlite]", ie)
	}
}

func TestDecideManyCgoPackages(t *testing.T) {
	var f Facts
	for i := 0; i < 13; i++ {
		f.Packages = append(f.Packages, Package{ImportPath: fmt.Sprintf("example.com/c%02d", i), CgoFiles: []string{"a.go"}})
	}
	_, err := Decide(f, Target{OS: "linux", Arch: ArchARM64, Libc: LibcNone})
	if err == nil || !strings.Contains(err.Error(), "13 packages need cgo") || !strings.Contains(err.Error(), "and 3 more") {
		t.Errorf("error %v: want 13 packages, 3 of them elided", err)
	}
	p, err := Decide(f, Target{OS: "linux", Arch: ArchARM64, Libc: LibcMusl})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Reasons, "... and 3 more packages need cgo") || len(p.CgoPackages) != 13 {
		t.Errorf("reasons %q, cgo packages %d: want 10 listed and 3 elided, 13 in total", p.Reasons, len(p.CgoPackages))
	}
}

func TestDecideBadTarget(t *testing.T) {
	tests := []struct {
		target Target
		want   string
	}{
		{Target{OS: "linux", Arch: "386", Libc: LibcMusl}, `unknown arch "386": valid arches are amd64, arm64`},
		{Target{OS: "linux", Arch: ArchAMD64, Libc: "uclibc"}, `unknown libc "uclibc": valid libcs are none, musl, glibc`},
		{Target{OS: "darwin", Arch: ArchAMD64, Libc: LibcNone}, `unknown os "darwin": valid os is linux`},
	}
	for _, tt := range tests {
		if _, err := Decide(scenarios["nothing"], tt.target); err == nil || err.Error() != tt.want {
			t.Errorf("Decide(%+v) error %v, want %q", tt.target, err, tt.want)
		}
	}
}

func TestNewResult(t *testing.T) {
	target := Target{OS: "linux", Arch: ArchAMD64, Libc: LibcNone}
	p, err := Decide(scenarios["plugin"], target)
	r := NewResult(target.Platform(), p, err)
	if r.OK || r.Plan != nil || r.Error == "" || !slices.Equal(r.Packages, []string{"plugin"}) {
		t.Errorf("NewResult = %+v, want failed result naming plugin", r)
	}
	p, err = Decide(scenarios["nothing"], target)
	if r := NewResult(target.Platform(), p, err); !r.OK || r.Plan == nil || r.Error != "" {
		t.Errorf("NewResult = %+v, want OK with plan", r)
	}
}

func TestBaseKinds(t *testing.T) {
	if want := []BaseKind{BaseStatic, BaseMusl, BaseGlibc}; !slices.Equal(BaseKinds, want) {
		t.Errorf("BaseKinds = %q, want %q (smallest first)", BaseKinds, want)
	}
	for _, k := range BaseKinds {
		if got, err := ParseBaseKind(string(k)); err != nil || got != k || BaseKindOf(k.Libc()) != k {
			t.Errorf("%s: ParseBaseKind = %q, %v; Libc %q", k, got, err, k.Libc())
		}
	}
	if _, err := ParseBaseKind("glibc_full"); err == nil || !strings.Contains(err.Error(), "static, musl, glibc") {
		t.Errorf("ParseBaseKind(glibc_full) error %v; want one listing the kinds (glibc_full is a base name, not a kind)", err)
	}
}

func TestBaseKindRunsOn(t *testing.T) {
	tests := []struct {
		need, on BaseKind
		want     bool
	}{
		{BaseStatic, BaseStatic, true},
		{BaseStatic, BaseMusl, true},
		{BaseStatic, BaseGlibc, true},
		{BaseGlibc, BaseGlibc, true},
		{BaseGlibc, BaseStatic, false},
		{BaseGlibc, BaseMusl, false},
		{BaseMusl, BaseMusl, true},
		{BaseMusl, BaseGlibc, false},
		{BaseMusl, BaseStatic, false},
	}
	for _, tt := range tests {
		if got := tt.need.RunsOn(tt.on); got != tt.want {
			t.Errorf("%s.RunsOn(%s) = %v, want %v", tt.need, tt.on, got, tt.want)
		}
	}
}
