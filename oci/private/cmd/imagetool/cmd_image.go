package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/baseimage"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/baseselect"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagebuild"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/rootfs"
)

func runImage(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("image", "-base [name=]base_layout_dir ... -layer app.tar ... [-verify /path/in/image=host/binary ...] [-verify-report report.json] [-libc-label=false] [-entrypoint arg ...] [-cmd arg ...] [-env K=V ...] [-user U] [-workdir /d] [-label k=v ...] [-annotation k=v ...] [-created T] -out layout_dir [-docker-tar out.tar -repo-tag name:tag ...] [-digest digest.txt] [-files-out files.txt]", `
Assembles an OCI image layout: the base image's layers plus the given layer
tars (uncompressed tars are gzip-compressed deterministically; .tar.gz are
used as they are), a config derived from the base's with the given settings,
history entries without host details, and a fixed creation time. Repeat
-entrypoint / -cmd once per argv element. The manifest is annotated with
io.rules_go_cross.base.layers and org.opencontainers.image.base.digest. The
base's layer blobs are hard-linked from the -base layout when possible.

Each -verify binary is checked against the image's final filesystem (base
plus new layers) as 'linkmode verify -expect-arch <image arch> -base-files'
does: it must be at its path in the image, be built for the image's
architecture and, if dynamically linked, find its interpreter, every
DT_NEEDED library and a new enough glibc. Failures quote linkmode's message
and its fix.

With one -base, that base is used and verification failures are errors.
Repeating -base gives candidates in preference order, smallest first (e.g.
-base static=... -base musl=... -base glibc=...): the first on which every
-verify binary can start is used, and if none fits the error gives each
candidate's reason. The chosen base's name is printed on stderr.

With -verify and -libc-label (the default), the config label
io.rules_go_cross.libc is set to the first -verify binary's libc (musl, glibc,
or none for a binary without libc), overriding the base's value; without
-verify, or for a binary whose libc cannot be told, or with an explicit
-label io.rules_go_cross.libc=..., that label is left as given.`, stderr)
	var bases, layers, verifies, entrypoint, cmd, env, repoTags listFlag
	fs.Var(&bases, "base", "base image OCI layout `[name=]dir`, named after the directory unless name= is given; repeat to list candidates, preferred (smallest) first")
	fs.Var(&layers, "layer", "layer tar or tar.gz, lowest first (repeatable)")
	fs.Var(&verifies, "verify", "check the binary `/path/in/image=host/path` against the image; messages and the report name it by its image path (repeatable)")
	reportOut := fs.String("verify-report", "", "optional output: JSON {\"base\": chosen name, \"candidates\": [{name, ok, reason}] (checked ones, up to the chosen), \"binaries\": [linkmode verify -json reports on the chosen base]}")
	libcLabel := fs.Bool("libc-label", true, "set the io.rules_go_cross.libc config label from the first -verify binary's libc")
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
	dockerTar := fs.String("docker-tar", "", "optional output: 'docker load' tarball")
	fs.Var(&repoTags, "repo-tag", "name:tag recorded in the -docker-tar (repeatable)")
	digestOut := fs.String("digest", "", "optional output: file with the manifest digest (sha256:...)")
	filesOut := fs.String("files-out", "", "optional output: the image's paths, one per line (symlinks as 'path -> target')")
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
	bins, err := inspectBinaries(verifies)
	if err != nil {
		return err
	}
	candidates, err := baseselect.ReadCandidates(bases)
	if err != nil {
		return err
	}

	var written outputs
	defer func() {
		if err != nil {
			written.removeAll()
		}
	}()
	var digest v1.Hash
	var chosen *baseselect.Candidate
	err = atomicfs.WriteDir(*out, func(tmp string) error {
		// New layers are compressed straight into the output's blob
		// directory. The blob does not depend on the media type, which
		// follows the base's manifest format.
		newLayers := map[types.MediaType][]v1.Layer{}
		layersFor := func(mt types.MediaType) ([]v1.Layer, error) {
			if ls, ok := newLayers[mt]; ok {
				return ls, nil
			}
			var ls []v1.Layer
			for _, p := range layers {
				l, err := layer.FromTarFile(p, layout.BlobDir(tmp), *level, mt)
				if err != nil {
					return nil, fmt.Errorf("-layer: %w", err)
				}
				ls = append(ls, l)
			}
			newLayers[mt] = ls
			return ls, nil
		}

		// Pick the base: the first candidate every binary can start on.
		sel := &baseselect.Selection{Chosen: candidates[0]}
		if len(bins) > 0 || *reportOut != "" {
			var err error
			if sel, err = baseselect.Choose(candidates, bins, layersFor); err != nil {
				return err
			}
		}
		chosen = sel.Chosen
		flat := sel.FS
		ls, err := layersFor(chosen.LayerType)
		if err != nil {
			return err
		}

		opts := imagebuild.Options{
			Base: chosen.Image, Layers: ls, Env: env, User: *user, WorkingDir: *workdir,
			Labels: labels, Annotations: annotations, Created: created.Time(),
		}
		if len(entrypoint) > 0 {
			opts.Entrypoint = entrypoint
		}
		if len(cmd) > 0 {
			opts.Cmd = cmd
		}
		if _, explicit := labels[baseimage.LibcLabel]; *libcLabel && len(bins) > 0 && !explicit {
			if v := libcLabelValue(bins[0]); v != "" {
				opts.Labels = map[string]string{baseimage.LibcLabel: v}
				for k, val := range labels {
					opts.Labels[k] = val
				}
			}
		}
		img, err := imagebuild.Build(opts)
		if err != nil {
			return err
		}
		platform, err := imagebuild.Platform(img)
		if err != nil {
			return err
		}
		if err := layout.WriteImage(tmp, img, platform, nil, layout.LinkFrom(chosen.Dir)); err != nil {
			return err
		}
		if digest, err = img.Digest(); err != nil {
			return err
		}
		// Side outputs are written while the layers' blobs are still in tmp.
		if *filesOut != "" {
			if flat == nil {
				ls, err := img.Layers()
				if err != nil {
					return err
				}
				if flat, err = rootfs.Flatten(ls); err != nil {
					return err
				}
			}
			if err := atomicfs.WriteFile(*filesOut, 0o644, flat.WriteList); err != nil {
				return err
			}
			written.add(*filesOut)
		}
		if *reportOut != "" {
			b, err := json.MarshalIndent(sel.Report, "", "  ")
			if err != nil {
				return err
			}
			if err := atomicfs.WriteBytes(*reportOut, 0o644, append(b, '\n')); err != nil {
				return err
			}
			written.add(*reportOut)
		}
		if *dockerTar != "" {
			if err := atomicfs.WriteFile(*dockerTar, 0o644, func(w io.Writer) error {
				return imagebuild.WriteDockerTar(w, img, repoTags)
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
	fmt.Fprintf(stderr, "imagetool image: %s on base %s\n", digest, chosen.Name)
	return nil
}

// parseVerifySpec splits "/path/in/image=host/path".
func parseVerifySpec(v string) (imagePath, hostPath string, err error) {
	imagePath, hostPath, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(imagePath, "/") || hostPath == "" {
		return "", "", fmt.Errorf("-verify %q is not /path/in/image=host/path (the binary's absolute path in the image, then the file on this machine)", v)
	}
	return path.Clean(imagePath), hostPath, nil
}

// inspectBinaries reads the -verify binaries. Each Info names the binary by
// its path in the image, so that messages and reports hold no host paths.
func inspectBinaries(specs []string) ([]*elfinfo.Info, error) {
	var infos []*elfinfo.Info
	for _, v := range specs {
		imagePath, hostPath, err := parseVerifySpec(v)
		if err != nil {
			return nil, err
		}
		info, err := elfinfo.Inspect(hostPath)
		var notELF *elfinfo.NotELFError
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("-verify %s: %s does not exist; pass the linked binary that the -layer tars put at %s", v, hostPath, imagePath)
		case errors.As(err, &notELF):
			return nil, fmt.Errorf("-verify %s: %v; -verify is for the image's Linux executables only", imagePath, err)
		case err != nil:
			return nil, fmt.Errorf("-verify %s: %w", imagePath, err)
		}
		info.Path = imagePath
		infos = append(infos, info)
	}
	return infos, nil
}

// libcLabelValue returns the io.rules_go_cross.libc value for a binary:
// musl, glibc or none, or "" when elfinfo cannot tell.
func libcLabelValue(info *elfinfo.Info) string {
	switch info.Libc {
	case linkmode.LibcMusl, linkmode.LibcGlibc, linkmode.LibcNone:
		return string(info.Libc)
	}
	return ""
}
