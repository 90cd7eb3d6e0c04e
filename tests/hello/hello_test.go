// Package hello_test runs the example binary that rules_go_cross built for each pure platform
// and each musl platform (a pure-Go program with net built with cgo on, which Go's internal
// linker cannot link against a static musl): natively on amd64, under qemu-aarch64 on arm64, and
// checks its ELF headers with debug/elf.
package hello_test

import (
	"debug/elf"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/tests/internal/crossbin"
)

var binaries = flag.String("binaries", "", "comma-separated platform=path pairs")

// target describes what the binary for one platform must look like: a static executable either
// way (on musl, linked by zig, it may have a PT_DYNAMIC but no interpreter and no shared library).
type target struct {
	goarch  string
	machine elf.Machine
	cgo     bool
}

var targets = map[string]target{
	"linux_amd64":      {goarch: "amd64", machine: elf.EM_X86_64},
	"linux_arm64":      {goarch: "arm64", machine: elf.EM_AARCH64},
	"linux_amd64_musl": {goarch: "amd64", machine: elf.EM_X86_64, cgo: true},
	"linux_arm64_musl": {goarch: "arm64", machine: elf.EM_AARCH64, cgo: true},
}

func TestELF(t *testing.T) {
	crossbin.Each(t, *binaries, targets, func(t *testing.T, path string, want target) {
		f, err := elf.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if f.Machine != want.machine {
			t.Errorf("machine = %v, want %v", f.Machine, want.machine)
		}
		if f.Type != elf.ET_EXEC {
			t.Errorf("ELF type = %v, want ET_EXEC (a static executable)", f.Type)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("has a PT_INTERP program header: the binary is dynamically linked")
			}
			if p.Type == elf.PT_DYNAMIC && !want.cgo {
				t.Errorf("has a PT_DYNAMIC program header: the binary is dynamically linked")
			}
		}
		if libs, err := f.ImportedLibraries(); err == nil && len(libs) > 0 {
			t.Errorf("needs shared libraries %v, want none", libs)
		}
	})
}

func TestRuns(t *testing.T) {
	crossbin.Each(t, *binaries, targets, func(t *testing.T, path string, want target) {
		out, err := crossbin.Command(t, want.goarch, "", path, "-version").CombinedOutput()
		if err != nil {
			t.Fatalf("-version: %v\n%s", err, out)
		}
		if w := fmt.Sprintf("linux/%s cgo=%v", want.goarch, want.cgo); !strings.Contains(string(out), w) {
			t.Errorf("-version printed %q, want it to contain %q", out, w)
		}
		out, err = crossbin.Command(t, want.goarch, "", path, "-selfcheck").CombinedOutput()
		if err != nil {
			t.Fatalf("-selfcheck: %v\n%s", err, out)
		}
		if w := "selfcheck ok: hello from linux/" + want.goarch + "\n"; string(out) != w {
			t.Errorf("-selfcheck printed %q, want %q", out, w)
		}
	})
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}
