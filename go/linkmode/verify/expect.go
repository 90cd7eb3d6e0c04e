package verify

import (
	"fmt"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
)

// Expect are the properties a binary must have; zero fields are not
// checked.
type Expect struct {
	Arch     linkmode.Arch   // amd64 or arm64
	Libc     linkmode.Libc   // musl, glibc or none
	Static   bool            // static or static-pie
	MaxGlibc elfinfo.Version // newest GLIBC_x.y the binary may require
}

// Check is one checked expectation.
type Check struct {
	Name    string `json:"name"` // arch, libc, static or max_glibc
	Want    string `json:"want"`
	Got     string `json:"got"`
	OK      bool   `json:"ok"`
	Message string `json:"message,omitempty"` // what is wrong and how to fix it
}

// Check checks info against e and returns one Check per set expectation.
func (e Expect) Check(info *elfinfo.Info) []Check {
	var out []Check
	name := info.Path
	arch := info.Arch
	if arch == "" {
		arch = linkmode.Arch(info.Machine)
	}
	if e.Arch != "" {
		c := Check{Name: "arch", Want: string(e.Arch), Got: string(arch), OK: info.Arch == e.Arch}
		if !c.OK {
			c.Message = fmt.Sprintf("%s is built for %s (ELF machine %s), expected %s. Build it for an %s platform: linux_%s, linux_%s_musl or linux_%s_glibc.",
				name, arch, info.Machine, e.Arch, e.Arch, e.Arch, e.Arch, e.Arch)
		}
		out = append(out, c)
	}
	if e.Libc != "" {
		c := Check{Name: "libc", Want: string(e.Libc), Got: string(info.Libc), OK: info.Libc == e.Libc}
		if !c.OK {
			c.Message = libcMessage(info, e.Libc)
		}
		out = append(out, c)
	}
	if e.Static {
		c := Check{Name: "static", Want: "static or static-pie", Got: string(info.Link), OK: info.Link != linkmode.LinkDynamic}
		if !c.OK {
			a := archOr(info)
			c.Message = fmt.Sprintf("%s is dynamically linked (%s), expected static. Build for linux_%s_musl (static musl with cgo) or linux_%s (CGO_ENABLED=0).",
				name, dynamicDetail(info), a, a)
		}
		out = append(out, c)
	}
	if e.MaxGlibc != nil {
		got := info.GlibcMax
		c := Check{Name: "max_glibc", Want: "<= " + e.MaxGlibc.String(), Got: got, OK: true}
		if got == "" {
			c.Got = "none"
		} else if v, err := elfinfo.ParseVersion(got); err == nil && v.Compare(e.MaxGlibc) > 0 {
			c.OK = false
			c.Message = fmt.Sprintf("%s requires GLIBC_%s (%s), newer than -max-glibc %s. Link against an older glibc, e.g. CC=\"zig cc -target %s-linux-gnu.%s\", or raise -max-glibc.",
				name, got, strings.Join(info.GlibcMaxSymbols, ", "), e.MaxGlibc, archOr(info).CPU(), e.MaxGlibc)
		}
		out = append(out, c)
	}
	return out
}

func libcMessage(info *elfinfo.Info, want linkmode.Libc) string {
	name, a := info.Path, archOr(info)
	got := info.Libc
	var fix string
	switch want {
	case linkmode.LibcNone:
		fix = fmt.Sprintf("Build for linux_%s (CGO_ENABLED=0); if its packages need cgo, expect %s instead.", a, got)
	case linkmode.LibcMusl:
		fix = fmt.Sprintf("Build for linux_%s_musl (static musl via zig cc -target %s-linux-musl).", a, a.CPU())
	case linkmode.LibcGlibc:
		fix = fmt.Sprintf("Build for linux_%s_glibc (dynamic glibc via zig cc -target %s-linux-gnu).", a, a.CPU())
	}
	switch got {
	case linkmode.LibcNone:
		return fmt.Sprintf("%s is a pure Go binary without libc (%s), expected %s. Nothing in it needed cgo, so the plan turned cgo off; expect none, or check that the cgo packages are linked and CGO_ENABLED=1 with a C toolchain (CC).",
			name, info.LibcEvidence, want)
	case elfinfo.LibcUnknown:
		return fmt.Sprintf("cannot tell which libc %s uses (%s), expected %s. %s", name, info.LibcEvidence, want, fix)
	}
	return fmt.Sprintf("%s is linked against %s (%s), expected %s. %s", name, got, info.LibcEvidence, want, fix)
}

// dynamicDetail describes what makes info dynamic.
func dynamicDetail(info *elfinfo.Info) string {
	var parts []string
	if info.Interpreter != "" {
		parts = append(parts, "interpreter "+info.Interpreter)
	}
	if len(info.Needed) > 0 {
		parts = append(parts, "needs "+strings.Join(info.Needed, ", "))
	}
	return strings.Join(parts, ", ")
}

// archOr returns the binary's GOARCH, or amd64 for messages about
// binaries of unsupported machines.
func archOr(info *elfinfo.Info) linkmode.Arch {
	if info.Arch != "" {
		return info.Arch
	}
	return linkmode.ArchAMD64
}
