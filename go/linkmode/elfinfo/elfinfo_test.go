package elfinfo_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/linkmodetest"
)

var samples *linkmodetest.Builder

func TestMain(m *testing.M) { linkmodetest.Main(m, &samples) }

func TestInspect(t *testing.T) {
	tests := []struct {
		sample, platform string
		machine          string
		arch             linkmode.Arch
		link             linkmode.Link
		libc             linkmode.Libc
		interp           string
		needed           string // one library that must be in DT_NEEDED
		glibcMax         string
		cgo              bool
		tags             []string
	}{
		{linkmodetest.Pure, "linux_amd64", "x86-64", "amd64", linkmode.LinkStatic, linkmode.LibcNone, "", "", "", false, []string{"netgo", "osusergo"}},
		{linkmodetest.Pure, "linux_arm64", "aarch64", "arm64", linkmode.LinkStatic, linkmode.LibcNone, "", "", "", false, []string{"netgo", "osusergo"}},
		{linkmodetest.Cgo, "linux_amd64_glibc", "x86-64", "amd64", linkmode.LinkDynamic, linkmode.LibcGlibc, "/lib64/ld-linux-x86-64.so.2", "libc.so.6", "2.28", true, nil},
		{linkmodetest.Cgo, "linux_amd64_musl", "x86-64", "amd64", linkmode.LinkStatic, linkmode.LibcMusl, "", "", "", true, []string{"musl", "netgo", "osusergo"}},
	}
	for _, tt := range tests {
		t.Run(tt.sample+"_"+tt.platform, func(t *testing.T) {
			bin := samples.Binary(t, tt.sample, tt.platform)
			info, err := elfinfo.Inspect(bin)
			if err != nil {
				t.Fatal(err)
			}
			if info.Machine != tt.machine || info.Arch != tt.arch {
				t.Errorf("machine %s arch %s, want %s %s", info.Machine, info.Arch, tt.machine, tt.arch)
			}
			if info.Link != tt.link {
				t.Errorf("link %s, want %s", info.Link, tt.link)
			}
			if info.Libc != tt.libc {
				t.Errorf("libc %s (%s), want %s", info.Libc, info.LibcEvidence, tt.libc)
			}
			if info.Interpreter != tt.interp {
				t.Errorf("interpreter %q, want %q", info.Interpreter, tt.interp)
			}
			if tt.needed != "" && !slices.Contains(info.Needed, tt.needed) {
				t.Errorf("needed %v, want it to contain %s", info.Needed, tt.needed)
			}
			if tt.needed == "" && len(info.Needed) > 0 {
				t.Errorf("needed %v, want none", info.Needed)
			}
			if info.GlibcMax != tt.glibcMax {
				t.Errorf("glibc_max %q (%v), want %q", info.GlibcMax, info.GlibcMaxSymbols, tt.glibcMax)
			}
			if tt.glibcMax != "" && !slices.Contains(info.GlibcMaxSymbols, "statx") {
				t.Errorf("glibc_max_symbols %v, want statx", info.GlibcMaxSymbols)
			}
			g := info.Go
			if g == nil {
				t.Fatal("no Go build info")
			}
			if g.GoVersion != runtime.Version() || g.GOOS != "linux" || g.GOARCH != string(tt.arch) || !g.Trimpath || g.CgoEnabled != tt.cgo {
				t.Errorf("go info %s %s/%s trimpath=%v cgo=%v, want %s linux/%s trimpath=true cgo=%v",
					g.GoVersion, g.GOOS, g.GOARCH, g.Trimpath, g.CgoEnabled, runtime.Version(), tt.arch, tt.cgo)
			}
			if !slices.Equal(g.Tags, tt.tags) {
				t.Errorf("tags %v, want %v", g.Tags, tt.tags)
			}
			if g.Main.Path != "example.com/sample" || g.Path != "example.com/sample" {
				t.Errorf("main module %q path %q, want example.com/sample", g.Main.Path, g.Path)
			}
		})
	}
}

func TestInspectNotELF(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, content, kind string }{
		{"script", "#!/bin/sh\necho hi\n", "a script"},
		{"macho", "\xcf\xfa\xed\xfe\x07\x00\x00\x01", "a Mach-O (macOS) binary"},
		{"pe", "MZ\x90\x00", "a Windows PE binary"},
		{"empty", "", "an empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			if err := os.WriteFile(p, []byte(tt.content), 0o755); err != nil {
				t.Fatal(err)
			}
			_, err := elfinfo.Inspect(p)
			var ne *elfinfo.NotELFError
			if !errors.As(err, &ne) || ne.Kind != tt.kind {
				t.Fatalf("Inspect = %v, want NotELFError %q", err, tt.kind)
			}
		})
	}
	if _, err := elfinfo.Inspect(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Inspect(missing) = %v, want ErrNotExist", err)
	}
}

func TestGlibcProvided(t *testing.T) {
	var libc string
	for _, p := range []string{"/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6"} {
		if _, err := os.Stat(p); err == nil {
			libc = p
			break
		}
	}
	if libc == "" {
		t.Skip("no glibc libc.so.6 on this machine")
	}
	v, err := elfinfo.GlibcProvided(libc)
	if err != nil {
		t.Fatal(err)
	}
	if v.Compare(elfinfo.Version{2, 17}) < 0 {
		t.Errorf("GlibcProvided(%s) = %s, want >= 2.17", libc, v)
	}
}

func TestVersion(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2.28", "2.28", 0},
		{"2.2.5", "2.28", -1},
		{"GLIBC_2.34", "2.28", 1},
		{"2.3", "2.3.0", 0},
		{"2.3.4", "2.3", 1},
		{"3.0", "2.99", 1},
	}
	for _, tt := range tests {
		a, err := elfinfo.ParseVersion(tt.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := elfinfo.ParseVersion(tt.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Compare(b); got != tt.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	for _, bad := range []string{"", "two", "2.x", "GLIBC_PRIVATE", "-1.2"} {
		if _, err := elfinfo.ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) succeeded, want error", bad)
		}
	}
}
