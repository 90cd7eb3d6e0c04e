// Package cgo_test runs the cgo example that rules_go_cross built with its zig cc toolchains for
// the four cgo platforms (amd64 natively, arm64 under qemu-aarch64; the arm64 glibc binary with
// an arm64 root unpacked from Debian's libc6), and checks how each is linked with debug/elf.
package cgo_test

import (
	"debug/elf"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/tests/internal/crossbin"
)

var (
	binaries   = flag.String("binaries", "", "comma-separated platform=path pairs")
	arm64Libc6 = flag.String("arm64_libc6", "", "Debian libc6 .deb for arm64 (root for qemu-aarch64 -L)")
	maxGlibc   = flag.String("max_glibc", "2.28", "the glibc version the toolchains target")
	glibc217   = flag.String("glibc_2_17", "", "the amd64 glibc binary built with glibc_version=2.17")
)

type target struct {
	goarch, libc string
	machine      elf.Machine
	interp       string // for glibc
}

var targets = map[string]target{
	"linux_amd64_musl":  {goarch: "amd64", libc: "musl", machine: elf.EM_X86_64},
	"linux_arm64_musl":  {goarch: "arm64", libc: "musl", machine: elf.EM_AARCH64},
	"linux_amd64_glibc": {goarch: "amd64", libc: "glibc", machine: elf.EM_X86_64, interp: "/lib64/ld-linux-x86-64.so.2"},
	"linux_arm64_glibc": {goarch: "arm64", libc: "glibc", machine: elf.EM_AARCH64, interp: "/lib/ld-linux-aarch64.so.1"},
}

func TestELF(t *testing.T) {
	crossbin.Each(t, *binaries, targets, func(t *testing.T, path string, want target) {
		info, err := elfinfo.Inspect(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Arch != linkmode.Arch(want.goarch) {
			t.Errorf("machine = %s (GOARCH %q), want %v", info.Machine, info.Arch, want.machine)
		}
		interp, libs := info.Interpreter, info.Needed
		switch want.libc {
		case "musl":
			if interp != "" || len(libs) > 0 {
				t.Errorf("musl build must be static: interpreter %q, needs %v", interp, libs)
			}
		case "glibc":
			if interp != want.interp {
				t.Errorf("interpreter = %q, want %q", interp, want.interp)
			}
			if !slices.Contains(libs, "libc.so.6") {
				t.Errorf("needs %v, want libc.so.6 among them", libs)
			}
			if info.GlibcMax == "" {
				t.Errorf("no GLIBC_ symbol versions found")
			} else if newerThan(t, info.GlibcMax, *maxGlibc) {
				t.Errorf("requires GLIBC_%s, newer than the configured glibc %s", info.GlibcMax, *maxGlibc)
			}
		}
	})
}

// TestGlibcVersionSetting: --@rules_go_cross//toolchains:glibc_version=2.17 (here through
// go_glibc_binary) gives a binary that needs nothing newer than glibc 2.17, and it runs.
func TestGlibcVersionSetting(t *testing.T) {
	if *glibc217 == "" {
		t.Skip("needs -glibc_2_17: run it with bazel test //tests/cgo")
	}
	path := crossbin.Runfile(*glibc217)
	info, err := elfinfo.Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	newest := info.GlibcMax
	if newest == "" || newerThan(t, newest, "2.17") {
		t.Errorf("newest GLIBC_ symbol version = %q, want one no newer than 2.17", newest)
	}
	if runtime.GOARCH != "amd64" {
		return
	}
	out, err := exec.Command(path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "platform: linux/amd64 libc=glibc") {
		t.Errorf("%s: %v\n%s", path, err, out)
	}
}

// newerThan reports whether glibc version a is newer than b.
func newerThan(t *testing.T, a, b string) bool {
	t.Helper()
	va, err := elfinfo.ParseVersion(a)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := elfinfo.ParseVersion(b)
	if err != nil {
		t.Fatal(err)
	}
	return va.Compare(vb) > 0
}

func TestRuns(t *testing.T) {
	bins := crossbin.Parse(t, *binaries, slices.Collect(maps.Keys(targets)))
	// In the parent test: a subtest's TempDir goes with the subtest.
	root := crossbin.DebRoot(t, *arm64Libc6)
	for name, path := range bins {
		t.Run(name, func(t *testing.T) {
			want := targets[name]
			sysroot := ""
			if want.goarch != runtime.GOARCH && want.libc == "glibc" {
				sysroot = root
			}
			cmd := crossbin.Command(t, want.goarch, sysroot, path)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
			}
			for _, line := range []string{
				fmt.Sprintf("platform: linux/%s libc=%s", want.goarch, want.libc),
				"c in package: square(7): 49 ok",
				"cdeps: adder_add(40, 2): 42 ok",
				"c++: greet: hello, gopher from C++ ok",
				"net: lookup localhost: true ok",
				"os/user: current uid:",
			} {
				if !strings.Contains(string(out), line) {
					t.Errorf("output lacks %q:\n%s", line, out)
				}
			}
		})
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}
