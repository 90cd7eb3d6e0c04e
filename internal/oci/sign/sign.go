// Package sign pushes an image or index, then signs it with cosign and attaches each image's
// SPDX SBOM and SLSA provenance as cosign attestations: key-based and offline (nothing goes to
// a transparency log or to Fulcio). The key is given at run time and never enters Bazel's
// action graph; cosign is the user's own (flag, environment or PATH).
package sign

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/provenance"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/registry"
)

// CosignVersion is the cosign release the tests use and the error messages suggest.
const CosignVersion = "v2.6.5"

// CosignEnv names the environment variable that may point at cosign.
const CosignEnv = "RULES_GO_CROSS_COSIGN"

// Image is one image to attest: its digest, SBOM and build provenance.
type Image struct {
	Digest     string // sha256:...
	SBOM       string // SPDX JSON file
	Provenance string // in-toto statement file (provenance.Statement)
}

// Runner runs cosign with args; output goes to the writers.
type Runner func(ctx context.Context, cosign string, args []string, stdout, stderr io.Writer) error

// Options configures Sign.
type Options struct {
	Layout   string // OCI layout of the image or index
	To       string // registry/repo[:tag]
	Insecure bool   // plain HTTP registry
	Key      string // cosign key: file path or a KMS URI (scheme://...)
	Cosign   string // path of cosign
	Images   []Image
	Source   provenance.Source
	Stderr   io.Writer
	// Run runs cosign (default: exec). Push pushes (default: registry.Push).
	Run  Runner
	Push func(ctx context.Context, dir, to string, o registry.Options) (string, error)
}

// Sign pushes the layout, signs what it pushed (for an index: the index and every image) and
// attests each image's SBOM (--type spdxjson) and provenance (--type slsaprovenance1, with
// the source revision added). It returns registry/repo@sha256:... of what it pushed.
func Sign(ctx context.Context, o Options) (string, error) {
	if o.Run == nil {
		o.Run = execCosign
	}
	if o.Push == nil {
		o.Push = registry.Push
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.Key == "" || o.Cosign == "" {
		return "", errors.New("no cosign key or cosign binary")
	}
	img, idx, err := layout.Read(o.Layout)
	if err != nil {
		return "", err
	}
	inLayout := map[string]bool{}
	if img != nil {
		d, err := img.Digest()
		if err != nil {
			return "", err
		}
		inLayout[d.String()] = true
	} else {
		im, err := idx.IndexManifest()
		if err != nil {
			return "", err
		}
		for _, m := range im.Manifests {
			inLayout[m.Digest.String()] = true
		}
	}
	stmts := make([]*provenance.Statement, len(o.Images))
	for i, im := range o.Images {
		if !inLayout[im.Digest] {
			return "", fmt.Errorf("image %s is not in %s", im.Digest, o.Layout)
		}
		if _, err := os.Stat(im.SBOM); err != nil {
			return "", fmt.Errorf("SBOM of %s: %w", im.Digest, err)
		}
		s, err := provenance.Read(im.Provenance)
		if err != nil {
			return "", err
		}
		if s.ImageDigest() != im.Digest {
			return "", fmt.Errorf("%s is the provenance of %s, not of %s", im.Provenance, s.ImageDigest(), im.Digest)
		}
		stmts[i] = s
	}

	ref, err := o.Push(ctx, o.Layout, o.To, registry.Options{Insecure: o.Insecure})
	if err != nil {
		return "", explainRegistryError(o.To, o.Insecure, err)
	}
	repo, _, _ := strings.Cut(ref, "@")
	common := []string{"--key", o.Key, "--tlog-upload=false", "--yes"}
	if o.Insecure {
		common = append(common, "--allow-insecure-registry", "--allow-http-registry")
	}
	signArgs := append([]string{"sign"}, common...)
	if idx != nil {
		signArgs = append(signArgs, "--recursive") // the index and every image in it
	}
	if err := o.cosign(ctx, append(signArgs, ref)); err != nil {
		return "", err
	}

	tmp, err := os.MkdirTemp("", "go_image_sign")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for i, im := range o.Images {
		target := repo + "@" + im.Digest
		pred, err := provenance.WithSource(stmts[i], o.Source)
		if err != nil {
			return "", err
		}
		predFile := filepath.Join(tmp, fmt.Sprintf("provenance-%d.json", i))
		if err := os.WriteFile(predFile, pred, 0o644); err != nil {
			return "", err
		}
		for _, a := range []struct{ typ, file string }{{"spdxjson", im.SBOM}, {"slsaprovenance1", predFile}} {
			args := append(append([]string{"attest"}, common...), "--type", a.typ, "--predicate", a.file, target)
			if err := o.cosign(ctx, args); err != nil {
				return "", err
			}
		}
		fmt.Fprintf(o.Stderr, "go_image_sign: signed %s and attached its SBOM and provenance\n", target)
	}
	return ref, nil
}

func (o Options) cosign(ctx context.Context, args []string) error {
	if err := o.Run(ctx, o.Cosign, args, o.Stderr, o.Stderr); err != nil {
		return fmt.Errorf("cosign %s %s failed: %w (cosign's output is above)", args[0], args[len(args)-1], err)
	}
	return nil
}

func execCosign(ctx context.Context, cosign string, args []string, stdout, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, cosign, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	return cmd.Run()
}

// explainRegistryError adds what to do to a failed push.
func explainRegistryError(to string, insecure bool, err error) error {
	var op *net.OpError
	var dns *net.DNSError
	msg := err.Error()
	switch {
	case errors.As(err, &dns) || errors.As(err, &op):
		return fmt.Errorf("cannot reach the registry of %s: %w; check REGISTRY[:PORT]/REPO[:TAG]", to, err)
	case !insecure && strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return fmt.Errorf("the registry of %s speaks plain HTTP: %w; pass --insecure for such a (test) registry", to, err)
	}
	return err
}

// FindCosign returns the cosign to run: flag, else $RULES_GO_CROSS_COSIGN, else cosign in
// PATH. Relative paths are taken from dir (the directory `bazel run` was called from).
func FindCosign(flag, dir string, getenv func(string) string, lookPath func(string) (string, error)) (string, error) {
	if flag == "" {
		flag = getenv(CosignEnv)
	}
	if flag == "" {
		p, err := lookPath("cosign")
		if err != nil {
			return "", fmt.Errorf("cosign not found: no --cosign, $%s is not set and there is no cosign in PATH (%s).\n"+
				"Install it (go install github.com/sigstore/cosign/v2/cmd/cosign@%s) and pass --cosign=/path/to/cosign.\n"+
				"With rules_go_cross's tools/bazel, the target runs in tools/bazel's own root: put cosign under the "+
				"workspace or $RULES_GO_CROSS_CACHE, or add its directory to RULES_GO_CROSS_MOUNTS", CosignEnv, getenv("PATH"), CosignVersion)
		}
		return p, nil
	}
	p := resolve(flag, dir)
	fi, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("cosign %s: %w; pass --cosign=/path/to/cosign (go install github.com/sigstore/cosign/v2/cmd/cosign@%s)", p, err, CosignVersion)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("cosign %s is not an executable file", p)
	}
	return p, nil
}

// ResolveKey checks the --key value: a file (relative to dir) or a KMS / env URI that
// cosign resolves itself (awskms://, gcpkms://, hashivault://, azurekms://, k8s://, env://).
func ResolveKey(key, dir string) (string, error) {
	if key == "" {
		return "", errors.New("no --key: give the cosign private key, --key=cosign.key (create a pair with `cosign generate-key-pair`; " +
			"its password comes from COSIGN_PASSWORD), or a KMS URI such as --key=awskms:///alias/release")
	}
	if strings.Contains(key, "://") {
		return key, nil
	}
	p := resolve(key, dir)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("--key %s: %w; give the path of a cosign private key (cosign generate-key-pair writes cosign.key)", key, err)
	}
	return p, nil
}

func resolve(p, dir string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// GitRunner runs git with args in dir and returns its standard output.
type GitRunner func(dir string, args ...string) (string, error)

// RunGit runs the git in PATH.
func RunGit(dir string, args ...string) (string, error) {
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(string(ee.Stderr)))
	}
	return strings.TrimSpace(string(out)), err
}

// FindSource returns the source revision: given by flags, else read from the git checkout dir
// (HEAD, whether tracked files changed, the origin remote).
func FindSource(dir, uri, revision string, git GitRunner) (provenance.Source, error) {
	src := provenance.Source{URI: uri, Revision: revision}
	if src.Revision == "" {
		if dir == "" {
			return src, errors.New("cannot tell the source revision: not run by `bazel run` (no BUILD_WORKSPACE_DIRECTORY); pass --source-revision=REV and --source-uri=URI")
		}
		rev, err := git(dir, "rev-parse", "HEAD")
		if err != nil {
			return src, fmt.Errorf("cannot tell the source revision of %s (%v); pass --source-revision=REV (and --source-uri=URI)", dir, err)
		}
		src.Revision = rev
		status, err := git(dir, "status", "--porcelain", "--untracked-files=no")
		if err != nil {
			return src, fmt.Errorf("git status in %s: %w", dir, err)
		}
		src.Dirty = status != ""
	}
	if src.URI == "" {
		if dir == "" {
			return src, errors.New("no --source-uri: name the repository the revision belongs to, e.g. --source-uri=git+https://github.com/org/repo")
		}
		if u, err := git(dir, "remote", "get-url", "origin"); err == nil && u != "" {
			src.URI = "git+" + u
		} else {
			src.URI = "git+file://" + dir
		}
	}
	return src, nil
}
