package platform

import (
	"debug/elf"
	"path"
	"slices"
	"strings"
	"testing"
)

// TestArchRows checks that every row is complete and that no name of one
// architecture is another's.
func TestArchRows(t *testing.T) {
	seen := map[string]string{}
	machines := map[elf.Machine]string{}
	for _, a := range Arches {
		for col, v := range map[string]string{"GOARCH": a.GOARCH, "CPU": a.CPU, "BazelCPU": a.BazelCPU, "ZigCPU": a.ZigCPU, "ELFName": a.ELFName, "Debian": a.Debian} {
			if v == "" {
				t.Errorf("arch %q: %s is empty", a.GOARCH, col)
			}
			if other, ok := seen[v]; ok && other != a.GOARCH {
				t.Errorf("arch %q: %s %q is also a name of %s", a.GOARCH, col, v, other)
			}
			seen[v] = a.GOARCH
		}
		if other, ok := machines[a.ELF]; ok || a.ELF == elf.EM_NONE {
			t.Errorf("arch %q: ELF machine %v is unset or also %s's", a.GOARCH, a.ELF, other)
		}
		machines[a.ELF] = a.GOARCH
		for _, l := range CgoLibcs() {
			loader := a.Loaders[l.Name]
			if !path.IsAbs(loader) || !strings.HasPrefix(path.Base(loader), l.LoaderPrefix) {
				t.Errorf("arch %q: %s loader %q: want an absolute path to a file named %s*", a.GOARCH, l.Name, loader, l.LoaderPrefix)
			}
		}
		if len(a.Loaders) != len(CgoLibcs()) {
			t.Errorf("arch %q: loaders for %d C libraries, the table has %d", a.GOARCH, len(a.Loaders), len(CgoLibcs()))
		}
	}
}

// TestLibcRows checks the C libraries: None first and bare, the others
// complete, and package patterns the Starlark matcher of
// oci/private/extension.bzl (at most one '*') reads as path.Match does.
func TestLibcRows(t *testing.T) {
	if len(Libcs) == 0 || Libcs[0].Name != None || Libcs[0].Cgo() || Libcs[0].Packages() != nil {
		t.Fatalf("Libcs[0] = %+v; want the bare None row first", Libcs[0])
	}
	names := map[string]bool{}
	for _, l := range CgoLibcs() {
		if names[l.Name] || l.Name == "" || l.ZigABI == "" || l.LoaderPrefix == "" || l.Package == "" {
			t.Errorf("libc %+v: name duplicate or a field empty", l)
		}
		names[l.Name] = true
		for _, p := range l.Packages() {
			if _, err := path.Match(p, ""); err != nil || strings.Count(p, "*") > 1 || strings.ContainsAny(p, "?[\\") {
				t.Errorf("libc %s: package pattern %q: want a name with at most one '*'", l.Name, p)
			}
			for _, o := range CgoLibcs() {
				if o.Name != l.Name && o.Owns(strings.ReplaceAll(p, "*", "x")) {
					t.Errorf("package pattern %q of %s also matches a package of %s", p, l.Name, o.Name)
				}
			}
		}
	}
}

func TestLookups(t *testing.T) {
	for _, a := range Arches {
		for _, tc := range []struct {
			how string
			got func() (Arch, bool)
		}{
			{"GOARCH", func() (Arch, bool) { return ArchByGOARCH(a.GOARCH) }},
			{"Debian", func() (Arch, bool) { return ArchByDebian(a.Debian) }},
			{"ZigCPU", func() (Arch, bool) { return ArchByZigCPU(a.ZigCPU) }},
			{"ELF", func() (Arch, bool) { return ArchByELF(a.ELF) }},
			{"CPU", func() (Arch, bool) { return ArchByAnyName(strings.ToUpper(a.CPU)) }},
			{"ELFName", func() (Arch, bool) { return ArchByAnyName(a.ELFName) }},
		} {
			if got, ok := tc.got(); !ok || got.GOARCH != a.GOARCH {
				t.Errorf("lookup of %s by %s: got %q, %v", a.GOARCH, tc.how, got.GOARCH, ok)
			}
		}
		for name, loader := range a.Loaders {
			if l, ok := LibcByLoader(loader); !ok || l.Name != name {
				t.Errorf("LibcByLoader(%q) = %q, %v; want %s", loader, l.Name, ok, name)
			}
		}
	}
	for _, bad := range []string{"riscv64x", "", "x86"} {
		if a, ok := ArchByAnyName(bad); ok {
			t.Errorf("ArchByAnyName(%q) = %q; want none", bad, a.GOARCH)
		}
	}
	if l, ok := LibcByLoader("/lib/ld.so"); ok {
		t.Errorf("LibcByLoader(/lib/ld.so) = %q; want none", l.Name)
	}
}

func TestPlatforms(t *testing.T) {
	names := Names()
	if len(names) != len(Arches)*len(Libcs) {
		t.Fatalf("Names() = %q: want every arch with every libc", names)
	}
	for _, n := range names {
		p, err := ByName(n)
		if err != nil || p.Name() != n {
			t.Errorf("ByName(%q) = %+v, %v", n, p, err)
		}
	}
	if !slices.Contains(names, "linux_arm64_musl") || !slices.Contains(names, "linux_amd64") {
		t.Errorf("Names() = %q; want linux_arm64_musl and linux_amd64 among them", names)
	}
	if _, err := ByName("linux_amd64_none"); err == nil || !strings.Contains(err.Error(), "linux_amd64_musl") {
		t.Errorf("ByName(linux_amd64_none) error %v; want one listing the platforms", err)
	}
}

func TestZigTriple(t *testing.T) {
	for _, tc := range []struct{ goarch, libc, want string }{
		{"amd64", Musl, "x86_64-linux-musl"},
		{"arm64", Glibc, "aarch64-linux-gnu"},
		{"arm64", None, ""},
	} {
		a, _ := ArchByGOARCH(tc.goarch)
		l, _ := LibcByName(tc.libc)
		if got := ZigTriple(a, l); got != tc.want {
			t.Errorf("ZigTriple(%s, %s) = %q; want %q", tc.goarch, tc.libc, got, tc.want)
		}
	}
}

func TestOwns(t *testing.T) {
	glibc, _ := LibcByName(Glibc)
	musl, _ := LibcByName(Musl)
	for _, tc := range []struct {
		l    Libc
		pkg  string
		want bool
	}{
		{glibc, "libc6", true},
		{glibc, "gcc-14-base", true},
		{glibc, "libgcc-s1", true},
		{glibc, "musl", false},
		{musl, "musl", true},
		{musl, "tzdata", false},
	} {
		if got := tc.l.Owns(tc.pkg); got != tc.want {
			t.Errorf("%s.Owns(%q) = %v; want %v", tc.l.Name, tc.pkg, got, tc.want)
		}
	}
}
