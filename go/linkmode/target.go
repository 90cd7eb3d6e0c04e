package linkmode

import (
	"fmt"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

// Arch is a Go architecture (GOARCH) of the platform table
// (platforms/platform).
type Arch string

// Two architectures of the table, by name, for defaults and tests; the
// list is Arches.
const (
	ArchAMD64 Arch = "amd64"
	ArchARM64 Arch = "arm64"
)

// Libc is the C library a binary is built against: a Name of the platform
// table's C libraries.
type Libc string

// The C libraries the planner decides between. LibcNone means a pure Go
// binary (CGO_ENABLED=0).
const (
	LibcMusl  Libc = platform.Musl
	LibcGlibc Libc = platform.Glibc
	LibcNone  Libc = platform.None
)

// Arches lists the supported architectures in display order (the platform
// table's).
var Arches = func() []Arch {
	var out []Arch
	for _, a := range platform.GOARCHes() {
		out = append(out, Arch(a))
	}
	return out
}()

// Libcs lists the supported C libraries in display order (the platform
// table's).
var Libcs = func() []Libc {
	var out []Libc
	for _, l := range platform.Libcs {
		out = append(out, Libc(l.Name))
	}
	return out
}()

// Target is where a binary will run.
type Target struct {
	OS   string `json:"os"`   // only "linux"
	Arch Arch   `json:"arch"` // a GOARCH of Arches
	Libc Libc   `json:"libc"` // "musl", "glibc" or "none"
}

// Platforms returns the platform matrix of the project in display order:
// linux_amd64, linux_amd64_musl, linux_amd64_glibc, linux_arm64, ...
func Platforms() []string { return platform.Names() }

// Platform returns the platform name of t: linux_<arch> for LibcNone and
// linux_<arch>_<libc> otherwise.
func (t Target) Platform() string {
	name := t.OS + "_" + string(t.Arch)
	if t.Libc != LibcNone && t.Libc != "" {
		name += "_" + string(t.Libc)
	}
	return name
}

// Validate reports an error naming the valid values when a field of t is
// unknown.
func (t Target) Validate() error {
	if t.OS != platform.OS {
		return fmt.Errorf("unknown os %q: valid os is %s", t.OS, platform.OS)
	}
	if !validArch(t.Arch) {
		return fmt.Errorf("unknown arch %q: valid arches are %s", t.Arch, join(Arches))
	}
	if !validLibc(t.Libc) {
		return fmt.Errorf("unknown libc %q: valid libcs are %s", t.Libc, join(Libcs))
	}
	return nil
}

// ParsePlatform parses a platform name such as "linux_arm64_musl" or
// "linux_amd64" (no libc suffix means libc "none"). A trailing "_none" is
// accepted too.
func ParsePlatform(name string) (Target, error) {
	parts := strings.Split(name, "_")
	if len(parts) < 2 || len(parts) > 3 {
		return Target{}, fmt.Errorf("bad platform %q: want linux_<arch>[_<libc>], one of %s", name, strings.Join(Platforms(), ", "))
	}
	t := Target{OS: parts[0], Arch: Arch(parts[1]), Libc: LibcNone}
	if len(parts) == 3 {
		t.Libc = Libc(parts[2])
	}
	if err := t.Validate(); err != nil {
		return Target{}, fmt.Errorf("bad platform %q: %v (platforms: %s)", name, err, strings.Join(Platforms(), ", "))
	}
	return t, nil
}

// ParseArch accepts a GOARCH or another name of an architecture of the
// table (x86_64, x86-64, aarch64) and returns the GOARCH.
func ParseArch(s string) (Arch, error) {
	if a, ok := platform.ArchByAnyName(s); ok {
		return Arch(a.GOARCH), nil
	}
	return "", fmt.Errorf("unknown arch %q: valid arches are %s", s, join(Arches))
}

// ParseLibc returns the Libc named s or an error listing the valid values.
func ParseLibc(s string) (Libc, error) {
	if validLibc(Libc(s)) {
		return Libc(s), nil
	}
	return "", fmt.Errorf("unknown libc %q: valid libcs are %s", s, join(Libcs))
}

// row returns a's row of the platform table (the zero Arch if a is not in it).
func (a Arch) row() platform.Arch {
	r, _ := platform.ArchByGOARCH(string(a))
	return r
}

// Triple returns the multiarch triple of the GNU toolchain for a, used in
// library directories such as /usr/lib/x86_64-linux-gnu ("" if a is unknown).
func (a Arch) Triple() string {
	if r := a.row(); r.GOARCH != "" {
		g, _ := platform.LibcByName(platform.Glibc)
		return platform.ZigTriple(r, g)
	}
	return ""
}

// CPU returns the CPU name used by zig, musl and uname: x86_64 or aarch64.
func (a Arch) CPU() string { return a.row().ZigCPU }

// ZigTarget returns the -target of `zig cc` for a binary of a against l,
// e.g. x86_64-linux-musl or aarch64-linux-gnu ("" for LibcNone).
func ZigTarget(a Arch, l Libc) string {
	row, _ := platform.LibcByName(string(l))
	return platform.ZigTriple(a.row(), row)
}

// GlibcInterpreter returns the glibc dynamic loader path for a.
func GlibcInterpreter(a Arch) string { return a.row().Loaders[platform.Glibc] }

// MuslInterpreter returns the musl dynamic loader path for a.
func MuslInterpreter(a Arch) string { return a.row().Loaders[platform.Musl] }

func validArch(a Arch) bool {
	for _, v := range Arches {
		if a == v {
			return true
		}
	}
	return false
}

func validLibc(l Libc) bool {
	for _, v := range Libcs {
		if l == v {
			return true
		}
	}
	return false
}

func join[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
