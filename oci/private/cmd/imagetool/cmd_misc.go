package main

import (
	"context"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/rules-go-cross/rules_go_cross/oci/private/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/oci/private/layout"
	"github.com/rules-go-cross/rules_go_cross/oci/private/pkglist"
	"github.com/rules-go-cross/rules_go_cross/oci/private/publish"
	"github.com/rules-go-cross/rules_go_cross/oci/private/rootfs"
	"github.com/rules-go-cross/rules_go_cross/oci/private/sbom"
	"github.com/rules-go-cross/rules_go_cross/oci/private/sizereport"
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

// readLine reads a file holding one value (a digest, a version), without surrounding space.
func readLine(flagName, path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flagName, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// choosePackages picks the package list of the base an image was built on: the only
// -packages given, or, with several named ones, the one named by the report's chosen base.
func choosePackages(pkgs []string, reportFile string) (string, error) {
	return chooseForBase("-packages", pkgs, reportFile)
}

// chooseForBase picks, from flag values "[base=]value", the value of the base the report of
// `imagetool image -verify-report` chose: the only one given, or the one named by that base.
func chooseForBase(flagName string, pkgs []string, reportFile string) (string, error) {
	if len(pkgs) == 0 {
		return "", nil
	}
	named := map[string]string{}
	var names []string
	for _, p := range pkgs {
		n, f, ok := strings.Cut(p, "=")
		if !ok {
			n, f = "", p
		}
		named[n] = f
		names = append(names, n)
	}
	if reportFile == "" {
		if len(pkgs) > 1 {
			return "", fmt.Errorf("%d %s values given; add -verify-report so the image's chosen base selects one", len(pkgs), flagName)
		}
		return named[names[0]], nil
	}
	b, err := os.ReadFile(reportFile)
	if err != nil {
		return "", fmt.Errorf("-verify-report: %w", err)
	}
	var r verifyReport
	if err := json.Unmarshal(b, &r); err != nil {
		return "", fmt.Errorf("-verify-report %s: %w", reportFile, err)
	}
	f, ok := named[r.Base]
	if !ok {
		if len(pkgs) == 1 {
			return named[names[0]], nil
		}
		return "", fmt.Errorf("the image was built on base %q, but %s names only %s", r.Base, flagName, strings.Join(names, ", "))
	}
	return f, nil
}

func runSizeReport(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("size-report", "-layout dir -out report.txt [-json report.json] [-base-layers N] [-top 10]", `
Reports each layer's compressed and uncompressed size, the largest files of
the final filesystem and the share of the application layers versus the
base. The base/app split comes from the io.rules_go_cross.base.layers
manifest annotation that 'imagetool image' writes, or -base-layers.`, stderr)
	dir := fs.String("layout", "", "single-image OCI layout directory")
	out := fs.String("out", "", "output text report")
	jsonOut := fs.String("json", "", "optional output: the report as JSON")
	baseLayers := fs.Int("base-layers", -1, "number of base layers (default: from the manifest annotation)")
	top := fs.Int("top", 10, "how many of the largest files to list")
	if err := parse(fs, args, "layout", "out"); err != nil {
		return err
	}
	img, err := layout.ReadImage(*dir)
	if err != nil {
		return err
	}
	r, err := sizereport.Compute(img, *baseLayers, *top)
	if err != nil {
		return err
	}
	var written outputs
	defer func() {
		if err != nil {
			written.removeAll()
		}
	}()
	if err := atomicfs.WriteFile(*out, 0o644, r.WriteText); err != nil {
		return err
	}
	written.add(*out)
	if *jsonOut != "" {
		b, err := r.JSON()
		if err != nil {
			return err
		}
		if err := atomicfs.WriteBytes(*jsonOut, 0o644, b); err != nil {
			return err
		}
	}
	return nil
}

func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", "-layout dir", `
Runs go-containerregistry's validate.Image or validate.Index (digests, sizes,
diff_ids, config and manifest consistency) on the layout's image or index.`, stderr)
	dir := fs.String("layout", "", "OCI layout directory")
	if err := parse(fs, args, "layout"); err != nil {
		return err
	}
	img, idx, err := layout.Read(*dir)
	if err != nil {
		return err
	}
	if img != nil {
		if err := validate.Image(img); err != nil {
			return fmt.Errorf("%s: invalid image: %w", *dir, err)
		}
		d, _ := img.Digest()
		fmt.Fprintf(stdout, "ok: image %s\n", d)
		return nil
	}
	if err := validate.Index(idx); err != nil {
		return fmt.Errorf("%s: invalid index: %w", *dir, err)
	}
	d, _ := idx.Digest()
	fmt.Fprintf(stdout, "ok: index %s\n", d)
	return nil
}

func runPush(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("push", "-layout dir -to registry/repo[:tag] [-insecure] [-digest-out file]", `
Pushes the layout's image or index by digest, tags it when -to has a tag,
and prints <registry/repo>@sha256:... . Credentials come from the Docker
config / credential helpers.`, stderr)
	dir := fs.String("layout", "", "OCI layout directory (image or index)")
	to := fs.String("to", "", "destination registry/repo or registry/repo:tag")
	insecure := fs.Bool("insecure", false, "allow plain http, e.g. for a registry on 127.0.0.1")
	digestOut := fs.String("digest-out", "", "optional output: file with the pushed reference")
	if err := parse(fs, args, "layout", "to"); err != nil {
		return err
	}
	ref, err := publish.Push(context.Background(), *dir, *to, publish.Options{Insecure: *insecure})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, ref)
	if *digestOut != "" {
		return atomicfs.WriteBytes(*digestOut, 0o644, []byte(ref+"\n"))
	}
	return nil
}

func runPullDigest(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("pull-digest", "-ref registry/repo:tag|registry/repo@sha256:... [-insecure]", `
Prints the manifest digest the registry serves for the reference.`, stderr)
	ref := fs.String("ref", "", "image reference")
	insecure := fs.Bool("insecure", false, "allow plain http, e.g. for a registry on 127.0.0.1")
	if err := parse(fs, args, "ref"); err != nil {
		return err
	}
	d, err := publish.Digest(context.Background(), *ref, publish.Options{Insecure: *insecure})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, d)
	return nil
}

func runPull(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("pull", "-ref registry/repo:tag|registry/repo@sha256:... -out layout_dir [-insecure]", `
Downloads an image or index from a registry into a new OCI layout, checking
every blob against its digest, and prints the digest.`, stderr)
	ref := fs.String("ref", "", "image reference")
	out := fs.String("out", "", "output OCI layout directory (must not exist or be empty)")
	insecure := fs.Bool("insecure", false, "allow plain http, e.g. for a registry on 127.0.0.1")
	if err := parse(fs, args, "ref", "out"); err != nil {
		return err
	}
	if err := atomicfs.CheckOutputDir(*out); err != nil {
		return err
	}
	var d string
	err := atomicfs.WriteDir(*out, func(tmp string) error {
		var err error
		d, err = publish.Pull(context.Background(), *ref, tmp, publish.Options{Insecure: *insecure})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, d)
	return nil
}

func runExtract(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("extract", "-layout dir -out rootfs_dir", `
Writes the image's flattened filesystem (whiteouts honoured) into a new
directory: contents, modes, symlinks, hard links, mtimes, and ownership when
running as root. Device nodes and FIFOs are skipped (and listed).`, stderr)
	dir := fs.String("layout", "", "single-image OCI layout directory")
	out := fs.String("out", "", "output directory (must not exist or be empty)")
	if err := parse(fs, args, "layout", "out"); err != nil {
		return err
	}
	img, err := layout.ReadImage(*dir)
	if err != nil {
		return err
	}
	ls, err := img.Layers()
	if err != nil {
		return err
	}
	return atomicfs.WriteDir(*out, func(tmp string) error {
		res, err := rootfs.Extract(ls, tmp, os.Geteuid() == 0)
		if err != nil {
			return err
		}
		for _, s := range res.Skipped {
			fmt.Fprintf(stderr, "imagetool extract: skipped device node or FIFO %s\n", s)
		}
		return nil
	})
}
