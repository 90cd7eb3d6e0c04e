// Command sbomcompare compares the packages syft finds in an image (syft-json) with the SPDX
// SBOM rules_go_cross wrote for it, prints every difference and fails on the ones that matter.
//
// What must match:
//   - Debian packages: the same set of names, each with the same version and architecture
//     (syft reads them from /var/lib/dpkg/status.d).
//   - Packages syft reads from ELF package notes (.note.package, which Debian's builds of
//     some libraries carry, e.g. libgcc_s.so.1 naming its source package gcc-14): a Debian
//     package of the SBOM with that name or that source package, at that version.
//   - Go: every Go package syft reports is in the SBOM with the same version, and every
//     versioned Go module of the SBOM (those with a pkg:golang purl) is in syft's list.
//     syft reads Go packages only from a binary's module information (`go version -m`),
//     which the examples record with go_buildinfo (rules_go before 0.63 records only the Go
//     version). For a binary that records none, syft lists no Go package and the SBOM's
//     stdlib entry (from that Go version) is reported as a note instead of a failure; a
//     binary that records modules syft misses fails. A main module recorded as "(devel)" is
//     what syft reports as "UNKNOWN".
//
// Other syft packages (for example files its binary classifiers recognise) are printed and
// not compared: the SBOM lists packages, not files.
package main

import (
	"debug/buildinfo"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"
)

func main() {
	syftFile := flag.String("syft", "", "syft's output for the image, -o syft-json")
	spdxFile := flag.String("spdx", "", "the image's SPDX SBOM (go_image's <name>_sbom)")
	binary := flag.String("binary", "", "the image's Go binary, as unpacked from the image (optional)")
	flag.Parse()
	if *syftFile == "" || *spdxFile == "" {
		fmt.Fprintln(os.Stderr, "usage: sbomcompare -syft syft.json -spdx image.spdx.json [-binary path]")
		os.Exit(2)
	}
	if err := run(*syftFile, *spdxFile, *binary, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "sbomcompare: %v\n", err)
		os.Exit(1)
	}
}

func run(syftFile, spdxFile, binary string, w io.Writer) error {
	s, err := readSyft(syftFile)
	if err != nil {
		return err
	}
	o, err := readSPDX(spdxFile)
	if err != nil {
		return err
	}
	hasModules := true // without -binary, syft must find the SBOM's Go packages
	if binary != "" {
		info, err := buildinfo.ReadFile(binary)
		if err != nil {
			return fmt.Errorf("%s: %w", binary, err)
		}
		hasModules = info.Path != "" || info.Main.Path != "" || len(info.Deps) > 0
	}
	r := compare(s, o, hasModules)
	r.print(w)
	if len(r.failures) > 0 {
		return fmt.Errorf("%d mismatch(es) between syft and the SBOM", len(r.failures))
	}
	return nil
}

// pkg is one package, reduced to what is compared.
type pkg struct {
	kind    string // deb, deb-note (from an ELF package note), go, go-main or other:<syft type>
	name    string
	version string
	arch    string // Debian architecture, from the purl
	purl    string
	// source and sourceVersion are the Debian source package (purl "upstream" qualifier).
	source, sourceVersion string
	// file is where syft found a package note.
	file string
}

func (p pkg) String() string {
	s := p.name + " " + p.version
	if p.arch != "" {
		s += " (" + p.arch + ")"
	}
	return s
}

func readSyft(path string) ([]pkg, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Artifacts []struct {
			Name, Version, Type, PURL, FoundBy string
			Locations                          []struct{ Path string }
		} `json:"artifacts"`
		Schema struct{ Version string } `json:"schema"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Schema.Version == "" {
		return nil, fmt.Errorf("%s is not syft-json output (syft scan -o syft-json=FILE): %v", path, err)
	}
	var out []pkg
	for _, a := range doc.Artifacts {
		p := pkg{name: a.Name, version: a.Version, purl: a.PURL, arch: purlQualifier(a.PURL, "arch")}
		switch {
		case a.Type == "deb" && a.FoundBy == "elf-binary-package-cataloger":
			p.kind = "deb-note"
			if len(a.Locations) > 0 {
				p.file = a.Locations[0].Path
			}
		case a.Type == "deb":
			p.kind = "deb"
		case a.Type == "go-module":
			p.kind = "go"
		default:
			p.kind = "other:" + a.Type
		}
		out = append(out, p)
	}
	return out, nil
}

func readSPDX(path string) ([]pkg, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		SPDXVersion string `json:"spdxVersion"`
		Packages    []struct {
			Name         string `json:"name"`
			Version      string `json:"versionInfo"`
			Purpose      string `json:"primaryPackagePurpose"`
			ExternalRefs []struct {
				Type    string `json:"referenceType"`
				Locator string `json:"referenceLocator"`
			} `json:"externalRefs"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || !strings.HasPrefix(doc.SPDXVersion, "SPDX-") {
		return nil, fmt.Errorf("%s is not an SPDX JSON document: %v", path, err)
	}
	var out []pkg
	for _, sp := range doc.Packages {
		if sp.Purpose == "CONTAINER" {
			continue // the image itself
		}
		p := pkg{name: sp.Name, version: sp.Version}
		for _, r := range sp.ExternalRefs {
			if r.Type == "purl" {
				p.purl = r.Locator
			}
		}
		switch {
		case strings.HasPrefix(p.purl, "pkg:deb/"):
			p.kind, p.arch = "deb", purlQualifier(p.purl, "arch")
			p.source, p.sourceVersion, _ = strings.Cut(purlQualifier(p.purl, "upstream"), "@")
			if p.source == "" {
				p.source = p.name
			}
			if p.sourceVersion == "" {
				p.sourceVersion = p.version
			}
		case strings.HasPrefix(p.purl, "pkg:golang/"):
			p.kind = "go"
		case sp.Purpose == "APPLICATION":
			p.kind = "go-main" // the binary's own package, without module information
		default:
			p.kind = "other"
		}
		out = append(out, p)
	}
	return out, nil
}

func purlQualifier(purl, key string) string {
	_, q, ok := strings.Cut(purl, "?")
	if !ok {
		return ""
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return ""
	}
	return v.Get(key)
}

type report struct {
	matched  []string
	failures []string
	notes    []string
}

func (r *report) print(w io.Writer) {
	for _, m := range r.matched {
		fmt.Fprintf(w, "  same      %s\n", m)
	}
	for _, n := range r.notes {
		fmt.Fprintf(w, "  note      %s\n", n)
	}
	for _, f := range r.failures {
		fmt.Fprintf(w, "  MISMATCH  %s\n", f)
	}
	fmt.Fprintf(w, "  %d packages agree, %d mismatches, %d notes\n", len(r.matched), len(r.failures), len(r.notes))
}

// compare applies the rules of the package comment. hasModules tells whether the binary
// records Go module information that syft can read.
func compare(syft, ours []pkg, hasModules bool) *report {
	r := &report{}
	by := func(ps []pkg, kind string) map[string]pkg {
		m := map[string]pkg{}
		for _, p := range ps {
			if p.kind == kind {
				m[p.name] = p
			}
		}
		return m
	}

	sd, od := by(syft, "deb"), by(ours, "deb")
	for _, n := range sortedNames(sd, od) {
		s, inS := sd[n]
		o, inO := od[n]
		switch {
		case !inO:
			r.failures = append(r.failures, fmt.Sprintf("deb %s: syft finds it, the SBOM does not list it", s))
		case !inS:
			r.failures = append(r.failures, fmt.Sprintf("deb %s: in the SBOM, syft does not find it", o))
		case s.version != o.version || s.arch != o.arch:
			r.failures = append(r.failures, fmt.Sprintf("deb %s: syft %s, SBOM %s", n, s, o))
		default:
			r.matched = append(r.matched, "deb "+o.String())
			if s.purl != o.purl {
				r.notes = append(r.notes, fmt.Sprintf("deb %s: purls spelt differently: syft %s, SBOM %s", n, s.purl, o.purl))
			}
		}
	}

	for _, s := range syft {
		if s.kind != "deb-note" {
			continue
		}
		found := ""
		for _, o := range ours {
			if o.kind == "deb" && ((o.name == s.name && o.version == s.version) || (o.source == s.name && o.sourceVersion == s.version)) {
				found = o.name
			}
		}
		if found == "" {
			r.failures = append(r.failures, fmt.Sprintf("deb %s: named by the ELF package note of %s; no Debian package of the SBOM is (or is built from) it", s, s.file))
			continue
		}
		r.matched = append(r.matched, fmt.Sprintf("deb %s from the ELF package note of %s: the source of %s", s, s.file, found))
	}

	sg, og := by(syft, "go"), by(ours, "go")
	for _, n := range sortedNames(sg, og) {
		s, inS := sg[n]
		o, inO := og[n]
		switch {
		case inS && !inO:
			if m, ok := by(ours, "go-main")[n]; ok {
				switch {
				case m.version == "" || m.version == s.version || s.version == "(devel)":
					r.matched = append(r.matched, "go main "+s.String())
					continue
				case m.version == "(devel)" && s.version == "UNKNOWN":
					// syft reports a main module recorded as "(devel)" (go build of a working
					// tree) as "UNKNOWN" when nothing else (VCS stamps, -ldflags) names a version.
					r.matched = append(r.matched, "go main "+m.String()+" (syft: UNKNOWN)")
					continue
				}
			}
			r.failures = append(r.failures, fmt.Sprintf("go %s: syft finds it, the SBOM does not list it", s))
		case inO && !inS:
			if len(sg) == 0 && !hasModules {
				r.notes = append(r.notes, fmt.Sprintf("go %s: in the SBOM (from the binary's Go version); syft lists no Go package because the binary records no module information (go_buildinfo records it; rules_go before 0.63 records only the Go version)", o))
				continue
			}
			r.failures = append(r.failures, fmt.Sprintf("go %s: in the SBOM, syft does not find it", o))
		case s.version != o.version:
			r.failures = append(r.failures, fmt.Sprintf("go %s: syft %s, SBOM %s", n, s.version, o.version))
		default:
			r.matched = append(r.matched, "go "+o.String())
		}
	}
	if len(sg) == 0 && hasModules && len(og) > 0 {
		r.failures = append(r.failures, "the binary records Go module information, but syft lists no Go package")
	}

	for _, p := range syft {
		if strings.HasPrefix(p.kind, "other:") {
			r.notes = append(r.notes, fmt.Sprintf("syft also reports %s %s (not compared: not a package the SBOM lists)", strings.TrimPrefix(p.kind, "other:"), p))
		}
	}
	for _, p := range ours {
		if p.kind == "go-main" && len(sg) == 0 {
			r.notes = append(r.notes, fmt.Sprintf("SBOM lists the program %s without a module version; syft does not report it", p.name))
		}
	}
	return r
}

func sortedNames(ms ...map[string]pkg) []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range ms {
		for n := range m {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}
