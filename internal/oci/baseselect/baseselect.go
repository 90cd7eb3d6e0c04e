// Package baseselect picks the base an image is built on: the first of the
// candidate base layouts, in preference order, on which every binary to
// verify can start, checked against the image's flattened filesystem as
// `linkmode verify -base-files` would.
package baseselect

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/verify"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagebuild"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/rootfs"
)

// Candidate is one base layout an image may be built on.
type Candidate struct {
	Name, Dir string
	Image     v1.Image
	Platform  *v1.Platform
	// LayerType is the media type new layers get on this base.
	LayerType types.MediaType
}

// ParseSpec splits "name=dir" or "dir" (named after the directory). A
// value that exists as a path is a directory even if it contains "=".
func ParseSpec(v string) (name, dir string, err error) {
	name, dir, ok := strings.Cut(v, "=")
	if _, statErr := os.Stat(v); !ok || statErr == nil || strings.Contains(name, "/") {
		name, dir = "", v
	}
	if dir == "" {
		return "", "", fmt.Errorf("-base %q has no layout directory; want dir or name=dir", v)
	}
	if name == "" {
		name = filepath.Base(filepath.Clean(dir))
	}
	return name, dir, nil
}

// ReadCandidates reads the base layouts given as [name=]dir, in the order
// given.
func ReadCandidates(specs []string) ([]*Candidate, error) {
	var cs []*Candidate
	seen := map[string]string{}
	for _, v := range specs {
		name, dir, err := ParseSpec(v)
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[name]; ok {
			return nil, fmt.Errorf("-base name %q is given twice (%s and %s); name them apart with -base name=dir", name, prev, dir)
		}
		seen[name] = dir
		cs = append(cs, &Candidate{Name: name, Dir: dir})
	}
	for i, c := range cs {
		v := specs[i]
		img, err := layout.ReadImage(c.Dir)
		if err != nil {
			return nil, fmt.Errorf("-base %s: %w", v, err)
		}
		mt, err := imagebuild.LayerMediaType(img)
		if err != nil {
			return nil, fmt.Errorf("-base %s: %w", v, err)
		}
		platform, err := imagebuild.Platform(img)
		if err != nil {
			return nil, fmt.Errorf("-base %s: %w", v, err)
		}
		c.Image, c.Platform, c.LayerType = img, platform, mt
	}
	return cs, nil
}

// CandidateResult says whether every binary can start on a base. JSON field
// names are stable.
type CandidateResult struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// Report is what the selection found; `imagetool image -verify-report`
// writes it. JSON field names are stable.
type Report struct {
	Base string `json:"base"` // the chosen candidate's name
	// Candidates are the bases checked, in preference order; the search
	// stops at the first that fits, so later ones are not listed.
	Candidates []CandidateResult `json:"candidates"`
	// Binaries are the `linkmode verify -json` reports of the binaries on
	// the chosen base, in the order given.
	Binaries []*verify.Report `json:"binaries"`
}

// ReadReport reads a Report written as JSON.
func ReadReport(file string) (*Report, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &r, nil
}

// Selection is the chosen base.
type Selection struct {
	Chosen *Candidate
	Report Report
	// FS is the image's filesystem on the chosen base.
	FS *rootfs.FS
}

// Choose checks bins on each candidate in turn and returns the first on
// which all of them can start. layersFor returns the image's new layers
// with the media type a candidate needs. When no candidate fits, the error
// gives each one's reason.
func Choose(cands []*Candidate, bins []*elfinfo.Info, layersFor func(types.MediaType) ([]v1.Layer, error)) (*Selection, error) {
	rep := Report{Candidates: []CandidateResult{}, Binaries: []*verify.Report{}}
	for _, c := range cands {
		ls, err := layersFor(c.LayerType)
		if err != nil {
			return nil, err
		}
		res, err := check(c, ls, bins)
		if err != nil {
			return nil, err
		}
		rep.Candidates = append(rep.Candidates, res.result)
		if res.result.OK {
			rep.Base, rep.Binaries = c.Name, res.reports
			return &Selection{Chosen: c, Report: rep, FS: res.flat}, nil
		}
	}
	return nil, noBaseFits(rep.Candidates)
}

// checked is the outcome of checking the binaries on one candidate.
type checked struct {
	result  CandidateResult
	reports []*verify.Report
	flat    *rootfs.FS
}

// check flattens c's layers under newLayers and checks every binary as
// `linkmode verify -expect-arch <platform> -base-files` would.
func check(c *Candidate, newLayers []v1.Layer, bins []*elfinfo.Info) (*checked, error) {
	baseLayers, err := c.Image.Layers()
	if err != nil {
		return nil, fmt.Errorf("-base %s: %w", c.Name, err)
	}
	layers := append(append([]v1.Layer{}, baseLayers...), newLayers...)
	flat, err := rootfs.Flatten(layers)
	if err != nil {
		return nil, fmt.Errorf("-base %s: %w", c.Name, err)
	}
	b := Base(c.Name, flat, layers)
	out := &checked{flat: flat, result: CandidateResult{Name: c.Name, OK: true}}
	var failures []string
	for _, info := range bins {
		r := verify.Run(info, verify.Expect{Arch: linkmode.Arch(c.Platform.Architecture)}, b)
		if _, ok := b.Resolve(info.Path); !ok {
			r.Failures = append([]string{fmt.Sprintf("%s is not a file in the image on base %q; -verify names where a -layer tar puts the binary, check the path", info.Path, c.Name)}, r.Failures...)
			r.OK = false
		}
		out.reports = append(out.reports, r)
		failures = append(failures, r.Failures...)
	}
	switch {
	case len(failures) > 0:
		out.result.OK = false
		out.result.Reason = strings.Join(failures, "\n")
	case len(bins) > 0:
		out.result.Reason = fmt.Sprintf("every -verify binary (%d) can start", len(bins))
	default:
		out.result.Reason = "nothing to check (no -verify)"
	}
	return out, nil
}

// Base returns the flattened filesystem flat of layers as a verify.Base
// named name, whose files are read from layers.
func Base(name string, flat *rootfs.FS, layers []v1.Layer) *verify.Base {
	t := verify.NewTree()
	for _, n := range flat.Nodes {
		switch n.Type {
		case tar.TypeSymlink:
			t.AddSymlink(n.Path, n.Linkname)
		case tar.TypeDir:
			t.AddDir(n.Path)
		default:
			t.AddFile(n.Path)
		}
	}
	return t.Base(name, func(p string) ([]byte, error) { return flat.ReadFile(layers, p) })
}

// noBaseFits explains why no candidate can run the binaries.
func noBaseFits(results []CandidateResult) error {
	var b strings.Builder
	if len(results) == 1 {
		fmt.Fprintf(&b, "the -verify binaries cannot start on base %q:", results[0].Name)
	} else {
		fmt.Fprintf(&b, "none of the %d -base candidates can start every -verify binary:", len(results))
	}
	for _, r := range results {
		if len(results) > 1 {
			fmt.Fprintf(&b, "\n  base %q:", r.Name)
		}
		for _, line := range strings.Split(r.Reason, "\n") {
			fmt.Fprintf(&b, "\n    %s", line)
		}
	}
	if len(results) > 1 {
		b.WriteString("\nAdd a -base candidate that has what the binaries need, or build them for a musl or pure (static) platform.")
	}
	return errors.New(b.String())
}
