// Package provenance writes in-toto statements with SLSA v1 build provenance for images:
// which builder built what image from which Bazel target, for which platform, with which Go
// toolchain and modules (from the binary's build info), which Debian packages and which base
// lock file. The build writes the statement without the source revision (no stamping: the
// same sources give the same bytes); signing adds the revision with WithSource.
package provenance

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
)

const (
	// StatementType is the in-toto Statement v1 type.
	StatementType = "https://in-toto.io/Statement/v1"
	// PredicateType is SLSA provenance v1 (cosign attest --type slsaprovenance1).
	PredicateType = "https://slsa.dev/provenance/v1"
	// BuildType describes the externalParameters below.
	BuildType = "https://github.com/rules-go-cross/rules_go_cross/go_image/v1"
	// BuilderID names the builder: Bazel with rules_go_cross's go_image.
	BuilderID = "https://github.com/rules-go-cross/rules_go_cross/go_image"
)

// Statement is an in-toto v1 statement about one image.
type Statement struct {
	Type          string      `json:"_type"`
	Subject       []Subject   `json:"subject"`
	PredicateType string      `json:"predicateType"`
	Predicate     *Provenance `json:"predicate"`
}

// Subject is the image, named and identified by its manifest digest.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// Provenance is the SLSA v1 provenance predicate.
type Provenance struct {
	BuildDefinition BuildDefinition `json:"buildDefinition"`
	RunDetails      RunDetails      `json:"runDetails"`
}

// BuildDefinition says what was built and from what.
type BuildDefinition struct {
	BuildType            string               `json:"buildType"`
	ExternalParameters   ExternalParameters   `json:"externalParameters"`
	InternalParameters   map[string]string    `json:"internalParameters,omitempty"`
	ResolvedDependencies []ResourceDescriptor `json:"resolvedDependencies"`
}

// ExternalParameters are the inputs a user chose.
type ExternalParameters struct {
	// Target is the Bazel label of the go_image.
	Target string `json:"target"`
	// Platform is the label of the target platform the image was built for.
	Platform string `json:"platform,omitempty"`
	// Source is the source repository at the revision built; set when signing.
	Source *ResourceDescriptor `json:"source,omitempty"`
}

// ResourceDescriptor is an in-toto v1 resource descriptor.
type ResourceDescriptor struct {
	Name        string            `json:"name,omitempty"`
	URI         string            `json:"uri,omitempty"`
	Digest      map[string]string `json:"digest,omitempty"`
	MediaType   string            `json:"mediaType,omitempty"`
	Annotations map[string]any    `json:"annotations,omitempty"`
}

// RunDetails names the builder and what else the build produced.
type RunDetails struct {
	Builder    Builder              `json:"builder"`
	Byproducts []ResourceDescriptor `json:"byproducts,omitempty"`
}

// Builder is the build platform.
type Builder struct {
	ID      string            `json:"id"`
	Version map[string]string `json:"version,omitempty"`
}

// Options describes one image build.
type Options struct {
	Target, Platform string
	// ImageDigest is the manifest digest, sha256:<hex>.
	ImageDigest string
	// BinaryPath is the program's path in the image; Info its Go build info.
	BinaryPath string
	Info       *debug.BuildInfo
	// Packages are the Debian packages of the base the image was built on.
	Packages []pkglist.Package
	// Lock is the lock file those packages were resolved in (optional).
	Lock, LockName string
	// SBOM is the image's SPDX document (optional), recorded as a byproduct.
	SBOM string
	// BuilderVersion is the rules_go_cross module version.
	BuilderVersion string
}

// New returns the statement for an image build, without the source revision.
func New(o Options) (*Statement, error) {
	hexsum, err := sha256Hex(o.ImageDigest)
	if err != nil {
		return nil, fmt.Errorf("image digest: %w", err)
	}
	if o.Target == "" {
		return nil, fmt.Errorf("no target; name the Bazel target that built the image")
	}
	p := &Provenance{
		BuildDefinition: BuildDefinition{
			BuildType:          BuildType,
			ExternalParameters: ExternalParameters{Target: o.Target, Platform: o.Platform},
		},
		RunDetails: RunDetails{Builder: Builder{ID: BuilderID}},
	}
	if o.BuilderVersion != "" {
		p.RunDetails.Builder.Version = map[string]string{"rules_go_cross": o.BuilderVersion}
	}
	deps := &p.BuildDefinition.ResolvedDependencies
	if o.Lock != "" {
		sum, err := fileSHA256(o.Lock)
		if err != nil {
			return nil, fmt.Errorf("base lock file: %w", err)
		}
		*deps = append(*deps, ResourceDescriptor{Name: o.LockName, Digest: map[string]string{"sha256": sum}, MediaType: "application/json"})
	}
	if o.Info != nil {
		*deps = append(*deps, goModules(o.BinaryPath, o.Info)...)
		p.BuildDefinition.InternalParameters = goSettings(o.Info)
	}
	for _, pk := range o.Packages {
		rd := ResourceDescriptor{Name: pk.Name, URI: debURI(pk)}
		if pk.SHA256 != "" {
			rd.Digest = map[string]string{"sha256": pk.SHA256}
		}
		*deps = append(*deps, rd)
	}
	if o.SBOM != "" {
		sum, err := fileSHA256(o.SBOM)
		if err != nil {
			return nil, fmt.Errorf("SBOM: %w", err)
		}
		p.RunDetails.Byproducts = []ResourceDescriptor{{Name: "sbom.spdx.json", Digest: map[string]string{"sha256": sum}, MediaType: "application/spdx+json"}}
	}
	return &Statement{
		Type:          StatementType,
		Subject:       []Subject{{Name: o.Target, Digest: map[string]string{"sha256": hexsum}}},
		PredicateType: PredicateType,
		Predicate:     p,
	}, nil
}

// goModules lists the Go toolchain (as pkg:golang/stdlib) and every module the binary
// records, with its go.sum hash as dirHash. The main module is left out: it is the source.
func goModules(binaryPath string, info *debug.BuildInfo) []ResourceDescriptor {
	var out []ResourceDescriptor
	if f := strings.Fields(info.GoVersion); len(f) > 0 && strings.TrimPrefix(f[0], "go") != "" {
		v := strings.TrimPrefix(f[0], "go")
		out = append(out, ResourceDescriptor{Name: "stdlib", URI: "pkg:golang/stdlib@" + url.PathEscape(v),
			Annotations: map[string]any{"binary": binaryPath}})
	}
	for _, d := range info.Deps {
		m := d
		if d.Replace != nil {
			m = d.Replace
		}
		rd := ResourceDescriptor{Name: m.Path, URI: "pkg:golang/" + m.Path + "@" + url.PathEscape(m.Version)}
		if h, ok := dirHash(m.Sum); ok {
			rd.Digest = map[string]string{"dirHash": h}
		}
		out = append(out, rd)
	}
	return out
}

// goSettings are the build settings the binary records (-tags, CGO_ENABLED, GOARCH...).
func goSettings(info *debug.BuildInfo) map[string]string {
	m := map[string]string{"go": info.GoVersion}
	for _, s := range info.Settings {
		m["go."+s.Key] = s.Value
	}
	return m
}

// dirHash turns a go.sum "h1:<base64>" into the in-toto dirHash digest (lowercase hex).
func dirHash(sum string) (string, bool) {
	b64, ok := strings.CutPrefix(sum, "h1:")
	if !ok {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != sha256.Size {
		return "", false
	}
	return hex.EncodeToString(b), true
}

func debURI(p pkglist.Package) string {
	s := "pkg:deb/debian/" + url.PathEscape(p.Name) + "@" + url.PathEscape(p.Version)
	if p.Arch != "" {
		s += "?arch=" + url.QueryEscape(p.Arch)
	}
	return s
}

// Source is the source tree an image was built from.
type Source struct {
	// URI is where the source lives, e.g. git+https://github.com/org/repo.
	URI string
	// Revision is the git commit.
	Revision string
	// Dirty is true when the tree had uncommitted changes.
	Dirty bool
}

// WithSource returns the statement's predicate (what `cosign attest --type slsaprovenance1`
// takes) with the source revision added as external parameter and first resolved dependency.
func WithSource(s *Statement, src Source) ([]byte, error) {
	if src.Revision == "" || src.URI == "" {
		return nil, fmt.Errorf("no source revision or URI")
	}
	p := *s.Predicate
	rd := ResourceDescriptor{URI: src.URI + "@" + src.Revision, Digest: map[string]string{digestKey(src.Revision): src.Revision}}
	if src.Dirty {
		rd.Annotations = map[string]any{"dirty": true}
	}
	p.BuildDefinition.ExternalParameters.Source = &rd
	p.BuildDefinition.ResolvedDependencies = append([]ResourceDescriptor{rd}, p.BuildDefinition.ResolvedDependencies...)
	return marshal(&p)
}

// digestKey is gitCommit for git object names (40 or 64 hex digits), else "revision".
func digestKey(rev string) string {
	if _, err := hex.DecodeString(rev); err == nil && (len(rev) == 40 || len(rev) == 64) {
		return "gitCommit"
	}
	return "revision"
}

// Marshal renders the statement as indented JSON with a final newline.
func (s *Statement) Marshal() ([]byte, error) { return marshal(s) }

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Read parses a statement written by Marshal.
func Read(path string) (*Statement, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Statement
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Type != StatementType || s.PredicateType != PredicateType || s.Predicate == nil || len(s.Subject) != 1 {
		return nil, fmt.Errorf("%s is not an in-toto statement with SLSA v1 provenance for one image", path)
	}
	return &s, nil
}

// ImageDigest is the subject's digest, sha256:<hex>.
func (s *Statement) ImageDigest() string { return "sha256:" + s.Subject[0].Digest["sha256"] }

func sha256Hex(d string) (string, error) {
	h, ok := strings.CutPrefix(d, "sha256:")
	if _, err := hex.DecodeString(h); !ok || err != nil || len(h) != 64 {
		return "", fmt.Errorf("%q is not sha256:<64 hex digits>", d)
	}
	return h, nil
}

func fileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}
