// Package debtest builds small synthetic Debian packages for the tests of deb and its users
// (a test helper: its Bazel target is testonly).
package debtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

// File is one entry of the package's data.tar.
type File struct {
	Path     string // e.g. "./etc/foo" or "./usr/share/doc/pkg/" for a directory
	Body     string
	Mode     int64
	Linkname string // symlink target (Path is then a symlink)
	Hardlink string // hardlink target (Path is then a hard link)
}

// Spec describes a package.
type Spec struct {
	Name, Version, Arch string
	Source              string // optional Source field
	Extra               string // extra control lines, e.g. "Depends: libc6\n"
	Files               []File
	// ControlCompression and DataCompression are "gz", "xz", "zst" or ""
	// (uncompressed); defaults: control "xz", data "xz".
	ControlCompression, DataCompression string
	// SkipDebianBinary omits the debian-binary member (a corrupt package).
	SkipDebianBinary bool
}

// Build returns the bytes of a .deb for spec.
func Build(spec Spec) ([]byte, error) {
	if spec.ControlCompression == "" {
		spec.ControlCompression = "xz"
	}
	if spec.DataCompression == "" {
		spec.DataCompression = "xz"
	}
	control := fmt.Sprintf("Package: %s\nVersion: %s\nArchitecture: %s\n", spec.Name, spec.Version, spec.Arch)
	if spec.Source != "" {
		control += "Source: " + spec.Source + "\n"
	}
	control += "Maintainer: Test <test@example.invalid>\n" + spec.Extra +
		"Description: synthetic test package\n a package built by debtest\n .\n for tests only\n"
	ctar, err := tarOf([]File{{Path: "./", Mode: 0o755}, {Path: "./control", Body: control, Mode: 0o644}})
	if err != nil {
		return nil, err
	}
	dtar, err := tarOf(spec.Files)
	if err != nil {
		return nil, err
	}
	cz, err := compress(spec.ControlCompression, ctar)
	if err != nil {
		return nil, err
	}
	dz, err := compress(spec.DataCompression, dtar)
	if err != nil {
		return nil, err
	}
	var members []member
	if !spec.SkipDebianBinary {
		members = append(members, member{"debian-binary", []byte("2.0\n")})
	}
	members = append(members,
		member{"control.tar" + ext(spec.ControlCompression), cz},
		member{"data.tar" + ext(spec.DataCompression), dz})
	return ar(members), nil
}

// Write builds spec into dir/<name>_<version>_<arch>.deb and returns its path.
func Write(dir string, spec Spec) (string, error) {
	b, err := Build(spec)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, fmt.Sprintf("%s_%s_%s.deb", spec.Name, spec.Version, spec.Arch))
	return p, os.WriteFile(p, b, 0o644)
}

func ext(c string) string {
	if c == "none" || c == "" {
		return ""
	}
	return "." + c
}

type member struct {
	name string
	data []byte
}

func ar(members []member) []byte {
	var b bytes.Buffer
	b.WriteString("!<arch>\n")
	for _, m := range members {
		fmt.Fprintf(&b, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", m.name, 0, 0, 0, "100644", len(m.data))
		b.Write(m.data)
		if len(m.data)%2 == 1 {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func tarOf(files []File) ([]byte, error) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files { // in the given order, as dpkg-deb would write them
		h := &tar.Header{Name: f.Path, Mode: f.Mode, Uname: "root", Gname: "root"}
		switch {
		case f.Linkname != "":
			h.Typeflag, h.Linkname = tar.TypeSymlink, f.Linkname
			if h.Mode == 0 {
				h.Mode = 0o777
			}
		case f.Hardlink != "":
			h.Typeflag, h.Linkname = tar.TypeLink, f.Hardlink
		case strings.HasSuffix(f.Path, "/"):
			h.Typeflag = tar.TypeDir
			if h.Mode == 0 {
				h.Mode = 0o755
			}
		default:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(f.Body))
			if h.Mode == 0 {
				h.Mode = 0o644
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := io.WriteString(tw, f.Body); err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func compress(kind string, data []byte) ([]byte, error) {
	var b bytes.Buffer
	var w io.WriteCloser
	var err error
	switch kind {
	case "none", "":
		return data, nil
	case "gz":
		w = gzip.NewWriter(&b)
	case "xz":
		w, err = xz.NewWriter(&b)
	case "zst":
		w, err = zstd.NewWriter(&b)
	default:
		return nil, fmt.Errorf("unknown compression %q", kind)
	}
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// FakeCert is the PEM content of the synthetic certificates in FakeDistro.
const FakeCert = "-----BEGIN CERTIFICATE-----\nMIIBfake%s\n-----END CERTIFICATE-----\n"

// FakeDistro writes synthetic versions of the packages a base image is
// made of (base-files, netbase, tzdata, media-types, ca-certificates, and
// libc6 or musl when libc says so) into dir and returns their paths.
func FakeDistro(dir, arch, libc string) ([]string, error) {
	dep5 := "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: someone\nLicense: %s\n"
	specs := []Spec{
		{Name: "base-files", Version: "12.4+deb12u5", Arch: arch, Files: []File{
			{Path: "./"}, {Path: "./etc/"}, {Path: "./etc/debian_version", Body: "12.5\n"},
			{Path: "./etc/os-release", Linkname: "../usr/lib/os-release"},
			{Path: "./root/", Mode: 0o700}, {Path: "./tmp/", Mode: 0o1777},
			{Path: "./usr/"}, {Path: "./usr/lib/"},
			{Path: "./usr/lib/os-release", Body: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"},
			{Path: "./usr/share/"}, {Path: "./usr/share/doc/"}, {Path: "./usr/share/doc/base-files/"},
			{Path: "./usr/share/doc/base-files/copyright", Body: "This is the Debian prepackaged version of the Debian Base System\n"},
			{Path: "./usr/share/doc/base-files/README", Body: "readme\n"},
			{Path: "./usr/share/man/"}, {Path: "./usr/share/man/man1/"}, {Path: "./usr/share/man/man1/x.1.gz", Body: "man"},
		}},
		{Name: "netbase", Version: "6.4", Arch: "all", Files: []File{
			{Path: "./etc/"}, {Path: "./etc/services", Body: "http 80/tcp\n"}, {Path: "./etc/protocols", Body: "tcp 6 TCP\n"},
			{Path: "./usr/share/doc/netbase/copyright", Body: fmt.Sprintf(dep5, "GPL-2")},
		}},
		{Name: "tzdata", Version: "2024a-0+deb12u1", Arch: "all", Files: []File{
			{Path: "./usr/share/zoneinfo/"}, {Path: "./usr/share/zoneinfo/Europe/"},
			{Path: "./usr/share/zoneinfo/Europe/Berlin", Body: "TZif2-berlin"},
			{Path: "./usr/share/zoneinfo/Arctic/Longyearbyen", Linkname: "../Europe/Berlin"},
			{Path: "./usr/share/zoneinfo/UTC", Body: "TZif2-utc"},
			{Path: "./usr/share/zoneinfo/Etc/UCT", Hardlink: "./usr/share/zoneinfo/UTC"},
			{Path: "./usr/share/doc/tzdata/copyright", Body: fmt.Sprintf(dep5, "public-domain")},
			{Path: "./usr/share/doc/tzdata/changelog.gz", Body: "changes"},
		}},
		{Name: "media-types", Version: "10.0.0", Arch: "all", Files: []File{
			{Path: "./etc/mime.types", Body: "text/plain txt\n"},
		}},
		{Name: "ca-certificates", Version: "20230311", Arch: "all", Files: []File{
			{Path: "./etc/ca-certificates/update.d/"},
			{Path: "./usr/sbin/update-ca-certificates", Body: "#!/bin/sh\n", Mode: 0o755},
			{Path: "./usr/share/ca-certificates/mozilla/B_Root.crt", Body: fmt.Sprintf(FakeCert, "B")},
			{Path: "./usr/share/ca-certificates/mozilla/A_Root.crt", Body: fmt.Sprintf(FakeCert, "A")},
			{Path: "./usr/share/doc/ca-certificates/copyright", Body: fmt.Sprintf(dep5, "GPL-2+") + "\nFiles: mozilla/*\nCopyright: Mozilla\nLicense: MPL-2.0\n"},
		}},
	}
	row, _ := platform.ArchByDebian(arch)
	muslArch := row.ZigCPU
	switch libc {
	case "glibc":
		// As in the real libc6: the loader's standard path links to the
		// file in the multiarch directory.
		loader := []File{
			{Path: "./lib64/ld-linux-x86-64.so.2", Linkname: "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
			{Path: "./lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", Body: "\x7fELF-ld", Mode: 0o755},
		}
		if arch == "arm64" {
			loader = []File{
				{Path: "./lib/ld-linux-aarch64.so.1", Linkname: "aarch64-linux-gnu/ld-linux-aarch64.so.1"},
				{Path: "./lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", Body: "\x7fELF-ld", Mode: 0o755},
			}
		}
		specs = append(specs, Spec{Name: "libc6", Version: "2.36-9+deb12u4", Arch: arch, Source: "glibc", Files: append(loader,
			File{Path: "./lib/" + muslArch + "-linux-gnu/libc.so.6", Body: "\x7fELF-libc", Mode: 0o755},
			File{Path: "./usr/share/doc/libc6/copyright", Body: "This is the Debian prepackaged version of the GNU C Library\n"})})
	case "musl":
		specs = append(specs, Spec{Name: "musl", Version: "1.2.3-1", Arch: arch, Files: []File{
			{Path: "./lib/" + muslArch + "-linux-musl/libc.so", Body: "\x7fELF-musl", Mode: 0o755},
			{Path: "./lib/ld-musl-" + muslArch + ".so.1", Linkname: muslArch + "-linux-musl/libc.so"},
			{Path: "./usr/share/doc/musl/copyright", Body: fmt.Sprintf(dep5, "MIT")},
		}})
	}
	var paths []string
	for _, s := range specs {
		p, err := Write(dir, s)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
