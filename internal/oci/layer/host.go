package layer

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// HostFile describes a host file or directory to put into a layer.
type HostFile struct {
	// Dest is the absolute path in the image.
	Dest string
	// Src is the host path. Symlinks are followed (Bazel inputs usually are
	// symlinks into the execroot). A directory is added recursively.
	Src string
	// Mode, if not negative, is the mode of a regular file. Otherwise
	// files get 0755 when any execute bit is set on the host and 0644 if not,
	// so the host's umask and ownership never leak into the layer.
	Mode     int64
	UID, GID int
}

// AddHost adds f (recursively for directories) to b. Only the content and
// the execute bit of host files are used; owners, mtimes and other mode
// bits on disk do not affect the layer.
func (b *Builder) AddHost(f HostFile) error {
	fi, err := os.Stat(f.Src)
	if err != nil {
		return fmt.Errorf("reading input for %s: %w", f.Dest, err)
	}
	if !fi.IsDir() {
		return b.addHostFile(f, fi)
	}
	if f.Mode >= 0 {
		return fmt.Errorf("%s: a mode can only be given for a file, but %s is a directory", f.Dest, f.Src)
	}
	if err := b.Add(Entry{Path: f.Dest, Type: tar.TypeDir, Mode: 0o755, UID: f.UID, GID: f.GID, Origin: f.Src}); err != nil {
		return err
	}
	return b.addHostDir(f.Dest, f.Src, f.UID, f.GID, 0)
}

func (b *Builder) addHostDir(dest, src string, uid, gid, depth int) error {
	if depth > 64 {
		return fmt.Errorf("%s: directory nesting deeper than 64 levels; is there a symlink loop?", src)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return fmt.Errorf("reading input directory: %w", err)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	for _, de := range ents {
		s := filepath.Join(src, de.Name())
		d := path.Join(dest, de.Name())
		fi, err := os.Stat(s) // follow symlinks, like for the top-level input
		if err != nil {
			return fmt.Errorf("reading input for %s: %w", d, err)
		}
		if fi.IsDir() {
			if err := b.Add(Entry{Path: d, Type: tar.TypeDir, Mode: 0o755, UID: uid, GID: gid, Origin: s}); err != nil {
				return err
			}
			if err := b.addHostDir(d, s, uid, gid, depth+1); err != nil {
				return err
			}
			continue
		}
		if err := b.addHostFile(HostFile{Dest: d, Src: s, Mode: -1, UID: uid, GID: gid}, fi); err != nil {
			return err
		}
	}
	return nil
}

func (b *Builder) addHostFile(f HostFile, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: input %s is not a regular file or directory (mode %s)", f.Dest, f.Src, fi.Mode())
	}
	mode := f.Mode
	if mode < 0 {
		mode = 0o644
		if fi.Mode().Perm()&0o111 != 0 {
			mode = 0o755
		}
	}
	src := f.Src
	return b.Add(Entry{
		Path: f.Dest, Type: tar.TypeReg, Mode: mode, UID: f.UID, GID: f.GID,
		Size: fi.Size(), Origin: src,
		Open: func() (io.ReadCloser, error) { return os.Open(src) },
	})
}
