package imagebuild_test

import (
	"archive/tar"
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagebuild"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
)

func testLayer(t *testing.T, body string) v1.Layer {
	t.Helper()
	b := layer.NewBuilder()
	b.Add(layer.Entry{Path: "/f", Type: tar.TypeReg, Mode: 0o644, Data: []byte(body)})
	var tb bytes.Buffer
	b.WriteTar(&tb, time.Unix(0, 0))
	l, err := layer.FromTar(tb.Bytes(), layer.DefaultLevel, types.OCILayer)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func testBase(t *testing.T, arch string) v1.Image {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err := mutate.ConfigFile(img, &v1.ConfigFile{OS: "linux", Architecture: arch,
		Config: v1.Config{Env: []string{"PATH=/bin", "A=1"}, Cmd: []string{"/bin/sh"}}})
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.Append(img, mutate.Addendum{Layer: testLayer(t, "base"), MediaType: types.OCILayer})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestMergeEnv(t *testing.T) {
	for _, tc := range []struct {
		env, over, want []string
		err             bool
	}{
		{[]string{"PATH=/bin", "A=1"}, []string{"A=2", "B=3"}, []string{"PATH=/bin", "A=2", "B=3"}, false},
		{nil, []string{"X="}, []string{"X="}, false},
		{nil, []string{"NOVALUE"}, nil, true},
		{nil, []string{"=v"}, nil, true},
	} {
		got, err := imagebuild.MergeEnv(tc.env, tc.over)
		if (err != nil) != tc.err || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("MergeEnv(%q, %q) = %q, %v; want %q", tc.env, tc.over, got, err, tc.want)
		}
	}
}

func TestBuild(t *testing.T) {
	for _, tc := range []struct {
		name           string
		opts           imagebuild.Options
		wantEntrypoint []string
		wantCmd        []string
		wantVariant    string
	}{
		{"keep base cmd", imagebuild.Options{}, nil, []string{"/bin/sh"}, ""},
		{"entrypoint resets cmd", imagebuild.Options{Entrypoint: []string{"/app"}}, []string{"/app"}, nil, ""},
		{"entrypoint and cmd", imagebuild.Options{Entrypoint: []string{"/app"}, Cmd: []string{"-v"}}, []string{"/app"}, []string{"-v"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Base = testBase(t, "amd64")
			tc.opts.Layers = []v1.Layer{testLayer(t, "app")}
			img, err := imagebuild.Build(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			cfg, _ := img.ConfigFile()
			if !reflect.DeepEqual(cfg.Config.Entrypoint, tc.wantEntrypoint) || !reflect.DeepEqual(cfg.Config.Cmd, tc.wantCmd) {
				t.Errorf("entrypoint %q cmd %q", cfg.Config.Entrypoint, cfg.Config.Cmd)
			}
			if len(cfg.RootFS.DiffIDs) != 2 || !cfg.Created.Time.Equal(time.Unix(0, 0)) {
				t.Errorf("rootfs %v created %v", cfg.RootFS.DiffIDs, cfg.Created)
			}
		})
	}
	img, err := imagebuild.Build(imagebuild.Options{Base: testBase(t, "arm64")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := imagebuild.Platform(img)
	if err != nil || p.Variant != "v8" || p.Architecture != "arm64" {
		t.Errorf("arm64 platform = %+v, %v", p, err)
	}
	if _, err := imagebuild.Build(imagebuild.Options{Base: testBase(t, "amd64"), WorkingDir: "rel"}); err == nil || !strings.Contains(err.Error(), "not absolute") {
		t.Errorf("relative workdir: %v", err)
	}
}

// TestDockerTarMatchesGGCR checks that for one tag the docker tarball is
// byte-identical to go-containerregistry's tarball.Write.
func TestDockerTarMatchesGGCR(t *testing.T) {
	img, err := imagebuild.Build(imagebuild.Options{Base: testBase(t, "amd64"), Layers: []v1.Layer{testLayer(t, "app")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"example.com/app:v1", "app"} {
		tag, _ := name.NewTag(ref)
		var ours, theirs bytes.Buffer
		if err := imagebuild.WriteDockerTar(&ours, img, []string{ref}); err != nil {
			t.Fatal(err)
		}
		if err := tarball.Write(tag, img, &theirs); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours.Bytes(), theirs.Bytes()) {
			t.Errorf("%s: docker tarball differs from tarball.Write", ref)
		}
	}
	var a, b bytes.Buffer
	imagebuild.WriteDockerTar(&a, img, []string{"x:1", "y:2", "z:3"})
	imagebuild.WriteDockerTar(&b, img, []string{"x:1", "y:2", "z:3"})
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("docker tarball with several tags is not deterministic")
	}
	if err := imagebuild.WriteDockerTar(&a, img, []string{"UPPER:case"}); err == nil {
		t.Error("invalid tag accepted")
	}
}
