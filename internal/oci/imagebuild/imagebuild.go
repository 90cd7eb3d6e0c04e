// Package imagebuild assembles an application image from a base image and new
// layers: config (entrypoint, cmd, env, user, workdir, labels), history
// entries free of host details, a fixed creation time, and manifest
// annotations. It also writes `docker load` tarballs.
package imagebuild

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

// Annotation keys the image records on its manifest.
const (
	// BaseLayersAnnotation holds how many of the image's layers come from
	// the base; `imagetool size-report` uses it to tell base from app.
	BaseLayersAnnotation = "io.rules_go_cross.base.layers"
	// BaseDigestAnnotation is the standard OCI annotation for the base
	// image's manifest digest.
	BaseDigestAnnotation = "org.opencontainers.image.base.digest"
)

// Options configures Build. Nil slices and empty strings leave the base's
// setting unchanged.
type Options struct {
	Base   v1.Image
	Layers []v1.Layer
	// Entrypoint and Cmd replace the base's when non-nil.
	Entrypoint, Cmd []string
	// Env entries ("K=V") replace base entries with the same key or are added.
	Env         []string
	User        string
	WorkingDir  string
	Labels      map[string]string
	Annotations map[string]string
	Created     time.Time
}

// LayerMediaType is the media type new layers need to match base's manifest
// format (OCI or Docker).
func LayerMediaType(base v1.Image) (types.MediaType, error) {
	mt, err := base.MediaType()
	if err != nil {
		return "", err
	}
	if mt == types.DockerManifestSchema2 {
		return types.DockerLayer, nil
	}
	return types.OCILayer, nil
}

// Build returns the assembled image.
func Build(opts Options) (v1.Image, error) {
	if opts.Base == nil {
		return nil, fmt.Errorf("no base image given")
	}
	if opts.Created.IsZero() {
		opts.Created = time.Unix(0, 0)
	}
	created := v1.Time{Time: opts.Created.UTC()}
	baseCfg, err := opts.Base.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading base image config: %w", err)
	}
	baseLayers, err := opts.Base.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading base image layers: %w", err)
	}
	baseDigest, err := opts.Base.Digest()
	if err != nil {
		return nil, err
	}
	cfg := baseCfg.DeepCopy()
	if opts.Entrypoint != nil {
		cfg.Config.Entrypoint = opts.Entrypoint
		if opts.Cmd == nil {
			cfg.Config.Cmd = nil // like Docker: a new entrypoint resets the base's cmd
		}
	}
	if opts.Cmd != nil {
		cfg.Config.Cmd = opts.Cmd
	}
	if cfg.Config.Env, err = MergeEnv(cfg.Config.Env, opts.Env); err != nil {
		return nil, err
	}
	if opts.User != "" {
		cfg.Config.User = opts.User
	}
	if opts.WorkingDir != "" {
		if !strings.HasPrefix(opts.WorkingDir, "/") {
			return nil, fmt.Errorf("-workdir %q is not absolute; use a path starting with /", opts.WorkingDir)
		}
		cfg.Config.WorkingDir = opts.WorkingDir
	}
	if len(opts.Labels) > 0 {
		if cfg.Config.Labels == nil {
			cfg.Config.Labels = map[string]string{}
		}
		for k, v := range opts.Labels {
			cfg.Config.Labels[k] = v
		}
	}
	cfg.Created = created
	if cfg.Variant == "" {
		cfg.Variant = ociVariant(cfg.Architecture)
	}

	img, err := mutate.ConfigFile(opts.Base, cfg)
	if err != nil {
		return nil, err
	}
	mt, err := LayerMediaType(opts.Base)
	if err != nil {
		return nil, err
	}
	var adds []mutate.Addendum
	for i, l := range opts.Layers {
		adds = append(adds, mutate.Addendum{
			Layer:     l,
			MediaType: mt,
			History: v1.History{
				Created:   created,
				CreatedBy: fmt.Sprintf("rules_go_cross imagetool image: layer %d of %d", i+1, len(opts.Layers)),
			},
		})
	}
	if img, err = mutate.Append(img, adds...); err != nil {
		return nil, err
	}
	ann := map[string]string{
		BaseLayersAnnotation: strconv.Itoa(len(baseLayers)),
		BaseDigestAnnotation: baseDigest.String(),
	}
	for k, v := range opts.Annotations {
		ann[k] = v
	}
	return mutate.Annotations(img, ann).(v1.Image), nil
}

// MergeEnv applies "K=V" overrides to env, keeping the order of existing
// keys and appending new ones in the order given.
func MergeEnv(env, overrides []string) ([]string, error) {
	out := append([]string(nil), env...)
	idx := map[string]int{}
	for i, kv := range out {
		k, _, _ := strings.Cut(kv, "=")
		idx[k] = i
	}
	for _, kv := range overrides {
		k, _, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("-env %q is not KEY=VALUE", kv)
		}
		if i, ok := idx[k]; ok {
			out[i] = kv
			continue
		}
		idx[k] = len(out)
		out = append(out, kv)
	}
	return out, nil
}

// Platform returns the platform recorded in img's config, with the platform
// table's variant of its architecture (v8 for arm64) when the config leaves
// it out.
func Platform(img v1.Image) (*v1.Platform, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	if cfg.OS == "" || cfg.Architecture == "" {
		return nil, fmt.Errorf("image config has no os/architecture; was it built by imagetool?")
	}
	p := &v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant, OSVersion: cfg.OSVersion}
	if len(cfg.OSFeatures) > 0 {
		p.OSFeatures = append([]string(nil), cfg.OSFeatures...)
		sort.Strings(p.OSFeatures)
	}
	if p.Variant == "" {
		p.Variant = ociVariant(p.Architecture)
	}
	return p, nil
}

// ociVariant returns the OCI variant of architecture arch in the platform
// table ("" for none, or for an architecture it does not have).
func ociVariant(arch string) string {
	a, _ := platform.ArchByGOARCH(arch)
	return a.OCIVariant
}
