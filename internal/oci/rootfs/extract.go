package rootfs

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/v1"
)

// ExtractResult reports what Extract could not reproduce.
type ExtractResult struct {
	// Skipped lists device nodes and FIFOs, which are not created.
	Skipped []string
}

// Extract writes the flattened filesystem of layers into the existing empty
// directory dir: file contents, modes (including setuid/setgid/sticky),
// symlinks, hard links and mtimes; ownership too when chown is set (which
// needs root). All writes go through an os.Root, so no entry can reach
// outside dir, even through symlinks.
func Extract(layers []v1.Layer, dir string, chown bool) (*ExtractResult, error) {
	flat, err := Flatten(layers)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	x := &extractor{root: root, chown: chown, res: &ExtractResult{}}
	for li, l := range layers {
		err := walk(l, func(ord int, h *tar.Header, p string, r io.Reader) error {
			if !flat.byKey[[2]int{li, ord}] {
				return nil
			}
			if err := x.apply(h, strings.TrimPrefix(p, "/"), r); err != nil {
				return fmt.Errorf("extracting %s from layer %d: %w", p, li, err)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// Directories last, deepest first, so their modes cannot block the
	// writes above and their mtimes are not changed by them.
	var dirs []*Node
	for _, n := range flat.Nodes {
		if n.Type == tar.TypeDir {
			dirs = append(dirs, n)
		}
	}
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].Path > dirs[j].Path })
	for _, n := range dirs {
		rel := strings.TrimPrefix(n.Path, "/")
		if err := root.MkdirAll(rel, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", n.Path, err)
		}
		if err := x.finish(rel, n.Mode, n.UID, n.GID, x.dirTimes[rel]); err != nil {
			return nil, fmt.Errorf("setting metadata of %s: %w", n.Path, err)
		}
	}
	return x.res, nil
}

type extractor struct {
	root     *os.Root
	chown    bool
	res      *ExtractResult
	dirTimes map[string]time.Time
}

func (x *extractor) apply(h *tar.Header, rel string, r io.Reader) error {
	if err := x.root.MkdirAll(path.Dir(rel), 0o755); err != nil && path.Dir(rel) != "." {
		return err
	}
	switch h.Typeflag {
	case tar.TypeDir:
		fi, err := x.root.Lstat(rel)
		if err == nil && !fi.IsDir() {
			if err := x.root.RemoveAll(rel); err != nil {
				return err
			}
			err = fs.ErrNotExist
		}
		if errors.Is(err, fs.ErrNotExist) {
			err = x.root.Mkdir(rel, 0o755)
		}
		if x.dirTimes == nil {
			x.dirTimes = map[string]time.Time{}
		}
		x.dirTimes[rel] = h.ModTime
		return err // mode and owner are set at the end
	case tar.TypeReg:
		if err := x.remove(rel); err != nil {
			return err
		}
		f, err := x.root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return x.finish(rel, h.Mode, h.Uid, h.Gid, h.ModTime)
	case tar.TypeSymlink:
		if err := x.remove(rel); err != nil {
			return err
		}
		if err := x.root.Symlink(h.Linkname, rel); err != nil {
			return err
		}
		if x.chown {
			return x.root.Lchown(rel, h.Uid, h.Gid)
		}
		return nil
	case tar.TypeLink:
		if err := x.remove(rel); err != nil {
			return err
		}
		target := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(h.Linkname, "./")), "/")
		if err := x.root.Link(target, rel); err != nil {
			return fmt.Errorf("hard link to %s: %w", h.Linkname, err)
		}
		return nil
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		x.res.Skipped = append(x.res.Skipped, "/"+rel)
		return nil
	}
	return fmt.Errorf("unsupported tar entry type %q", h.Typeflag)
}

func (x *extractor) remove(rel string) error {
	if err := x.root.RemoveAll(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// finish sets owner (before the mode: chown clears setuid bits), mode and
// times of a file or directory.
func (x *extractor) finish(rel string, mode int64, uid, gid int, mtime time.Time) error {
	if x.chown {
		if err := x.root.Lchown(rel, uid, gid); err != nil {
			return err
		}
	}
	if err := x.root.Chmod(rel, FileMode(mode)); err != nil {
		return err
	}
	if mtime.IsZero() {
		mtime = time.Unix(0, 0)
	}
	return x.root.Chtimes(rel, mtime, mtime)
}

// FileMode converts tar mode bits to an os.FileMode.
func FileMode(m int64) os.FileMode {
	fm := os.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		fm |= os.ModeSetuid
	}
	if m&0o2000 != 0 {
		fm |= os.ModeSetgid
	}
	if m&0o1000 != 0 {
		fm |= os.ModeSticky
	}
	return fm
}
