package main

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const testExecroot = "/sandbox/7/execroot/_main"

var (
	prefixMap = "-ffile-prefix-map=" + testExecroot + "=."
	// compileHead is what every cc compile starts with, after the subcommand.
	compileHead = append([]string{"-fno-sanitize=undefined"}, append(append([]string{}, reproFlags...), prefixMap)...)
)

func cc(args ...string) []string  { return append([]string{"cc"}, args...) }
func cxx(args ...string) []string { return append([]string{"c++"}, args...) }

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestRewrite(t *testing.T) {
	musl := "x86_64-linux-musl"
	gnu := "x86_64-linux-gnu.2.28"
	arm := "aarch64-linux-gnu.2.17"
	linkHead := []string{"-fno-sanitize=undefined"}
	tests := []struct {
		name   string
		mode   mode
		target string
		goarch string // launcher.cfg's goarch, for messages
		args   []string
		want   []string // zig args; nil when answer or err is set
		answer string
		err    string // substring of the error
	}{
		{
			name: "compile adds repro flags, prefix map and target last",
			mode: modeCC, target: musl,
			args: []string{"-c", "-o", "a.o", "a.c"},
			want: cc(join(compileHead, []string{"-c", "-o", "a.o", "a.c", "-target", musl})...),
		},
		{
			name: "c++ compile",
			mode: modeCXX, target: arm,
			args: []string{"-std=c++17", "-c", "x.cc", "-o", "x.o"},
			want: cxx(join(compileHead, []string{"-std=c++17", "-c", "x.cc", "-o", "x.o", "-target", arm})...),
		},
		{
			name: "pure link gets no compile flags",
			mode: modeCC, target: musl,
			args: []string{"-o", "prog", "a.o", "b.o", "-lpthread"},
			want: cc(join(linkHead, []string{"-o", "prog", "a.o", "b.o", "-lpthread", "-fPIC", "-target", musl})...),
		},
		{
			name: "compile and link in one go is a compile",
			mode: modeCC, target: musl,
			args: []string{"-o", "prog", "main.c"},
			want: cc(join(compileHead, []string{"-o", "prog", "main.c", "-fPIC", "-target", musl})...),
		},
		{
			name: "cgo probe from stdin",
			mode: modeCC, target: musl,
			args: []string{"-Qunused-arguments", "-O2", "-g", "-c", "-x", "c", "-", "-o", "/dev/null"},
			want: cc(join(compileHead, []string{"-Qunused-arguments", "-O2", "-g", "-c", "-x", "c", "-", "-o", "/dev/null", "-target", musl})...),
		},
		{
			name: "stdin without -x gets the language of the mode",
			mode: modeCC, target: musl,
			args: []string{"-E", "-dM", "-"},
			want: cc(join(compileHead, []string{"-E", "-dM", "-x", "c", "-", "-target", musl})...),
		},
		{
			name: "c++ stdin, and -o - is not an input",
			mode: modeCXX, target: musl,
			args: []string{"-E", "-o", "-", "-"},
			want: cxx(join(compileHead, []string{"-E", "-o", "-", "-x", "c++", "-", "-target", musl})...),
		},
		{
			name: "stdin after -x none gets a language",
			mode: modeCC, target: musl,
			args: []string{"-x", "none", "-c", "-"},
			want: cc(join(compileHead, []string{"-x", "none", "-c", "-x", "c", "-", "-target", musl})...),
		},
		{
			name: "stdin after joined -xc is left alone",
			mode: modeCC, target: musl,
			args: []string{"-xc", "-c", "-"},
			want: cc(join(compileHead, []string{"-xc", "-c", "-", "-target", musl})...),
		},
		{
			name: "cgo -E -dM",
			mode: modeCC, target: musl,
			args: []string{"-E", "-dM", "-m64", "-I", "/tmp/go-build1/b001/", "-O2", "/tmp/cgo-gcc-input-1.c"},
			want: cc(join(compileHead, []string{"-E", "-dM", "-m64", "-I", "/tmp/go-build1/b001/", "-O2", "/tmp/cgo-gcc-input-1.c", "-target", musl})...),
		},
		{
			name: "caller targets are dropped in every spelling",
			mode: modeCC, target: musl,
			args: []string{"-target", "x86_64-linux-gnu", "-c", "--target=aarch64-linux-gnu", "a.c", "--target", "i386-linux", "-target=riscv64-linux"},
			want: cc(join(compileHead, []string{"-c", "a.c", "-target", musl})...),
		},
		{
			name: "trailing -target without value is dropped",
			mode: modeCC, target: musl,
			args: []string{"-o", "p", "a.o", "-target"},
			want: cc(join(linkHead, []string{"-o", "p", "a.o", "-fPIC", "-target", musl})...),
		},
		{
			name: "-u SYM becomes -Wl,-u,SYM",
			mode: modeCC, target: musl,
			args: []string{"-o", "p", "a.o", "-u", "keepme", "-L.", "-lkeep"},
			want: cc(join(linkHead, []string{"-o", "p", "a.o", "-Wl,-u,keepme", "-L.", "-lkeep", "-fPIC", "-target", musl})...),
		},
		{
			name: "joined -uSYM is fine as it is",
			mode: modeCC, target: musl,
			args: []string{"-o", "p", "a.o", "-ukeepme"},
			want: cc(join(linkHead, []string{"-o", "p", "a.o", "-ukeepme", "-fPIC", "-target", musl})...),
		},
		{
			name: "trailing -u without value is left for zig to report",
			mode: modeCC, target: musl,
			args: []string{"-o", "p", "a.o", "-u"},
			want: cc(join(linkHead, []string{"-o", "p", "a.o", "-u", "-fPIC", "-target", musl})...),
		},
		{
			name: "-fuse-ld dropped",
			mode: modeCC, target: arm,
			args: []string{"-o", "p", "a.o", "-fuse-ld=gold", "-fuse-ld=lld"},
			want: cc(join(linkHead, []string{"-o", "p", "a.o", "-fPIC", "-target", arm})...),
		},
		{
			name: "native cpu flags dropped, explicit ones kept",
			mode: modeCC, target: musl,
			args: []string{"-march=native", "-mtune=native", "-mcpu=native", "-march=x86-64-v2", "-c", "a.c"},
			want: cc(join(compileHead, []string{"-march=x86-64-v2", "-c", "a.c", "-target", musl})...),
		},
		{
			name: "gcc-only and unsupported bazel flags dropped",
			mode: modeCXX, target: musl,
			args: []string{"-fno-canonical-system-headers", "-c", "a.cc", "-Wl,--gdb-index"},
			want: cxx(join(compileHead, []string{"-c", "a.cc", "-target", musl})...),
		},
		{
			name: "go external link line passes unchanged",
			mode: modeCC, target: musl,
			args: []string{"-m64", "-Wl,--build-id=0x0123", "-o", "/tmp/go-build1/b001/exe/a.out", "-rdynamic", "-Qunused-arguments",
				"-Wl,--compress-debug-sections=zlib", "/tmp/go-link-1/go.o", "/tmp/go-link-1/000000.o", "-O2", "-g", "-lpthread", "-no-pie"},
			want: cc(join(linkHead, []string{"-m64", "-Wl,--build-id=0x0123", "-o", "/tmp/go-build1/b001/exe/a.out", "-rdynamic", "-Qunused-arguments",
				"-Wl,--compress-debug-sections=zlib", "/tmp/go-link-1/go.o", "/tmp/go-link-1/000000.o", "-O2", "-g", "-lpthread", "-no-pie", "-fPIC", "-target", musl})...),
		},
		{
			name: "export-dynamic-symbol is left for zig to reject (Go then uses -rdynamic)",
			mode: modeCC, target: musl,
			args: []string{"-m64", "-o", "a.out", "-Wl,--export-dynamic-symbol=main", "trivial.c"},
			want: cc(join(compileHead, []string{"-m64", "-o", "a.out", "-Wl,--export-dynamic-symbol=main", "trivial.c", "-fPIC", "-target", musl})...),
		},
		{
			name: "static musl link is fine",
			mode: modeCC, target: musl,
			args: []string{"-o", "p", "a.o", "-static"},
			want: cc(join(linkHead, []string{"-o", "p", "a.o", "-static", "-fPIC", "-target", musl})...),
		},
		{
			name: "static glibc link fails",
			mode: modeCC, target: gnu, goarch: "amd64",
			args: []string{"-o", "p", "a.o", "-static"},
			err:  "rules_go_cross: -static is not possible with glibc target x86_64-linux-gnu.2.28: glibc binaries are dynamic; use a musl platform (linux_amd64_musl) for a static binary",
		},
		{
			name: "static glibc link fails, no goarch in the config",
			mode: modeCC, target: gnu,
			args: []string{"-o", "p", "a.o", "-static"},
			err:  "glibc binaries are dynamic; use a musl platform for a static binary",
		},
		{
			name: "static-pie glibc link fails, arm64 platform named",
			mode: modeCXX, target: arm, goarch: "arm64",
			args: []string{"-static-pie", "main.cc"},
			err:  "-static-pie is not possible with glibc target aarch64-linux-gnu.2.17: glibc binaries are dynamic; use a musl platform (linux_arm64_musl)",
		},
		{
			name: "go linker probe with -extldflags=-static fails for glibc",
			mode: modeCC, target: gnu,
			args: []string{"-m64", "-static", "-o", "/tmp/go-link-1/a.out", "-no-pie", "/tmp/go-link-1/trivial.c"},
			err:  "-static is not possible with glibc target",
		},
		{
			name: "-static on a glibc compile-only command is harmless",
			mode: modeCC, target: gnu,
			args: []string{"-static", "-c", "a.c"},
			want: cc(join(compileHead, []string{"-static", "-c", "a.c", "-target", gnu})...),
		},
		{
			name: "version query passes through with target",
			mode: modeCC, target: musl,
			args: []string{"--version"},
			want: cc("-fno-sanitize=undefined", "--version", "-target", musl),
		},
		{
			name: "-### passes through",
			mode: modeCC, target: musl,
			args: []string{"-###", "-x", "c", "-c", "-"},
			want: cc(join(compileHead, []string{"-###", "-x", "c", "-c", "-", "-target", musl})...),
		},
		{
			name: "-v passes through",
			mode: modeCXX, target: musl,
			args: []string{"-v"},
			want: cxx("-fno-sanitize=undefined", "-v", "-fPIC", "-target", musl),
		},
		{
			name: "libgcc query answered hermetically",
			mode: modeCC, target: musl,
			args:   []string{"-m64", "--print-libgcc-file-name"},
			answer: "libgcc.a\n",
		},
		{
			name: "print-file-name answered with the bare name",
			mode: modeCC, target: gnu,
			args:   []string{"-m64", "--print-file-name=libc_nonshared.a"},
			answer: "libc_nonshared.a\n",
		},
		{
			name: "print-file-name=include is zig's builtin header dir",
			mode: modeCC, target: gnu,
			args:   []string{"-print-file-name=include"},
			answer: "external/zig_sdk/lib/include\n",
		},
		{
			name: "ar is unchanged",
			mode: modeAR, target: musl,
			args: []string{"rcsD", "out.a", "a.o", "-target", "b.o"},
			want: []string{"ar", "rcsD", "out.a", "a.o", "-target", "b.o"},
		},
		{
			name: "ar with a params file",
			mode: modeAR, target: gnu,
			args: []string{"rcsD", "out.a", "@out.a-2.params"},
			want: []string{"ar", "rcsD", "out.a", "@out.a-2.params"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := request{Mode: tc.mode, Target: tc.target, GOARCH: tc.goarch, Execroot: testExecroot, Lib: "external/zig_sdk/lib", AbsLib: "external/zig_sdk/lib"}
			o, err := rewrite(req, tc.args)
			if tc.err != "" {
				var ue *usageError
				if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("rewrite(%q) = %q, %v; want usage error containing %q", tc.args, o.Args, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("rewrite(%q): %v", tc.args, err)
			}
			if tc.answer != "" {
				if !o.Answered || o.Answer != tc.answer {
					t.Fatalf("rewrite(%q) = %+v; want answer %q", tc.args, o, tc.answer)
				}
				return
			}
			if o.Answered {
				t.Fatalf("rewrite(%q) answered %q; want zig args", tc.args, o.Answer)
			}
			if !reflect.DeepEqual(o.Args, tc.want) {
				t.Errorf("rewrite(%q)\n got %q\nwant %q", tc.args, o.Args, tc.want)
			}
		})
	}
}

// TestRulesDocumented: every rule says who passes the flag and why it is
// changed, and every rule is reachable (no earlier rule shadows it).
func TestRulesDocumented(t *testing.T) {
	for i, r := range rules {
		if len(r.why) < 40 {
			t.Errorf("rule %d (%s): why is missing or too short: %q", i, r.flag, r.why)
		}
		if r.prefix && r.value {
			t.Errorf("rule %d (%s): value is only for exact matches", i, r.flag)
		}
		got, ok := findRule(r.flag)
		if !ok || got.flag != r.flag {
			t.Errorf("rule %d (%s) is shadowed by %q", i, r.flag, got.flag)
		}
	}
}

func TestModeFromArgv0(t *testing.T) {
	for argv0, want := range map[string]mode{
		"cc": modeCC, "/x/y/cc": modeCC, "bazel-out/k8/bin/t/zig-cc": modeCC,
		"c++": modeCXX, "./zig-c++": modeCXX,
		"ar": modeAR, "/a/zig-ar": modeAR,
	} {
		if got, ok := modeFromArgv0(argv0); !ok || got != want {
			t.Errorf("modeFromArgv0(%q) = %v, %v; want %v", argv0, got, ok, want)
		}
	}
	for _, argv0 := range []string{"launcher", "gcc", "cc.exe", "ld", ""} {
		if got, ok := modeFromArgv0(argv0); ok {
			t.Errorf("modeFromArgv0(%q) = %v; want no mode", argv0, got)
		}
	}
}

func TestIsCompileIsLink(t *testing.T) {
	tests := []struct {
		args          []string
		compile, link bool
	}{
		{[]string{"-c", "a.c"}, true, false},
		{[]string{"-o", "p", "a.o"}, false, true},
		{[]string{"-o", "p", "a.c"}, true, true},
		{[]string{"-S", "a.c"}, true, false},
		{[]string{"-x", "c", "-"}, true, true},
		{[]string{"-xc++", "-c", "-"}, true, false},
		{[]string{"-x", "none", "a.o"}, false, true},
		{[]string{"-o", "x.c", "a.o"}, false, true}, // x.c is the value of -o
		{[]string{"-include", "h.h", "a.o"}, false, true},
		{[]string{"--version"}, false, false},
		{[]string{"-dumpmachine"}, false, false},
		{[]string{"-print-search-dirs"}, false, false},
		{[]string{"-M", "a.c"}, true, false},
		{[]string{"-fsyntax-only", "a.c"}, true, false},
		{[]string{"-shared", "-o", "lib.so", "a.o", "b.a"}, false, true},
		{[]string{"x.S", "-c"}, true, false},
	}
	for _, tc := range tests {
		if got := isCompile(tc.args); got != tc.compile {
			t.Errorf("isCompile(%q) = %v; want %v", tc.args, got, tc.compile)
		}
		if got := isLink(tc.args); got != tc.link {
			t.Errorf("isLink(%q) = %v; want %v", tc.args, got, tc.link)
		}
	}
}

func TestZigEnv(t *testing.T) {
	in := []string{"PATH=/bin", "ZIG_LIB_DIR=/old", "CPATH=/usr/include", "LIBRARY_PATH=/usr/lib", "HOME=/root", "ZIG_GLOBAL_CACHE_DIR=/x", "C_INCLUDE_PATH=/i"}
	got := zigEnv(in, "external/zig/lib", "/cache")
	want := []string{"PATH=/bin", "HOME=/root", "ZIG_LIB_DIR=external/zig/lib", "ZIG_GLOBAL_CACHE_DIR=/cache", "ZIG_LOCAL_CACHE_DIR=/cache"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("zigEnv = %q; want %q", got, want)
	}
}

func TestCompilesCXX(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"-c", "jieba.cpp", "-o", "jieba.o"}, true},
		{[]string{"-c", "a.cc"}, true},
		{[]string{"-c", "a.c", "-o", "a.o"}, false},
		{[]string{"-c", "-o", "x.cc", "a.c"}, false}, // -o's value is no source
		{[]string{"-x", "c++", "-c", "-"}, true},
		{[]string{"-xc++", "-c", "a.inc"}, true},
		{[]string{"-x", "c", "-c", "a.cc"}, false}, // -x c wins over the extension
		{[]string{"-I", "dir.cpp", "-c", "a.c"}, false},
		{[]string{"-c", "gcc_libinit.c", "-MD", "-MF", "deps.cc"}, false},
		{[]string{"-c", "asm.S"}, false},
	} {
		if got := compilesCXX(c.args); got != c.want {
			t.Errorf("compilesCXX(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

func TestAllowUnresolved(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"-o", "_cgo_.o", "_cgo_main.o", "a.o", "-lpthread"}, []string{"-o", "_cgo_.o", "_cgo_main.o", "a.o", "-lpthread"}},
		{
			[]string{"-o", "_cgo_.o", "_cgo_main.o", "a.o", "-static", "-no-pie", "-Wl,--unresolved-symbols=ignore-all"},
			[]string{"-o", "_cgo_.o", "_cgo_main.o", "a.o", "-shared"},
		},
	} {
		if got := allowUnresolved(c.in); !slices.Equal(got, c.want) {
			t.Errorf("allowUnresolved(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
