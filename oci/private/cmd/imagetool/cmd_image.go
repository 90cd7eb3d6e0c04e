package main

import (
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/v1"

	"github.com/rules-go-cross/rules_go_cross/oci/private/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/oci/private/image"
	"github.com/rules-go-cross/rules_go_cross/oci/private/layer"
	"github.com/rules-go-cross/rules_go_cross/oci/private/layout"
	"github.com/rules-go-cross/rules_go_cross/oci/private/rootfs"
)

func runImage(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("image", "-base base_layout_dir -layer app.tar ... [-entrypoint arg ...] [-cmd arg ...] [-env K=V ...] [-user U] [-workdir /d] [-label k=v ...] [-annotation k=v ...] [-created T] -out layout_dir [-docker-tar out.tar -repo-tag name:tag ...] [-digest digest.txt] [-files-out files.txt]", `
Assembles an OCI image layout: the base image's layers plus the given layer
tars (uncompressed tars are gzip-compressed deterministically; .tar.gz are
used as they are), a config derived from the base's with the given settings,
history entries without host details, and a fixed creation time. Repeat
-entrypoint / -cmd once per argv element. The manifest is annotated with
io.rules_go_cross.base.layers and org.opencontainers.image.base.digest.`, stderr)
	baseDir := fs.String("base", "", "base image OCI layout directory")
	var layers, entrypoint, cmd, env, repoTags listFlag
	fs.Var(&layers, "layer", "layer tar or tar.gz, lowest first (repeatable)")
	fs.Var(&entrypoint, "entrypoint", "one entrypoint argv element (repeat for more)")
	fs.Var(&cmd, "cmd", "one cmd argv element (repeat for more)")
	fs.Var(&env, "env", "KEY=VALUE environment entry, replacing the base's value of KEY (repeatable)")
	user := fs.String("user", "", "user to run as, e.g. 65532 or 65532:65532 (default: the base's)")
	workdir := fs.String("workdir", "", "absolute working directory (default: the base's)")
	labels, annotations := mapFlag{}, mapFlag{}
	fs.Var(labels, "label", "config label key=value (repeatable)")
	fs.Var(annotations, "annotation", "manifest annotation key=value (repeatable)")
	var created timeFlag
	fs.Var(&created, "created", "creation time: RFC 3339 or seconds since 1970 (SOURCE_DATE_EPOCH)")
	out := fs.String("out", "", "output OCI layout directory (must not exist or be empty)")
	dockerTar := fs.String("docker-tar", "", "optional output: `docker load` tarball")
	fs.Var(&repoTags, "repo-tag", "name:tag recorded in the -docker-tar (repeatable)")
	digestOut := fs.String("digest", "", "optional output: file with the manifest digest (sha256:...)")
	filesOut := fs.String("files-out", "", "optional output: the image's paths, one per line (symlinks as `path -> target`)")
	level := fs.Int("level", layer.DefaultLevel, "gzip level for new layers, 1 (fastest) to 9 (smallest)")
	if err := parse(fs, args, "base", "out"); err != nil {
		return err
	}
	if len(repoTags) > 0 && *dockerTar == "" {
		return fmt.Errorf("-repo-tag is only used with -docker-tar; add -docker-tar out.tar")
	}
	if err := layer.CheckLevel(*level); err != nil {
		return err
	}
	if err := atomicfs.CheckOutputDir(*out); err != nil {
		return err
	}
	base, err := layout.ReadImage(*baseDir)
	if err != nil {
		return fmt.Errorf("-base: %w", err)
	}
	mt, err := image.LayerMediaType(base)
	if err != nil {
		return err
	}
	opts := image.Options{
		Base: base, Env: env, User: *user, WorkingDir: *workdir,
		Labels: labels, Annotations: annotations, Created: created.Time(),
	}
	if len(entrypoint) > 0 {
		opts.Entrypoint = entrypoint
	}
	if len(cmd) > 0 {
		opts.Cmd = cmd
	}

	var written outputs
	defer func() {
		if err != nil {
			written.removeAll()
		}
	}()
	var digest v1.Hash
	err = atomicfs.WriteDir(*out, func(tmp string) error {
		// New layers are compressed straight into the output's blob directory.
		for _, p := range layers {
			l, err := layer.FromTarFile(p, layout.BlobDir(tmp), *level, mt)
			if err != nil {
				return fmt.Errorf("-layer: %w", err)
			}
			opts.Layers = append(opts.Layers, l)
		}
		img, err := image.Build(opts)
		if err != nil {
			return err
		}
		platform, err := image.Platform(img)
		if err != nil {
			return err
		}
		if err := layout.WriteImage(tmp, img, platform, nil); err != nil {
			return err
		}
		if digest, err = img.Digest(); err != nil {
			return err
		}
		// Side outputs are written while the layers' blobs are still in tmp.
		if *filesOut != "" {
			ls, err := img.Layers()
			if err != nil {
				return err
			}
			flat, err := rootfs.Flatten(ls)
			if err != nil {
				return err
			}
			if err := atomicfs.WriteFile(*filesOut, 0o644, flat.WriteList); err != nil {
				return err
			}
			written.add(*filesOut)
		}
		if *dockerTar != "" {
			if err := atomicfs.WriteFile(*dockerTar, 0o644, func(w io.Writer) error {
				return image.WriteDockerTar(w, img, repoTags)
			}); err != nil {
				return err
			}
			written.add(*dockerTar)
		}
		return nil
	})
	if err != nil {
		return err
	}
	written.add(*out)
	if *digestOut != "" {
		if err := atomicfs.WriteBytes(*digestOut, 0o644, []byte(digest.String()+"\n")); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "imagetool image: %s\n", digest)
	return nil
}
