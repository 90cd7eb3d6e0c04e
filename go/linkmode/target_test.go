package linkmode

import (
	"slices"
	"strings"
	"testing"
)

func TestParsePlatform(t *testing.T) {
	tests := []struct {
		name    string
		want    Target
		wantErr string
	}{
		{name: "linux_amd64", want: Target{"linux", ArchAMD64, LibcNone}},
		{name: "linux_arm64", want: Target{"linux", ArchARM64, LibcNone}},
		{name: "linux_amd64_musl", want: Target{"linux", ArchAMD64, LibcMusl}},
		{name: "linux_arm64_musl", want: Target{"linux", ArchARM64, LibcMusl}},
		{name: "linux_amd64_glibc", want: Target{"linux", ArchAMD64, LibcGlibc}},
		{name: "linux_arm64_glibc", want: Target{"linux", ArchARM64, LibcGlibc}},
		{name: "linux_arm64_none", want: Target{"linux", ArchARM64, LibcNone}},
		{name: "linux_386_musl", wantErr: `unknown arch "386": valid arches are amd64, arm64`},
		{name: "linux_amd64_uclibc", wantErr: `unknown libc "uclibc": valid libcs are none, musl, glibc`},
		{name: "windows_amd64", wantErr: `unknown os "windows"`},
		{name: "amd64", wantErr: "want linux_<arch>[_<libc>]"},
		{name: "linux_amd64_musl_x", wantErr: "want linux_<arch>[_<libc>]"},
	}
	for _, tt := range tests {
		got, err := ParsePlatform(tt.name)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "linux_arm64_glibc") {
				t.Errorf("ParsePlatform(%q) error %v, want %q and the list of platforms", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePlatform(%q) = %+v, %v, want %+v", tt.name, got, err, tt.want)
		}
		if tt.name != "linux_arm64_none" && got.Platform() != tt.name {
			t.Errorf("Platform() = %q, want %q", got.Platform(), tt.name)
		}
	}
}

func TestPlatforms(t *testing.T) {
	want := []string{"linux_amd64", "linux_amd64_musl", "linux_amd64_glibc", "linux_arm64", "linux_arm64_musl", "linux_arm64_glibc"}
	if got := Platforms(); !slices.Equal(got, want) {
		t.Errorf("Platforms() = %q, want %q", got, want)
	}
}

func TestParseArchLibc(t *testing.T) {
	for in, want := range map[string]Arch{"amd64": ArchAMD64, "x86_64": ArchAMD64, "x86-64": ArchAMD64, "arm64": ArchARM64, "aarch64": ArchARM64} {
		if got, err := ParseArch(in); err != nil || got != want {
			t.Errorf("ParseArch(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := ParseArch("riscv64"); err == nil || !strings.Contains(err.Error(), "valid arches are amd64, arm64") {
		t.Errorf("ParseArch(riscv64) error %v", err)
	}
	if _, err := ParseLibc("bionic"); err == nil || !strings.Contains(err.Error(), "valid libcs are none, musl, glibc") {
		t.Errorf("ParseLibc(bionic) error %v", err)
	}
	if l, err := ParseLibc("musl"); err != nil || l != LibcMusl {
		t.Errorf("ParseLibc(musl) = %q, %v", l, err)
	}
}

func TestInterpreters(t *testing.T) {
	tests := []struct {
		arch                Arch
		glibc, musl, triple string
	}{
		{ArchAMD64, "/lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1", "x86_64-linux-gnu"},
		{ArchARM64, "/lib/ld-linux-aarch64.so.1", "/lib/ld-musl-aarch64.so.1", "aarch64-linux-gnu"},
	}
	for _, tt := range tests {
		if g, m, tr := GlibcInterpreter(tt.arch), MuslInterpreter(tt.arch), tt.arch.Triple(); g != tt.glibc || m != tt.musl || tr != tt.triple {
			t.Errorf("%s: %s %s %s, want %s %s %s", tt.arch, g, m, tr, tt.glibc, tt.musl, tt.triple)
		}
	}
}
