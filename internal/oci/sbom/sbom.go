// Package sbom writes SPDX 2.3 JSON software bills of materials for images:
// the Go modules compiled into the image's binaries (from their embedded
// build info) and the Debian packages of the base. Output is deterministic:
// the creation time is given, and the document namespace is derived from a
// hash of the content instead of a random UUID.
package sbom

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/spdxlicense"
)

// NamespacePrefix starts every documentNamespace.
const NamespacePrefix = "https://github.com/rules-go-cross/rules_go_cross/spdx/"

// Creator is the tool named in creationInfo.creators.
const Creator = "Tool: rules_go_cross-imagetool"

// Binary is a Go program in the image.
type Binary struct {
	// Name is the program's name for the SBOM (e.g. its path in the image).
	Name string
	Info *debug.BuildInfo
}

// Options describes the image.
type Options struct {
	Name    string
	Created time.Time
	// ImageDigest ("sha256:...") of the image manifest, if known.
	ImageDigest string
	Binaries    []Binary
	Packages    []pkglist.Package
}

// Document is the subset of SPDX 2.3 written here.
type Document struct {
	SPDXVersion       string             `json:"spdxVersion"`
	DataLicense       string             `json:"dataLicense"`
	SPDXID            string             `json:"SPDXID"`
	Name              string             `json:"name"`
	DocumentNamespace string             `json:"documentNamespace"`
	CreationInfo      CreationInfo       `json:"creationInfo"`
	Packages          []Package          `json:"packages"`
	Relationships     []Relationship     `json:"relationships"`
	ExtractedLicenses []ExtractedLicense `json:"hasExtractedLicensingInfos,omitempty"`
}

// CreationInfo is SPDX creationInfo.
type CreationInfo struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

// Package is an SPDX package.
type Package struct {
	Name             string        `json:"name"`
	SPDXID           string        `json:"SPDXID"`
	VersionInfo      string        `json:"versionInfo,omitempty"`
	Supplier         string        `json:"supplier,omitempty"`
	DownloadLocation string        `json:"downloadLocation"`
	FilesAnalyzed    bool          `json:"filesAnalyzed"`
	Checksums        []Checksum    `json:"checksums,omitempty"`
	LicenseConcluded string        `json:"licenseConcluded"`
	LicenseDeclared  string        `json:"licenseDeclared"`
	CopyrightText    string        `json:"copyrightText"`
	SourceInfo       string        `json:"sourceInfo,omitempty"`
	Comment          string        `json:"comment,omitempty"`
	Purpose          string        `json:"primaryPackagePurpose,omitempty"`
	ExternalRefs     []ExternalRef `json:"externalRefs,omitempty"`
}

// Checksum is an SPDX checksum.
type Checksum struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"checksumValue"`
}

// ExternalRef is an SPDX external reference (here: purls).
type ExternalRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

// Relationship is an SPDX relationship.
type Relationship struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

// ExtractedLicense defines a LicenseRef used in the document.
type ExtractedLicense struct {
	LicenseID     string `json:"licenseId"`
	ExtractedText string `json:"extractedText"`
	Name          string `json:"name"`
}

const noAssertion = "NOASSERTION"

// Generate renders the SPDX document as indented JSON.
func Generate(opts Options) ([]byte, error) {
	if opts.Name == "" {
		return nil, fmt.Errorf("no -name given; name the image the SBOM describes")
	}
	if opts.Created.IsZero() {
		opts.Created = time.Unix(0, 0)
	}
	g := &generator{ids: map[string]bool{}}
	doc := &Document{
		SPDXVersion: "SPDX-2.3",
		DataLicense: "CC0-1.0",
		SPDXID:      "SPDXRef-DOCUMENT",
		Name:        opts.Name,
		CreationInfo: CreationInfo{
			Created:  opts.Created.UTC().Format(time.RFC3339),
			Creators: []string{Creator},
		},
	}
	imgID := g.id("Image-" + opts.Name)
	img := Package{
		Name: opts.Name, SPDXID: imgID, DownloadLocation: noAssertion,
		LicenseConcluded: noAssertion, LicenseDeclared: noAssertion, CopyrightText: noAssertion,
		Purpose: "CONTAINER",
	}
	if opts.ImageDigest != "" {
		algo, hexsum, ok := strings.Cut(opts.ImageDigest, ":")
		if !ok || algo != "sha256" || len(hexsum) != 64 {
			return nil, fmt.Errorf("image digest %q is not sha256:<64 hex digits>", opts.ImageDigest)
		}
		img.VersionInfo = opts.ImageDigest
		img.Checksums = []Checksum{{Algorithm: "SHA256", Value: hexsum}}
		img.ExternalRefs = []ExternalRef{purlRef("pkg:oci/" + url.PathEscape(lastSegment(opts.Name)) + "@" + strings.ReplaceAll(opts.ImageDigest, ":", "%3A"))}
	}
	doc.Packages = append(doc.Packages, img)
	doc.Relationships = append(doc.Relationships, Relationship{"SPDXRef-DOCUMENT", "DESCRIBES", imgID})

	bins := append([]Binary(nil), opts.Binaries...)
	sort.SliceStable(bins, func(i, j int) bool { return bins[i].Name < bins[j].Name })
	for _, b := range bins {
		g.addBinary(doc, imgID, b)
	}

	pkgs := append([]pkglist.Package(nil), opts.Packages...)
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Name < pkgs[j].Name })
	refs := map[string]bool{}
	for _, p := range pkgs {
		id := g.id("Package-deb-" + p.Name + "-" + p.Version)
		lic := noAssertion
		if p.License != "" {
			lic = p.License
			for _, r := range spdxlicense.Refs(lic) {
				refs[r] = true
			}
		}
		sp := Package{
			Name: p.Name, SPDXID: id, VersionInfo: p.Version, Supplier: "Organization: Debian",
			DownloadLocation: noAssertion, LicenseConcluded: noAssertion, LicenseDeclared: lic,
			CopyrightText: noAssertion, ExternalRefs: []ExternalRef{purlRef(debPURL(p))},
		}
		if p.Source != "" && p.Source != p.Name {
			sp.SourceInfo = "built from Debian source package " + p.Source
		}
		if p.SHA256 != "" {
			sp.Checksums = []Checksum{{Algorithm: "SHA256", Value: p.SHA256}}
		}
		sp.Comment = partialComment(p)
		doc.Packages = append(doc.Packages, sp)
		doc.Relationships = append(doc.Relationships, Relationship{imgID, "CONTAINS", id})
	}
	for _, r := range sortedKeys(refs) {
		name := strings.TrimPrefix(r, "LicenseRef-Debian-")
		doc.ExtractedLicenses = append(doc.ExtractedLicenses, ExtractedLicense{
			LicenseID:     r,
			ExtractedText: fmt.Sprintf("License short name %q from the package's debian/copyright file; see /usr/share/doc/<package>/copyright in the image for the text.", name),
			Name:          name,
		})
	}

	// The namespace is derived from everything else, so equal inputs give
	// equal documents and different inputs different namespaces.
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	doc.DocumentNamespace = NamespacePrefix + url.PathEscape(opts.Name) + "-" + hex.EncodeToString(sum[:])
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

type generator struct{ ids map[string]bool }

var idUnsafe = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// id returns a unique SPDX identifier built from s.
func (g *generator) id(s string) string {
	base := "SPDXRef-" + strings.Trim(idUnsafe.ReplaceAllString(s, "-"), "-")
	id := base
	for i := 2; g.ids[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	g.ids[id] = true
	return id
}

func (g *generator) addBinary(doc *Document, imgID string, b Binary) {
	info := b.Info
	main := info.Main
	mainID := g.id("Package-go-main-" + b.Name)
	mainPkg := Package{
		Name: main.Path, SPDXID: mainID, VersionInfo: main.Version, DownloadLocation: noAssertion,
		LicenseConcluded: noAssertion, LicenseDeclared: noAssertion, CopyrightText: noAssertion,
		Purpose: "APPLICATION", SourceInfo: "Go program " + b.Name + " (package " + info.Path + ")",
	}
	// Bazel (rules_go) links binaries without a main module: fall back to the package path,
	// then to the binary's name, so the required SPDX name is never empty.
	if main.Path == "" {
		mainPkg.Name = info.Path
	}
	if mainPkg.Name == "" {
		mainPkg.Name = b.Name
	}
	if mainPkg.Name != "" && main.Version != "" && main.Version != "(devel)" {
		mainPkg.ExternalRefs = []ExternalRef{purlRef(goPURL(mainPkg.Name, main.Version))}
	}
	doc.Packages = append(doc.Packages, mainPkg)
	doc.Relationships = append(doc.Relationships, Relationship{imgID, "CONTAINS", mainID})

	if v := strings.TrimPrefix(info.GoVersion, "go"); v != "" {
		id := g.id("Package-go-stdlib-" + b.Name + "-" + info.GoVersion)
		doc.Packages = append(doc.Packages, Package{
			Name: "stdlib", SPDXID: id, VersionInfo: info.GoVersion, DownloadLocation: "https://go.dev/dl/",
			LicenseConcluded: noAssertion, LicenseDeclared: "BSD-3-Clause", CopyrightText: noAssertion,
			ExternalRefs: []ExternalRef{purlRef("pkg:golang/stdlib@" + url.PathEscape(strings.Fields(v)[0]))},
		})
		doc.Relationships = append(doc.Relationships, Relationship{mainID, "DEPENDS_ON", id})
	}

	deps := append([]*debug.Module(nil), info.Deps...)
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	for _, d := range deps {
		m := d
		note := ""
		if d.Replace != nil {
			note = "replaced by " + d.Replace.Path
			if d.Replace.Version != "" {
				note += "@" + d.Replace.Version
				m = d.Replace
			}
		}
		id := g.id("Package-go-module-" + m.Path + "-" + m.Version)
		p := Package{
			Name: m.Path, SPDXID: id, VersionInfo: m.Version, DownloadLocation: noAssertion,
			LicenseConcluded: noAssertion, LicenseDeclared: noAssertion, CopyrightText: noAssertion,
			SourceInfo: note,
		}
		if m.Version != "" && m.Version != "(devel)" {
			p.ExternalRefs = []ExternalRef{purlRef(goPURL(m.Path, m.Version))}
			p.DownloadLocation = "https://proxy.golang.org/" + m.Path + "/@v/" + m.Version + ".zip"
		}
		doc.Packages = append(doc.Packages, p)
		doc.Relationships = append(doc.Relationships, Relationship{mainID, "DEPENDS_ON", id})
	}
}

// partialComment says how much of a Debian package the image holds, when
// some of its files were left out ("" when none were).
func partialComment(p pkglist.Package) string {
	if len(p.Omitted) == 0 {
		return ""
	}
	var why []string
	for _, o := range p.Omitted {
		why = append(why, fmt.Sprintf("%d %s", o.Files, o.Reason))
	}
	return fmt.Sprintf("Partly installed: %d of the package's %d files are in the image (left out: %s); "+
		"/var/lib/dpkg/status.d/%s.md5sums lists its regular files that are.", p.InImage(), p.Files, strings.Join(why, ", "), p.Name)
}

func purlRef(purl string) ExternalRef {
	return ExternalRef{Category: "PACKAGE-MANAGER", Type: "purl", Locator: purl}
}

func goPURL(path, version string) string {
	var segs []string
	for _, s := range strings.Split(path, "/") {
		segs = append(segs, url.PathEscape(s))
	}
	return "pkg:golang/" + strings.Join(segs, "/") + "@" + url.PathEscape(version)
}

func debPURL(p pkglist.Package) string {
	q := url.Values{}
	if p.Arch != "" {
		q.Set("arch", p.Arch)
	}
	if p.Distro != "" {
		q.Set("distro", p.Distro)
	}
	if p.Source != "" && p.Source != p.Name {
		up := p.Source
		if p.SourceVersion != "" {
			up += "@" + p.SourceVersion
		}
		q.Set("upstream", up)
	}
	s := "pkg:deb/debian/" + url.PathEscape(p.Name) + "@" + url.PathEscape(p.Version)
	if len(q) > 0 {
		s += "?" + q.Encode() // Encode sorts the keys
	}
	return s
}

func lastSegment(name string) string {
	name = strings.TrimSuffix(name, "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[i+1:]
	}
	return name
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
