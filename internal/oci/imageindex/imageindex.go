// Package imageindex builds multi-platform OCI image indexes whose manifest
// descriptors carry the platform from each image's config and a
// per-manifest io.rules_go_cross.libc annotation.
package imageindex

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/baseimage"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagebuild"
)

// LibcAnnotation names the C library an index entry's image needs.
const LibcAnnotation = "io.rules_go_cross.libc"

// plainImage hides an image's artifact type from the index descriptor. go-containerregistry
// sets a descriptor's artifactType to the config media type of every image; OCI 1.1 meant the
// field for artifacts, Docker, BuildKit and containerd leave it out for images, and clients
// built on image-spec 1.0 structs (containers/image before 5.29: skopeo 1.9 and podman 4 in
// Debian 12) drop it when they re-serialize an index, so `skopeo copy --all
// --preserve-digests` of an index carrying it fails and a plain copy changes its digest.
type plainImage struct{ v1.Image }

// ArtifactType is what partial.Descriptor asks first; "" leaves the field out.
func (plainImage) ArtifactType() (string, error) { return "", nil }

// Entry is one image of the index with its descriptor annotations.
type Entry struct {
	Image       v1.Image
	Annotations map[string]string
	// Name identifies the entry in error messages (e.g. its layout dir).
	Name string
}

// Build returns an OCI image index of entries, in the order given. The
// libc annotation defaults to the image config's io.rules_go_cross.libc
// label (set by `imagetool base`) and must be musl, glibc or none.
func Build(entries []Entry, annotations map[string]string) (v1.ImageIndex, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("no -image given; an index needs at least one image")
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	seen := map[string]string{}
	var adds []mutate.IndexAddendum
	for _, e := range entries {
		p, err := imagebuild.Platform(e.Image)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		ann := map[string]string{}
		for k, v := range e.Annotations {
			ann[k] = v
		}
		if ann[LibcAnnotation] == "" {
			cfg, err := e.Image.ConfigFile()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.Name, err)
			}
			ann[LibcAnnotation] = cfg.Config.Labels[baseimage.LibcLabel]
		}
		switch ann[LibcAnnotation] {
		case "musl", "glibc", "none":
		case "":
			return nil, fmt.Errorf("%s: no libc known for this image; add libc=musl|glibc|none to its -image flag", e.Name)
		default:
			return nil, fmt.Errorf("%s: libc %q is not musl, glibc or none", e.Name, ann[LibcAnnotation])
		}
		key := p.String() + " " + ann[LibcAnnotation]
		if prev, ok := seen[key]; ok {
			return nil, fmt.Errorf("%s and %s are both %s images with libc %s; an index may hold each platform/libc pair once", prev, e.Name, p, ann[LibcAnnotation])
		}
		seen[key] = e.Name
		mt, err := e.Image.MediaType()
		if err != nil {
			return nil, err
		}
		d, err := e.Image.Digest()
		if err != nil {
			return nil, err
		}
		sz, err := e.Image.Size()
		if err != nil {
			return nil, err
		}
		adds = append(adds, mutate.IndexAddendum{
			Add:        plainImage{e.Image},
			Descriptor: v1.Descriptor{MediaType: mt, Digest: d, Size: sz, Platform: p, Annotations: ann},
		})
	}
	idx = mutate.AppendManifests(idx, adds...)
	if len(annotations) > 0 {
		idx = mutate.Annotations(idx, annotations).(v1.ImageIndex)
	}
	return idx, nil
}
