package imagebuild

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// WriteDockerTar writes img as a `docker load` tarball in the layout of
// go-containerregistry's tarball.Write (config, layer blobs, manifest.json),
// with RepoTags in the order given. Unlike tarball.MultiRefWrite it is
// deterministic for several tags.
func WriteDockerTar(w io.Writer, img v1.Image, repoTags []string) error {
	tags := []string{}
	seen := map[string]bool{}
	for _, t := range repoTags {
		tag, err := name.NewTag(t)
		if err != nil {
			return fmt.Errorf("-repo-tag %q is not a valid image name:tag: %w", t, err)
		}
		s := tag.String()
		if tag.Identifier() == name.DefaultTag && !strings.HasSuffix(s, ":"+name.DefaultTag) {
			s += ":" + name.DefaultTag // docker load needs an explicit tag
		}
		if !seen[s] {
			seen[s] = true
			tags = append(tags, s)
		}
	}
	cfgName, err := img.ConfigName()
	if err != nil {
		return err
	}
	cfg, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	if err := writeEntry(tw, cfgName.String(), bytes.NewReader(cfg), int64(len(cfg))); err != nil {
		return err
	}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	var files []string
	written := map[string]bool{}
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			return err
		}
		mt, err := l.MediaType()
		if err != nil {
			return err
		}
		f := d.Hex + extension(mt)
		files = append(files, f)
		if written[f] {
			continue
		}
		written[f] = true
		size, err := l.Size()
		if err != nil {
			return err
		}
		rc, err := l.Compressed()
		if err != nil {
			return err
		}
		err = writeEntry(tw, f, rc, size)
		rc.Close()
		if err != nil {
			return fmt.Errorf("writing layer %s to docker tarball: %w", d, err)
		}
	}
	m, err := json.Marshal(tarball.Manifest{{Config: cfgName.String(), RepoTags: tags, Layers: files}})
	if err != nil {
		return err
	}
	if err := writeEntry(tw, "manifest.json", bytes.NewReader(m), int64(len(m))); err != nil {
		return err
	}
	return tw.Close()
}

func extension(mt types.MediaType) string {
	switch mt {
	case types.OCILayerZStd:
		return ".tar.zst"
	case types.OCIUncompressedLayer, types.OCIUncompressedRestrictedLayer, types.DockerUncompressedLayer:
		return ".tar"
	}
	return ".tar.gz"
}

func writeEntry(tw *tar.Writer, name string, r io.Reader, size int64) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Typeflag: tar.TypeReg, Size: size}); err != nil {
		return err
	}
	n, err := io.Copy(tw, r)
	if err == nil && n != size {
		err = fmt.Errorf("%s: wrote %d bytes, expected %d", name, n, size)
	}
	return err
}
