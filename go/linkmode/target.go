package linkmode

import (
	"fmt"
	"strings"
)

// Arch is a Go architecture (GOARCH) supported by rules_go_cross.
type Arch string

// Supported architectures.
const (
	ArchAMD64 Arch = "amd64"
	ArchARM64 Arch = "arm64"
)

// Libc is the C library a binary is built against.
type Libc string

// Supported C libraries. LibcNone means a pure Go binary (CGO_ENABLED=0).
const (
	LibcMusl  Libc = "musl"
	LibcGlibc Libc = "glibc"
	LibcNone  Libc = "none"
)

// Arches lists the supported architectures in display order.
var Arches = []Arch{ArchAMD64, ArchARM64}

// Libcs lists the supported C libraries in display order.
var Libcs = []Libc{LibcNone, LibcMusl, LibcGlibc}

// Target is where a binary will run.
type Target struct {
	OS   string `json:"os"`   // only "linux"
	Arch Arch   `json:"arch"` // "amd64" or "arm64"
	Libc Libc   `json:"libc"` // "musl", "glibc" or "none"
}

// Platforms returns the platform matrix of the project in display order:
// linux_amd64, linux_amd64_musl, linux_amd64_glibc, linux_arm64, ...
func Platforms() []string {
	var out []string
	for _, a := range Arches {
		for _, l := range Libcs {
			out = append(out, Target{OS: "linux", Arch: a, Libc: l}.Platform())
		}
	}
	return out
}

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
	if t.OS != "linux" {
		return fmt.Errorf("unknown os %q: valid os is linux", t.OS)
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

// ParseArch accepts a GOARCH or an ELF/uname spelling (x86_64, x86-64,
// aarch64) and returns the GOARCH.
func ParseArch(s string) (Arch, error) {
	switch strings.ToLower(s) {
	case "amd64", "x86_64", "x86-64":
		return ArchAMD64, nil
	case "arm64", "aarch64":
		return ArchARM64, nil
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

// Triple returns the multiarch triple of the GNU toolchain for a, used in
// library directories such as /usr/lib/x86_64-linux-gnu.
func (a Arch) Triple() string {
	switch a {
	case ArchAMD64:
		return "x86_64-linux-gnu"
	case ArchARM64:
		return "aarch64-linux-gnu"
	}
	return ""
}

// CPU returns the CPU name used by zig, musl and uname: x86_64 or aarch64.
func (a Arch) CPU() string {
	switch a {
	case ArchAMD64:
		return "x86_64"
	case ArchARM64:
		return "aarch64"
	}
	return ""
}

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
