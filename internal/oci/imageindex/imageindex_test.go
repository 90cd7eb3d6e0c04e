package imageindex_test

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/imageindex"
)

func img(t *testing.T, arch, libcLabel string) v1.Image {
	t.Helper()
	i := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	i = mutate.ConfigMediaType(i, types.OCIConfigJSON)
	cfg := &v1.ConfigFile{OS: "linux", Architecture: arch}
	if libcLabel != "" {
		cfg.Config.Labels = map[string]string{"io.rules_go_cross.libc": libcLabel}
	}
	i, err := mutate.ConfigFile(i, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestBuild(t *testing.T) {
	for _, tc := range []struct {
		name     string
		entries  []imageindex.Entry
		wantErr  string
		wantLibc []string
		wantVar  []string
	}{
		{"labels", []imageindex.Entry{{Image: img(t, "amd64", "none")}, {Image: img(t, "arm64", "musl")}}, "", []string{"none", "musl"}, []string{"", "v8"}},
		{"explicit beats label", []imageindex.Entry{{Image: img(t, "amd64", "none"), Annotations: map[string]string{imageindex.LibcAnnotation: "glibc"}}}, "", []string{"glibc"}, []string{""}},
		{"same platform, different libc", []imageindex.Entry{{Image: img(t, "amd64", "musl")}, {Image: img(t, "amd64", "glibc")}}, "", []string{"musl", "glibc"}, []string{"", ""}},
		{"no libc", []imageindex.Entry{{Image: img(t, "amd64", ""), Name: "x"}}, "x: no libc known", nil, nil},
		{"bad libc", []imageindex.Entry{{Image: img(t, "amd64", "uclibc")}}, "not musl, glibc or none", nil, nil},
		{"duplicate", []imageindex.Entry{{Image: img(t, "amd64", "musl"), Name: "a"}, {Image: img(t, "amd64", "musl"), Name: "b"}}, "a and b are both", nil, nil},
		{"empty", nil, "no -image", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx, err := imageindex.Build(tc.entries, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			im, _ := idx.IndexManifest()
			if im.MediaType != types.OCIImageIndex || len(im.Manifests) != len(tc.wantLibc) {
				t.Fatalf("index = %+v", im)
			}
			for i, m := range im.Manifests {
				if m.ArtifactType != "" {
					t.Errorf("manifest %d has artifactType %q; images in an index carry none (skopeo 1.9 drops it and changes the index digest)", i, m.ArtifactType)
				}
				if m.Annotations[imageindex.LibcAnnotation] != tc.wantLibc[i] || m.Platform.Variant != tc.wantVar[i] || m.Platform.OS != "linux" {
					t.Errorf("manifest %d = %+v %+v", i, m, m.Platform)
				}
			}
		})
	}
}
