// Package layer writes deterministic filesystem layers: tar streams whose
// bytes depend only on the listed entries (sorted, parents created, fixed
// owner and mtime, no host metadata such as user names, atime or ctime), and
// their deterministic gzip compression as OCI layer blobs.
package layer

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"
)

// Entry is one file, directory or symlink of a layer.
type Entry struct {
	// Path is the absolute path in the image, e.g. "/usr/bin/app".
	Path string
	// Type is tar.TypeReg, tar.TypeDir or tar.TypeSymlink.
	Type byte
	// Mode holds the permission bits plus setuid (04000), setgid (02000)
	// and sticky (01000).
	Mode     int64
	UID, GID int
	// Linkname is the target of a symlink.
	Linkname string
	// Data is the content of a regular file, unless Open is set.
	Data []byte
	// Open streams the content of a regular file of Size bytes.
	Open func() (io.ReadCloser, error)
	Size int64
	// Origin describes where the entry came from, for error messages.
	Origin string
}

func (e *Entry) size() int64 {
	if e.Open != nil {
		return e.Size
	}
	return int64(len(e.Data))
}

// Same reports whether two entries would produce the same tar entry, for
// deciding whether a duplicate is harmless. Streamed content is compared by
// size only.
func (e *Entry) Same(o *Entry) bool {
	if e.Type != o.Type || e.Mode != o.Mode || e.UID != o.UID || e.GID != o.GID || e.Linkname != o.Linkname {
		return false
	}
	if e.Type != tar.TypeReg {
		return true
	}
	if e.Open != nil || o.Open != nil {
		return e.Open != nil && o.Open != nil && e.Size == o.Size
	}
	return bytes.Equal(e.Data, o.Data)
}

// CleanPath turns an image path ("/a/b", "./a/b", "a//b/") into the relative
// form used in layer tars ("a/b"). It rejects paths that are empty, name the
// root, or escape it with "..".
func CleanPath(p string) (string, error) {
	orig := p
	p = strings.TrimLeft(p, "/")
	p = strings.TrimPrefix(p, "./")
	p = path.Clean("/" + p)[1:]
	if p == "" {
		return "", fmt.Errorf("path %q names the root directory; give a path below /", orig)
	}
	for _, part := range strings.Split(strings.TrimLeft(orig, "/"), "/") {
		if part == ".." {
			return "", fmt.Errorf("path %q contains \"..\"; give a plain absolute path", orig)
		}
	}
	return p, nil
}

// Builder collects entries and writes them as a deterministic tar.
type Builder struct {
	entries map[string]*Entry
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{entries: map[string]*Entry{}} }

// Add adds e. A second entry for the same path is an error, unless both are
// identical.
func (b *Builder) Add(e Entry) error {
	p, err := CleanPath(e.Path)
	if err != nil {
		return err
	}
	if err := check(&e); err != nil {
		return err
	}
	if old, ok := b.entries[p]; ok {
		if old.Same(&e) {
			return nil
		}
		return fmt.Errorf("/%s is given twice (%s and %s); give each path once", p, describe(old), describe(&e))
	}
	e.Path = p
	b.entries[p] = &e
	return nil
}

// Put adds e, replacing any entry at the same path.
func (b *Builder) Put(e Entry) error {
	p, err := CleanPath(e.Path)
	if err != nil {
		return err
	}
	if err := check(&e); err != nil {
		return err
	}
	e.Path = p
	b.entries[p] = &e
	return nil
}

// Get returns the entry at path p, if any.
func (b *Builder) Get(p string) (*Entry, bool) {
	c, err := CleanPath(p)
	if err != nil {
		return nil, false
	}
	e, ok := b.entries[c]
	return e, ok
}

// Remove deletes the entry at path p, if any.
func (b *Builder) Remove(p string) {
	if c, err := CleanPath(p); err == nil {
		delete(b.entries, c)
	}
}

// Len returns the number of entries added so far.
func (b *Builder) Len() int { return len(b.entries) }

func describe(e *Entry) string {
	if e.Origin != "" {
		return e.Origin
	}
	return fmt.Sprintf("%s entry", typeName(e.Type))
}

func typeName(t byte) string {
	switch t {
	case tar.TypeReg:
		return "file"
	case tar.TypeDir:
		return "directory"
	case tar.TypeSymlink:
		return "symlink"
	}
	return fmt.Sprintf("type %q", t)
}

func check(e *Entry) error {
	switch e.Type {
	case tar.TypeReg, tar.TypeDir:
	case tar.TypeSymlink:
		if e.Linkname == "" {
			return fmt.Errorf("symlink %s has an empty target", e.Path)
		}
	default:
		return fmt.Errorf("%s: unsupported entry type %q (want file, directory or symlink)", e.Path, e.Type)
	}
	if e.Mode < 0 || e.Mode > 0o7777 {
		return fmt.Errorf("%s: mode %o out of range (0..07777)", e.Path, e.Mode)
	}
	if e.UID < 0 || e.GID < 0 {
		return fmt.Errorf("%s: negative uid/gid", e.Path)
	}
	return nil
}

// Entries returns all entries including implied parent directories, sorted
// by path, so parents precede their children.
func (b *Builder) Entries() ([]*Entry, error) {
	all := make(map[string]*Entry, len(b.entries))
	for p, e := range b.entries {
		all[p] = e
	}
	for p := range b.entries {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if parent, ok := all[d]; ok {
				if parent.Type != tar.TypeDir {
					return nil, fmt.Errorf("/%s is a %s (%s), but /%s needs it to be a directory", d, typeName(parent.Type), describe(parent), p)
				}
				continue
			}
			all[d] = &Entry{Path: d, Type: tar.TypeDir, Mode: 0o755}
		}
	}
	out := make([]*Entry, 0, len(all))
	for _, e := range all {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// WriteTar writes the entries as a tar stream with every mtime set to mtime.
// The output is a pure function of the entries and mtime.
func (b *Builder) WriteTar(w io.Writer, mtime time.Time) error {
	entries, err := b.Entries()
	if err != nil {
		return err
	}
	if mtime.Before(time.Unix(0, 0)) {
		return fmt.Errorf("mtime %s is before 1970; give a non-negative SOURCE_DATE_EPOCH", mtime)
	}
	mtime = mtime.UTC().Truncate(time.Second)
	tw := tar.NewWriter(w)
	for _, e := range entries {
		h := &tar.Header{
			Typeflag: e.Type,
			Name:     e.Path,
			Mode:     e.Mode,
			Uid:      e.UID,
			Gid:      e.GID,
			ModTime:  mtime,
			Linkname: e.Linkname,
		}
		switch e.Type {
		case tar.TypeDir:
			h.Name += "/"
		case tar.TypeReg:
			h.Size = e.size()
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("writing tar header for /%s: %w", e.Path, err)
		}
		if e.Type != tar.TypeReg {
			continue
		}
		if err := writeContent(tw, e); err != nil {
			return err
		}
	}
	return tw.Close()
}

func writeContent(tw *tar.Writer, e *Entry) error {
	if e.Open == nil {
		_, err := tw.Write(e.Data)
		return err
	}
	rc, err := e.Open()
	if err != nil {
		return fmt.Errorf("opening content of /%s: %w", e.Path, err)
	}
	defer rc.Close()
	n, err := io.Copy(tw, io.LimitReader(rc, e.Size+1))
	if err != nil {
		return fmt.Errorf("copying content of /%s (%s): %w; did the file change while the layer was written?", e.Path, describe(e), err)
	}
	if n != e.Size {
		return fmt.Errorf("content of /%s (%s) is %d bytes, expected %d; did the file change while the layer was written?", e.Path, describe(e), n, e.Size)
	}
	return nil
}
