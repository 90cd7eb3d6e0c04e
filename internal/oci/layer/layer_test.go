package layer_test

import (
	"archive/tar"
	"bytes"
	stdgzip "compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
)

type tarEntry struct {
	Name, Link   string
	Type         byte
	Mode         int64
	UID, GID     int
	MTime        int64
	Body         string
	Uname, Gname string
	Format       tar.Format
}

func readTar(t *testing.T, r io.Reader) []tarEntry {
	t.Helper()
	var out []tarEntry
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if !h.AccessTime.IsZero() || !h.ChangeTime.IsZero() || len(h.PAXRecords) > 0 && h.Format != tar.FormatPAX {
			t.Errorf("%s: unexpected host metadata %+v", h.Name, h)
		}
		out = append(out, tarEntry{h.Name, h.Linkname, h.Typeflag, h.Mode, h.Uid, h.Gid, h.ModTime.Unix(), string(b), h.Uname, h.Gname, 0})
	}
}

func TestWriteTarSortedWithParents(t *testing.T) {
	b := layer.NewBuilder()
	for _, e := range []layer.Entry{
		{Path: "/usr/bin/b", Type: tar.TypeReg, Mode: 0o755, Data: []byte("bb")},
		{Path: "/etc/passwd", Type: tar.TypeReg, Mode: 0o644, Data: []byte("root\n")},
		{Path: "/usr/bin/a", Type: tar.TypeSymlink, Mode: 0o777, Linkname: "b"},
		{Path: "/tmp", Type: tar.TypeDir, Mode: 0o1777},
		{Path: "home/nonroot/", Type: tar.TypeDir, Mode: 0o700, UID: 65532, GID: 65532},
	} {
		if err := b.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := b.WriteTar(&buf, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	got := readTar(t, &buf)
	want := []tarEntry{
		{"etc/", "", tar.TypeDir, 0o755, 0, 0, 1700000000, "", "", "", 0},
		{"etc/passwd", "", tar.TypeReg, 0o644, 0, 0, 1700000000, "root\n", "", "", 0},
		{"home/", "", tar.TypeDir, 0o755, 0, 0, 1700000000, "", "", "", 0},
		{"home/nonroot/", "", tar.TypeDir, 0o700, 65532, 65532, 1700000000, "", "", "", 0},
		{"tmp/", "", tar.TypeDir, 0o1777, 0, 0, 1700000000, "", "", "", 0},
		{"usr/", "", tar.TypeDir, 0o755, 0, 0, 1700000000, "", "", "", 0},
		{"usr/bin/", "", tar.TypeDir, 0o755, 0, 0, 1700000000, "", "", "", 0},
		{"usr/bin/a", "b", tar.TypeSymlink, 0o777, 0, 0, 1700000000, "", "", "", 0},
		{"usr/bin/b", "", tar.TypeReg, 0o755, 0, 0, 1700000000, "bb", "", "", 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries:\n got %+v\nwant %+v", got, want)
	}
}

func TestBuilderErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []layer.Entry
		want    string
	}{
		{"duplicate", []layer.Entry{
			{Path: "/a", Type: tar.TypeReg, Data: []byte("1"), Origin: "first"},
			{Path: "a", Type: tar.TypeReg, Data: []byte("2"), Origin: "second"}}, "/a is given twice (first and second)"},
		{"identical duplicate is fine", []layer.Entry{
			{Path: "/a", Type: tar.TypeReg, Data: []byte("1")},
			{Path: "/a", Type: tar.TypeReg, Data: []byte("1")}}, ""},
		{"file as parent", []layer.Entry{
			{Path: "/a", Type: tar.TypeReg},
			{Path: "/a/b", Type: tar.TypeReg}}, "/a is a file"},
		{"dotdot", []layer.Entry{{Path: "/a/../../etc", Type: tar.TypeReg}}, "contains \"..\""},
		{"root", []layer.Entry{{Path: "/", Type: tar.TypeDir}}, "root directory"},
		{"bad mode", []layer.Entry{{Path: "/a", Type: tar.TypeReg, Mode: 0o17777}}, "mode"},
		{"empty symlink", []layer.Entry{{Path: "/a", Type: tar.TypeSymlink}}, "empty target"},
		{"device", []layer.Entry{{Path: "/a", Type: tar.TypeChar}}, "unsupported entry type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := layer.NewBuilder()
			var err error
			for _, e := range tc.entries {
				if err = b.Add(e); err != nil {
					break
				}
			}
			if err == nil {
				err = b.WriteTar(io.Discard, time.Unix(0, 0))
			}
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// hostTree writes the same content with the given mtime and mode bits.
func hostTree(t *testing.T, mtime time.Time, fileMode os.FileMode) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"bin/app": "#!app", "data/b.txt": "b", "data/sub/c.txt": "c"}
	for p, body := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o700)
		mode := fileMode
		if strings.HasPrefix(p, "bin/") {
			mode |= 0o100
		}
		if err := os.WriteFile(full, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(full, mode)
		os.Chtimes(full, mtime, mtime)
	}
	return dir
}

func buildHostLayer(t *testing.T, dir string) []byte {
	t.Helper()
	b := layer.NewBuilder()
	for _, f := range []layer.HostFile{
		{Dest: "/app/server", Src: filepath.Join(dir, "bin/app"), Mode: -1},
		{Dest: "/app/data", Src: filepath.Join(dir, "data"), Mode: -1, UID: 65532, GID: 65532},
		{Dest: "/etc/app.conf", Src: filepath.Join(dir, "data/b.txt"), Mode: 0o600},
	} {
		if err := b.AddHost(f); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := b.WriteTar(&buf, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHostLayerDeterminism(t *testing.T) {
	a := buildHostLayer(t, hostTree(t, time.Unix(12345, 0), 0o644))
	b := buildHostLayer(t, hostTree(t, time.Now(), 0o664)) // other mtime, group-writable (umask 002)
	if !bytes.Equal(a, b) {
		t.Fatal("layers from trees differing only in mtimes/modes differ")
	}
	if os.Geteuid() == 0 {
		dir := hostTree(t, time.Now(), 0o644)
		filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Lchown(p, 1234, 5678) })
		if c := buildHostLayer(t, dir); !bytes.Equal(a, c) {
			t.Fatal("layer depends on host file ownership")
		}
	}
	got := readTar(t, bytes.NewReader(a))
	var names []string
	for _, e := range got {
		names = append(names, e.Name)
		if e.Name == "app/server" && e.Mode != 0o755 {
			t.Errorf("app/server mode %o, want 0755 (executable on host)", e.Mode)
		}
		if e.Name == "etc/app.conf" && e.Mode != 0o600 {
			t.Errorf("etc/app.conf mode %o, want 0600 (explicit)", e.Mode)
		}
		if e.Name == "app/data/sub/c.txt" && (e.UID != 65532 || e.Mode != 0o644) {
			t.Errorf("app/data/sub/c.txt uid %d mode %o, want 65532 0644", e.UID, e.Mode)
		}
		if e.Uname != "" || e.Gname != "" || e.MTime != 0 {
			t.Errorf("%s: host metadata leaked: %+v", e.Name, e)
		}
	}
	want := []string{"app/", "app/data/", "app/data/b.txt", "app/data/sub/", "app/data/sub/c.txt", "app/server", "etc/", "etc/app.conf"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
}

func TestGzipDeterministic(t *testing.T) {
	data := bytes.Repeat([]byte("deterministic layer content "), 10000)
	var z1, z2 bytes.Buffer
	b1, err := layer.Gzip(&z1, bytes.NewReader(data), layer.DefaultLevel)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := layer.Gzip(&z2, bytes.NewReader(data), layer.DefaultLevel)
	if !bytes.Equal(z1.Bytes(), z2.Bytes()) || b1 != b2 {
		t.Fatal("gzip output differs between runs")
	}
	zs := sha256.Sum256(z1.Bytes())
	ts := sha256.Sum256(data)
	if b1.Digest.Hex != hex.EncodeToString(zs[:]) || b1.DiffID.Hex != hex.EncodeToString(ts[:]) ||
		b1.Size != int64(z1.Len()) || b1.UncompressedSize != int64(len(data)) {
		t.Errorf("blob info %+v does not match content", b1)
	}
	zr, err := stdgzip.NewReader(&z1) // readable by the standard library
	if err != nil {
		t.Fatal(err)
	}
	if zr.Header.Name != "" || !zr.Header.ModTime.IsZero() || zr.Header.OS != 255 {
		t.Errorf("gzip header carries name %q / mtime %v", zr.Header.Name, zr.Header.ModTime)
	}
	if err := layer.CheckLevel(12); err == nil {
		t.Error("level 12 accepted")
	}
}

func TestFromTarFile(t *testing.T) {
	dir := t.TempDir()
	b := layer.NewBuilder()
	b.Add(layer.Entry{Path: "/hello", Type: tar.TypeReg, Mode: 0o644, Data: []byte("hi")})
	var tb bytes.Buffer
	b.WriteTar(&tb, time.Unix(0, 0))
	tarPath := filepath.Join(dir, "l.tar")
	os.WriteFile(tarPath, tb.Bytes(), 0o644)
	var zb bytes.Buffer
	layer.Gzip(&zb, bytes.NewReader(tb.Bytes()), 9)
	gzPath := filepath.Join(dir, "l.tar.gz")
	os.WriteFile(gzPath, zb.Bytes(), 0o644)
	notTar := filepath.Join(dir, "x.txt")
	os.WriteFile(notTar, bytes.Repeat([]byte("not a tar archive at all\n"), 40), 0o644)
	ts := sha256.Sum256(tb.Bytes())
	diffID := hex.EncodeToString(ts[:])

	for _, tc := range []struct {
		name, path string
		wantErr    string
	}{
		{"uncompressed", tarPath, ""},
		{"gzip", gzPath, ""},
		{"not a tar", notTar, "not a tar archive"},
		{"missing", filepath.Join(dir, "nope.tar"), "nope.tar"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			blobs := filepath.Join(dir, "blobs-"+tc.name)
			l, err := layer.FromTarFile(tc.path, blobs, layer.DefaultLevel, types.OCILayer)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, _ := l.DiffID()
			if d.Hex != diffID {
				t.Errorf("diffID %s, want %s", d.Hex, diffID)
			}
			rc, _ := l.Compressed()
			z, _ := io.ReadAll(rc)
			rc.Close()
			zs := sha256.Sum256(z)
			if dg, _ := l.Digest(); dg.Hex != hex.EncodeToString(zs[:]) {
				t.Errorf("digest %s does not match compressed content", dg)
			}
			u, _ := l.Uncompressed()
			ub, _ := io.ReadAll(u)
			u.Close()
			if !bytes.Equal(ub, tb.Bytes()) {
				t.Error("uncompressed content differs from input tar")
			}
			if tc.name == "uncompressed" {
				dg, _ := l.Digest()
				if fi, err := os.Stat(filepath.Join(blobs, dg.Hex)); err != nil || fi.Mode().Perm() != 0o644 {
					t.Errorf("compressed blob: %v %v, want mode 0644", fi, err)
				}
			}
		})
	}
}
