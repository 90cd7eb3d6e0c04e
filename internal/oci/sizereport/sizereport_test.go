package sizereport_test

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagebuild"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/sizereport"
)

func mkLayer(t *testing.T, files map[string]int) v1.Layer {
	b := layer.NewBuilder()
	for p, n := range files {
		b.Add(layer.Entry{Path: p, Type: tar.TypeReg, Mode: 0o644, Data: bytes.Repeat([]byte{'x'}, n)})
	}
	var tb bytes.Buffer
	b.WriteTar(&tb, time.Unix(0, 0))
	l, err := layer.FromTar(tb.Bytes(), 6, types.OCILayer)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestCompute(t *testing.T) {
	baseImg := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	baseImg, _ = mutate.ConfigFile(baseImg, &v1.ConfigFile{OS: "linux", Architecture: "amd64"})
	baseImg, _ = mutate.AppendLayers(baseImg, mkLayer(t, map[string]int{"/etc/a": 100, "/etc/b": 5000}))
	app := mkLayer(t, map[string]int{"/app/server": 100000, "/app/small": 1})
	withAnn, err := imagebuild.Build(imagebuild.Options{Base: baseImg, Layers: []v1.Layer{app}})
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := mutate.AppendLayers(baseImg, app)

	for _, tc := range []struct {
		name       string
		img        v1.Image
		baseLayers int
		wantBase   int
		known      bool
		err        string
	}{
		{"annotation", withAnn, -1, 1, true, ""},
		{"explicit", plain, 1, 1, true, ""},
		{"unknown", plain, -1, 0, false, ""},
		{"too many", plain, 3, 0, false, "only 2 layers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := sizereport.Compute(tc.img, tc.baseLayers, 2)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.BaseLayers != tc.wantBase || r.BaseKnown != tc.known || len(r.Layers) != 2 {
				t.Errorf("report %+v", r)
			}
			if len(r.Largest) != 2 || r.Largest[0].Path != "/app/server" || r.Largest[0].Bytes != 100000 || r.Largest[1].Path != "/etc/b" {
				t.Errorf("largest %+v", r.Largest)
			}
			if r.Total.Uncompressed != r.Layers[0].Uncompressed+r.Layers[1].Uncompressed || r.Total.Compressed <= 0 {
				t.Errorf("totals %+v", r.Total)
			}
			var txt bytes.Buffer
			r.WriteText(&txt)
			if !strings.Contains(txt.String(), "app share") || !strings.Contains(txt.String(), "/app/server") {
				t.Errorf("text:\n%s", txt.String())
			}
		})
	}
}
