package main

import (
	"debug/buildinfo"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/sbom"
)

func runSBOM(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sbom", "-binary-buildinfo <go binary> ... [-packages [name=]packages.json ... [-verify-report report.json]] -name image_name [-created T] [-image-digest digest.txt] -out sbom.spdx.json", `
Writes an SPDX 2.3 JSON document listing the Go main module, standard
library and module dependencies of each binary (from its embedded build
info, purl pkg:golang/...) and the Debian packages of the base (from
'imagetool base -sbom-packages', purl pkg:deb/debian/...). Licenses are the
ones the packages state, else NOASSERTION. The output is deterministic: the
creation time comes from -created and documentNamespace from a content hash.`, stderr)
	var bins listFlag
	fs.Var(&bins, "binary-buildinfo", "Go binary to read build info from, as host/path or /path/in/image=host/path (repeatable)")
	var pkgs listFlag
	fs.Var(&pkgs, "packages", "[name=]packages.json written by `imagetool base -sbom-packages`; repeat with names for the candidate bases of -verify-report")
	reportFile := fs.String("verify-report", "", "optional: the report of `imagetool image -verify-report`; its chosen base selects which -packages list is used")
	nameFlag := fs.String("name", "", "name of the image the SBOM describes")
	digestFile := fs.String("image-digest", "", "optional file holding the image's manifest digest (as written by `imagetool image -digest`)")
	var created timeFlag
	fs.Var(&created, "created", "creation time: RFC 3339 or seconds since 1970 (SOURCE_DATE_EPOCH)")
	out := fs.String("out", "", "output SPDX JSON file")
	if err := parse(fs, args, "name", "out"); err != nil {
		return err
	}
	opts := sbom.Options{Name: *nameFlag, Created: created.Time()}
	for _, b := range bins {
		nm, info, err := readBuildInfo("-binary-buildinfo", b)
		if err != nil {
			return err
		}
		opts.Binaries = append(opts.Binaries, sbom.Binary{Name: nm, Info: info})
	}
	var err error
	if opts.Packages, err = readPackages(pkgs, *reportFile); err != nil {
		return err
	}
	if *digestFile != "" {
		if opts.ImageDigest, err = readLine("-image-digest", *digestFile); err != nil {
			return err
		}
	}
	doc, err := sbom.Generate(opts)
	if err != nil {
		return err
	}
	return atomicfs.WriteBytes(*out, 0o644, doc)
}

// readBuildInfo reads the Go build info of a binary given as /path/in/image=host/path (or
// just host/path, named by its base name).
func readBuildInfo(flagName, v string) (string, *debug.BuildInfo, error) {
	nm, p, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(nm, "/") {
		nm, p = filepath.Base(v), v
	}
	info, err := buildinfo.ReadFile(p)
	if err != nil {
		return "", nil, fmt.Errorf("%s %s: no Go build info (%v); pass a Go binary built with module support", flagName, p, err)
	}
	return nm, info, nil
}

// readPackages reads the package list of the base the image was built on (see
// choosePackages); nil without -packages.
func readPackages(pkgs []string, reportFile string) ([]pkglist.Package, error) {
	f, err := choosePackages(pkgs, reportFile)
	if err != nil || f == "" {
		return nil, err
	}
	return pkglist.ReadFile(f)
}

// choosePackages picks the package list of the base an image was built on: the only
// -packages given, or, with several named ones, the one named by the report's chosen base.
func choosePackages(pkgs []string, reportFile string) (string, error) {
	return chooseForBase("-packages", pkgs, reportFile)
}
