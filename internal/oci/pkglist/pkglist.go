// Package pkglist is the packages.json format that `imagetool base
// -sbom-packages` writes and `imagetool sbom -packages` reads: one record per
// Debian package installed in a base image.
package pkglist

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Package is one installed Debian package.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Arch    string `json:"arch"`
	// License is an SPDX license expression from the package's DEP-5
	// copyright file, or "" when the file states none in machine-readable form.
	License string `json:"license"`
	// Source is the source package name (equal to Name when Debian omits it).
	Source        string `json:"source"`
	SourceVersion string `json:"source_version,omitempty"`
	// Distro is "<ID>-<VERSION_ID>" from the base's os-release, e.g. "debian-12".
	Distro string `json:"distro,omitempty"`
	// SHA256 is the checksum of the .deb file the package came from.
	SHA256 string `json:"sha256,omitempty"`
	// Files counts the package's files (regular files, symlinks and hard
	// links; directories not counted) and Omitted those left out of the
	// image, by reason. /var/lib/dpkg/status.d/<name>.md5sums in the image
	// lists the regular files that are there.
	Files   int        `json:"files,omitempty"`
	Omitted []Omission `json:"omitted,omitempty"`
}

// Omission is a number of a package's files left out of the image for one reason.
type Omission struct {
	Reason string `json:"reason"`
	Files  int    `json:"files"`
}

// InImage returns how many of the package's files are in the image.
func (p Package) InImage() int {
	n := p.Files
	for _, o := range p.Omitted {
		n -= o.Files
	}
	return n
}

// Marshal renders packages sorted by name, indented, with a final newline.
func Marshal(pkgs []Package) ([]byte, error) {
	s := append([]Package{}, pkgs...)
	sort.Slice(s, func(i, j int) bool { return s[i].Name < s[j].Name })
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ReadFile reads a packages.json file.
func ReadFile(path string) ([]Package, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading package list: %w", err)
	}
	var pkgs []Package
	if err := json.Unmarshal(b, &pkgs); err != nil {
		return nil, fmt.Errorf("%s is not a package list written by `imagetool base -sbom-packages`: %w", path, err)
	}
	for i, p := range pkgs {
		if p.Name == "" || p.Version == "" {
			return nil, fmt.Errorf("%s: entry %d has no name or version", path, i)
		}
	}
	return pkgs, nil
}
