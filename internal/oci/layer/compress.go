package layer

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
)

// DefaultLevel is the gzip level used for layers. klauspost/compress level 6
// compresses a 20 MiB Go binary about three times faster than the standard
// library's default level at a ~2% larger size (see the package benchmark).
const DefaultLevel = 6

// Blob describes a compressed layer blob.
type Blob struct {
	Digest           v1.Hash // sha256 of the compressed bytes
	DiffID           v1.Hash // sha256 of the uncompressed tar
	Size             int64   // compressed size
	UncompressedSize int64
}

// CheckLevel reports whether level is a gzip level the compressor accepts.
func CheckLevel(level int) error {
	if level < gzip.HuffmanOnly || level > gzip.BestCompression {
		return fmt.Errorf("gzip level %d out of range; use 1 (fastest) to 9 (smallest), or 0 for none", level)
	}
	return nil
}

// Gzip compresses the tar stream src into dst deterministically (no file
// name, no mtime in the gzip header) and returns the blob's digests and sizes,
// computed in the same pass.
func Gzip(dst io.Writer, src io.Reader, level int) (Blob, error) {
	if err := CheckLevel(level); err != nil {
		return Blob{}, err
	}
	zh := sha256.New()
	zc := &countWriter{w: io.MultiWriter(dst, zh)}
	zw, err := gzip.NewWriterLevel(zc, level)
	if err != nil {
		return Blob{}, err
	}
	// klauspost/compress writes uint32(ModTime.Unix()) even for the zero
	// time; pin it to 0 ("no timestamp") like the standard library does.
	zw.ModTime = time.Unix(0, 0)
	th := sha256.New()
	n, err := io.Copy(io.MultiWriter(zw, th), src)
	if err != nil {
		return Blob{}, fmt.Errorf("compressing layer: %w", err)
	}
	if err := zw.Close(); err != nil {
		return Blob{}, fmt.Errorf("compressing layer: %w", err)
	}
	return Blob{Digest: sum(zh), DiffID: sum(th), Size: zc.n, UncompressedSize: n}, nil
}

func sum(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// FromTar returns the layer for an uncompressed tar held in memory,
// compressing it with level.
func FromTar(tarData []byte, level int, mt types.MediaType) (v1.Layer, error) {
	var z bytes.Buffer
	blob, err := Gzip(&z, bytes.NewReader(tarData), level)
	if err != nil {
		return nil, err
	}
	zb := z.Bytes()
	return &blobLayer{
		blob: blob, mt: mt,
		compressed:   func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(zb)), nil },
		uncompressed: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(tarData)), nil },
	}, nil
}

// FromTarFile returns the layer for the tar file at tarPath. A gzip-compressed
// tar is used as it is. An uncompressed tar is compressed with level into a
// file in blobDir named after its digest (the layout's blobs/sha256
// directory), so writing the layout later does not compress it again.
func FromTarFile(tarPath, blobDir string, level int, mt types.MediaType) (v1.Layer, error) {
	f, err := os.Open(tarPath)
	if err != nil {
		return nil, fmt.Errorf("reading layer: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return fromGzipFile(tarPath, br, mt)
	}
	if err := checkTarStart(tarPath, br); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(blobDir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(blobDir, ".layer-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	bw := bufio.NewWriterSize(tmp, 1<<20)
	blob, err := Gzip(bw, br, level)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tarPath, err)
	}
	blobPath := filepath.Join(blobDir, blob.Digest.Hex)
	// CreateTemp made it 0600; layout blobs are 0644 like the other files.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), blobPath); err != nil {
		return nil, err
	}
	return &blobLayer{
		blob: blob, mt: mt,
		compressed:   func() (io.ReadCloser, error) { return os.Open(blobPath) },
		uncompressed: func() (io.ReadCloser, error) { return os.Open(tarPath) },
	}, nil
}

func fromGzipFile(p string, r io.Reader, mt types.MediaType) (v1.Layer, error) {
	zh := sha256.New()
	zc := &countWriter{w: zh}
	zr, err := gzip.NewReader(io.TeeReader(r, zc))
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid gzip file: %w", p, err)
	}
	tr := bufio.NewReaderSize(zr, 128<<10)
	if err := checkTarStart(p, tr); err != nil {
		return nil, err
	}
	th := sha256.New()
	n, err := io.Copy(th, tr)
	if err != nil {
		return nil, fmt.Errorf("%s: corrupt gzip data: %w", p, err)
	}
	if _, err := io.Copy(zc, r); err != nil { // trailing bytes belong to the blob too
		return nil, err
	}
	return &blobLayer{
		blob: Blob{Digest: sum(zh), DiffID: sum(th), Size: zc.n, UncompressedSize: n}, mt: mt,
		compressed: func() (io.ReadCloser, error) { return os.Open(p) },
		uncompressed: func() (io.ReadCloser, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			z, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				return nil, err
			}
			return readCloser{z, f}, nil
		},
	}, nil
}

type readCloser struct {
	io.Reader
	f *os.File
}

func (r readCloser) Close() error { return r.f.Close() }

// checkTarStart reports an error unless r starts with a tar header (or the
// end-of-archive marker of an empty tar).
func checkTarStart(name string, r *bufio.Reader) error {
	const peek = 64 << 10 // enough for the PAX or GNU long-name records of the first entry
	head, err := r.Peek(peek)
	if err != nil && len(head) == 0 {
		return fmt.Errorf("%s is empty; a layer must be a tar archive", name)
	}
	_, err = tar.NewReader(bytes.NewReader(head)).Next()
	if err == io.ErrUnexpectedEOF && len(head) == peek {
		err = nil
	}
	if err != nil && err != io.EOF {
		return fmt.Errorf("%s is not a tar archive (%v); pass an uncompressed or gzip-compressed tar", name, err)
	}
	return nil
}

// blobLayer is a v1.Layer whose digests are known up front.
type blobLayer struct {
	blob         Blob
	mt           types.MediaType
	compressed   func() (io.ReadCloser, error)
	uncompressed func() (io.ReadCloser, error)
}

func (l *blobLayer) Digest() (v1.Hash, error)             { return l.blob.Digest, nil }
func (l *blobLayer) DiffID() (v1.Hash, error)             { return l.blob.DiffID, nil }
func (l *blobLayer) Size() (int64, error)                 { return l.blob.Size, nil }
func (l *blobLayer) MediaType() (types.MediaType, error)  { return l.mt, nil }
func (l *blobLayer) Compressed() (io.ReadCloser, error)   { return l.compressed() }
func (l *blobLayer) Uncompressed() (io.ReadCloser, error) { return l.uncompressed() }
func (l *blobLayer) UncompressedSize() (int64, error)     { return l.blob.UncompressedSize, nil }
