package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/imageindex"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

func runIndex(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("index", "-image layout_dir[::key=value;key=value...] ... [-annotation k=v ...] -out index_layout_dir [-digest digest.txt]", `
Writes an OCI layout holding one image index over the given single-image
layouts, in the order given. Each manifest descriptor carries the platform
(os, architecture, variant; arm64 gets v8) from its image config and the
annotation io.rules_go_cross.libc = musl | glibc | none. Blobs are
hard-linked from the image layouts when possible, copied otherwise.

Per-image annotations follow the layout directory after "::", separated by
";". "libc=X" is short for io.rules_go_cross.libc=X. Without it, the libc
comes from the image's io.rules_go_cross.libc config label that
'imagetool base' sets. Example:
  -image bazel-out/app_amd64_musl::libc=musl;org.opencontainers.image.title=app`, stderr)
	var images listFlag
	fs.Var(&images, "image", "single-image OCI layout dir, optionally followed by ::key=value;key=value (repeatable)")
	annotations := mapFlag{}
	fs.Var(annotations, "annotation", "annotation key=value on the index itself (repeatable)")
	out := fs.String("out", "", "output OCI layout directory (must not exist or be empty)")
	digestOut := fs.String("digest", "", "optional output: file with the index digest (sha256:...)")
	if err := parse(fs, args, "image", "out"); err != nil {
		return err
	}
	if err := atomicfs.CheckOutputDir(*out); err != nil {
		return err
	}
	var entries []imageindex.Entry
	var dirs []string
	for _, v := range images {
		dir, ann, err := parseImageSpec(v)
		if err != nil {
			return err
		}
		img, err := layout.ReadImage(dir)
		if err != nil {
			return err
		}
		entries = append(entries, imageindex.Entry{Image: img, Annotations: ann, Name: dir})
		dirs = append(dirs, dir)
	}
	idx, err := imageindex.Build(entries, annotations)
	if err != nil {
		return err
	}
	if err := atomicfs.WriteDir(*out, func(tmp string) error { return layout.WriteIndex(tmp, idx, nil, layout.LinkFrom(dirs...)) }); err != nil {
		return err
	}
	d, err := idx.Digest()
	if err != nil {
		return err
	}
	if *digestOut != "" {
		if err := atomicfs.WriteBytes(*digestOut, 0o644, []byte(d.String()+"\n")); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "imagetool index: %s (%d images)\n", d, len(entries))
	return nil
}

// parseImageSpec splits "dir::k=v;k2=v2".
func parseImageSpec(v string) (string, map[string]string, error) {
	dir, rest, _ := strings.Cut(v, "::")
	if dir == "" {
		return "", nil, fmt.Errorf("-image %q has no layout directory", v)
	}
	ann := map[string]string{}
	if rest == "" {
		return dir, ann, nil
	}
	for _, kv := range strings.Split(rest, ";") {
		if kv == "" {
			continue
		}
		k, val, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return "", nil, fmt.Errorf("-image %q: %q is not key=value", v, kv)
		}
		if k == "libc" {
			k = imageindex.LibcAnnotation
		}
		ann[k] = val
	}
	return dir, ann, nil
}
