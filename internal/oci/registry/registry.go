// Package registry pushes an OCI layout's image or index to a registry and
// reads manifest digests back. It is the only part of imagetool that uses
// the network.
package registry

import (
	"context"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

// Options configures registry access.
type Options struct {
	// Insecure allows plain http (for example a test registry on 127.0.0.1).
	Insecure bool
	// Keychain resolves credentials; authn.DefaultKeychain (docker config
	// and credential helpers) when nil.
	Keychain authn.Keychain
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
}

func (o Options) nameOpts() []name.Option {
	if o.Insecure {
		return []name.Option{name.Insecure}
	}
	return nil
}

func (o Options) remoteOpts(ctx context.Context) []remote.Option {
	kc := o.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc)}
	if o.Transport != nil {
		opts = append(opts, remote.WithTransport(o.Transport))
	}
	return opts
}

// Push uploads the image or index in the layout dir to "registry/repo" (by
// digest only) or "registry/repo:tag" (by digest, then tagged) and returns
// "registry/repo@sha256:..." of what was pushed.
func Push(ctx context.Context, dir, to string, o Options) (string, error) {
	img, idx, err := layout.Read(dir)
	if err != nil {
		return "", err
	}
	ref, err := name.ParseReference(to, o.nameOpts()...)
	if err != nil {
		return "", fmt.Errorf("-to %q is not a valid registry/repository[:tag]: %w", to, err)
	}
	if _, ok := ref.(name.Digest); ok {
		return "", fmt.Errorf("-to %q names a digest; give registry/repo or registry/repo:tag, the digest comes from the layout", to)
	}
	repo := ref.Context()
	var dg string
	if img != nil {
		d, err := img.Digest()
		if err != nil {
			return "", err
		}
		dg = d.String()
		if err := remote.Write(repo.Digest(dg), img, o.remoteOpts(ctx)...); err != nil {
			return "", fmt.Errorf("pushing image to %s: %w", repo, err)
		}
		if tag, ok := ref.(name.Tag); ok && hasExplicitTag(to, tag) {
			if err := remote.Tag(tag, img, o.remoteOpts(ctx)...); err != nil {
				return "", fmt.Errorf("tagging %s: %w", tag, err)
			}
		}
	} else {
		d, err := idx.Digest()
		if err != nil {
			return "", err
		}
		dg = d.String()
		if err := remote.WriteIndex(repo.Digest(dg), idx, o.remoteOpts(ctx)...); err != nil {
			return "", fmt.Errorf("pushing index to %s: %w", repo, err)
		}
		if tag, ok := ref.(name.Tag); ok && hasExplicitTag(to, tag) {
			if err := remote.Tag(tag, idx, o.remoteOpts(ctx)...); err != nil {
				return "", fmt.Errorf("tagging %s: %w", tag, err)
			}
		}
	}
	return repo.Name() + "@" + dg, nil
}

// hasExplicitTag tells "repo:tag" from "repo", which go-containerregistry
// would read as "repo:latest".
func hasExplicitTag(s string, t name.Tag) bool {
	return len(s) > len(t.TagStr()) && s[len(s)-len(t.TagStr())-1:] == ":"+t.TagStr()
}

// Digest returns the manifest digest ("sha256:...") that ref (tag or
// digest) resolves to in the registry.
func Digest(ctx context.Context, ref string, o Options) (string, error) {
	r, desc, err := get(ctx, ref, o)
	if err != nil {
		return "", err
	}
	if dr, ok := r.(name.Digest); ok && dr.DigestStr() != desc.Digest.String() {
		return "", fmt.Errorf("registry returned manifest %s for %s", desc.Digest, r)
	}
	return desc.Digest.String(), nil
}

// Pull downloads the image or index that ref names into a new OCI layout at
// dir (every blob is checked against its digest on the way) and returns its
// digest.
func Pull(ctx context.Context, ref, dir string, o Options) (string, error) {
	r, desc, err := get(ctx, ref, o)
	if err != nil {
		return "", err
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return "", err
		}
		if err := layout.WriteIndex(dir, idx, nil); err != nil {
			return "", fmt.Errorf("writing %s: %w", r, err)
		}
	} else {
		img, err := desc.Image()
		if err != nil {
			return "", err
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			return "", err
		}
		if err := layout.WriteImage(dir, img, cfg.Platform(), nil); err != nil {
			return "", fmt.Errorf("writing %s: %w", r, err)
		}
	}
	return desc.Digest.String(), nil
}

// get resolves ref in its registry.
func get(ctx context.Context, ref string, o Options) (name.Reference, *remote.Descriptor, error) {
	r, err := name.ParseReference(ref, o.nameOpts()...)
	if err != nil {
		return nil, nil, fmt.Errorf("%q is not a valid image reference: %w", ref, err)
	}
	desc, err := remote.Get(r, o.remoteOpts(ctx)...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", r, err)
	}
	return r, desc, nil
}
