package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/provenance"
)

func runProvenance(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("provenance", "-target label -image-digest digest.txt -out provenance.json [-platform label] [-binary /path/in/image=host/path] [-packages [name=]packages.json ... -verify-report report.json] [-lock name=label=lock.json ...] [-sbom sbom.spdx.json] [-builder-version-file f]", `
Writes an in-toto statement (v1) whose predicate is SLSA v1 provenance for one
image: the Bazel target and platform, the builder (rules_go_cross and its
version), the Go toolchain, modules and build settings the binary records, the
Debian packages of the base (with the .deb sha256) and the base lock file's
sha256; the SBOM's digest is a byproduct. It holds no time, host or source
revision, so the same inputs give the same bytes; go_image_sign adds the
source revision when it attaches the provenance.`, stderr)
	target := fs.String("target", "", "Bazel label of the image")
	platform := fs.String("platform", "", "label of the target platform")
	digestFile := fs.String("image-digest", "", "file holding the image's manifest digest")
	bin := fs.String("binary", "", "the image's Go program as /path/in/image=host/path")
	var pkgs listFlag
	fs.Var(&pkgs, "packages", "[name=]packages.json of a candidate base (see `imagetool sbom`)")
	reportFile := fs.String("verify-report", "", "the report of `imagetool image -verify-report`: its chosen base selects -packages and -lock")
	var locks listFlag
	fs.Var(&locks, "lock", "base=name=lock.json: the lock file a candidate base's packages come from, and how to name it")
	sbomFile := fs.String("sbom", "", "the image's SBOM, recorded as a byproduct")
	versionFile := fs.String("builder-version-file", "", "file holding the rules_go_cross version")
	out := fs.String("out", "", "output statement (JSON)")
	if err := parse(fs, args, "target", "image-digest", "out"); err != nil {
		return err
	}
	o := provenance.Options{Target: *target, Platform: *platform, SBOM: *sbomFile}
	var err error
	if o.ImageDigest, err = readLine("-image-digest", *digestFile); err != nil {
		return err
	}
	if *bin != "" {
		if o.BinaryPath, o.Info, err = readBuildInfo("-binary", *bin); err != nil {
			return err
		}
	}
	if o.Packages, err = readPackages(pkgs, *reportFile); err != nil {
		return err
	}
	if l, err := chooseForBase("-lock", locks, *reportFile); err != nil {
		return err
	} else if l != "" {
		i := strings.LastIndex(l, "=")
		if i <= 0 {
			return fmt.Errorf("-lock %q is not base=name=lock.json", l)
		}
		o.LockName, o.Lock = l[:i], l[i+1:]
	}
	if *versionFile != "" {
		if o.BuilderVersion, err = readLine("-builder-version-file", *versionFile); err != nil {
			return err
		}
	}
	s, err := provenance.New(o)
	if err != nil {
		return err
	}
	b, err := s.Marshal()
	if err != nil {
		return err
	}
	return atomicfs.WriteBytes(*out, 0o644, b)
}
