// Package layout reads and writes OCI image layout directories (oci-layout,
// index.json, blobs/sha256/...) holding exactly one image or one image index,
// the form rules_oci, crane, skopeo and podman read. Files are written with
// fixed modes, and blobs already present (same name and size) are kept.
//
// With the LinkFrom option, a blob that an input layout already holds is
// hard-linked from that layout instead of copied (falling back to a copy when
// linking fails, e.g. across file systems). A hard link shares the source
// file's mode: that is 0644 for layouts this package wrote, 0444 or 0555 once
// Bazel has made them read-only. Either way every blob stays readable by all
// and is never modified in place, which is all OCI layout readers need; a
// source that is not readable by all, or is writable by group or others, is
// copied (to a 0644 file) instead.
package layout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/v1"
	ggcrlayout "github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

const ociLayout = `{"imageLayoutVersion":"1.0.0"}`

// BlobDir returns the directory holding sha256 blobs of the layout at dir.
func BlobDir(dir string) string { return filepath.Join(dir, "blobs", "sha256") }

// Option configures WriteImage and WriteIndex.
type Option func(*writer)

// LinkFrom makes WriteImage and WriteIndex hard-link each blob from the first
// of the OCI layout directories dirs holding blobs/sha256/<hex> with the
// blob's size, instead of copying it. Symbolic links (Bazel sandboxes give
// inputs as symlinks) are resolved first. If linking fails (EXDEV across file
// systems, EPERM, ...), the blob is copied as without the option. The linked
// file keeps its source's mode (see the package documentation).
func LinkFrom(dirs ...string) Option {
	return func(w *writer) { w.linkFrom = append(w.linkFrom, dirs...) }
}

// writer holds the options of one WriteImage or WriteIndex call.
type writer struct {
	dir      string
	linkFrom []string
}

func newWriter(dir string, opts []Option) *writer {
	w := &writer{dir: dir}
	for _, o := range opts {
		o(w)
	}
	return w
}

// link is os.Link; tests replace it to make linking fail.
var link = os.Link

// WriteImage writes img (its layers, config and manifest) into dir and an
// index.json listing only img, with the given descriptor annotations and
// platform (platform may be nil).
func WriteImage(dir string, img v1.Image, platform *v1.Platform, annotations map[string]string, opts ...Option) error {
	if err := newWriter(dir, opts).imageBlobs(img); err != nil {
		return err
	}
	desc, err := descriptor(img)
	if err != nil {
		return err
	}
	desc.Platform = platform
	desc.Annotations = annotations
	return writeTop(dir, *desc)
}

// WriteIndex writes idx and every image it references into dir and an
// index.json pointing at idx, so that idx's digest is a blob of the layout.
func WriteIndex(dir string, idx v1.ImageIndex, annotations map[string]string, opts ...Option) error {
	if err := newWriter(dir, opts).indexBlobs(idx); err != nil {
		return err
	}
	desc, err := descriptor(idx)
	if err != nil {
		return err
	}
	desc.Annotations = annotations
	return writeTop(dir, *desc)
}

type describable interface {
	MediaType() (types.MediaType, error)
	Digest() (v1.Hash, error)
	Size() (int64, error)
}

func descriptor(d describable) (*v1.Descriptor, error) {
	mt, err := d.MediaType()
	if err != nil {
		return nil, err
	}
	dg, err := d.Digest()
	if err != nil {
		return nil, err
	}
	sz, err := d.Size()
	if err != nil {
		return nil, err
	}
	return &v1.Descriptor{MediaType: mt, Digest: dg, Size: sz}, nil
}

func writeTop(dir string, desc v1.Descriptor) error {
	raw, err := json.Marshal(v1.IndexManifest{
		SchemaVersion: 2,
		MediaType:     types.OCIImageIndex,
		Manifests:     []v1.Descriptor{desc},
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(ociLayout), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.json"), raw, 0o644)
}

func (w *writer) indexBlobs(idx v1.ImageIndex) error {
	im, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	for _, desc := range im.Manifests {
		switch {
		case desc.MediaType.IsIndex():
			child, err := idx.ImageIndex(desc.Digest)
			if err != nil {
				return err
			}
			if err := w.indexBlobs(child); err != nil {
				return err
			}
		case desc.MediaType.IsImage():
			img, err := idx.Image(desc.Digest)
			if err != nil {
				return err
			}
			if err := w.imageBlobs(img); err != nil {
				return err
			}
		default:
			return fmt.Errorf("index entry %s has unsupported media type %s", desc.Digest, desc.MediaType)
		}
	}
	raw, err := idx.RawManifest()
	if err != nil {
		return err
	}
	d, err := idx.Digest()
	if err != nil {
		return err
	}
	return w.blob(d, int64(len(raw)), func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil })
}

func (w *writer) imageBlobs(img v1.Image) error {
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			return err
		}
		sz, err := l.Size()
		if err != nil {
			return err
		}
		if err := w.blob(d, sz, l.Compressed); err != nil {
			return err
		}
	}
	cfg, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	cn, err := img.ConfigName()
	if err != nil {
		return err
	}
	if err := w.blob(cn, int64(len(cfg)), func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(cfg)), nil }); err != nil {
		return err
	}
	raw, err := img.RawManifest()
	if err != nil {
		return err
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	return w.blob(d, int64(len(raw)), func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil })
}

// blob stores a blob unless a file of that name and size exists (for
// example a layer compressed straight into the layout): as a hard link to an
// input layout's copy if possible, else by copying what open returns.
func (w *writer) blob(h v1.Hash, size int64, open func() (io.ReadCloser, error)) error {
	if h.Algorithm != "sha256" {
		return fmt.Errorf("blob %s: only sha256 digests are supported", h)
	}
	bd := BlobDir(w.dir)
	p := filepath.Join(bd, h.Hex)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		return nil
	}
	if err := os.MkdirAll(bd, 0o755); err != nil {
		return err
	}
	if w.linkBlob(h, size, p) {
		return nil
	}
	rc, err := open()
	if err != nil {
		return fmt.Errorf("reading blob %s: %w", h, err)
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(bd, ".blob-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	// File-to-file copies use copy_file_range (reflinks where supported).
	n, err := io.Copy(tmp, rc)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing blob %s: %w", h, err)
	}
	if n != size {
		return fmt.Errorf("blob %s: wrote %d bytes, descriptor says %d; the input layout is corrupt", h, n, size)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// linkBlob hard-links blob h from the first LinkFrom layout holding it to p
// and reports whether it did; any failure leaves p to be copied.
func (w *writer) linkBlob(h v1.Hash, size int64, p string) bool {
	for _, d := range w.linkFrom {
		src, err := filepath.EvalSymlinks(filepath.Join(BlobDir(d), h.Hex))
		if err != nil {
			continue // not in this layout
		}
		fi, err := os.Stat(src)
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != size {
			continue
		}
		if perm := fi.Mode().Perm(); perm&0o444 != 0o444 || perm&0o022 != 0 {
			return false // a link would share a mode unlike 0644's: copy
		}
		// EXDEV, EPERM, EMLINK, EEXIST (a blob of another size): copy.
		return link(src, p) == nil
	}
	return false
}

// Top returns the single descriptor listed in dir/index.json.
func Top(dir string) (v1.Descriptor, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("%s is not an OCI image layout (reading index.json: %w)", dir, err)
	}
	var im v1.IndexManifest
	if err := json.Unmarshal(raw, &im); err != nil {
		return v1.Descriptor{}, fmt.Errorf("%s/index.json: %w", dir, err)
	}
	if len(im.Manifests) != 1 {
		return v1.Descriptor{}, fmt.Errorf("%s/index.json lists %d manifests; expected exactly one image or index", dir, len(im.Manifests))
	}
	return im.Manifests[0], nil
}

// realDir returns the directory that really holds the layout in dir.
// go-containerregistry refuses blobs that are symlinks, and Bazel's sandboxes
// present a tree artifact input as a directory of symlinks to the files of
// the real output directory; reading that directory instead reads the same
// bytes.
func realDir(dir string) string {
	idx := filepath.Join(dir, "index.json")
	fi, err := os.Lstat(idx)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return dir
	}
	real, err := filepath.EvalSymlinks(idx)
	if err != nil {
		return dir
	}
	return filepath.Dir(real)
}

// ReadImage returns the image that dir's index.json lists.
func ReadImage(dir string) (v1.Image, error) {
	img, idx, err := Read(dir)
	if err != nil {
		return nil, err
	}
	if img == nil {
		d, _ := idx.Digest()
		return nil, fmt.Errorf("%s holds an image index (%s), not a single image; pass a single-platform image layout", dir, d)
	}
	return img, nil
}

// Read returns the image or the index that dir's index.json lists; exactly
// one of the two results is non-nil when err is nil.
func Read(dir string) (v1.Image, v1.ImageIndex, error) {
	desc, err := Top(dir)
	if err != nil {
		return nil, nil, err
	}
	top, err := ggcrlayout.ImageIndexFromPath(realDir(dir))
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not an OCI image layout: %w", dir, err)
	}
	switch {
	case desc.MediaType.IsImage():
		img, err := top.Image(desc.Digest)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", dir, err)
		}
		return img, nil, nil
	case desc.MediaType.IsIndex():
		idx, err := top.ImageIndex(desc.Digest)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", dir, err)
		}
		return nil, idx, nil
	}
	return nil, nil, fmt.Errorf("%s/index.json lists a %s; expected an image manifest or an image index", dir, desc.MediaType)
}
