// Package platform is the table of rules_go_cross's target architectures
// and C libraries, and the platforms they make: every architecture with
// every C library, plus the pure-Go platform per architecture
// (linux_amd64, linux_amd64_musl, linux_amd64_glibc, ...).
//
// It is the one place these are declared (table.go). Go programs of the
// module read them from here; Starlark reads the generated
// platforms/private/platforms.bzl. The package uses only the standard
// library, so that any program of the module can import it.
package platform

import (
	"debug/elf"
	"fmt"
	"path"
	"strings"
)

// OS is the only target operating system.
const OS = "linux"

// Arch is one target architecture under all its names.
type Arch struct {
	GOARCH     string      // Go's name, also the OCI architecture: amd64
	CPU        string      // the @platforms//cpu constraint value: x86_64
	BazelCPU   string      // the cc toolchain's target_cpu (Bazel's legacy CPU name): k8
	ZigCPU     string      // the arch of zig's target triple and of Debian's multiarch triple: x86_64
	ELF        elf.Machine // e_machine of its ELF binaries
	ELFName    string      // how reports name that machine: x86-64
	OCIVariant string      // the OCI platform variant ("" for none): v8
	Debian     string      // the Debian architecture: amd64
	// Loaders maps the Name of each C library but None to the path of
	// its dynamic loader (PT_INTERP) on this architecture.
	Loaders map[string]string
}

// Libc is one C library a binary can be built against.
type Libc struct {
	Name string // musl, glibc; None for pure Go
	// ZigABI is the abi part of zig's target triple: musl, gnu.
	ZigABI string
	// LoaderPrefix starts the file name of its dynamic loader on every
	// architecture: ld-musl-, ld-linux.
	LoaderPrefix string
	// Package is the Debian package that provides the C library. A base
	// image of this libc's kind needs it; a base of another kind must not
	// contain it.
	Package string
	// Companions are path.Match patterns (at most one '*') of the other
	// Debian packages that go only into bases of this libc's kind.
	Companions []string
}

// Cgo reports whether a binary for l is built with cgo.
func (l Libc) Cgo() bool { return l.Name != None }

// Packages returns Package and Companions: the patterns of the Debian
// packages that belong to l's bases only.
func (l Libc) Packages() []string {
	if l.Package == "" {
		return nil
	}
	return append([]string{l.Package}, l.Companions...)
}

// Owns reports whether the Debian package pkg belongs to l's bases only.
func (l Libc) Owns(pkg string) bool {
	for _, p := range l.Packages() {
		if ok, _ := path.Match(p, pkg); ok {
			return true
		}
	}
	return false
}

// ZigTriple returns zig's target triple for a and l, e.g.
// x86_64-linux-musl or aarch64-linux-gnu (append .<version> to pin glibc).
// It is "" for None.
func ZigTriple(a Arch, l Libc) string {
	if !l.Cgo() {
		return ""
	}
	return a.ZigCPU + "-" + OS + "-" + l.ZigABI
}

// Platform is one target platform: an architecture and a C library.
type Platform struct {
	Arch Arch
	Libc Libc
}

// Name returns the platform's name: linux_<goarch> for None,
// linux_<goarch>_<libc> otherwise.
func (p Platform) Name() string {
	if !p.Libc.Cgo() {
		return OS + "_" + p.Arch.GOARCH
	}
	return OS + "_" + p.Arch.GOARCH + "_" + p.Libc.Name
}

// Platforms returns every platform, architecture by architecture:
// linux_amd64, linux_amd64_musl, linux_amd64_glibc, linux_arm64, ...
func Platforms() []Platform {
	var out []Platform
	for _, a := range Arches {
		for _, l := range Libcs {
			out = append(out, Platform{a, l})
		}
	}
	return out
}

// Names returns the names of Platforms(), in its order.
func Names() []string {
	var out []string
	for _, p := range Platforms() {
		out = append(out, p.Name())
	}
	return out
}

// ByName returns the platform called name.
func ByName(name string) (Platform, error) {
	for _, p := range Platforms() {
		if p.Name() == name {
			return p, nil
		}
	}
	return Platform{}, fmt.Errorf("unknown platform %q: rules_go_cross defines %s", name, strings.Join(Names(), ", "))
}

// GOARCHes returns the GOARCH of every architecture, in table order.
func GOARCHes() []string { return column(func(a Arch) string { return a.GOARCH }) }

// DebianArches returns the Debian name of every architecture, in table order.
func DebianArches() []string { return column(func(a Arch) string { return a.Debian }) }

func column(f func(Arch) string) []string {
	out := make([]string, len(Arches))
	for i, a := range Arches {
		out[i] = f(a)
	}
	return out
}

// ArchByGOARCH returns the architecture whose GOARCH (and OCI
// architecture) is goarch.
func ArchByGOARCH(goarch string) (Arch, bool) {
	return find(func(a Arch) bool { return a.GOARCH == goarch })
}

// ArchByDebian returns the architecture Debian calls name.
func ArchByDebian(name string) (Arch, bool) {
	return find(func(a Arch) bool { return a.Debian == name })
}

// ArchByZigCPU returns the architecture whose zig (and uname) name is cpu.
func ArchByZigCPU(cpu string) (Arch, bool) {
	return find(func(a Arch) bool { return a.ZigCPU == cpu })
}

// ArchByELF returns the architecture of ELF machine m.
func ArchByELF(m elf.Machine) (Arch, bool) {
	return find(func(a Arch) bool { return a.ELF == m })
}

// ArchByAnyName returns the architecture any of its names (GOARCH, CPU,
// zig's, the ELF machine's, Debian's) calls s, ignoring case.
func ArchByAnyName(s string) (Arch, bool) {
	s = strings.ToLower(s)
	return find(func(a Arch) bool {
		for _, n := range []string{a.GOARCH, a.CPU, a.ZigCPU, a.ELFName, a.Debian} {
			if s == n {
				return true
			}
		}
		return false
	})
}

func find(match func(Arch) bool) (Arch, bool) {
	for _, a := range Arches {
		if match(a) {
			return a, true
		}
	}
	return Arch{}, false
}

// LibcByName returns the C library called name (None included).
func LibcByName(name string) (Libc, bool) {
	for _, l := range Libcs {
		if l.Name == name {
			return l, true
		}
	}
	return Libc{}, false
}

// LibcByLoader returns the C library whose dynamic loader interp (a path
// or a file name) is, on any architecture.
func LibcByLoader(interp string) (Libc, bool) {
	base := path.Base(interp)
	for _, l := range Libcs {
		if l.LoaderPrefix != "" && strings.HasPrefix(base, l.LoaderPrefix) {
			return l, true
		}
	}
	return Libc{}, false
}

// CgoLibcs returns the C libraries but None, in table order.
func CgoLibcs() []Libc {
	var out []Libc
	for _, l := range Libcs {
		if l.Cgo() {
			out = append(out, l)
		}
	}
	return out
}
