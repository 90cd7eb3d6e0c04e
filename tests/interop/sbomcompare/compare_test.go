package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func deb(name, version, arch string) pkg {
	return pkg{kind: "deb", name: name, version: version, arch: arch}
}

func TestCompare(t *testing.T) {
	stdlib := pkg{kind: "go", name: "stdlib", version: "go1.26.8"}
	main := pkg{kind: "go-main", name: "/app/hello"}
	for _, tc := range []struct {
		name       string
		syft, ours []pkg
		hasModules bool
		wantFail   []string // substrings, one per expected failure
		wantNote   []string
	}{
		{
			name:     "same debs, binary without module info",
			syft:     []pkg{deb("tzdata", "1", "all"), deb("libc6", "2.41", "arm64")},
			ours:     []pkg{deb("libc6", "2.41", "arm64"), deb("tzdata", "1", "all"), stdlib, main},
			wantNote: []string{"go stdlib go1.26.8: in the SBOM", "without a module version"},
		},
		{
			name:     "version differs",
			syft:     []pkg{deb("tzdata", "2", "all")},
			ours:     []pkg{deb("tzdata", "1", "all")},
			wantFail: []string{"deb tzdata: syft tzdata 2 (all), SBOM tzdata 1 (all)"},
		},
		{
			name:     "architecture differs",
			syft:     []pkg{deb("libc6", "2.41", "amd64")},
			ours:     []pkg{deb("libc6", "2.41", "arm64")},
			wantFail: []string{"deb libc6: syft"},
		},
		{
			name:     "missing on either side",
			syft:     []pkg{deb("netbase", "6.5", "all")},
			ours:     []pkg{deb("tzdata", "1", "all")},
			wantFail: []string{"deb netbase 6.5 (all): syft finds it", "deb tzdata 1 (all): in the SBOM, syft does not"},
		},
		{
			name:       "binary has modules, syft finds them",
			syft:       []pkg{stdlib, {kind: "go", name: "example.com/m", version: "(devel)"}, {kind: "go", name: "golang.org/x/sys", version: "v0.1.0"}},
			ours:       []pkg{stdlib, {kind: "go-main", name: "example.com/m"}, {kind: "go", name: "golang.org/x/sys", version: "v0.1.0"}},
			hasModules: true,
		},
		{
			name:       "main module (devel): syft says UNKNOWN",
			syft:       []pkg{stdlib, {kind: "go", name: "example.com/m", version: "UNKNOWN"}},
			ours:       []pkg{stdlib, {kind: "go-main", name: "example.com/m", version: "(devel)"}},
			hasModules: true,
		},
		{
			name:       "main module with a release: syft must agree",
			syft:       []pkg{stdlib, {kind: "go", name: "example.com/m", version: "UNKNOWN"}},
			ours:       []pkg{stdlib, {kind: "go-main", name: "example.com/m", version: "v1.2.3"}},
			hasModules: true,
			wantFail:   []string{"go example.com/m UNKNOWN: syft finds it, the SBOM does not list it"},
		},
		{
			name:       "binary has modules, syft misses one",
			syft:       []pkg{stdlib},
			ours:       []pkg{stdlib, {kind: "go", name: "golang.org/x/sys", version: "v0.1.0"}},
			hasModules: true,
			wantFail:   []string{"go golang.org/x/sys v0.1.0: in the SBOM, syft does not find it"},
		},
		{
			name:       "binary has modules, syft finds none",
			ours:       []pkg{stdlib},
			hasModules: true,
			wantFail:   []string{"go stdlib go1.26.8: in the SBOM", "records Go module information, but syft lists no Go package"},
		},
		{
			name:       "go version differs",
			syft:       []pkg{{kind: "go", name: "golang.org/x/sys", version: "v0.2.0"}},
			ours:       []pkg{{kind: "go", name: "golang.org/x/sys", version: "v0.1.0"}},
			hasModules: true,
			wantFail:   []string{"go golang.org/x/sys: syft v0.2.0, SBOM v0.1.0"},
		},
		{
			name: "ELF package note names the source package",
			syft: []pkg{deb("libgcc-s1", "14.2.0-19", "amd64"), {kind: "deb-note", name: "gcc-14", version: "14.2.0-19", file: "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1"}},
			ours: []pkg{{kind: "deb", name: "libgcc-s1", version: "14.2.0-19", arch: "amd64", source: "gcc-14", sourceVersion: "14.2.0-19"}},
		},
		{
			name:     "ELF package note of a package the SBOM lacks",
			syft:     []pkg{{kind: "deb-note", name: "zlib", version: "1.3", file: "/usr/lib/libz.so.1"}},
			wantFail: []string{"deb zlib 1.3: named by the ELF package note of /usr/lib/libz.so.1"},
		},
		{
			name:     "ELF package note at another version",
			syft:     []pkg{deb("libgcc-s1", "14.2.0-19", ""), {kind: "deb-note", name: "gcc-14", version: "14.2.0-20", file: "/usr/lib/libgcc_s.so.1"}},
			ours:     []pkg{{kind: "deb", name: "libgcc-s1", version: "14.2.0-19", source: "gcc-14", sourceVersion: "14.2.0-19"}},
			wantFail: []string{"deb gcc-14 14.2.0-20: named by the ELF package note"},
		},
		{
			name:     "syft's other findings are notes",
			syft:     []pkg{{kind: "other:binary", name: "glibc", version: "2.41"}},
			wantNote: []string{"syft also reports binary glibc 2.41"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := compare(tc.syft, tc.ours, tc.hasModules)
			if len(r.failures) != len(tc.wantFail) {
				t.Fatalf("failures %q, want %d matching %q", r.failures, len(tc.wantFail), tc.wantFail)
			}
			for i, w := range tc.wantFail {
				if !strings.Contains(r.failures[i], w) {
					t.Errorf("failure %d = %q, want it to contain %q", i, r.failures[i], w)
				}
			}
			notes := strings.Join(r.notes, "\n")
			for _, w := range tc.wantNote {
				if !strings.Contains(notes, w) {
					t.Errorf("notes %q lack %q", r.notes, w)
				}
			}
		})
	}
}

func TestReadInputs(t *testing.T) {
	dir := t.TempDir()
	syftJSON := filepath.Join(dir, "syft.json")
	os.WriteFile(syftJSON, []byte(`{"schema":{"version":"16.1.13"},"artifacts":[
	  {"name":"libc6","version":"2.41-12","type":"deb","purl":"pkg:deb/debian/libc6@2.41-12?arch=arm64&distro=debian-13.8"},
	  {"name":"libgcc-s1","version":"14.2.0-19","type":"deb","foundBy":"dpkg-db-cataloger","purl":"pkg:deb/debian/libgcc-s1@14.2.0-19?arch=arm64"},
	  {"name":"gcc-14","version":"14.2.0-19","type":"deb","foundBy":"elf-binary-package-cataloger","locations":[{"path":"/usr/lib/aarch64-linux-gnu/libgcc_s.so.1"}]},
	  {"name":"stdlib","version":"go1.26.8","type":"go-module","purl":"pkg:golang/stdlib@1.26.8"}]}`), 0o644)
	spdx := filepath.Join(dir, "sbom.json")
	os.WriteFile(spdx, []byte(`{"spdxVersion":"SPDX-2.3","packages":[
	  {"name":"//app:image","versionInfo":"sha256:00","primaryPackagePurpose":"CONTAINER"},
	  {"name":"/app/x","primaryPackagePurpose":"APPLICATION"},
	  {"name":"stdlib","versionInfo":"go1.26.8","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:golang/stdlib@1.26.8"}]},
	  {"name":"libc6","versionInfo":"2.41-12","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/debian/libc6@2.41-12?arch=arm64&distro=debian-13"}]},
	  {"name":"libgcc-s1","versionInfo":"14.2.0-19","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/debian/libgcc-s1@14.2.0-19?arch=arm64&distro=debian-13&upstream=gcc-14"}]}]}`), 0o644)
	s, err := readSyft(syftJSON)
	if err != nil {
		t.Fatal(err)
	}
	o, err := readSPDX(spdx)
	if err != nil {
		t.Fatal(err)
	}
	r := compare(s, o, true)
	if len(r.failures) != 0 || len(r.matched) != 4 {
		t.Fatalf("matched %q, failures %q", r.matched, r.failures)
	}
	if _, err := readSyft(spdx); err == nil || !strings.Contains(err.Error(), "not syft-json") {
		t.Errorf("readSyft(SPDX file) = %v, want a 'not syft-json' error", err)
	}
	if _, err := readSPDX(syftJSON); err == nil || !strings.Contains(err.Error(), "not an SPDX") {
		t.Errorf("readSPDX(syft file) = %v, want a 'not an SPDX' error", err)
	}
}
