package debianlock

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb"
)

// IndexEntry is the part of a Packages index paragraph the lock needs.
type IndexEntry struct {
	Package      string
	Version      string
	Architecture string // a machine architecture or "all"
	Filename     string // pool path relative to the mirror URL
	Size         int64
	SHA256       string
}

// ParsePackages reads a Packages index (deb822 paragraphs separated by blank
// lines) and returns the entries whose Package field want accepts, in file
// order (a nil want accepts all). Only wanted paragraphs are fully parsed (with deb.ParseControl) and
// checked, so a large index costs little more than reading it.
func ParsePackages(r io.Reader, want func(name string) bool) ([]IndexEntry, error) {
	var (
		out       []IndexEntry
		para      bytes.Buffer
		name      string
		startLine int
		line      int
	)
	if want == nil {
		want = func(string) bool { return true }
	}
	flush := func() error {
		defer func() { para.Reset(); name = "" }()
		if para.Len() == 0 || !want(name) {
			return nil
		}
		c, err := deb.ParseControl(para.Bytes())
		if err != nil {
			return fmt.Errorf("paragraph at line %d: %w", startLine, err)
		}
		e, err := indexEntry(c)
		if err != nil {
			return fmt.Errorf("paragraph at line %d (package %s): %w", startLine, name, err)
		}
		out = append(out, e)
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line++
		l := sc.Bytes()
		if len(bytes.TrimSpace(l)) == 0 {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		if para.Len() == 0 {
			startLine = line
		}
		if len(l) > len("Package:") && l[0] != ' ' && l[0] != '\t' && bytes.EqualFold(l[:len("Package:")], []byte("Package:")) {
			name = strings.TrimSpace(string(l[len("Package:"):]))
		}
		para.Write(l)
		para.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading line %d: %w", line+1, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func indexEntry(c *deb.Control) (IndexEntry, error) {
	e := IndexEntry{
		Package:      c.Get("Package"),
		Version:      c.Get("Version"),
		Architecture: c.Get("Architecture"),
		Filename:     c.Get("Filename"),
		SHA256:       c.Get("SHA256"),
	}
	for _, f := range []struct{ name, val string }{
		{"Package", e.Package}, {"Version", e.Version}, {"Architecture", e.Architecture},
		{"Filename", e.Filename}, {"Size", c.Get("Size")}, {"SHA256", e.SHA256},
	} {
		if f.val == "" {
			return e, fmt.Errorf("field %s is missing", f.name)
		}
	}
	if _, err := ParseVersion(e.Version); err != nil {
		return e, err
	}
	if e.Architecture != "all" && !validArch(e.Architecture) {
		return e, fmt.Errorf("Architecture %q is not an architecture name", e.Architecture)
	}
	if !validPoolPath(e.Filename) {
		return e, fmt.Errorf("Filename %q is not a relative pool path to a .deb made of safe characters", e.Filename)
	}
	size, err := strconv.ParseInt(c.Get("Size"), 10, 64)
	if err != nil || size <= 0 {
		return e, fmt.Errorf("Size %q is not a positive number", c.Get("Size"))
	}
	e.Size = size
	if !validSHA256(e.SHA256) {
		return e, fmt.Errorf("SHA256 %q is not 64 lowercase hex digits", e.SHA256)
	}
	return e, nil
}

// Release is the part of a suite's Release file the lock needs.
type Release struct {
	Suite    string                 // e.g. "stable"
	Codename string                 // e.g. "trixie"
	Files    map[string]ReleaseFile // SHA256 section, keyed by path relative to the suite directory
}

// ReleaseFile is one line of a Release file's SHA256 section.
type ReleaseFile struct {
	SHA256 string
	Size   int64
}

// ParseRelease parses a Release file: Suite and Codename, and the SHA256
// section keyed by path (e.g. "main/binary-amd64/Packages.xz").
func ParseRelease(data []byte) (*Release, error) {
	c, err := deb.ParseControl(data)
	if err != nil {
		return nil, err
	}
	r := &Release{Suite: c.Get("Suite"), Codename: c.Get("Codename"), Files: map[string]ReleaseFile{}}
	in := false
	found := false
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			if found {
				break // a Release file is one paragraph
			}
			continue
		}
		if l[0] != ' ' && l[0] != '\t' {
			name, _, _ := strings.Cut(l, ":")
			in = strings.EqualFold(name, "SHA256")
			found = found || in
			continue
		}
		if !in {
			continue
		}
		f := strings.Fields(l)
		if len(f) != 3 || !validSHA256(f[0]) {
			return nil, fmt.Errorf("line %d: SHA256 entry %q is not \"<sha256> <size> <path>\"", i+1, strings.TrimSpace(l))
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("line %d: SHA256 entry %q is not \"<sha256> <size> <path>\"", i+1, strings.TrimSpace(l))
		}
		r.Files[f[2]] = ReleaseFile{SHA256: f[0], Size: size}
	}
	if !found {
		return nil, fmt.Errorf("no SHA256 section (is this a Debian Release file?)")
	}
	return r, nil
}
