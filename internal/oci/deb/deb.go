// Package deb reads Debian binary packages (.deb): the ar container, the
// control paragraph from control.tar.{gz,xz,zst} and the file tree in
// data.tar.{gz,xz,zst}. It verifies an expected SHA-256 when one is given.
package deb

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Package is an opened .deb file.
type Package struct {
	// File is the path the package was read from (for error messages).
	File string
	// SHA256 is the hex SHA-256 of the .deb file.
	SHA256 string
	// Control is the package's control paragraph.
	Control *Control

	dataName string // ar member name, e.g. data.tar.xz
	data     []byte // still-compressed data member
}

// Name, Version, Architecture and Source are shortcuts into Control.
func (p *Package) Name() string         { return p.Control.Get("Package") }
func (p *Package) Version() string      { return p.Control.Get("Version") }
func (p *Package) Architecture() string { return p.Control.Get("Architecture") }

// Source returns the source package name and version. Debian omits the
// Source field when it equals the binary package name, and omits the
// parenthesised version when it equals the binary version.
func (p *Package) Source() (name, version string) {
	name, version = p.Name(), p.Version()
	src := strings.TrimSpace(p.Control.Get("Source"))
	if src == "" {
		return name, version
	}
	if i := strings.IndexByte(src, '('); i >= 0 {
		v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(src[i+1:]), ")"))
		if v != "" {
			version = v
		}
		src = strings.TrimSpace(src[:i])
	}
	return src, version
}

// Open reads the .deb at file. If wantSHA256 is not empty the file's SHA-256
// must equal it.
func Open(file, wantSHA256 string) (*Package, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading Debian package: %w", err)
	}
	return Parse(file, raw, wantSHA256)
}

// Parse is Open for a package already in memory; file names it in errors.
func Parse(file string, raw []byte, wantSHA256 string) (*Package, error) {
	sum := sha256.Sum256(raw)
	got := hex.EncodeToString(sum[:])
	if want := strings.ToLower(strings.TrimPrefix(wantSHA256, "sha256:")); want != "" && want != got {
		return nil, fmt.Errorf("%s: sha256 mismatch: expected %s, actual %s; update the pinned checksum or fetch the right file", file, want, got)
	}
	members, err := readAr(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: not a Debian package: %w", file, err)
	}
	if len(members) == 0 || members[0].name != "debian-binary" {
		return nil, fmt.Errorf("%s: not a Debian package: missing debian-binary member", file)
	}
	if v := strings.TrimSpace(string(members[0].data)); !strings.HasPrefix(v, "2.") {
		return nil, fmt.Errorf("%s: unsupported Debian package format %q (want 2.x)", file, v)
	}
	p := &Package{File: file, SHA256: got}
	var control []byte
	var controlName string
	for _, m := range members[1:] {
		switch {
		case strings.HasPrefix(m.name, "control.tar"):
			control, controlName = m.data, m.name
		case strings.HasPrefix(m.name, "data.tar"):
			p.data, p.dataName = m.data, m.name
		}
	}
	if controlName == "" {
		return nil, fmt.Errorf("%s: not a Debian package: missing control.tar member", file)
	}
	if p.dataName == "" {
		return nil, fmt.Errorf("%s: not a Debian package: missing data.tar member", file)
	}
	text, err := readControlFile(controlName, control)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	c, err := ParseControl(text)
	if err != nil {
		return nil, fmt.Errorf("%s: control file: %w", file, err)
	}
	p.Control = c
	for _, f := range []string{"Package", "Version", "Architecture"} {
		if c.Get(f) == "" {
			return nil, fmt.Errorf("%s: control file has no %s field", file, f)
		}
	}
	return p, nil
}

// WalkData calls fn for every entry of data.tar in archive order. The reader
// passed to fn yields the entry's content and is valid only during the call.
func (p *Package) WalkData(fn func(h *tar.Header, r io.Reader) error) error {
	r, err := decompress(p.dataName, p.data)
	if err != nil {
		return fmt.Errorf("%s: %w", p.File, err)
	}
	defer r.Close()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: corrupt %s: %w", p.File, p.dataName, err)
		}
		if err := fn(h, tr); err != nil {
			return err
		}
	}
}

func readControlFile(member string, data []byte) ([]byte, error) {
	r, err := decompress(member, data)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s has no control file", member)
		}
		if err != nil {
			return nil, fmt.Errorf("corrupt %s: %w", member, err)
		}
		if path.Clean(strings.TrimPrefix(h.Name, "./")) == "control" && h.Typeflag == tar.TypeReg {
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("corrupt %s: %w", member, err)
			}
			return b, nil
		}
	}
}

type nopCloser struct{ io.Reader }

func (nopCloser) Close() error { return nil }

// decompress opens an ar member by the compression its name announces.
func decompress(member string, data []byte) (io.ReadCloser, error) {
	br := bytes.NewReader(data)
	switch ext := path.Ext(member); ext {
	case ".tar":
		return nopCloser{br}, nil
	case ".gz":
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("corrupt %s: %w", member, err)
		}
		return z, nil
	case ".xz":
		z, err := xz.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("corrupt %s: %w", member, err)
		}
		return nopCloser{z}, nil
	case ".zst":
		z, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("corrupt %s: %w", member, err)
		}
		return z.IOReadCloser(), nil
	default:
		return nil, fmt.Errorf("unsupported compression %q of member %s (supported: none, .gz, .xz, .zst)", ext, member)
	}
}

type arMember struct {
	name string
	data []byte
}

const arMagic = "!<arch>\n"

// readAr parses a System V / GNU ar archive as used by dpkg.
func readAr(raw []byte) ([]arMember, error) {
	if !bytes.HasPrefix(raw, []byte(arMagic)) {
		return nil, errors.New("not an ar archive (missing !<arch> header)")
	}
	var out []arMember
	off := len(arMagic)
	for off < len(raw) {
		if raw[off] == '\n' { // tolerate stray padding
			off++
			continue
		}
		if len(raw)-off < 60 {
			return nil, fmt.Errorf("truncated ar member header at offset %d", off)
		}
		h := raw[off : off+60]
		if string(h[58:60]) != "`\n" {
			return nil, fmt.Errorf("bad ar member header at offset %d", off)
		}
		name := strings.TrimRight(strings.TrimSpace(string(h[0:16])), "/")
		var size int64
		if _, err := fmt.Sscanf(strings.TrimSpace(string(h[48:58])), "%d", &size); err != nil || size < 0 {
			return nil, fmt.Errorf("bad size in ar member header %q", name)
		}
		off += 60
		if int64(len(raw)-off) < size {
			return nil, fmt.Errorf("ar member %q truncated: want %d bytes, have %d", name, size, len(raw)-off)
		}
		out = append(out, arMember{name: name, data: raw[off : off+int(size)]})
		off += int(size)
		if size%2 == 1 && off < len(raw) {
			off++
		}
	}
	return out, nil
}
