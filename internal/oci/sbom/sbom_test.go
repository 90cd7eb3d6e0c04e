package sbom_test

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"net/url"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/sbom"
)

var spdxID = regexp.MustCompile(`^SPDXRef-[A-Za-z0-9.-]+$`)

// validate checks the fields SPDX 2.3 requires and the references between
// elements, and returns the parsed document.
func validate(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	str := func(m map[string]any, k string) string {
		s, ok := m[k].(string)
		if !ok || s == "" {
			t.Errorf("missing required field %q in %v", k, m["SPDXID"])
		}
		return s
	}
	if v := str(doc, "spdxVersion"); v != "SPDX-2.3" {
		t.Errorf("spdxVersion %q", v)
	}
	if v := str(doc, "dataLicense"); v != "CC0-1.0" {
		t.Errorf("dataLicense %q", v)
	}
	if v := str(doc, "SPDXID"); v != "SPDXRef-DOCUMENT" {
		t.Errorf("SPDXID %q", v)
	}
	str(doc, "name")
	ns := str(doc, "documentNamespace")
	if u, err := url.Parse(ns); err != nil || u.Scheme != "https" || strings.Contains(ns, "#") {
		t.Errorf("documentNamespace %q is not a URI without '#'", ns)
	}
	ci, _ := doc["creationInfo"].(map[string]any)
	if ci == nil {
		t.Fatal("missing creationInfo")
	}
	if _, err := time.Parse(time.RFC3339, str(ci, "created")); err != nil || !strings.HasSuffix(ci["created"].(string), "Z") {
		t.Errorf("creationInfo.created %v is not YYYY-MM-DDThh:mm:ssZ", ci["created"])
	}
	creators, _ := ci["creators"].([]any)
	if len(creators) == 0 {
		t.Error("creationInfo.creators empty")
	}
	ids := map[string]bool{"SPDXRef-DOCUMENT": true}
	pkgs, _ := doc["packages"].([]any)
	if len(pkgs) == 0 {
		t.Fatal("no packages")
	}
	for _, pi := range pkgs {
		p := pi.(map[string]any)
		id := str(p, "SPDXID")
		if !spdxID.MatchString(id) || ids[id] {
			t.Errorf("bad or duplicate SPDXID %q", id)
		}
		ids[id] = true
		str(p, "name")
		str(p, "downloadLocation")
		str(p, "licenseConcluded")
		str(p, "licenseDeclared")
		str(p, "copyrightText")
		if _, ok := p["filesAnalyzed"].(bool); !ok {
			t.Errorf("%s: filesAnalyzed missing", id)
		}
		refs, _ := p["externalRefs"].([]any)
		for _, ri := range refs {
			r := ri.(map[string]any)
			if r["referenceCategory"] != "PACKAGE-MANAGER" || r["referenceType"] != "purl" || !strings.HasPrefix(r["referenceLocator"].(string), "pkg:") {
				t.Errorf("%s: bad external ref %v", id, r)
			}
		}
	}
	rels, _ := doc["relationships"].([]any)
	describes := false
	for _, ri := range rels {
		r := ri.(map[string]any)
		if !ids[r["spdxElementId"].(string)] || !ids[r["relatedSpdxElement"].(string)] {
			t.Errorf("relationship %v references an unknown element", r)
		}
		if r["spdxElementId"] == "SPDXRef-DOCUMENT" && r["relationshipType"] == "DESCRIBES" {
			describes = true
		}
	}
	if !describes {
		t.Error("no DOCUMENT DESCRIBES relationship")
	}
	defined := map[string]bool{}
	if ex, ok := doc["hasExtractedLicensingInfos"].([]any); ok {
		for _, ei := range ex {
			e := ei.(map[string]any)
			defined[str(e, "licenseId")] = true
			str(e, "extractedText")
		}
	}
	for _, ref := range regexp.MustCompile(`LicenseRef-[A-Za-z0-9.-]+`).FindAllString(string(raw), -1) {
		if !defined[ref] {
			t.Errorf("%s used but not defined in hasExtractedLicensingInfos", ref)
		}
	}
	return doc
}

var testPackages = []pkglist.Package{
	{Name: "tzdata", Version: "2024a-0+deb12u1", Arch: "all", License: "LicenseRef-Debian-public-domain", Source: "tzdata", Distro: "debian-12"},
	{Name: "libc6", Version: "2.36-9+deb12u4", Arch: "amd64", Source: "glibc", Distro: "debian-12", SHA256: strings.Repeat("ab", 32),
		Files: 286, Omitted: []pkglist.Omission{{Reason: "documentation", Files: 7}, {Reason: "not in the keep list", Files: 265}}},
	{Name: "netbase", Version: "6.4", Arch: "all", License: "GPL-2.0-only", Source: "netbase"},
}

var testInfo = &debug.BuildInfo{
	GoVersion: "go1.26.8",
	Path:      "example.com/app/cmd/server",
	Main:      debug.Module{Path: "example.com/app", Version: "v1.2.3"},
	Deps: []*debug.Module{
		{Path: "golang.org/x/sys", Version: "v0.20.0", Sum: "h1:x"},
		{Path: "github.com/google/uuid", Version: "v1.6.0", Sum: "h1:y"},
		{Path: "example.com/forked", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1"}},
	},
}

func TestGenerate(t *testing.T) {
	opts := sbom.Options{
		Name: "registry.example.com/app", Created: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		ImageDigest: "sha256:" + strings.Repeat("0f", 32),
		Binaries:    []sbom.Binary{{Name: "/app/server", Info: testInfo}},
		Packages:    testPackages,
	}
	a, err := sbom.Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sbom.Generate(opts)
	if !bytes.Equal(a, b) {
		t.Fatal("SBOM differs between runs")
	}
	doc := validate(t, a)
	if doc["creationInfo"].(map[string]any)["created"] != "2024-05-01T12:00:00Z" {
		t.Errorf("created = %v", doc["creationInfo"])
	}
	for _, want := range []string{
		`"pkg:golang/golang.org/x/sys@v0.20.0"`,
		`"pkg:golang/github.com/google/uuid@v1.6.0"`,
		`"pkg:golang/example.com/fork@v1.0.1"`,
		`"pkg:golang/example.com/app@v1.2.3"`,
		`"pkg:golang/stdlib@1.26.8"`,
		`"pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64\u0026distro=debian-12\u0026upstream=glibc"`,
		`"pkg:deb/debian/tzdata@2024a-0+deb12u1?arch=all\u0026distro=debian-12"`,
		`"licenseDeclared": "GPL-2.0-only"`,
		`"pkg:oci/app@sha256%3A0f0f`,
	} {
		if !strings.Contains(string(a), want) {
			t.Errorf("SBOM lacks %s", want)
		}
	}
	// A different input gives a different namespace.
	opts.Packages = testPackages[:2]
	c, _ := sbom.Generate(opts)
	var da, dc map[string]any
	json.Unmarshal(a, &da)
	json.Unmarshal(c, &dc)
	if da["documentNamespace"] == dc["documentNamespace"] {
		t.Error("documentNamespace does not depend on the content")
	}
}

// A package shipped in part says so in its comment; a whole one has none.
func TestPartlyInstalledComment(t *testing.T) {
	raw, err := sbom.Generate(sbom.Options{Name: "img", Packages: testPackages})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Packages []struct{ Name, Comment string }
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"libc6": "Partly installed: 14 of the package's 286 files are in the image (left out: 7 documentation, 265 not in the keep list); " +
			"/var/lib/dpkg/status.d/libc6.md5sums lists its regular files that are.",
		"tzdata": "",
	}
	for _, p := range doc.Packages {
		if w, ok := want[p.Name]; ok && p.Comment != w {
			t.Errorf("package %s comment %q, want %q", p.Name, p.Comment, w)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts sbom.Options
		want string
	}{
		{"no name", sbom.Options{}, "no -name"},
		{"bad digest", sbom.Options{Name: "x", ImageDigest: "md5:abc"}, "not sha256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := sbom.Generate(tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestRealBuildInfo reads the build info of this test binary.
func TestRealBuildInfo(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	info, err := buildinfo.ReadFile(exe)
	if err != nil {
		t.Skipf("the test binary has no Go build info (%v)", err)
	}
	out, err := sbom.Generate(sbom.Options{Name: "test", Binaries: []sbom.Binary{{Name: "/test", Info: info}}, Packages: testPackages})
	if err != nil {
		t.Fatal(err)
	}
	validate(t, out)
	if !strings.Contains(string(out), "pkg:golang/github.com/google/go-containerregistry@v0.22.1") &&
		!strings.Contains(string(out), "pkg:golang/github.com/klauspost/compress@") {
		t.Logf("note: test binary build info lists no module deps: %+v", info.Deps)
	}
}
