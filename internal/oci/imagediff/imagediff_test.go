package imagediff_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagediff"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

type file struct {
	name, content string
	mode          int64
}

// spec describes a small image: a base layer, an app layer, config fields.
type spec struct {
	layers  [][]file
	created time.Time
	env     []string
	labels  map[string]string
	// gzipName, when set, gzips the app layer with this name in the gzip
	// header: same tar, different compressed bytes.
	gzipName string
}

func baseSpec() spec {
	return spec{
		layers: [][]file{
			{{"etc/", "", 0o755}, {"etc/passwd", "root:x:0:0::/:\n", 0o644}},
			{{"app/", "", 0o755}, {"app/hello", "hello", 0o755}, {"app/world.txt", "world", 0o644}},
		},
		created: time.Unix(0, 0).UTC(),
		env:     []string{"A=1", "B=2"},
		labels:  map[string]string{"org.opencontainers.image.source": "https://example.com/app"},
	}
}

func tarBytes(t *testing.T, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode, ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg, Size: int64(len(f.content))}
		if strings.HasSuffix(f.name, "/") {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, f.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func buildImage(t *testing.T, s spec) v1.Image {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	for i, files := range s.layers {
		raw := tarBytes(t, files)
		if i == 1 && s.gzipName != "" {
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Name = s.gzipName
			zw.Write(raw)
			zw.Close()
			raw = gz.Bytes()
		}
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(raw)), nil
		}, tarball.WithMediaType(types.OCILayer))
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			t.Fatal(err)
		}
	}
	img, err := mutate.Config(img, v1.Config{Env: s.env, Labels: s.labels, Entrypoint: []string{"/app/hello"}})
	if err != nil {
		t.Fatal(err)
	}
	if img, err = mutate.CreatedAt(img, v1.Time{Time: s.created}); err != nil {
		t.Fatal(err)
	}
	return mutate.Annotations(img, map[string]string{"io.rules_go_cross.base.layers": "1"}).(v1.Image)
}

func writeImage(t *testing.T, s spec) string {
	t.Helper()
	dir := t.TempDir()
	if err := layout.WriteImage(dir, buildImage(t, s), nil, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

type child struct {
	arch, variant, libc string
	spec                spec
	title               string // optional descriptor annotation
}

func writeIndex(t *testing.T, children []child) string {
	t.Helper()
	var adds []mutate.IndexAddendum
	for _, c := range children {
		anns := map[string]string{"io.rules_go_cross.libc": c.libc}
		if c.title != "" {
			anns["org.opencontainers.image.title"] = c.title
		}
		adds = append(adds, mutate.IndexAddendum{
			Add: buildImage(t, c.spec),
			Descriptor: v1.Descriptor{
				Platform:    &v1.Platform{OS: "linux", Architecture: c.arch, Variant: c.variant},
				Annotations: anns,
			},
		})
	}
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...)
	dir := t.TempDir()
	if err := layout.WriteIndex(dir, idx, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

func twoChildren() []child {
	return []child{{"amd64", "", "none", baseSpec(), ""}, {"arm64", "v8", "musl", baseSpec(), ""}}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name string
		// a and b write the two layouts; b defaults to an image of a
		// modified baseSpec.
		a, b func(t *testing.T) string
		// change modifies the spec of b's image.
		change func(s *spec)
		same   bool
		want   []string // lines (or parts of lines) of the report
		absent []string
	}{
		{
			name: "identical",
			same: true,
			want: []string{"same: sha256:"},
		},
		{
			name:   "config created differs",
			change: func(s *spec) { s.created = time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC) },
			want: []string{
				"image: sha256:",
				`  config differs: created: "1970-01-01T00:00:00Z" vs "2026-11-26T04:00:00Z"`,
			},
			absent: []string{"layer"},
		},
		{
			name:   "env differs",
			change: func(s *spec) { s.env = []string{"A=1", "B=3"} },
			want:   []string{`  config differs: config.Env[1]: "B=2" vs "B=3"`},
			absent: []string{"config.Env[0]", "layer"},
		},
		{
			name: "label differs",
			change: func(s *spec) {
				s.labels = map[string]string{"org.opencontainers.image.source": "https://example.com/other"}
			},
			want: []string{`  config differs: config.Labels["org.opencontainers.image.source"]: "https://example.com/app" vs "https://example.com/other"`},
		},
		{
			name:   "layer file content differs",
			change: func(s *spec) { s.layers[1][1].content = "hello!" },
			want: []string{
				"  config differs: rootfs.diff_ids[1]: \"sha256:",
				"  layer 1 (app) differs: first differing file app/hello: content sha256 ",
				"(size 5 vs 6)",
			},
			absent: []string{"layer 0", "more entr"},
		},
		{
			name:   "file mode differs",
			change: func(s *spec) { s.layers[1][1].mode = 0o644; s.layers[1][2].mode = 0o600 },
			want:   []string{"  layer 1 (app) differs: first differing file app/hello: mode 0755 vs 0644; 1 more entry differs"},
			absent: []string{"content sha256"},
		},
		{
			name:   "file missing",
			change: func(s *spec) { s.layers[0] = s.layers[0][:1] },
			want:   []string{"  layer 0 (base) differs: first differing file etc/passwd: missing in b"},
			absent: []string{"layer 1"},
		},
		{
			name:   "extra layer",
			change: func(s *spec) { s.layers = append(s.layers, []file{{"extra", "x", 0o644}}) },
			want: []string{
				"  layer 2 (app) only in b: sha256:",
				`  config differs: rootfs.diff_ids[2]: <missing> vs "sha256:`,
			},
		},
		{
			name:   "same content different compression",
			change: func(s *spec) { s.gzipName = "app.tar" },
			want: []string{
				"  layer 1 (app) differs: same content, different compression (sha256:",
			},
			absent: []string{"config differs", "first differing file"},
		},
		{
			name: "index with a differing child",
			a:    func(t *testing.T) string { return writeIndex(t, twoChildren()) },
			b: func(t *testing.T) string {
				c := twoChildren()
				c[1].spec.created = time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)
				c[1].spec.layers[1][1].content = "hellO"
				return writeIndex(t, c)
			},
			want: []string{
				"index: sha256:",
				"  linux/arm64/v8 (libc=musl): manifest sha256:",
				`    config differs: created: "1970-01-01T00:00:00Z" vs "2026-11-26T04:00:00Z"`,
				"    layer 1 (app) differs: first differing file app/hello: content sha256 ",
			},
			absent: []string{"linux/amd64", "manifests:"},
		},
		{
			name: "index with a different number of manifests",
			a:    func(t *testing.T) string { return writeIndex(t, twoChildren()) },
			b:    func(t *testing.T) string { return writeIndex(t, twoChildren()[1:]) },
			want: []string{
				"index: sha256:",
				"  manifests: 2 vs 1",
				"  linux/amd64 (libc=none): only in a (manifest sha256:",
			},
			absent: []string{"arm64"},
		},
		{
			name: "index entry annotation differs",
			a:    func(t *testing.T) string { return writeIndex(t, twoChildren()) },
			b: func(t *testing.T) string {
				c := twoChildren()
				c[0].libc = "glibc"
				return writeIndex(t, c)
			},
			want: []string{
				"  linux/amd64 (libc=none): only in a (manifest sha256:",
				"  linux/amd64 (libc=glibc): only in b (manifest sha256:",
			},
		},
		{
			name: "index entry title differs",
			a:    func(t *testing.T) string { return writeIndex(t, twoChildren()) },
			b: func(t *testing.T) string {
				c := twoChildren()
				c[1].title = "app"
				return writeIndex(t, c)
			},
			want: []string{
				"  linux/arm64/v8 (libc=musl): same manifest sha256:",
				`    descriptor differs: annotations["org.opencontainers.image.title"]: <missing> vs "app"`,
			},
			absent: []string{"linux/amd64", "config"},
		},
		{
			name: "index entry order differs",
			a:    func(t *testing.T) string { return writeIndex(t, twoChildren()) },
			b: func(t *testing.T) string {
				c := twoChildren()
				return writeIndex(t, []child{c[1], c[0]})
			},
			want:   []string{"  manifest order differs: [linux/amd64 (libc=none), linux/arm64/v8 (libc=musl)] vs [linux/arm64/v8 (libc=musl), linux/amd64 (libc=none)]"},
			absent: []string{"only in"},
		},
		{
			name: "image vs index",
			b:    func(t *testing.T) string { return writeIndex(t, twoChildren()) },
			want: []string{"image vs index: sha256:"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := writeImage(t, baseSpec())
			if tc.a != nil {
				a = tc.a(t)
			}
			var b string
			if tc.b != nil {
				b = tc.b(t)
			} else {
				s := baseSpec()
				if tc.change != nil {
					tc.change(&s)
				}
				b = writeImage(t, s)
			}
			r, err := imagediff.Compare(a, b)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := r.Report(&buf); err != nil {
				t.Fatal(err)
			}
			report := buf.String()
			if r.Same != tc.same {
				t.Errorf("Same = %v, want %v", r.Same, tc.same)
			}
			for _, w := range tc.want {
				if !strings.Contains(report, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, w := range tc.absent {
				if strings.Contains(report, w) {
					t.Errorf("report has %q", w)
				}
			}
			if t.Failed() {
				t.Logf("report:\n%s", report)
			}
		})
	}
}

func TestCompareLimitsFields(t *testing.T) {
	a, b := baseSpec(), baseSpec()
	for i := 0; i < 30; i++ {
		a.env = append(a.env, fmt.Sprintf("V%d=a", i))
		b.env = append(b.env, fmt.Sprintf("V%d=b", i))
	}
	r, err := imagediff.Compare(writeImage(t, a), writeImage(t, b))
	if err != nil {
		t.Fatal(err)
	}
	cfg := r.Top.Config
	if cfg.Total != 30 || len(cfg.Diffs) != imagediff.MaxFields || cfg.Diffs[0].Path != "config.Env[2]" {
		t.Errorf("config diffs = %d of %d, first %+v", len(cfg.Diffs), cfg.Total, cfg.Diffs[0])
	}
	var buf bytes.Buffer
	r.Report(&buf)
	if !strings.Contains(buf.String(), "config differs: ... and 10 more fields") {
		t.Errorf("report:\n%s", buf.String())
	}
}

func TestCompareErrors(t *testing.T) {
	good := writeImage(t, baseSpec())
	if _, err := imagediff.Compare(good, filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "not an OCI image layout") {
		t.Errorf("missing layout: %v", err)
	}
}
