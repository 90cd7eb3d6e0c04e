package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/baseimage"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
)

func runBase(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("base", "-arch amd64|arm64 -kind static|glibc|musl -deb file.deb[=sha256] ... -out layout_dir [-sbom-packages packages.json]", `
Builds a single-layer distroless base image as an OCI layout from Debian
packages: their files (without docs, man pages and info, but with
/usr/share/doc/<pkg>/copyright), a CA bundle concatenated from the
ca-certificates package's PEM files, /etc/passwd and /etc/group (root,
nobody, nonroot=65532), /etc/hosts (localhost), /etc/nsswitch.conf (hosts:
files dns), /home/nonroot, /root, /tmp and a /var/lib/dpkg/status.d/<pkg>
entry per package (and status.d/<pkg>.md5sums listing its regular files in
the image). -keep ships only part of a package. static needs no C library;
glibc needs libc6 (libgcc-s1 optional); musl needs musl. The -deb order does
not matter.`, stderr)
	arch := fs.String("arch", "", "target architecture: amd64 or arm64")
	kind := fs.String("kind", "", "base kind: static, glibc or musl")
	var debs, exclude, keep listFlag
	fs.Var(&debs, "deb", "a .deb file, optionally with its expected sha256 as file.deb=<64 hex> (repeatable)")
	fs.Var(&exclude, "exclude", "leave out image paths matching this path.Match pattern, e.g. /usr/lib/*/gconv (repeatable)")
	fs.Var(&keep, "keep", "pkg=pattern: of package pkg, ship only the paths matching a path.Match pattern (and the directories holding them, and its copyright file), e.g. libc6=/usr/lib/*/libc.so.6 (repeatable)")
	out := fs.String("out", "", "output OCI layout directory (must not exist or be empty)")
	sbomOut := fs.String("sbom-packages", "", "optional output: JSON list of installed packages for `imagetool sbom -packages`")
	var created timeFlag
	fs.Var(&created, "created", "image creation time: RFC 3339 or seconds since 1970 (SOURCE_DATE_EPOCH)")
	level := fs.Int("level", layer.DefaultLevel, "gzip level of the layer, 1 (fastest) to 9 (smallest)")
	if err := parse(fs, args, "arch", "kind", "deb", "out"); err != nil {
		return err
	}
	if err := atomicfs.CheckOutputDir(*out); err != nil {
		return err
	}
	opts := baseimage.Options{Arch: *arch, Kind: *kind, Created: created.Time(), Level: *level, Exclude: exclude}
	for _, k := range keep {
		name, pattern, ok := strings.Cut(k, "=")
		if !ok || name == "" || pattern == "" {
			return fmt.Errorf("-keep %q: want pkg=pattern, e.g. libc6=/usr/lib/*/libc.so.6", k)
		}
		if opts.Keep == nil {
			opts.Keep = map[string][]string{}
		}
		opts.Keep[name] = append(opts.Keep[name], pattern)
	}
	for _, d := range debs {
		p, sum := splitChecksum(d)
		opts.Debs = append(opts.Debs, baseimage.Deb{Path: p, SHA256: sum})
	}
	res, err := baseimage.Build(opts)
	if err != nil {
		return err
	}
	var written outputs
	defer func() {
		if err != nil {
			written.removeAll()
		}
	}()
	if *sbomOut != "" {
		b, err := pkglist.Marshal(res.Packages)
		if err != nil {
			return err
		}
		if err := atomicfs.WriteBytes(*sbomOut, 0o644, b); err != nil {
			return err
		}
		written.add(*sbomOut)
	}
	if err := atomicfs.WriteDir(*out, func(tmp string) error {
		return layout.WriteImage(tmp, res.Image, &res.Platform, nil)
	}); err != nil {
		return err
	}
	d, err := res.Image.Digest()
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "imagetool base: %s %s base %s (%d packages)\n", *kind, *arch, d, len(res.Packages))
	return nil
}
