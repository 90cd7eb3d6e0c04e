package rootfs_test

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/rootfs"
)

type ent struct {
	name string
	typ  byte
	mode int64
	body string
	link string
	uid  int
}

func mkLayer(t *testing.T, ents ...ent) v1.Layer {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range ents {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, Linkname: e.link, Uid: e.uid, Gid: e.uid, ModTime: time.Unix(1000, 0)}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if e.typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	l, err := layer.FromTar(b.Bytes(), 1, types.OCILayer)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func d(name string, mode int64) ent { return ent{name: name, typ: tar.TypeDir, mode: mode} }
func f(name, body string) ent       { return ent{name: name, typ: tar.TypeReg, body: body} }
func sl(name, target string) ent {
	return ent{name: name, typ: tar.TypeSymlink, link: target, mode: 0o777}
}
func wh(dir, name string) ent    { return f(dir+"/.wh."+name, "") }
func hl(name, target string) ent { return ent{name: name, typ: tar.TypeLink, link: target} }
func fm(name, body string, m int64) ent {
	return ent{name: name, typ: tar.TypeReg, body: body, mode: m}
}

func testLayers(t *testing.T) []v1.Layer {
	return []v1.Layer{
		mkLayer(t,
			d("./", 0o755), d("etc/", 0o755), f("etc/passwd", "root"), f("etc/hosts", "localhost"),
			d("var/", 0o755), d("var/cache/", 0o755), f("var/cache/a", "a"), f("var/cache/b", "b"),
			d("opt/", 0o755), f("opt/tool", "tool"), sl("lib", "usr/lib"),
			d("usr/", 0o755), d("usr/lib/", 0o755), f("usr/lib/libx.so", "x"),
			f("data", "lower-file"),
		),
		mkLayer(t,
			wh("etc", "hosts"), f("etc/passwd", "root-v2"),
			d("var/cache/", 0o700), f("var/cache/.wh..wh..opq", ""), f("var/cache/c", "c"),
			wh(".", "opt"),
			d("data/", 0o755), f("data/x", "dir now"), // a directory replaces the lower file
			fm("usr/bin/app", "binary", 0o4755), hl("usr/bin/app2", "usr/bin/app"),
			f("dup", "first"), f("dup", "second"), // last entry in one tar wins
		),
	}
}

func TestFlattenList(t *testing.T) {
	fs, err := rootfs.Flatten(testLayers(t))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fs.WriteList(&b)
	want := strings.Join([]string{
		"/data", "/data/x", "/dup", "/etc", "/etc/passwd", "/lib -> usr/lib", "/usr", "/usr/bin", "/usr/bin/app", "/usr/bin/app2",
		"/usr/lib", "/usr/lib/libx.so", "/var", "/var/cache", "/var/cache/c",
	}, "\n") + "\n"
	if b.String() != want {
		t.Errorf("list:\n%s\nwant:\n%s", b.String(), want)
	}
	for _, tc := range []struct {
		path  string
		layer int
		mode  int64
		size  int64
	}{
		{"/etc/passwd", 1, 0o644, 7}, {"/var/cache", 1, 0o700, 0}, {"/usr/bin", -1, 0o755, 0}, {"/usr/lib/libx.so", 0, 0o644, 1}, {"/dup", 1, 0o644, 6},
	} {
		n, ok := fs.Lookup(tc.path)
		if !ok || n.Layer != tc.layer || n.Mode != tc.mode || n.Size != tc.size {
			t.Errorf("%s = %+v, want layer %d mode %o size %d", tc.path, n, tc.layer, tc.mode, tc.size)
		}
	}
	if top := fs.Largest(2); len(top) != 2 || top[0].Path != "/data/x" || top[1].Path != "/etc/passwd" {
		t.Errorf("Largest(2) = %+v", top)
	}
}

func TestReadFile(t *testing.T) {
	layers := testLayers(t)
	fs, err := rootfs.Flatten(layers)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want, err string }{
		{"/etc/passwd", "root-v2", ""},
		{"/usr/lib/libx.so", "x", ""},
		{"/usr/bin/app2", "binary", ""}, // a hard link
		{"/dup", "second", ""},
		{"/etc/hosts", "", "is not in the image"},
		{"/lib", "", "is not a regular file"},
		{"/usr", "", "is not a regular file"},
	} {
		got, err := fs.ReadFile(layers, tc.path)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ReadFile(%s) error %v, want %q", tc.path, err, tc.err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("ReadFile(%s) = %q, %v, want %q", tc.path, got, err, tc.want)
		}
	}
	if _, err := fs.ReadFile(layers[:1], "/etc/passwd"); err == nil || !strings.Contains(err.Error(), "layer 1 is not among the 1 layers") {
		t.Errorf("ReadFile with too few layers: %v", err)
	}
}

func TestExtract(t *testing.T) {
	dir := t.TempDir()
	chown := os.Geteuid() == 0
	res, err := rootfs.Extract(testLayers(t), dir, chown)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 0 {
		t.Errorf("skipped %v", res.Skipped)
	}
	for _, tc := range []struct {
		path, body string
		mode       os.FileMode
	}{
		{"etc/passwd", "root-v2", 0o644},
		{"usr/bin/app", "binary", 0o755 | os.ModeSetuid},
		{"usr/bin/app2", "binary", 0o755 | os.ModeSetuid},
		{"var/cache/c", "c", 0o644},
		{"data/x", "dir now", 0o644},
		{"dup", "second", 0o644},
		{"lib/libx.so", "x", 0o644}, // through the symlink
	} {
		p := filepath.Join(dir, tc.path)
		b, err := os.ReadFile(p)
		if err != nil || string(b) != tc.body {
			t.Errorf("%s: %q, %v; want %q", tc.path, b, err, tc.body)
			continue
		}
		if fi, _ := os.Stat(p); fi.Mode() != tc.mode {
			t.Errorf("%s mode %v, want %v", tc.path, fi.Mode(), tc.mode)
		}
	}
	for _, gone := range []string{"etc/hosts", "opt", "var/cache/a", "var/cache/b"} {
		if _, err := os.Lstat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s should have been whited out (%v)", gone, err)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "var/cache")); fi.Mode() != os.ModeDir|0o700 {
		t.Errorf("var/cache mode %v", fi.Mode())
	}
	if fi, _ := os.Stat(filepath.Join(dir, "etc/passwd")); !fi.ModTime().Equal(time.Unix(1000, 0)) {
		t.Errorf("etc/passwd mtime %v", fi.ModTime())
	}
	if target, _ := os.Readlink(filepath.Join(dir, "lib")); target != "usr/lib" {
		t.Errorf("lib -> %q", target)
	}
	a, _ := os.Stat(filepath.Join(dir, "usr/bin/app"))
	b, _ := os.Stat(filepath.Join(dir, "usr/bin/app2"))
	if !os.SameFile(a, b) {
		t.Error("usr/bin/app2 is not a hard link of usr/bin/app")
	}
}

func TestExtractRejectsEscapes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		layers [][]ent
	}{
		{"dotdot", [][]ent{{f("../evil", "x")}}},
		{"through symlink", [][]ent{{sl("esc", "/")}, {d("esc/", 0o755), f("esc/../../evil", "x")}}},
		{"through absolute symlink dir", [][]ent{{sl("esc", "/tmp")}, {f("esc/evil", "x")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ls []v1.Layer
			for _, es := range tc.layers {
				ls = append(ls, mkLayer(t, es...))
			}
			parent := t.TempDir()
			dir := filepath.Join(parent, "root")
			os.Mkdir(dir, 0o755)
			_, err := rootfs.Extract(ls, dir, false)
			if _, serr := os.Lstat(filepath.Join(parent, "evil")); serr == nil {
				t.Fatal("an entry was written outside the extraction directory")
			}
			if _, serr := os.Lstat("/tmp/evil"); serr == nil {
				t.Fatal("an entry was written to /tmp/evil")
			}
			_ = err // an error or a contained write are both fine
		})
	}
}
