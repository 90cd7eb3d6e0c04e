package baseselect

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/rootfs"
)

func TestParseSpec(t *testing.T) {
	dir := t.TempDir()
	withEq := filepath.Join(dir, "a=b")
	if err := os.Mkdir(withEq, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, name, dir, err string }{
		{"static=out/base", "static", "out/base", ""},
		{"out/base_static", "base_static", "out/base_static", ""},
		{"out/base_static/", "base_static", "out/base_static/", ""},
		{"out/x=y/base", "base", "out/x=y/base", ""},
		{withEq, "a=b", withEq, ""}, // an existing path wins
		{"glibc=", "", "", "has no layout directory"},
	} {
		name, d, err := ParseSpec(tc.in)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) || name != tc.name || d != tc.dir {
			t.Errorf("ParseSpec(%q) = %q, %q, %v; want %q, %q, %q", tc.in, name, d, err, tc.name, tc.dir, tc.err)
		}
	}
}

// layerOf returns a layer holding entries, in order.
func layerOf(t *testing.T, entries ...*tar.Header) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		var body []byte
		if h.Typeflag == tar.TypeReg {
			body = []byte(h.Linkname)
			h.Linkname, h.Size = "", int64(len(body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestBase(t *testing.T) {
	// A regular file's Linkname is its content here.
	layers := []v1.Layer{
		layerOf(t,
			&tar.Header{Name: "lib/x86_64-linux-gnu/libc.so.6", Typeflag: tar.TypeReg, Mode: 0o755},
			&tar.Header{Name: "lib64", Typeflag: tar.TypeSymlink, Linkname: "lib/x86_64-linux-gnu", Mode: 0o777},
			&tar.Header{Name: "var/lib/dpkg/status.d/libc6", Typeflag: tar.TypeReg, Mode: 0o644, Linkname: "Package: libc6\nVersion: 2.36-9+deb12u7\n"},
			&tar.Header{Name: "empty", Typeflag: tar.TypeDir, Mode: 0o755},
		),
		layerOf(t, &tar.Header{Name: "app/server", Typeflag: tar.TypeReg, Mode: 0o755}),
	}
	flat, err := rootfs.Flatten(layers)
	if err != nil {
		t.Fatal(err)
	}
	b := Base("glibc", flat, layers)
	for _, tc := range []struct {
		path, want string
		ok         bool
	}{
		{"/app/server", "/app/server", true},
		{"/lib64/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", true},
		{"/empty", "", false}, // a directory, not a file
		{"/app", "", false},
		{"/missing", "", false},
	} {
		if got, ok := b.Resolve(tc.path); got != tc.want || ok != tc.ok {
			t.Errorf("Resolve(%s) = %q, %v; want %q, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
	v, src := b.GlibcVersion(linkmode.ArchAMD64)
	if v.String() != "2.36" || src != "/var/lib/dpkg/status.d/libc6" {
		t.Errorf("GlibcVersion = %v from %q, want 2.36 from the dpkg status", v, src)
	}
}
