package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/verify"
	"github.com/rules-go-cross/rules_go_cross/oci/private/image"
	"github.com/rules-go-cross/rules_go_cross/oci/private/layout"
	"github.com/rules-go-cross/rules_go_cross/oci/private/rootfs"
)

// baseCandidate is one -base [name=]dir flag with its image.
type baseCandidate struct {
	name, dir string
	img       v1.Image
	platform  *v1.Platform
	mt        types.MediaType // of the new layers on this base
}

// parseBaseSpec splits "name=dir" or "dir" (named after the directory). A
// value that exists as a path is a directory even if it contains "=".
func parseBaseSpec(v string) (name, dir string, err error) {
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

// readCandidates reads the -base layouts in the order given.
func readCandidates(specs []string) ([]*baseCandidate, error) {
	var cs []*baseCandidate
	seen := map[string]string{}
	for _, v := range specs {
		name, dir, err := parseBaseSpec(v)
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[name]; ok {
			return nil, fmt.Errorf("-base name %q is given twice (%s and %s); name them apart with -base name=dir", name, prev, dir)
		}
		seen[name] = dir
		cs = append(cs, &baseCandidate{name: name, dir: dir})
	}
	for i, c := range cs {
		v := specs[i]
		img, err := layout.ReadImage(c.dir)
		if err != nil {
			return nil, fmt.Errorf("-base %s: %w", v, err)
		}
		mt, err := image.LayerMediaType(img)
		if err != nil {
			return nil, fmt.Errorf("-base %s: %w", v, err)
		}
		platform, err := image.Platform(img)
		if err != nil {
			return nil, fmt.Errorf("-base %s: %w", v, err)
		}
		c.img, c.platform, c.mt = img, platform, mt
	}
	return cs, nil
}

// parseVerifySpec splits "/path/in/image=host/path".
func parseVerifySpec(v string) (imagePath, hostPath string, err error) {
	imagePath, hostPath, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(imagePath, "/") || hostPath == "" {
		return "", "", fmt.Errorf("-verify %q is not /path/in/image=host/path (the binary's absolute path in the image, then the file on this machine)", v)
	}
	return path.Clean(imagePath), hostPath, nil
}

// inspectBinaries reads the -verify binaries. Each Info names the binary by
// its path in the image, so that messages and reports hold no host paths.
func inspectBinaries(specs []string) ([]*elfinfo.Info, error) {
	var infos []*elfinfo.Info
	for _, v := range specs {
		imagePath, hostPath, err := parseVerifySpec(v)
		if err != nil {
			return nil, err
		}
		info, err := elfinfo.Inspect(hostPath)
		var notELF *elfinfo.NotELFError
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("-verify %s: %s does not exist; pass the linked binary that the -layer tars put at %s", v, hostPath, imagePath)
		case errors.As(err, &notELF):
			return nil, fmt.Errorf("-verify %s: %v; -verify is for the image's Linux executables only", imagePath, err)
		case err != nil:
			return nil, fmt.Errorf("-verify %s: %w", imagePath, err)
		}
		info.Path = imagePath
		infos = append(infos, info)
	}
	return infos, nil
}

// candidateResult says whether every -verify binary can start on a base.
// JSON field names are stable.
type candidateResult struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// verifyReport is the -verify-report output. JSON field names are stable.
type verifyReport struct {
	Base string `json:"base"` // the chosen -base name
	// Candidates are the bases checked, in preference order; the search
	// stops at the first that fits, so later ones are not listed.
	Candidates []candidateResult `json:"candidates"`
	// Binaries are the `linkmode verify -json` reports of the -verify
	// binaries on the chosen base, in flag order.
	Binaries []*verify.Report `json:"binaries"`
}

// checked is the outcome of checking the binaries on one candidate.
type checked struct {
	result  candidateResult
	reports []*verify.Report
	flat    *rootfs.FS // the image's filesystem on this base
}

// checkCandidate flattens c's layers under newLayers and checks every
// binary as `linkmode verify -expect-arch <platform> -base-files` would.
func checkCandidate(c *baseCandidate, newLayers []v1.Layer, bins []*elfinfo.Info) (*checked, error) {
	baseLayers, err := c.img.Layers()
	if err != nil {
		return nil, fmt.Errorf("-base %s: %w", c.name, err)
	}
	layers := append(append([]v1.Layer{}, baseLayers...), newLayers...)
	flat, err := rootfs.Flatten(layers)
	if err != nil {
		return nil, fmt.Errorf("-base %s: %w", c.name, err)
	}
	var list bytes.Buffer
	if err := flat.WriteList(&list); err != nil {
		return nil, err
	}
	b, err := verify.ParseFileList(c.name, &list)
	if err != nil {
		return nil, err
	}
	if b.Glibc == nil && needsGlibcVersion(bins) {
		b.Glibc, b.GlibcSource = dpkgGlibc(flat, layers, b)
	}
	out := &checked{flat: flat, result: candidateResult{Name: c.name, OK: true}}
	var failures []string
	for _, info := range bins {
		r := verify.Run(info, verify.Expect{Arch: linkmode.Arch(c.platform.Architecture)}, b)
		if _, ok := b.Resolve(info.Path); !ok {
			r.Failures = append([]string{fmt.Sprintf("%s is not a file in the image on base %q; -verify names where a -layer tar puts the binary, check the path", info.Path, c.name)}, r.Failures...)
			r.OK = false
		}
		out.reports = append(out.reports, r)
		failures = append(failures, r.Failures...)
	}
	if len(failures) > 0 {
		out.result.OK = false
		out.result.Reason = strings.Join(failures, "\n")
	} else if len(bins) > 0 {
		out.result.Reason = fmt.Sprintf("every -verify binary (%d) can start", len(bins))
	} else {
		out.result.Reason = "nothing to check (no -verify)"
	}
	return out, nil
}

func needsGlibcVersion(bins []*elfinfo.Info) bool {
	for _, b := range bins {
		if b.GlibcMax != "" {
			return true
		}
	}
	return false
}

// dpkgStatus is where `imagetool base` records the libc6 package.
const dpkgStatus = "/var/lib/dpkg/status.d/libc6"

var dpkgVersionRE = regexp.MustCompile(`^Version:\s*(?:\d+:)?(\d+\.\d+)`)

// dpkgGlibc returns the glibc version of the image from the libc6 entry in
// the dpkg status, as `linkmode verify -base-root` does; nil if unknown.
func dpkgGlibc(flat *rootfs.FS, layers []v1.Layer, b *verify.Base) (elfinfo.Version, string) {
	p, ok := b.Resolve(dpkgStatus)
	if !ok {
		return nil, ""
	}
	data, err := flat.ReadFile(layers, p)
	if err != nil {
		return nil, ""
	}
	if v := libc6Version(data); v != nil {
		return v, dpkgStatus
	}
	return nil, ""
}

// libc6Version returns the upstream version (e.g. 2.36) of package libc6
// in dpkg status data.
func libc6Version(status []byte) elfinfo.Version {
	sc := bufio.NewScanner(bytes.NewReader(status))
	in := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			in = false
		case strings.HasPrefix(line, "Package:"):
			in = strings.TrimSpace(strings.TrimPrefix(line, "Package:")) == "libc6"
		case in:
			if m := dpkgVersionRE.FindStringSubmatch(line); m != nil {
				v, _ := elfinfo.ParseVersion(m[1])
				return v
			}
		}
	}
	return nil
}

// noBaseFits explains why no candidate can run the binaries.
func noBaseFits(results []candidateResult) error {
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

// libcLabelValue returns the io.rules_go_cross.libc value for a binary:
// musl, glibc or none, or "" when elfinfo cannot tell.
func libcLabelValue(info *elfinfo.Info) string {
	switch info.Libc {
	case linkmode.LibcMusl, linkmode.LibcGlibc, linkmode.LibcNone:
		return string(info.Libc)
	}
	return ""
}
