// Package rootfs computes the root filesystem of an image from its layers,
// as a container runtime would: later layers win, whiteouts (".wh.<name>")
// delete lower entries and opaque markers (".wh..wh..opq") hide a lower
// directory's content. It lists the result and extracts it to a directory.
package rootfs

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1"
)

const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// Node is one path of the flattened filesystem.
type Node struct {
	// Path is absolute, e.g. "/usr/bin/app".
	Path     string
	Type     byte // tar type flag; hard links keep tar.TypeLink
	Linkname string
	Mode     int64
	UID, GID int
	Size     int64
	// Layer is the index of the layer the entry comes from; -1 for a
	// directory that exists only as the parent of other entries.
	Layer int
	ord   int // position of the entry in its layer's tar (last one wins)
}

// FS is a flattened filesystem.
type FS struct {
	// Nodes are sorted by path; parents precede children.
	Nodes []*Node
	byKey map[[2]int]bool // {layer, ord} of winning entries
}

// Flatten computes the filesystem of layers (lowest first).
func Flatten(layers []v1.Layer) (*FS, error) {
	decided := map[string]*Node{} // winning entries from upper layers
	deleted := map[string]bool{}  // paths whited out by upper layers
	opaque := map[string]bool{}   // directories made opaque by upper layers
	needDir := map[string]bool{}  // parents of upper entries: must stay directories

	hidden := func(p string, isDir bool) bool {
		if _, ok := decided[p]; ok {
			return true
		}
		if deleted[p] || (needDir[p] && !isDir) {
			return true
		}
		for d := path.Dir(p); d != "/"; d = path.Dir(d) {
			if deleted[d] || opaque[d] {
				return true
			}
			if n, ok := decided[d]; ok && n.Type != tar.TypeDir {
				return true
			}
		}
		return false
	}

	for li := len(layers) - 1; li >= 0; li-- {
		nodes := map[string]*Node{}
		var wh, op []string
		err := walk(layers[li], func(ord int, h *tar.Header, p string, _ io.Reader) error {
			dir, base := path.Split(p)
			dir = path.Clean(dir)
			switch {
			case base == opaqueMarker:
				op = append(op, dir)
				return nil
			case strings.HasPrefix(base, whiteoutPrefix):
				wh = append(wh, path.Join(dir, strings.TrimPrefix(base, whiteoutPrefix)))
				return nil
			}
			n := &Node{Path: p, Type: h.Typeflag, Linkname: h.Linkname, Mode: h.Mode & 0o7777,
				UID: h.Uid, GID: h.Gid, Size: h.Size, Layer: li, ord: ord}
			if n.Type == tar.TypeLink {
				n.Linkname = "/" + strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(h.Linkname, "./")), "/")
				n.Size = 0
			}
			if n.Type != tar.TypeReg {
				n.Size = 0
			}
			nodes[p] = n // a later entry for the same path in one tar replaces the earlier
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", li, err)
		}
		var added []*Node
		for p, n := range nodes {
			if hidden(p, n.Type == tar.TypeDir) {
				continue
			}
			added = append(added, n)
		}
		for _, n := range added {
			decided[n.Path] = n
			for d := path.Dir(n.Path); d != "/"; d = path.Dir(d) {
				needDir[d] = true
			}
		}
		// Whiteouts and opaque markers hide only the layers below.
		for _, p := range wh {
			deleted[p] = true
		}
		for _, p := range op {
			opaque[p] = true
		}
	}

	fs := &FS{byKey: map[[2]int]bool{}}
	for p, n := range decided {
		fs.Nodes = append(fs.Nodes, n)
		fs.byKey[[2]int{n.Layer, n.ord}] = true
		// Parents that no layer lists explicitly.
		for d := path.Dir(p); d != "/"; d = path.Dir(d) {
			if _, ok := decided[d]; !ok {
				decided[d] = &Node{Path: d, Type: tar.TypeDir, Mode: 0o755, Layer: -1}
				fs.Nodes = append(fs.Nodes, decided[d])
			}
		}
	}
	sort.Slice(fs.Nodes, func(i, j int) bool { return fs.Nodes[i].Path < fs.Nodes[j].Path })
	return fs, nil
}

// Lookup returns the node at absolute path p.
func (fs *FS) Lookup(p string) (*Node, bool) {
	i := sort.Search(len(fs.Nodes), func(i int) bool { return fs.Nodes[i].Path >= p })
	if i < len(fs.Nodes) && fs.Nodes[i].Path == p {
		return fs.Nodes[i], true
	}
	return nil, false
}

// ReadFile returns the content of the regular file (or hard link to one) at
// absolute path p; layers must be the ones fs was flattened from. Symbolic
// links are not followed.
func (fs *FS) ReadFile(layers []v1.Layer, p string) ([]byte, error) {
	n, ok := fs.Lookup(p)
	if ok && n.Type == tar.TypeLink {
		n, ok = fs.Lookup(n.Linkname)
	}
	switch {
	case !ok:
		return nil, fmt.Errorf("%s is not in the image", p)
	case n.Type != tar.TypeReg:
		return nil, fmt.Errorf("%s is not a regular file in the image", p)
	case n.Layer < 0 || n.Layer >= len(layers):
		return nil, fmt.Errorf("%s: layer %d is not among the %d layers given", p, n.Layer, len(layers))
	}
	var data []byte
	found := false
	err := walk(layers[n.Layer], func(ord int, _ *tar.Header, _ string, r io.Reader) error {
		if ord != n.ord {
			return nil
		}
		var err error
		data, err = io.ReadAll(r)
		found = true
		return errStop{err}
	})
	var stop errStop
	if errors.As(err, &stop) {
		err = stop.err
	}
	if err == nil && !found {
		err = fmt.Errorf("%s: entry %d of layer %d is missing; pass the layers fs was flattened from", p, n.ord, n.Layer)
	}
	return data, err
}

// errStop ends a walk early, carrying the real error (or nil).
type errStop struct{ err error }

func (e errStop) Error() string { return fmt.Sprint(e.err) }

// WriteList writes one line per path, sorted: "/path" for files and
// directories, "/path -> target" for symlinks. This is the -files-out format.
func (fs *FS) WriteList(w io.Writer) error {
	for _, n := range fs.Nodes {
		var err error
		if n.Type == tar.TypeSymlink {
			_, err = fmt.Fprintf(w, "%s -> %s\n", n.Path, n.Linkname)
		} else {
			_, err = fmt.Fprintln(w, n.Path)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Largest returns up to n regular files with the most bytes, largest first
// (ties by path).
func (fs *FS) Largest(n int) []*Node {
	var files []*Node
	for _, nd := range fs.Nodes {
		if nd.Type == tar.TypeReg {
			files = append(files, nd)
		}
	}
	sort.SliceStable(files, func(i, j int) bool {
		if files[i].Size != files[j].Size {
			return files[i].Size > files[j].Size
		}
		return files[i].Path < files[j].Path
	})
	if len(files) > n {
		files = files[:n]
	}
	return files
}

// walk calls fn for each entry of layer's tar with its cleaned absolute path;
// the root directory entry is skipped.
func walk(l v1.Layer, fn func(ord int, h *tar.Header, p string, r io.Reader) error) error {
	rc, err := l.Uncompressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for ord := 0; ; ord++ {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading layer tar: %w", err)
		}
		name := strings.TrimPrefix(h.Name, "./")
		for _, part := range strings.Split(name, "/") {
			if part == ".." {
				return fmt.Errorf("tar entry %q escapes the root directory", h.Name)
			}
		}
		p := path.Clean("/" + name)
		if p == "/" {
			continue
		}
		if err := fn(ord, h, p, tr); err != nil {
			return err
		}
	}
}
