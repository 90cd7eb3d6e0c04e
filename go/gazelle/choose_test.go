package gazelle

import (
	"slices"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// both returns the same facts for every architecture.
func both(pkgs ...linkmode.Package) map[linkmode.Arch]*linkmode.Facts {
	out := map[linkmode.Arch]*linkmode.Facts{}
	for _, a := range linkmode.Arches {
		out[a] = &linkmode.Facts{Packages: pkgs}
	}
	return out
}

var (
	pureMain  = linkmode.Package{ImportPath: "example.com/app", Imports: []string{"fmt"}}
	netMain   = linkmode.Package{ImportPath: "example.com/app", Imports: []string{"net"}}
	cgoMain   = linkmode.Package{ImportPath: "example.com/app", CgoFiles: []string{"main.go"}, Imports: []string{"C", "net"}}
	pluginApp = linkmode.Package{ImportPath: "example.com/app", Imports: []string{"plugin"}}
	netPkg    = linkmode.Package{ImportPath: "net", Standard: true}
)

func TestChoose(t *testing.T) {
	amd64Only := map[linkmode.Arch]*linkmode.Facts{linkmode.ArchAMD64: {Packages: []linkmode.Package{pureMain}}}
	tests := []struct {
		name      string
		facts     map[linkmode.Arch]*linkmode.Facts
		explicit  []string
		base      string
		needsLibc bool
		platforms []string
		warnings  []string // substrings, one per warning
		err       []string // substrings of the error
	}{
		{name: "pure: the pure platforms", facts: both(pureMain), base: "auto",
			platforms: []string{"linux_amd64", "linux_arm64"}},
		{name: "pure with net", facts: both(netMain, netPkg), base: "static",
			platforms: []string{"linux_amd64", "linux_arm64"}},
		{name: "cgo: every musl and glibc platform", facts: both(cgoMain, netPkg), base: "auto", needsLibc: true,
			platforms: []string{"linux_amd64_musl", "linux_arm64_musl", "linux_amd64_glibc", "linux_arm64_glibc"}},
		{name: "cgo on a static base: musl only", facts: both(cgoMain, netPkg), base: "static", needsLibc: true,
			platforms: []string{"linux_amd64_musl", "linux_arm64_musl"}},
		{name: "cgo on the glibc base: all four (static binaries start anywhere)", facts: both(cgoMain), base: "glibc", needsLibc: true,
			platforms: []string{"linux_amd64_musl", "linux_arm64_musl", "linux_amd64_glibc", "linux_arm64_glibc"}},
		{name: "plugin: glibc only", facts: both(pluginApp), base: "auto", needsLibc: true,
			platforms: []string{"linux_amd64_glibc", "linux_arm64_glibc"}},
		{name: "explicit, all fit", facts: both(pureMain), explicit: []string{"linux_arm64_musl", "linux_amd64"}, base: "auto",
			platforms: []string{"linux_arm64_musl", "linux_amd64"}},
		{name: "explicit pure platform for a cgo binary is left out", facts: both(cgoMain), explicit: []string{"linux_amd64", "linux_amd64_musl"}, base: "auto", needsLibc: true,
			platforms: []string{"linux_amd64_musl"},
			warnings:  []string{"linux_amd64 left out of the index: platform linux_amd64 has no libc (pure Go, CGO_ENABLED=0), but 1 package needs cgo: example.com/app uses cgo"}},
		{name: "explicit glibc platform on a static base is left out", facts: both(netMain, netPkg), explicit: []string{"linux_amd64_glibc", "linux_arm64"}, base: "static",
			platforms: []string{"linux_arm64"},
			warnings:  []string{"linux_amd64_glibc left out of the index: the binary is linked dynamic there and needs the glibc base, but go_image_base is static"}},
		{name: "cgo on arm64 only: the binary needs a libc everywhere", facts: map[linkmode.Arch]*linkmode.Facts{
			linkmode.ArchAMD64: {Packages: []linkmode.Package{pureMain}},
			linkmode.ArchARM64: {Packages: []linkmode.Package{cgoMain}},
		}, base: "auto", needsLibc: true,
			// amd64 links no libc on either libc platform: one amd64 image.
			platforms: []string{"linux_amd64_musl", "linux_arm64_musl", "linux_arm64_glibc"}},
		{name: "explicit musl and glibc platforms for a pure binary: one image per architecture", facts: both(pureMain),
			explicit: []string{"linux_amd64", "linux_arm64", "linux_amd64_musl", "linux_amd64_glibc"}, base: "auto",
			platforms: []string{"linux_amd64", "linux_arm64"},
			warnings: []string{
				"go_image_platforms: linux_amd64_musl left out of the index: it gives the same linux/amd64 image as linux_amd64 (libc none), and an index holds each platform/libc pair once",
				"go_image_platforms: linux_amd64_glibc left out of the index: it gives the same linux/amd64 image as linux_amd64 (libc none), and an index holds each platform/libc pair once",
			}},
		{name: "cgo on arm64 only, explicit linux_amd64 is left out too", facts: map[linkmode.Arch]*linkmode.Facts{
			linkmode.ArchAMD64: {Packages: []linkmode.Package{pureMain}},
			linkmode.ArchARM64: {Packages: []linkmode.Package{cgoMain}},
		}, explicit: []string{"linux_amd64", "linux_arm64_musl"}, base: "auto", needsLibc: true,
			platforms: []string{"linux_arm64_musl"},
			warnings:  []string{"linux_amd64 left out of the index: the binary needs a libc on another architecture, so its images carry cgo_platforms_only(): platform linux_arm64 has no libc"}},
		{name: "no Go file for arm64", facts: amd64Only, base: "auto",
			platforms: []string{"linux_amd64"}},
		{name: "explicit arm64 without Go files", facts: amd64Only, explicit: []string{"linux_arm64", "linux_amd64"}, base: "auto",
			platforms: []string{"linux_amd64"},
			warnings:  []string{"linux_arm64 left out of the index: the main package has no Go file for linux/arm64"}},
		{name: "nothing fits", facts: both(cgoMain), explicit: []string{"linux_amd64", "linux_arm64"}, base: "auto", needsLibc: true,
			err: []string{"no platform can build an image of this binary", "linux_amd64: platform linux_amd64 has no libc", "linux_arm64: platform linux_arm64 has no libc", "# gazelle:go_image off"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := choose(tt.facts, tt.explicit, tt.base)
			if !checkErr(t, err, tt.err) {
				return
			}
			if sel.needsLibc != tt.needsLibc || !slices.Equal(sel.platforms, tt.platforms) {
				t.Errorf("needsLibc=%v platforms=%q, want %v %q", sel.needsLibc, sel.platforms, tt.needsLibc, tt.platforms)
			}
			if len(sel.warnings) != len(tt.warnings) {
				t.Fatalf("warnings %q, want %d", sel.warnings, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !strings.Contains(sel.warnings[i], w) {
					t.Errorf("warning %q does not contain %q", sel.warnings[i], w)
				}
			}
		})
	}
}
