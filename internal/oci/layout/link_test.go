package layout

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// testImage returns an OCI image with one small layer.
func testImage(t *testing.T) v1.Image {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	tw.WriteHeader(&tar.Header{Name: "hello", Mode: 0o644, Size: 5, Typeflag: tar.TypeReg})
	tw.Write([]byte("hello"))
	tw.Close()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b.Bytes())), nil }, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		t.Fatal(err)
	}
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err = mutate.AppendLayers(img, l)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// sourceLayout writes img to a layout and returns two views of it as a Bazel
// sandbox may give an input: a symlink to the layout directory and a
// directory of symlinks to its files. It also returns the image read through
// the first (go-containerregistry refuses blobs that are symlinks).
func sourceLayout(t *testing.T, img v1.Image) (dirLink, fileLinks string, read v1.Image) {
	t.Helper()
	tmp := t.TempDir()
	real := filepath.Join(tmp, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteImage(real, img, nil, nil); err != nil {
		t.Fatal(err)
	}
	dirLink = filepath.Join(tmp, "dirlink")
	if err := os.Symlink(real, dirLink); err != nil {
		t.Fatal(err)
	}
	fileLinks = filepath.Join(tmp, "filelinks")
	if err := os.MkdirAll(BlobDir(fileLinks), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"oci-layout", "index.json"} {
		if err := os.Symlink(filepath.Join(real, f), filepath.Join(fileLinks, f)); err != nil {
			t.Fatal(err)
		}
	}
	blobs, _ := os.ReadDir(BlobDir(real))
	for _, b := range blobs {
		if err := os.Symlink(filepath.Join(BlobDir(real), b.Name()), filepath.Join(BlobDir(fileLinks), b.Name())); err != nil {
			t.Fatal(err)
		}
	}
	read, err := ReadImage(dirLink)
	if err != nil {
		t.Fatal(err)
	}
	return dirLink, fileLinks, read
}

func layerBlob(t *testing.T, img v1.Image, dir string) string {
	t.Helper()
	ls, err := img.Layers()
	if err != nil || len(ls) != 1 {
		t.Fatalf("layers %v %v", ls, err)
	}
	d, _ := ls[0].Digest()
	return filepath.Join(BlobDir(dir), d.Hex)
}

func TestLinkFrom(t *testing.T) {
	img := testImage(t)
	src, fileLinks, read := sourceLayout(t, img)
	srcBlob, err := filepath.EvalSymlinks(layerBlob(t, read, src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		opts     []Option
		linkErr  error // what link returns; nil: the real os.Link
		srcMode  os.FileMode
		wantSame bool
	}{
		{name: "linked through a symlinked directory", opts: []Option{LinkFrom(src)}, srcMode: 0o644, wantSame: true},
		{name: "linked through a symlinked blob", opts: []Option{LinkFrom(fileLinks)}, srcMode: 0o644, wantSame: true},
		{name: "linked read-only source found in the second layout", opts: []Option{LinkFrom(t.TempDir(), src)}, srcMode: 0o444, wantSame: true},
		{name: "linked bazel output mode", opts: []Option{LinkFrom(src)}, srcMode: 0o555, wantSame: true},
		{name: "no option copies", srcMode: 0o644},
		{name: "cross-device falls back to a copy", opts: []Option{LinkFrom(src)}, linkErr: syscall.EXDEV, srcMode: 0o644},
		{name: "permission denied falls back to a copy", opts: []Option{LinkFrom(src)}, linkErr: syscall.EPERM, srcMode: 0o644},
		{name: "group-writable source is copied", opts: []Option{LinkFrom(src)}, srcMode: 0o664},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.Chmod(srcBlob, tc.srcMode); err != nil {
				t.Fatal(err)
			}
			defer os.Chmod(srcBlob, 0o644)
			if tc.linkErr != nil {
				link = func(string, string) error { return &os.LinkError{Op: "link", Err: tc.linkErr} }
				defer func() { link = os.Link }()
			}
			out := t.TempDir()
			if err := WriteImage(out, read, nil, nil, tc.opts...); err != nil {
				t.Fatal(err)
			}
			outBlob := layerBlob(t, read, out)
			fi, err := os.Lstat(outBlob)
			if err != nil {
				t.Fatal(err)
			}
			srcFi, _ := os.Stat(srcBlob)
			if same := os.SameFile(fi, srcFi); same != tc.wantSame {
				t.Errorf("output blob shares the source's inode: %v, want %v", same, tc.wantSame)
			}
			wantMode := os.FileMode(0o644)
			if tc.wantSame {
				wantMode = tc.srcMode
			}
			if !fi.Mode().IsRegular() || fi.Mode().Perm() != wantMode {
				t.Errorf("output blob mode %v, want a regular file with %v", fi.Mode(), wantMode)
			}
			a, _ := os.ReadFile(outBlob)
			b, _ := os.ReadFile(srcBlob)
			if !bytes.Equal(a, b) {
				t.Error("output blob content differs from the source")
			}
			got, err := ReadImage(out)
			if err != nil {
				t.Fatal(err)
			}
			if gd, _ := got.Digest(); gd != mustDigest(t, img) {
				t.Errorf("read back %s, want %s", gd, mustDigest(t, img))
			}
		})
	}
}

func TestLinkFromIndex(t *testing.T) {
	img := testImage(t)
	src, _, read := sourceLayout(t, img)
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), mutate.IndexAddendum{Add: read})
	out := t.TempDir()
	if err := WriteIndex(out, idx, nil, LinkFrom(src)); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(layerBlob(t, read, out))
	b, _ := os.Stat(layerBlob(t, read, src))
	if !os.SameFile(a, b) {
		t.Error("index layout's layer blob is a copy, want a hard link to the image layout's")
	}
}

func mustDigest(t *testing.T, img v1.Image) v1.Hash {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A layout whose files are symlinks to another layout's (as in Bazel's sandboxes) reads like
// the real one.
func TestReadSymlinkedLayout(t *testing.T) {
	real := filepath.Join(t.TempDir(), "real")
	img, err := random.Image(512, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteImage(real, img, &v1.Platform{OS: "linux", Architecture: "amd64"}, nil); err != nil {
		t.Fatal(err)
	}
	sandbox := filepath.Join(t.TempDir(), "sandbox")
	err = filepath.Walk(real, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(real, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(sandbox, rel), 0o755)
		}
		return os.Symlink(p, filepath.Join(sandbox, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadImage(sandbox)
	if err != nil {
		t.Fatalf("ReadImage of a symlinked layout: %v", err)
	}
	want, _ := img.Digest()
	if d, _ := got.Digest(); d != want {
		t.Errorf("digest %s, want %s", d, want)
	}
	if _, err := got.Layers(); err != nil {
		t.Error(err)
	}
}
